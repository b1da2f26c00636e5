package github

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/secgate/secgate/pkg/ci"
	"github.com/secgate/secgate/pkg/markdown"
	"github.com/secgate/secgate/pkg/policy"
)

// reviewBatch is how many comments go in one review. Very large reviews have
// been seen to time out, and a 422 rejects a whole review, so batches stay
// small.
const reviewBatch = 25

// maxCommentBody bounds an inline comment; GitHub's limit is the same as for
// issue comments.
const maxCommentBody = markdown.MaxBody

// InlineResult counts what happened to inline comments.
type InlineResult struct {
	Posted, Kept, Reopened, Fixed int
}

// ourComment is an inline comment an earlier run posted.
type ourComment struct {
	id    int64
	body  string
	state string
}

// draft is a new inline comment.
type draft struct {
	e  policy.Evaluated
	at placement
}

// inline posts a comment for each blocking or warning finding on a line the
// change touches, unless one is already there, and marks the comments of
// findings that are gone as fixed.
func (r *run) inline(ctx context.Context) {
	if r.stopped() || r.files == nil || r.p.author == "" {
		return
	}
	existing, err := r.ourReviewComments(ctx)
	if err != nil {
		r.fail(FeatureInline, "list the pull request's review comments", err)
		return
	}

	fresh, present := r.sortOut(ctx, existing)
	slots := max(r.p.Settings.maxInline()-r.res.Inline.Kept, 0)
	if len(fresh) > slots {
		for _, d := range fresh[slots:] {
			r.notes[d.e.Finding.Fingerprint] = overCap
		}
		fresh = fresh[:slots]
	}
	r.postReviews(ctx, fresh)
	r.markFixed(ctx, existing, present)
}

// sortOut goes through the findings: those already commented are kept (or
// reopened), the others on a commentable line become drafts. It also returns
// every fingerprint still reported, wherever it is.
func (r *run) sortOut(ctx context.Context, existing map[string]ourComment) (
	[]draft, map[string]bool) {
	var fresh []draft
	present := map[string]bool{}
	for _, e := range r.in.Data.Decision.Findings {
		fp := e.Finding.Fingerprint
		if !postable(e) || fp == "" || present[fp] {
			continue
		}
		present[fp] = true
		at, why := r.place(e.Finding)
		if why != "" {
			r.notes[fp] = why
			continue
		}
		c, ok := existing[fp]
		if !ok {
			fresh = append(fresh, draft{e: e, at: at})
			continue
		}
		r.res.Inline.Kept++
		r.notes[fp] = commented
		if c.state == stateFixed {
			r.reopen(ctx, c, e)
		}
	}
	return fresh, present
}

// postable are the findings worth a comment: blocking ones and warnings.
func postable(e policy.Evaluated) bool {
	return e.Outcome == policy.OutcomeFail || e.Outcome == policy.OutcomeWarn
}

func (s Settings) maxInline() int {
	switch {
	case s.MaxInlineComments < 0:
		return 0
	case s.MaxInlineComments == 0:
		return DefaultMaxInlineComments
	}
	return s.MaxInlineComments
}

