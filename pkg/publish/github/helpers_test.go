package github

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/publish/github/fakegithub"
	"github.com/secgate/secgate/pkg/report"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners/semgrep"
)

const (
	headSHA = "1111111111111111111111111111111111111111"
	baseSHA = "2222222222222222222222222222222222222222"
)

// fakeClock never waits: Sleep moves its time on and records the wait.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// specPath is GitHub's trimmed OpenAPI description in the shared folder.
func specPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("SECGATE_GITHUB_OPENAPI"); p != "" {
		return p
	}
	return filepath.Join(testenv.RepoRoot(t), "..", "shared", "github-openapi",
		"api.github.com.trimmed.json")
}

// newFake starts a fake GitHub.com (prefix "") or Enterprise Server
// (prefix "/api/v3").
func newFake(t *testing.T, prefix string) *fakegithub.Server {
	t.Helper()
	return fakegithub.New(t, specPath(t), prefix)
}

// newPublisher builds a publisher aimed at the fake, with a fake clock.
func newPublisher(t *testing.T, srv *fakegithub.Server, clock Clock, s Settings) *Publisher {
	t.Helper()
	client, err := NewClient(ClientOptions{APIURL: srv.APIURL(), Token: srv.Token, Clock: clock})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if srv.Prefix == "" {
		// GitHub.com: the API is at the root of its host.
		client.BaseURL.Path = "/"
	}
	if s.Key == "" {
		s.Key = "secgate"
	}
	return &Publisher{Client: client, Clock: clock, Settings: s}
}

func allFeatures(s Settings) Settings {
	s.Summary, s.Inline, s.Checks = true, true, true
	return s
}

// flaskData gates the real Semgrep scan of a vulnerable Flask app (nine
// findings in three files), as secgate would: adapter, normalizer, policy.
func flaskData(t *testing.T) *report.Data {
	return fixtureData(t, "semgrep/json/securecodebox-vulnerable-flask-app.json", "/test/flask")
}

func fixtureData(t *testing.T, fixture, root string) *report.Data {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := semgrep.ParseJSON(f, fixture)
	if err != nil {
		t.Fatalf("parse %s: %v", fixture, err)
	}
	return gateFindings(t, root, res.Findings)
}

func gateFindings(t *testing.T, root string, fs []finding.Finding) *report.Data {
	t.Helper()
	found, _ := normalize.Apply(normalize.Options{Root: root,
		ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }},
		[]normalize.Input{{BaseDir: root, Findings: fs}})
	dec := policy.Evaluate(config.Default(), found, nil, policy.Options{
		Now: func() time.Time { return time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC) }})
	return &report.Data{Key: "secgate", Version: "test", Root: root, Decision: dec}
}

// hunk writes one hunk of a GitHub patch covering new lines start to end;
// the lines in added are additions, the rest context. shift is how many
// lines earlier hunks added, so the old side lines up.
func hunk(start, end, shift int, added ...int) string {
	isAdded := map[int]bool{}
	for _, a := range added {
		isAdded[a] = true
	}
	var body strings.Builder
	n := end - start + 1
	for l := start; l <= end; l++ {
		if isAdded[l] {
			fmt.Fprintf(&body, "+new line %d\n", l)
		} else {
			fmt.Fprintf(&body, " line %d\n", l)
		}
	}
	return fmt.Sprintf("@@ -%d,%d +%d,%d @@\n", start-shift, n-len(added), start, n) +
		body.String()
}

// flaskPR is a PR that touches app.py around three findings (one of them
// a range, one a context line), loader.js on the finding's line, a binary
// logo, and not the tests folder.
func flaskPR() *fakegithub.PR {
	return &fakegithub.PR{Number: 7, HeadSHA: headSHA, BaseSHA: baseSHA, Files: []fakegithub.PRFile{
		{Filename: "app/app.py", Status: "modified",
			Patch: hunk(100, 116, 0, 103, 104) + hunk(139, 143, 2, 141)},
		{Filename: "app/static/loader.js", Status: "modified", Patch: hunk(88, 94, 0, 90)},
		{Filename: "app/static/logo.png", Status: "added"},
	}}
}

func target(srv *fakegithub.Server, pr int) Target {
	return Target{Owner: srv.Owner, Repo: srv.Repo, PR: pr, HeadSHA: headSHA,
		ServerURL: "https://github.example"}
}

func publish(t *testing.T, p *Publisher, in Input) *Result {
	t.Helper()
	res, err := p.Publish(context.Background(), in)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return res
}

func problemFeatures(res *Result) string {
	var parts []string
	for _, p := range res.Problems {
		parts = append(parts, string(p.Feature))
	}
	return strings.Join(parts, ",")
}
