// Package testenv finds what secgate's tests need from the machine they run
// on: the shared scanner fixtures and the real tools (semgrep, the SARIF
// Multitool). A missing tool skips the test on a developer's machine and fails
// it in CI (CI=true), where .ci/run installs every tool, so that a green CI run
// always means the real tool ran.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod above the test's directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the test directory")
		}
		dir = parent
	}
}

// FixturesDir returns $SECGATE_FIXTURES, else ../shared/fixtures beside the
// repository root.
func FixturesDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("SECGATE_FIXTURES"); dir != "" {
		return dir
	}
	return filepath.Join(RepoRoot(t), "..", "shared", "fixtures")
}

// Fixture returns the path of one shared fixture, given with slashes
// ("semgrep/json/defectdojo-v1.30.0.json"), failing when it is missing.
func Fixture(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(FixturesDir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return p
}

// Tool finds a real tool: the path in the environment variable env when it
// is set, else name on PATH, else the copy .ci/run installs under .tools/.
func Tool(t testing.TB, name, env string, installed ...string) string {
	t.Helper()
	if env != "" {
		if p := os.Getenv(env); p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, rel := range installed {
		p := filepath.Join(RepoRoot(t), filepath.FromSlash(rel))
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required in CI and was not found: run scripts/install-tools.sh", name)
	}
	t.Skipf("%s not found: run scripts/install-tools.sh (or make tools) to test with it", name)
	return ""
}

// Semgrep returns the real semgrep binary.
func Semgrep(t testing.TB) string {
	t.Helper()
	return Tool(t, "semgrep", "SECGATE_SEMGREP", ".tools/venv/bin/semgrep")
}
