package github

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/secgate/secgate/pkg/report"
)

// DefaultMaxInlineComments caps the inline comments of one gate on one PR.
const DefaultMaxInlineComments = 30

// actionsBot is the login GITHUB_TOKEN posts as.
const actionsBot = "github-actions[bot]"

// Target is where the result goes.
type Target struct {
	Owner, Repo string
	// PR is the pull request number; 0 publishes only the check run (or
	// status) and the SARIF upload, which belong to a commit.
	PR int
	// HeadSHA is the commit checks and reviews attach to: the PR's head.
	HeadSHA string
	// Ref and CommitSHA pair up for the code scanning upload:
	// refs/pull/N/head with the head, refs/pull/N/merge with the merge commit.
	Ref       string
	CommitSHA string
	// ServerURL is the web base for links, such as https://github.com.
	ServerURL string
}

// Settings say what to publish and how.
type Settings struct {
	// Key names the gate: the check run, the status context and the hidden
	// markers carry it, so two gates never overwrite each other.
	Key string
	// MaxInlineComments caps the inline comments; 0 means the default and a
	// negative value turns inline comments off.
	MaxInlineComments int

	Summary, Inline, Checks, SARIF bool

	// Author is the login our comments are posted as. Empty asks GitHub;
	// where the token cannot say (an Actions token), InActions falls back to
	// github-actions[bot].
	Author    string
	InActions bool

	// Diff gives the lines the change touches; nil reads the PR's files.
	Diff DiffSource

	// AnchorPath is the repository file that code scanning results without
	// a file are anchored to (the config that produced them); empty leaves
	// such results out of the upload and lists them.
	AnchorPath string

	// Links shown in the summary when known.
	RunURL, SARIFURL string
}

// Input is one gate result to publish.
type Input struct {
	Data   *report.Data
	SARIF  []byte
	Target Target
}

// Result says what was published.
type Result struct {
	SummaryURL  string
	CheckRunURL string
	// StatusSet reports a commit status set in place of a check run.
	StatusSet bool
	// Created and Updated count the comments and reviews posted and edited.
	Created, Updated int
	Inline           InlineResult
	SARIF            *UploadResult
	Problems         []*Problem
}

// Publisher posts results through a go-github client.
type Publisher struct {
	Client   *gh.Client
	Clock    Clock
	Log      *slog.Logger
	Settings Settings

	author string
	// unauthorized is set by a 401: every other call would fail the same way.
	unauthorized bool
}

// Publish posts in. Problems are in the Result; the error is only for a
// target that cannot be published to at all.
func (p *Publisher) Publish(ctx context.Context, in Input) (*Result, error) {
	if err := checkTarget(in.Target); err != nil {
		return nil, err
	}
	res := &Result{}
	run := &run{p: p, in: in, res: res, notes: map[string]string{}}

	if in.Target.PR > 0 && (p.Settings.Inline || p.Settings.Summary) {
		run.loadDiff(ctx)
		run.loadAuthor(ctx)
	}
	if in.Target.PR > 0 && p.Settings.Inline {
		run.inline(ctx)
	}
	if p.Settings.Checks {
		run.checks(ctx)
	}
	if p.Settings.SARIF && len(in.SARIF) > 0 {
		run.sarif(ctx)
	}
	if in.Target.PR > 0 && p.Settings.Summary {
		run.summary(ctx)
	}
	return res, nil
}

func checkTarget(t Target) error {
	switch {
	case t.Owner == "" || t.Repo == "":
		return fmt.Errorf("no repository to publish to (pass --repo owner/name)")
	case t.HeadSHA == "":
		return fmt.Errorf("no head commit to publish for (pass --head-sha)")
	case !isSHA(t.HeadSHA):
		return fmt.Errorf("head commit %q is not a commit id", t.HeadSHA)
	}
	return nil
}

func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// run is the state of one Publish call.
type run struct {
	p     *Publisher
	in    Input
	res   *Result
	files map[string]*fileDiff
	// diffNote says why the diff is unknown, when it is.
	diffNote string
	// notes are per-fingerprint words for the summary table.
	notes  map[string]string
	folded []string
}

// fail records a problem for feature f and reports whether publishing may
// go on at all.
func (r *run) fail(f Feature, what string, err error) *Problem {
	prob := problemOf(f, what, err)
	if prob.Status == 401 {
		r.p.unauthorized = true
	}
	r.res.Problems = append(r.res.Problems, prob)
	r.p.logger().Warn("could not publish", "feature", string(f), "problem", prob.Message)
	return prob
}

// stopped reports whether a 401 already showed that nothing will work.
func (r *run) stopped() bool { return r.p.unauthorized }

func (p *Publisher) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (p *Publisher) clock() Clock {
	if p.Clock != nil {
		return p.Clock
	}
	return RealClock{}
}

// fileURL links a path and line at the head commit.
func (r *run) fileURL(path string, line int) string {
	t := r.in.Target
	server := t.ServerURL
	if server == "" {
		server = "https://github.com"
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.TrimSuffix(server, "/") + "/" + url.PathEscape(t.Owner) + "/" +
		url.PathEscape(t.Repo) + "/blob/" + t.HeadSHA + "/" + strings.Join(segs, "/")
	if line > 0 {
		u += fmt.Sprintf("#L%d", line)
	}
	return u
}
