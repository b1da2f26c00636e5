package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/bundle"
	"github.com/secgate/secgate/pkg/ci"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/iostreams"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/publish/github/fakegithub"
	"github.com/secgate/secgate/pkg/report"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners/semgrep"
)

const (
	pubHead = "1111111111111111111111111111111111111111"
	pubBase = "2222222222222222222222222222222222222222"
)

// noWait is a clock whose waits take no time.
type noWait struct {
	mu  sync.Mutex
	now time.Time
}

func (c *noWait) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *noWait) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return ctx.Err()
}

// flaskBundle writes the bundle a fork's unprivileged job leaves: the real
// Semgrep scan of a Flask app, gated with the defaults.
func flaskBundle(t *testing.T, pr bundle.PR) string {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, "semgrep/json/securecodebox-vulnerable-flask-app.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := semgrep.ParseJSON(f, "flask")
	if err != nil {
		t.Fatal(err)
	}
	found, _ := normalize.Apply(normalize.Options{Root: "/test/flask",
		ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }},
		[]normalize.Input{{BaseDir: "/test/flask", Findings: res.Findings}})
	data := &report.Data{Key: "secgate", Version: "test", Root: "/test/flask",
		Decision: policy.Evaluate(config.Default(), found, nil, policy.Options{})}
	dir := filepath.Join(t.TempDir(), "bundle")
	if err := bundle.Write(dir, bundle.FromData(data, pr, "secgate.yaml", ""), data); err != nil {
		t.Fatal(err)
	}
	return dir
}

func forkPR(t *testing.T, srv *fakegithub.Server) {
	srv.AddPR(&fakegithub.PR{Number: 7, HeadSHA: pubHead, BaseSHA: pubBase,
		Files: []fakegithub.PRFile{{Filename: "app/app.py", Status: "modified",
			Patch: "@@ -100,2 +100,3 @@\n line 100\n+line 101\n line 102\n"}}})
}

// workflowRunEnv is the environment of a privileged workflow_run job
// triggered by a fork's pull_request run: GitHub leaves pull_requests empty.
func workflowRunEnv(t *testing.T, srv *fakegithub.Server, head string) map[string]string {
	t.Helper()
	payload := map[string]any{"workflow_run": map[string]any{
		"event": "pull_request", "head_sha": head, "head_branch": "feature",
		"head_repository": map[string]any{"full_name": "mallory/shop"},
		"repository":      map[string]any{"full_name": "octo/shop"},
		"pull_requests":   []any{}}}
	path := filepath.Join(t.TempDir(), "event.json")
	data, _ := json.Marshal(payload)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "workflow_run",
		"GITHUB_EVENT_PATH": path, "GITHUB_REPOSITORY": "octo/shop",
		"GITHUB_API_URL": srv.APIURL(), "GITHUB_SERVER_URL": "https://ghe.example",
		"GITHUB_RUN_ID": "42", "GITHUB_TOKEN": srv.Token,
	}
}

func runPublish(t *testing.T, env map[string]string, dir, configPath string) (int, string) {
	t.Helper()
	streams, _, stderr := iostreams.Test()
	f := newFactory(streams, "test")
	opts := &publishOptions{f: f, FromBundle: dir, ConfigPath: configPath, Env: ci.MapEnv(env)}
	opts.Flags.TokenEnv = "GITHUB_TOKEN"
	opts.Flags.clock = &noWait{now: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)}
	cmd := newPublishGitHubCmd(f)
	cmd.SetContext(context.Background())
	err := runPublishGitHub(cmd, opts)
	if err != nil && !strings.Contains(stderr.String(), err.Error()) {
		stderr.WriteString(err.Error())
	}
	return exitcode.Code(err), stderr.String()
}

