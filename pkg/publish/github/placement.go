package github

import (
	"context"

	"github.com/secgate/secgate/pkg/finding"
)

// Why a finding is not commented inline, as the summary shows it.
const (
	notInDiff     = "outside the diff"
	noLines       = "file without a diff GitHub shows"
	overCap       = "over the inline cap"
	refusedInline = "refused inline by GitHub"
	commented     = "commented inline"
	diffUnknown   = "diff unknown"
)

// maxNewScan bounds how many lines of one finding are checked for being
// added by the change.
const maxNewScan = 200

// placement is where an inline comment for a finding goes: one line, or a
// range from startLine to line within one hunk.
type placement struct {
	path      string
	line      int
	startLine int
}

// loadDiff reads the lines the change touches. Without them no inline
// comment is posted and the summary cannot tell new findings from old.
func (r *run) loadDiff(ctx context.Context) {
	src := r.p.Settings.Diff
	var api *PRFiles
	if src == nil {
		t := r.in.Target
		api = &PRFiles{Client: r.p.Client, Owner: t.Owner, Repo: t.Repo, PR: t.PR}
		src = api
	}
	files, err := src.Files(ctx)
	if err != nil {
		r.fail(FeatureInline, "read the files the pull request changes", err)
		r.diffNote = diffUnknown
		return
	}

	r.files = make(map[string]*fileDiff, len(files))
	for i := range files {
		f := &fileDiff{File: files[i], noLines: files[i].Binary || len(files[i].Hunks) == 0}
		if p := f.Path(); p != "" && !f.Deleted {
			r.files[p] = f
		}
	}
	if api != nil && api.Truncated {
		r.folded = append(r.folded, "GitHub lists only the first 3000 files of a pull "+
			"request; findings in the other files are treated as outside the diff.")
	}
}

// place finds where f can be commented, or says why it cannot.
func (r *run) place(f finding.Finding) (placement, string) {
	if r.files == nil {
		return placement{}, diffUnknown
	}
	l := f.Location
	fd, ok := r.files[l.Path]
	switch {
	case !l.HasFile() || l.StartLine < 1 || !ok:
		return placement{}, notInDiff
	case fd.noLines:
		return placement{}, noLines
	}

	start, end := l.StartLine, max(l.EndLine, l.StartLine)
	switch {
	case start != end && fd.SameHunk(start, end):
		return placement{path: l.Path, startLine: start, line: end}, ""
	case fd.CommentableRight(start):
		return placement{path: l.Path, line: start}, ""
	case fd.CommentableRight(end):
		return placement{path: l.Path, line: end}, ""
	}
	return placement{}, notInDiff
}

// isNew reports whether the change adds any line of f.
func (r *run) isNew(f finding.Finding) bool {
	l := f.Location
	fd, ok := r.files[l.Path]
	if !ok || l.StartLine < 1 {
		return false
	}
	if fd.Added {
		return true
	}
	end := min(max(l.EndLine, l.StartLine), l.StartLine+maxNewScan)
	for line := l.StartLine; line <= end; line++ {
		if fd.AddedLine(line) {
			return true
		}
	}
	return false
}

// loadAuthor learns the login our comments carry, so that a comment is ours
// only if both its marker and its author say so: anyone can paste a marker.
func (r *run) loadAuthor(ctx context.Context) {
	if r.p.author != "" || r.stopped() {
		return
	}
	if a := r.p.Settings.Author; a != "" {
		r.p.author = a
		return
	}
	user, _, err := r.p.Client.Users.Get(ctx, "")
	switch {
	case err == nil && user.GetLogin() != "":
		r.p.author = user.GetLogin()
	case r.p.Settings.InActions && isStatus(err, 403, 404):
		// An Actions token cannot read /user; it posts as the Actions bot.
		r.p.author = actionsBot
	case err != nil:
		prob := r.fail(FeatureSummary, "find which login the token posts as (GET /user)", err)
		prob.Message += "; pass --comment-author with the login (for a GitHub App, " +
			"APP-SLUG[bot])"
	}
}
