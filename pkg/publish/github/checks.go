package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	gh "github.com/google/go-github/v60/github"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/markdown"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
)

// Limits of the checks API.
const (
	annotationBatch   = 50
	maxCheckText      = 65535
	maxAnnotTitle     = 255
	maxAnnotMessage   = 4000
	maxStatusDescChar = 140
	// MaxAnnotations bounds the annotations of one check run: past it the
	// check run's summary says how many were left out.
	MaxAnnotations = 2500
)

var conclusions = map[policy.Status]string{
	policy.StatusPassed:  "success",
	policy.StatusBlocked: "failure",
	policy.StatusError:   "failure",
}

var statusStates = map[policy.Status]string{
	policy.StatusPassed:  "success",
	policy.StatusBlocked: "failure",
	policy.StatusError:   "error",
}

// checks creates the gate's check run with every located finding as an
// annotation, sent 50 per request. A token that may not create check runs
// (a personal token, a Jenkins credential) gets a commit status instead.
func (r *run) checks(ctx context.Context) {
	if r.stopped() {
		return
	}
	anns, cut := annotations(r.in.Data.Decision.Findings)
	out := r.checkOutput(cut)
	out.Annotations = anns[:min(annotationBatch, len(anns))]

	t := r.in.Target
	now := gh.Timestamp{Time: r.p.clock().Now().UTC()}
	opts := gh.CreateCheckRunOptions{
		Name:        r.p.Settings.Key,
		HeadSHA:     t.HeadSHA,
		ExternalID:  gh.String(r.p.Settings.Key),
		Status:      gh.String("completed"),
		Conclusion:  gh.String(conclusions[r.in.Data.Decision.Status]),
		CompletedAt: &now,
		Output:      out,
	}
	if r.p.Settings.RunURL != "" {
		opts.DetailsURL = gh.String(r.p.Settings.RunURL)
	}
	cr, _, err := r.p.Client.Checks.CreateCheckRun(ctx, t.Owner, t.Repo, opts)
	if err != nil {
		r.checkRefused(ctx, err)
		return
	}
	r.res.CheckRunURL = cr.GetHTMLURL()
	r.moreAnnotations(ctx, cr.GetID(), out, anns[len(out.Annotations):])
}

// moreAnnotations appends the rest in batches; GitHub adds each batch to
// the ones already there.
func (r *run) moreAnnotations(ctx context.Context, id int64, out *gh.CheckRunOutput,
	rest []*gh.CheckRunAnnotation) {
	t := r.in.Target
	for len(rest) > 0 {
		n := min(annotationBatch, len(rest))
		upd := gh.UpdateCheckRunOptions{
			Name: r.p.Settings.Key,
			Output: &gh.CheckRunOutput{Title: out.Title, Summary: out.Summary,
				Annotations: rest[:n]},
		}
		if _, _, err := r.p.Client.Checks.UpdateCheckRun(ctx, t.Owner, t.Repo, id, upd); err != nil {
			r.fail(FeatureChecks, fmt.Sprintf("add annotations (%d not sent)", len(rest)), err)
			return
		}
		rest = rest[n:]
	}
}

// checkRefused falls back to a commit status when GitHub refuses the check
// run for lack of permission; any other failure is a problem.
func (r *run) checkRefused(ctx context.Context, err error) {
	if !isStatus(err, http.StatusForbidden, http.StatusNotFound) {
		r.fail(FeatureChecks, "create the check run", err)
		return
	}
	checkProb := problemOf(FeatureChecks, "create the check run", err)
	r.p.logger().Info("the token cannot create check runs; setting a commit status instead",
		"reason", checkProb.Message)
	if serr := r.status(ctx); serr != nil {
		r.res.Problems = append(r.res.Problems, checkProb)
		r.fail(FeatureStatus, "set the commit status (instead of the check run)", serr)
		return
	}
	r.res.StatusSet = true
	r.folded = append(r.folded, "A commit status was set instead of a check run: the "+
		"token cannot create check runs (that needs a GitHub App token, such as "+
		"GITHUB_TOKEN with checks: write).")
}

func (r *run) status(ctx context.Context) error {
	t := r.in.Target
	dec := r.in.Data.Decision
	st := &gh.RepoStatus{
		State:       gh.String(statusStates[dec.Status]),
		Context:     gh.String(r.p.Settings.Key),
		Description: gh.String(cutRunes(string(dec.Status)+": "+report.Summary(dec), maxStatusDescChar)),
	}
	if r.p.Settings.RunURL != "" {
		st.TargetURL = gh.String(r.p.Settings.RunURL)
	}
	_, _, err := r.p.Client.Repositories.CreateStatus(ctx, t.Owner, t.Repo, t.HeadSHA, st)
	return err
}

func (r *run) checkOutput(cut int) *gh.CheckRunOutput {
	dec := r.in.Data.Decision
	s := r.summaryRenderer()
	s.Limit = maxCheckText
	if cut > 0 {
		s.Folded = append(s.Folded, fmt.Sprintf("%d more findings have no annotation: a "+
			"check run carries at most %d.", cut, MaxAnnotations))
	}
	return &gh.CheckRunOutput{
		Title:   gh.String(cutRunes(string(dec.Status)+": "+report.Summary(dec), maxAnnotTitle)),
		Summary: gh.String(s.String(r.in.Data)),
	}
}

// annotations turns every blocking or warning finding that has a line into
// an annotation, most severe first, up to MaxAnnotations; it returns how
// many were left out.
func annotations(findings []policy.Evaluated) ([]*gh.CheckRunAnnotation, int) {
	var out []*gh.CheckRunAnnotation
	cut := 0
	for _, e := range findings {
		f := e.Finding
		if !postable(e) || !f.Location.HasFile() || f.Location.StartLine < 1 {
			continue
		}
		if len(out) == MaxAnnotations {
			cut++
			continue
		}
		out = append(out, annotation(e))
	}
	return out, cut
}

func annotation(e policy.Evaluated) *gh.CheckRunAnnotation {
	f := e.Finding
	l := f.Location
	a := &gh.CheckRunAnnotation{
		Path:            gh.String(l.Path),
		StartLine:       gh.Int(l.StartLine),
		EndLine:         gh.Int(max(l.EndLine, l.StartLine)),
		AnnotationLevel: gh.String(level(e)),
		Title: gh.String(cutRunes(f.Tool+":"+f.Rule.ID+" ("+f.Severity.String()+")",
			maxAnnotTitle)),
		Message: gh.String(cutRunes(firstLine(markdown.Message(f)), maxAnnotMessage)),
	}
	// Columns are only allowed on a one-line annotation.
	if l.EndLine <= l.StartLine && l.StartColumn > 0 && l.EndColumn >= l.StartColumn {
		a.StartColumn = gh.Int(l.StartColumn)
		a.EndColumn = gh.Int(l.EndColumn)
	}
	return a
}

func level(e policy.Evaluated) string {
	switch {
	case e.Outcome == policy.OutcomeFail:
		return "failure"
	case e.Finding.Severity >= finding.SeverityMedium:
		return "warning"
	}
	return "notice"
}

// firstLine keeps a message readable in an annotation: white space folded.
func firstLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(no message)"
	}
	return s
}

// cutRunes cuts s to n characters, the last an ellipsis.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}
