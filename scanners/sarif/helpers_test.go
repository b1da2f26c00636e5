package sarif

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// fixture returns the absolute path of one shared fixture.
func fixture(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(testenv.FixturesDir(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s: %v", rel, err)
	}
	return p
}

// readFixture returns the bytes of one shared fixture.
func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(fixture(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// script writes an executable shell script into dir and returns its path.
// The scripts stand in for a scanner: what is under test is how the adapter
// runs a command and reads what it wrote, not any real tool.
func script(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "tool.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeFile writes data to path, failing the test on error.
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
