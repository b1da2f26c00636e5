package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/lock"
)

const lockConfig = `fail_on: high
scanners:
  plugin:
    type: command
    format: sarif
    required: false
    command: [tools/scan.sh]
`

const emptyScan = `#!/bin/sh
echo '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"plugin"}},"results":[]}]}'
`

// lockRepo is a git repository whose config runs tools/scan.sh, an
// executable scanner that finds nothing; it returns the repository and the
// script's path.
func lockRepo(t *testing.T) (repo, script string) {
	t.Helper()
	repo = t.TempDir()
	git(t, repo, "init", "-q", "-b", "main")
	if err := os.MkdirAll(filepath.Join(repo, "tools"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(repo, "secgate.yaml"), lockConfig)
	script = filepath.Join(repo, "tools", "scan.sh")
	writeFile(t, script, emptyScan)
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	return repo, script
}

// TestLockPinsScannerBinaries: secgate lock records the scanner's program;
// scan runs it while it is unchanged, refuses it with exit 2 once it is
// replaced (even though the scanner is not required), and runs it again,
// with a warning, under --allow-unpinned.
func TestLockPinsScannerBinaries(t *testing.T) {
	repo, script := lockRepo(t)

	res := secgate(t, repo, nil, "lock")
	if res.code != 0 || !strings.Contains(res.stderr, "plugin: pinned") {
		t.Fatalf("lock: exit %d\n%s", res.code, res.stderr)
	}
	f, err := lock.Read(filepath.Join(repo, "secgate.lock"))
	if err != nil {
		t.Fatal(err)
	}
	pinned, _ := f.Find("plugin")
	if want, _ := lock.Sum(script); pinned.SHA256 != want {
		t.Fatalf("lock entry %+v, want sha256 %s", pinned, want)
	}

	if res := secgate(t, repo, nil, "scan"); res.code != 0 {
		t.Errorf("scan with the pinned binary: exit %d, want 0\n%s", res.code, res.stderr)
	}

	writeFile(t, script, emptyScan+"# replaced by someone else\n")
	found, _ := lock.Sum(script)
	res = secgate(t, repo, nil, "scan")
	for _, want := range []string{"scanner plugin", "expects " + pinned.SHA256, "sha256 " + found} {
		if res.code != 2 || !strings.Contains(res.stderr, want) {
			t.Errorf("scan with a replaced binary: exit %d, want 2 with %q\n%s",
				res.code, want, res.stderr)
		}
	}

	res = secgate(t, repo, nil, "scan", "--allow-unpinned")
	if res.code != 0 || !strings.Contains(res.stderr, "warning: scanner binary is not the pinned") {
		t.Errorf("--allow-unpinned: exit %d, want 0 with a warning\n%s", res.code, res.stderr)
	}

	res = secgate(t, repo, nil, "scan", "--lock", "missing.lock")
	if res.code != 2 || !strings.Contains(res.stderr, "missing.lock") {
		t.Errorf("--lock naming no file: exit %d, want 2\n%s", res.code, res.stderr)
	}
}

// TestTrustedLock: a change that replaces a scanner script and re-pins it in
// the same change passes on its own lock, and is refused when the lock, like
// the config, comes from the base branch (--trusted-config).
func TestTrustedLock(t *testing.T) {
	repo, script := lockRepo(t)
	if res := secgate(t, repo, nil, "lock"); res.code != 0 {
		t.Fatalf("lock: exit %d\n%s", res.code, res.stderr)
	}
	git(t, repo, "add", ".")
	git(t, repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")

	git(t, repo, "checkout", "-q", "-b", "feature")
	writeFile(t, script, emptyScan+"# replaced in the change\n")
	if res := secgate(t, repo, nil, "lock"); res.code != 0 {
		t.Fatalf("re-lock: exit %d\n%s", res.code, res.stderr)
	}

	if res := secgate(t, repo, nil, "scan"); res.code != 0 {
		t.Errorf("scan on the change's own lock: exit %d, want 0\n%s", res.code, res.stderr)
	}
	res := secgate(t, repo, nil, "scan", "--trusted-config", "main")
	if res.code != 2 || !strings.Contains(res.stderr, "scanner plugin runs") {
		t.Errorf("scan on the base's lock: exit %d, want 2\n%s", res.code, res.stderr)
	}
}
