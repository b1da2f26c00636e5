package github

import (
	"context"
	"fmt"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/secgate/secgate/pkg/markdown"
	"github.com/secgate/secgate/pkg/policy"
)

// stickyComment is the gate's summary comment found on the PR.
type stickyComment struct {
	id   int64
	body string
	url  string
	// extra are further comments with the same marker and author, left by
	// an older run that posted twice; they are removed.
	extra []int64
}

// summary creates the gate's summary comment, or edits the one an earlier
// run posted. An unchanged summary is left alone, so an identical re-run
// writes nothing.
func (r *run) summary(ctx context.Context) {
	if r.stopped() || r.p.author == "" {
		return
	}
	old, err := r.findSummary(ctx)
	if err != nil {
		r.fail(FeatureSummary, "list the pull request's comments", err)
		return
	}
	body := r.summaryBody()

	t := r.in.Target
	switch {
	case old == nil:
		c, _, err := r.p.Client.Issues.CreateComment(ctx, t.Owner, t.Repo, t.PR,
			&gh.IssueComment{Body: gh.String(body)})
		if err != nil {
			r.fail(FeatureSummary, "post the summary comment", err)
			return
		}
		r.res.Created++
		r.res.SummaryURL = c.GetHTMLURL()
	case old.body == body:
		r.res.SummaryURL = old.url
	default:
		c, _, err := r.p.Client.Issues.EditComment(ctx, t.Owner, t.Repo, old.id,
			&gh.IssueComment{Body: gh.String(body)})
		if err != nil {
			r.fail(FeatureSummary, "edit the summary comment", err)
			return
		}
		r.res.Updated++
		r.res.SummaryURL = c.GetHTMLURL()
	}
	if old != nil {
		r.removeExtra(ctx, old.extra)
	}
}

// findSummary reads every page of the PR's comments for the one that starts
// with this gate's marker and that we posted.
func (r *run) findSummary(ctx context.Context) (*stickyComment, error) {
	t := r.in.Target
	var found *stickyComment
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		page, resp, err := r.p.Client.Issues.ListComments(ctx, t.Owner, t.Repo, t.PR, opts)
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			if !hasSummaryMarker(c.GetBody(), r.p.Settings.Key) ||
				!strings.EqualFold(c.GetUser().GetLogin(), r.p.author) {
				continue
			}
			if found == nil {
				found = &stickyComment{id: c.GetID(), body: c.GetBody(), url: c.GetHTMLURL()}
			} else {
				found.extra = append(found.extra, c.GetID())
			}
		}
		if resp.NextPage == 0 {
			return found, nil
		}
		opts.Page = resp.NextPage
	}
}

func (r *run) removeExtra(ctx context.Context, ids []int64) {
	t := r.in.Target
	for _, id := range ids {
		if _, err := r.p.Client.Issues.DeleteComment(ctx, t.Owner, t.Repo, id); err != nil {
			r.fail(FeatureSummary, "remove a duplicate summary comment", err)
			return
		}
	}
}

// summaryBody renders the summary with what this run learned: which
// findings are new, where each was commented, and what could not be posted.
func (r *run) summaryBody() string {
	s := r.summaryRenderer()
	s.Marker = summaryMarker(r.p.Settings.Key)
	return s.String(r.in.Data)
}

func (r *run) summaryRenderer() markdown.Summary {
	s := markdown.Summary{
		FileURL: r.fileURL,
		Notes:   r.notes,
		Folded:  append(r.folded, r.foldedLine()...),
		// The check run is left out of the links: each run makes a new one,
		// and a changing link would make an identical re-run edit the comment.
		Links: markdown.Links{Run: r.p.Settings.RunURL, SARIF: r.p.Settings.SARIFURL},
	}
	// New means new against the baseline when the gate had one, else on a
	// line the change adds.
	switch {
	case hasBaseline(r.in.Data.Decision):
		s.New = func(e policy.Evaluated) bool { return e.BaselineState == "new" }
	case r.files != nil:
		s.New = func(e policy.Evaluated) bool { return r.isNew(e.Finding) }
	}
	if r.res.SARIF != nil && r.res.SARIF.Processed {
		s.Links.CodeScanning = r.codeScanningURL()
	}
	for _, p := range r.res.Problems {
		s.Problems = append(s.Problems, p.Error())
	}
	return s
}

// foldedLine says, in one line, why findings are in the summary and not
// inline, with the count for each reason.
func (r *run) foldedLine() []string {
	counts := map[string]int{}
	for _, n := range r.notes {
		if n != commented {
			counts[n]++
		}
	}
	if len(counts) == 0 {
		return nil
	}
	reasons := make([]string, 0, len(counts))
	for n, c := range counts {
		if n == overCap {
			n = fmt.Sprintf("%s of %d (max_inline_comments)", n, r.p.Settings.maxInline())
		}
		reasons = append(reasons, fmt.Sprintf("%d %s", c, n))
	}
	sort.Strings(reasons)
	return []string{"Not commented inline: " + strings.Join(reasons, ", ") + "."}
}

func (r *run) codeScanningURL() string {
	t := r.in.Target
	server := t.ServerURL
	if server == "" {
		server = "https://github.com"
	}
	u := strings.TrimSuffix(server, "/") + "/" + t.Owner + "/" + t.Repo + "/security/code-scanning"
	if t.PR > 0 {
		u += fmt.Sprintf("?query=pr%%3A%d", t.PR)
	}
	return u
}

func hasBaseline(d *policy.Decision) bool {
	for _, e := range d.Findings {
		if e.BaselineState != "" {
			return true
		}
	}
	return false
}