// TestPublishFromBundle is the fork flow: the bundle's PR number is taken
// only after GitHub confirms that PR's head is the commit the triggering run
// built; then one summary, inline comments on diff lines, one check run,
// and an identical second run that posts nothing new. The requests go to
// an Enterprise Server URL, so they carry the /api/v3 prefix.
func TestPublishFromBundle(t *testing.T) {
	srv := fakegithub.New(t, specPath(t), "/api/v3")
	forkPR(t, srv)
	dir := flaskBundle(t, bundle.PR{Repository: "octo/shop", Number: 7, HeadSHA: pubHead})
	env := workflowRunEnv(t, srv, pubHead)

	code, stderr := runPublish(t, env, dir, "")
	if code != exitcode.Blocked {
		t.Fatalf("exit code %d, want 1 (the bundle's verdict); stderr:\n%s", code, stderr)
	}
	st := srv.Snapshot()
	if len(st.IssueComments) != 1 || len(st.CheckRuns) != 1 || len(st.ReviewComments) != 0 {
		t.Errorf("first run: %d summaries, %d check runs, %d inline; want 1, 1, 0 (no "+
			"finding is on line 100-102)", len(st.IssueComments), len(st.CheckRuns),
			len(st.ReviewComments))
	}
	if !strings.Contains(stderr, "published to octo/shop#7") {
		t.Errorf("stderr does not say what was published:\n%s", stderr)
	}
	if got := srv.Count("GET /api/v3/repos/octo/shop/pulls/7 "); got != 1 {
		t.Errorf("the bundle's PR was checked %d times, want 1", got)
	}

	runPublish(t, env, dir, "")
	if got := len(srv.Snapshot().IssueComments); got != 1 {
		t.Errorf("summaries after a second run: %d, want 1", got)
	}
}

// TestPublishRefusesBundles: a bundle is written by a job that ran the
// pull request's code, so whatever it claims is checked.
func TestPublishRefusesBundles(t *testing.T) {
	other := "3333333333333333333333333333333333333333"
	tests := []struct {
		name    string
		claim   bundle.PR
		runHead string
		want    string
	}{
		{"another repository", bundle.PR{Repository: "octo/bank", Number: 7, HeadSHA: pubHead},
			pubHead, "the bundle is for octo/bank"},
		{"another commit than the triggering run",
			bundle.PR{Repository: "octo/shop", Number: 7, HeadSHA: other}, pubHead,
			"the bundle was made for commit 333333333333"},
		{"a PR whose head is not the commit", bundle.PR{Repository: "octo/shop", Number: 7,
			HeadSHA: other}, other, "whose head is 111111111111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegithub.New(t, specPath(t), "/api/v3")
			forkPR(t, srv)
			code, stderr := runPublish(t, workflowRunEnv(t, srv, tt.runHead),
				flaskBundle(t, tt.claim), "")
			if code != exitcode.Undecided || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
			if srv.Writes() != 0 {
				t.Errorf("a refused bundle still wrote: %v", srv.Log)
			}
		})
	}
}

// TestPublishErrorsPolicy re-evaluates the bundle with a trusted config that
// passes it, against a read-only token: by default the refusals leave the
// verdict alone; with publish_errors: fail the run cannot pass.
func TestPublishErrorsPolicy(t *testing.T) {
	tests := []struct {
		name, config string
		want         int
	}{
		{"warn by default", "fail_on: critical\n", exitcode.Passed},
		{"fail when asked", "fail_on: critical\npublish_errors: fail\n", exitcode.Undecided},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegithub.New(t, specPath(t), "/api/v3")
			forkPR(t, srv)
			srv.ReadOnly = true
			cfg := filepath.Join(t.TempDir(), "secgate.yaml")
			if err := os.WriteFile(cfg, []byte(tt.config), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := flaskBundle(t, bundle.PR{Repository: "octo/shop", Number: 7, HeadSHA: pubHead})
			code, stderr := runPublish(t, workflowRunEnv(t, srv, pubHead), dir, cfg)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
			if !strings.Contains(stderr, "checks: write") {
				t.Errorf("stderr does not name the missing permission:\n%s", stderr)
			}
		})
	}
}

