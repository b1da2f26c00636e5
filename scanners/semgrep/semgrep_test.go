package semgrep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// These tests run the real semgrep (installed by scripts/install-tools.sh)
// with secgate's bundled rules; they are skipped where semgrep is missing and
// fail in CI.

// realScanner returns the adapter with the real semgrep.
func realScanner(t *testing.T) *Scanner {
	t.Helper()
	bin := testenv.Semgrep(t)
	s := New()
	s.LookPath = func(string) (string, error) { return bin, nil }
	return s
}

// demoCopy copies the demo app into a directory of its own, so that what
// semgrep sees does not depend on the checkout's git state.
func demoCopy(t *testing.T) string {
	t.Helper()
	src := filepath.Join(testenv.RepoRoot(t), "examples", "demo-app")
	dst := filepath.Join(t.TempDir(), "demo")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func runReal(t *testing.T, s *Scanner, target string, settings config.Scanner) (*scanners.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var log bytes.Buffer
	return s.Run(ctx, scanners.Request{
		Root: target, Target: target, Settings: settings, Log: &log, OutDir: t.TempDir(),
	})
}

func TestRunRealSemgrepOnDemo(t *testing.T) {
	s := realScanner(t)
	target := demoCopy(t)
	rules := filepath.Join(testenv.RepoRoot(t), "rules", "semgrep")

	res, err := runReal(t, s, target, config.Scanner{Name: "semgrep", Config: []string{rules}})
	if err != nil {
		t.Fatalf("run: %v", err)
	}

	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Rule.ID+" "+f.Location.Path+":"+strconv.Itoa(f.Location.StartLine)+
			" "+f.Severity.String())
	}
	sort.Strings(got)
	want := []string{
		"secgate.python.sql-injection app/users.py:17 high",
		"secgate.python.weak-hash app/invoices.py:10 medium",
		"secgate.python.weak-password-hash app/users.py:22 high",
		"secgate.python.weak-password-hash app/users.py:31 high",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\ngot  %q\nwant %q", got, want)
	}
	if res.BaseDir != target {
		t.Errorf("base dir: got %q, want the target %q", res.BaseDir, target)
	}
	if res.Stats.FilesScanned != 3 {
		t.Errorf("files scanned: got %d, want the demo's 3 Python files", res.Stats.FilesScanned)
	}
	if !strings.HasPrefix(res.Tool.Version, "1.") {
		t.Errorf("version: got %q, want semgrep's", res.Tool.Version)
	}
}

// Semgrep exits 1 with --error when it found something: findings, not a
// failure.
func TestRunRealSemgrepErrorFlag(t *testing.T) {
	s := realScanner(t)
	target := demoCopy(t)
	rules := filepath.Join(testenv.RepoRoot(t), "rules", "semgrep", "python-sql-injection.yaml")

	res, err := runReal(t, s, target, config.Scanner{Name: "semgrep", Config: []string{rules},
		Args: []string{"--error"}})
	if err != nil {
		t.Fatalf("exit 1 with findings must not be an error: %v", err)
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings: got %d, want the one SQL injection", len(res.Findings))
	}
}

// A rule file semgrep cannot load makes it exit 7 (or another code of 2 and
// more): the scan failed, and the error says why in semgrep's own words.
func TestRunRealSemgrepBadRules(t *testing.T) {
	s := realScanner(t)
	target := demoCopy(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("rules:\n  - id: broken\n    pattern: (\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	res, err := runReal(t, s, target, config.Scanner{Name: "semgrep", Config: []string{bad}})
	if err == nil {
		t.Fatalf("no error for a broken rule file; got %d findings", len(res.Findings))
	}
	if !strings.Contains(err.Error(), "semgrep exited") {
		t.Errorf("error %q: want it to say how semgrep exited", err)
	}
}

func TestRunMissingRules(t *testing.T) {
	s := New()
	s.LookPath = func(string) (string, error) { return "/bin/false", nil }
	_, err := s.Run(context.Background(), scanners.Request{
		Target:   t.TempDir(),
		Settings: config.Scanner{Name: "semgrep", Config: []string{"no/such/rules"}},
	})
	if err == nil || !strings.Contains(err.Error(), "no/such/rules") {
		t.Errorf("error: got %v, want one naming the missing rule path", err)
	}
}

func TestDetectReal(t *testing.T) {
	s := realScanner(t)
	d := s.Detect(context.Background(), config.Scanner{})
	if !d.Installed || !strings.HasPrefix(d.Version, "1.") {
		t.Errorf("detect: got %+v, want installed with a 1.x version", d)
	}
}

func TestDetectMissing(t *testing.T) {
	s := New()
	s.LookPath = func(string) (string, error) { return "", os.ErrNotExist }
	d := s.Detect(context.Background(), config.Scanner{})
	if d.Installed || !strings.Contains(d.Hint, "pip install semgrep") {
		t.Errorf("detect: got %+v, want not installed with an install hint", d)
	}
}

// readRun decides on exit codes and output alone; these cases need no
// semgrep, only what a finished process left behind.
func TestReadRun(t *testing.T) {
	tests := []struct {
		name    string
		res     toolexec.Result
		wantErr string
	}{
		{"clean", toolexec.Result{Stdout: []byte(`{"results":[],"errors":[],"paths":{"scanned":["a.py"]}}`)}, ""},
		{"exit 2 with errors", toolexec.Result{ExitCode: 2,
			Stdout: []byte(`{"results":[],"errors":[{"type":"Fatal","message":"out of memory"}]}`)},
			"semgrep exited 2: Fatal: out of memory"},
		{"exit 7 no output", toolexec.Result{ExitCode: 7, StderrTail: "invalid config"},
			"semgrep exited 7 (stderr: invalid config)"},
		{"exit 0 no output", toolexec.Result{}, "without writing a report"},
		{"garbage", toolexec.Result{Stdout: []byte("Traceback (most recent call last)")},
			"expected a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readRun(&tt.res, "/src", nil)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error: got %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestStripPrefix(t *testing.T) {
	rs := ruleSet{dirs: []string{"/work/main/rules/semgrep", "/work/main/rules/semgrep/python"}}
	prefixes := rs.prefixes("/work/main/examples/demo-app")
	tests := []struct{ id, want string }{
		{"work.main.rules.semgrep.secgate.python.sql-injection", "secgate.python.sql-injection"},
		{"work.main.rules.semgrep.python.x", "x"},
		{"secgate.python.sql-injection", "secgate.python.sql-injection"},
		// Never strip the whole id.
		{"work.main.rules.semgrep.", "work.main.rules.semgrep."},
	}
	for _, tt := range tests {
		if got := stripPrefix(tt.id, prefixes); got != tt.want {
			t.Errorf("stripPrefix(%q): got %q, want %q", tt.id, got, tt.want)
		}
	}
}
