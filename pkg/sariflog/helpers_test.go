package sariflog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixturesDir finds the shared fixtures: $SECGATE_FIXTURES, else
// ../shared/fixtures beside the repository root (the directory with go.mod).
func fixturesDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("SECGATE_FIXTURES"); dir != "" {
		return dir
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "fixtures")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the test directory; set SECGATE_FIXTURES")
		}
		dir = parent
	}
}

// readFixture reads one fixture with Read, failing the test on error.
func readFixture(t *testing.T, rel string) []Run {
	t.Helper()
	path := filepath.Join(fixturesDir(t), filepath.FromSlash(rel))
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open fixture: %v", err)
	}
	defer f.Close()
	runs, err := Read(f, rel)
	if err != nil {
		t.Fatalf("Read(%s): %v", rel, err)
	}
	return runs
}

// readString reads a SARIF log held in a string.
func readString(t *testing.T, doc string) []Run {
	t.Helper()
	runs, err := Read(strings.NewReader(doc), "test.sarif")
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return runs
}

// oneRun wraps results and rules into a log with one run of tool "demo".
func oneRun(rules, results string) string {
	return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Demo","rules":[` + rules +
		`]}},"results":[` + results + `]}]}`
}