// TestPublishTokenNeverShown: a wrong token gives a clear 401 message that
// does not contain it; a missing token names the variable.
func TestPublishTokenNeverShown(t *testing.T) {
	srv := fakegithub.New(t, specPath(t), "/api/v3")
	forkPR(t, srv)
	dir := flaskBundle(t, bundle.PR{Repository: "octo/shop", Number: 7, HeadSHA: pubHead})
	env := workflowRunEnv(t, srv, pubHead)

	env["GITHUB_TOKEN"] = "ghs_0123456789abcdefghijklmnopqrstuvwxyz"
	_, stderr := runPublish(t, env, dir, "")
	if strings.Contains(stderr, env["GITHUB_TOKEN"]) || !strings.Contains(stderr, "401") {
		t.Errorf("401 report: %s", stderr)
	}

	env["GITHUB_TOKEN"] = ""
	code, stderr := runPublish(t, env, dir, "")
	if code != exitcode.Undecided || !strings.Contains(stderr, "$GITHUB_TOKEN is empty") {
		t.Errorf("missing token: exit %d, stderr %q", code, stderr)
	}
}

func specPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SECGATE_GITHUB_OPENAPI"); p != "" {
		return p
	}
	return filepath.Join(testenv.RepoRoot(t), "..", "shared", "github-openapi",
		"api.github.com.trimmed.json")
}

// TestScanPublishesAfterGating drives the scan side without scanners:
// afterGate writes the bundle, skips publishing for a fork's read-only
// token, and otherwise publishes to the pull request of the environment.
func TestScanPublishesAfterGating(t *testing.T) {
	srv := fakegithub.New(t, specPath(t), "/api/v3")
	forkPR(t, srv)
	payload := filepath.Join(t.TempDir(), "event.json")
	tests := []struct {
		name       string
		headRepo   string
		wantPosted bool
	}{
		{"same repository", "octo/shop", true},
		{"fork: read-only token, nothing sent", "mallory/shop", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			event := `{"pull_request": {"number": 7, "head": {"sha": "` + pubHead +
				`", "repo": {"full_name": "` + tt.headRepo + `"}}, "base": {"sha": "` + pubBase +
				`", "repo": {"full_name": "octo/shop"}}}}`
			if err := os.WriteFile(payload, []byte(event), 0o644); err != nil {
				t.Fatal(err)
			}
			for k, v := range map[string]string{
				"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request",
				"GITHUB_EVENT_PATH": payload, "GITHUB_REPOSITORY": "octo/shop",
				"GITHUB_API_URL": srv.APIURL(), "GITHUB_TOKEN": srv.Token,
				"GITHUB_STEP_SUMMARY": "", "GITHUB_OUTPUT": "",
			} {
				t.Setenv(k, v)
			}
			dir := flaskBundle(t, bundle.PR{})
			b, _, err := bundle.Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			data := b.Data()
			root := t.TempDir()
			cfg := config.Default()
			cfg.File = filepath.Join(root, "secgate.yaml")
			streams, _, stderr := iostreams.Test()
			f := newFactory(streams, "test")
			flags := &publishFlags{To: "github", Bundle: filepath.Join(t.TempDir(), "out"),
				TokenEnv: "GITHUB_TOKEN", DiffSource: "api",
				clock: &noWait{now: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)}}
			before := srv.Writes()

			err = afterGate(f, data, gateInput{Config: cfg, Root: root, Publish: flags},
				verdictError(data.Decision))
			if exitcode.Code(err) != exitcode.Blocked {
				t.Errorf("exit %d, want the verdict 1; stderr:\n%s", exitcode.Code(err), stderr)
			}
			written, _, err := bundle.Read(flags.Bundle)
			if err != nil {
				t.Fatalf("the bundle was not written: %v", err)
			}
			if written.PR.Number != 7 || written.PR.HeadSHA != pubHead ||
				written.PR.Repository != "octo/shop" || written.Config != "secgate.yaml" {
				t.Errorf("bundle PR %+v config %q", written.PR, written.Config)
			}
			if posted := srv.Writes() > before; posted != tt.wantPosted {
				t.Errorf("posted: %v, want %v; stderr:\n%s", posted, tt.wantPosted, stderr)
			}
			if !tt.wantPosted && !strings.Contains(stderr.String(), "read-only") {
				t.Errorf("no notice about the read-only token:\n%s", stderr)
			}
		})
	}
}
