package sariflog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// readFixture reads one fixture with Read, failing the test on error.
func readFixture(t *testing.T, rel string) []Run {
	t.Helper()
	path := filepath.Join(testenv.FixturesDir(t), filepath.FromSlash(rel))
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
