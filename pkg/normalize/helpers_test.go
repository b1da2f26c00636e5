package normalize

import (
	"os"
	"path/filepath"
	"testing"
)

// fixturesDir finds the shared fixtures: $SECGATE_FIXTURES, else ../shared/fixtures
// next to the directory holding go.mod.
func fixturesDir(t testing.TB) string {
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

// writeFile writes content to root/rel, creating directories.
func writeFile(t testing.TB, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatalf("mkdir for %s: %v", rel, err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatalf("write %s: %v", rel, err)
	}
}

// realTempDir is t.TempDir with symlinks resolved, so that tests compare the
// paths the resolver computes without a symlinked TMPDIR in the way.
func realTempDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatalf("resolve temp dir: %v", err)
	}
	return dir
}