// ourReviewComments lists every review comment of the PR, all pages, and
// keeps those that carry this gate's marker and were posted by us.
func (r *run) ourReviewComments(ctx context.Context) (map[string]ourComment, error) {
	t := r.in.Target
	out := map[string]ourComment{}
	opts := &gh.PullRequestListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		page, resp, err := r.p.Client.PullRequests.ListComments(ctx, t.Owner, t.Repo, t.PR, opts)
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			key, fp, state, ok := parseFindingMarker(c.GetBody())
			if !ok || key != markerWord(r.p.Settings.Key) ||
				!strings.EqualFold(c.GetUser().GetLogin(), r.p.author) {
				continue
			}
			if _, dup := out[fp]; !dup {
				out[fp] = ourComment{id: c.GetID(), body: c.GetBody(), state: state}
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// postReviews sends the drafts in reviews of reviewBatch comments. A review
// GitHub rejects as invalid (422) is not retried piecemeal: its findings are
// listed in the summary instead, so none is lost.
func (r *run) postReviews(ctx context.Context, drafts []draft) {
	t := r.in.Target
	for start := 0; start < len(drafts); start += reviewBatch {
		batch := drafts[start:min(start+reviewBatch, len(drafts))]
		req := r.review(batch, len(drafts))
		_, _, err := r.p.Client.PullRequests.CreateReview(ctx, t.Owner, t.Repo, t.PR, req)
		switch {
		case err == nil:
			r.res.Created++
			r.res.Inline.Posted += len(batch)
			setNotes(r.notes, batch, commented)
		case isStatus(err, http.StatusUnprocessableEntity):
			r.p.logger().Warn("GitHub refused a review; its findings go to the summary",
				"comments", len(batch), "first", batch[0].at.path, "error", problemOf(
					FeatureInline, "create review", err).Message)
			setNotes(r.notes, batch, refusedInline)
		default:
			r.fail(FeatureInline, "post a review with inline comments", err)
			for _, d := range drafts[start:] {
				r.notes[d.e.Finding.Fingerprint] = "not posted"
			}
			return
		}
	}
}

func setNotes(notes map[string]string, batch []draft, note string) {
	for _, d := range batch {
		notes[d.e.Finding.Fingerprint] = note
	}
}

func (r *run) review(batch []draft, total int) *gh.PullRequestReviewRequest {
	body := fmt.Sprintf("secgate %s: %d findings on lines this change touches. "+
		"The summary comment lists every finding.", markdown.Code(r.p.Settings.Key, 80), total)
	req := &gh.PullRequestReviewRequest{
		CommitID: gh.String(r.in.Target.HeadSHA),
		Body:     gh.String(body),
		Event:    gh.String("COMMENT"),
	}
	for _, d := range batch {
		c := &gh.DraftReviewComment{
			Path: gh.String(d.at.path),
			Body: gh.String(r.commentBody(d.e, stateOpen)),
			Line: gh.Int(d.at.line),
			Side: gh.String("RIGHT"),
		}
		if d.at.startLine > 0 {
			c.StartLine = gh.Int(d.at.startLine)
			c.StartSide = gh.String("RIGHT")
		}
		req.Comments = append(req.Comments, c)
	}
	return req
}

// commentBody writes an inline comment: the hidden marker, the verdict on
// the finding and its message, escaped.
func (r *run) commentBody(e policy.Evaluated, state string) string {
	f := e.Finding
	icon, verdict := "⚠️", "does not block"
	if e.Outcome == policy.OutcomeFail {
		icon, verdict = "❌", "blocks this change"
	}
	var b strings.Builder
	b.WriteString(findingMarker(r.p.Settings.Key, f.Fingerprint, state) + "\n")
	fmt.Fprintf(&b, "%s **%s** · %s · %s (secgate %s)\n\n", icon, f.Severity,
		markdown.Code(f.Tool+":"+f.Rule.ID, 200), verdict, markdown.Code(r.p.Settings.Key, 80))
	b.WriteString(markdown.Text(markdown.Message(f), 4000) + "\n")
	if link := markdown.HelpLink(f.Rule.HelpURI); link != "" {
		b.WriteString("\n" + link + "\n")
	}
	return markdown.Truncate(b.String(), maxCommentBody)
}

// fixedBody rewrites an earlier comment to say its finding is gone, keeping
// what it said folded away.
func (r *run) fixedBody(c ourComment, fp string) string {
	_, rest, _ := strings.Cut(c.body, "\n")
	body := findingMarker(r.p.Settings.Key, fp, stateFixed) + "\n" +
		fmt.Sprintf("✅ **Fixed**: secgate no longer reports this finding (at %s).\n\n",
			markdown.Code(ci.ShortSHA(r.in.Target.HeadSHA), 20)) +
		"<details><summary>Earlier comment</summary>\n\n" + strings.TrimSpace(rest) +
		"\n\n</details>\n"
	return markdown.Truncate(body, maxCommentBody)
}

// markFixed edits our comments whose findings are no longer reported. The
// first refused edit stops the rest: they would be refused the same way.
func (r *run) markFixed(ctx context.Context, existing map[string]ourComment,
	present map[string]bool) {
	for _, fp := range slices.Sorted(maps.Keys(existing)) {
		c := existing[fp]
		if present[fp] || c.state == stateFixed {
			continue
		}
		if err := r.editReviewComment(ctx, c.id, r.fixedBody(c, fp)); err != nil {
			r.fail(FeatureInline, "mark a fixed finding's comment", err)
			return
		}
		r.res.Inline.Fixed++
		r.res.Updated++
	}
}

func (r *run) reopen(ctx context.Context, c ourComment, e policy.Evaluated) {
	if err := r.editReviewComment(ctx, c.id, r.commentBody(e, stateOpen)); err != nil {
		r.fail(FeatureInline, "reopen the comment of a finding that is back", err)
		return
	}
	r.res.Inline.Reopened++
	r.res.Updated++
}

func (r *run) editReviewComment(ctx context.Context, id int64, body string) error {
	t := r.in.Target
	_, _, err := r.p.Client.PullRequests.EditComment(ctx, t.Owner, t.Repo, id,
		&gh.PullRequestComment{Body: gh.String(body)})
	return err
}
