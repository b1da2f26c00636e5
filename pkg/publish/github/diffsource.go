package github

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"

	gh "github.com/google/go-github/v60/github"

	"github.com/secgate/secgate/pkg/diff"
)

// maxPRFiles is the most files the list-files endpoint ever returns.
const maxPRFiles = 3000

// DiffSource gives the files a change touches, so that inline comments go
// only on lines GitHub accepts them on.
type DiffSource interface {
	Files(ctx context.Context) ([]diff.File, error)
}

// fileDiff is one changed file and whether its lines are known.
type fileDiff struct {
	diff.File
	// noLines marks a file GitHub gave no patch for (binary, or too large):
	// it is part of the change but no line of it can carry a comment.
	noLines bool
}

// PRFiles reads the pull request's files from the API, page by page. It
// tolerates entries without a patch, and stops at GitHub's 3000 files.
type PRFiles struct {
	Client      *gh.Client
	Owner, Repo string
	PR          int
	// Truncated is set when the PR has more files than the API lists.
	Truncated bool
}

// Files implements DiffSource.
func (s *PRFiles) Files(ctx context.Context) ([]diff.File, error) {
	var out []diff.File
	opts := &gh.ListOptions{PerPage: 100}
	for {
		page, resp, err := s.Client.PullRequests.ListFiles(ctx, s.Owner, s.Repo, s.PR, opts)
		if err != nil {
			return nil, err
		}
		for _, cf := range page {
			out = append(out, fileFromAPI(cf))
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	s.Truncated = len(out) >= maxPRFiles
	return out, nil
}

// fileFromAPI turns one list-files entry into a diff file. A patch that does
// not parse leaves the file in the change with no commentable line.
func fileFromAPI(cf *gh.CommitFile) diff.File {
	name := cf.GetFilename()
	f := diff.File{OldPath: name, NewPath: name, Binary: true}
	if patch := cf.GetPatch(); patch != "" {
		parsed, err := diff.ParsePatch(name, patch)
		if err == nil {
			f = parsed
		}
	}
	switch cf.GetStatus() {
	case "added":
		f.Added, f.OldPath = true, ""
	case "removed":
		f.Deleted, f.NewPath = true, ""
	case "renamed":
		f.Renamed, f.OldPath = true, cf.GetPreviousFilename()
	}
	return f
}

// GitDiff reads the change from the local repository: git diff from the
// merge base of Base and Head to Head. It needs the history of both, so a
// shallow clone without the merge base is an error naming the fix.
type GitDiff struct {
	Dir        string
	Base, Head string
}

// Files implements DiffSource.
func (g GitDiff) Files(ctx context.Context) ([]diff.File, error) {
	if g.Base == "" || g.Head == "" {
		return nil, fmt.Errorf("git diff needs the base and head commits (--base-sha, --head-sha)")
	}
	cmd := exec.CommandContext(ctx, "git", "-c", "core.quotePath=false", "diff",
		"--no-color", "--no-ext-diff", "-M", "--end-of-options", g.Base+"..."+g.Head)
	cmd.Dir = g.Dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git diff %s...%s: %w: %s (a shallow clone needs "+
			"fetch-depth: 0 or the base fetched)", g.Base, g.Head, err,
			bytes.TrimSpace(stderr.Bytes()))
	}
	if stdout.Len() == 0 {
		return nil, nil
	}
	return diff.Parse(&stdout)
}
