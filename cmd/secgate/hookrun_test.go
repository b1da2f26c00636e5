package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHookRunUnderPreCommit runs the hook as pre-commit does: it has read
// git's stdin itself and passes the range in environment variables.
func TestHookRunUnderPreCommit(t *testing.T) {
	clearCIEnv()
	r := sqliRepo(t, sqliConfig)
	r.Run("checkout", "-q", "-b", "feature")
	r.Commit("sqli", map[string]string{"app.py": pyHead + oldSQLi + newSQLi})
	sg := []string{semgrepDir(t)}

	tests := []struct {
		name     string
		env      map[string]string
		wantCode int
		want     string
	}{
		{"existing branch range", map[string]string{"PRE_COMMIT_FROM_REF": "origin/main",
			"PRE_COMMIT_TO_REF": "HEAD", "PRE_COMMIT_REMOTE_NAME": "origin"}, 1, "push blocked"},
		{"new branch: no FROM", map[string]string{"PRE_COMMIT_TO_REF": "HEAD",
			"PRE_COMMIT_LOCAL_BRANCH": "refs/heads/feature"}, 1, "new on origin"},
		{"nothing new", map[string]string{"PRE_COMMIT_FROM_REF": "HEAD",
			"PRE_COMMIT_TO_REF": "origin/main"}, 0, ""},
		{"bad ref fails closed", map[string]string{"PRE_COMMIT_TO_REF": "no-such-ref"}, 2,
			"PRE_COMMIT_TO_REF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			res := secgate(t, r.Dir, sg, "hook", "run")
			if res.code != tt.wantCode || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, want %d and %q:\n%s", res.code, tt.wantCode, tt.want, res.stderr)
			}
		})
	}
}

func TestHookRunBadInput(t *testing.T) {
	clearCIEnv()
	r := sqliRepo(t, sqliConfig)
	cmd := secgateCmd(t, r.Dir, "hook", "run", "origin")
	cmd.Stdin = strings.NewReader("refs/heads/main not-a-sha refs/heads/main 00\n")
	out, err := cmd.CombinedOutput()
	if code := exitCodeOf(err); code != 2 || !strings.Contains(string(out), "pre-push input line 1") {
		t.Errorf("exit %d, want 2 naming the line:\n%s", code, out)
	}
}

func TestHookInstallNeverClobbers(t *testing.T) {
	clearCIEnv()
	r := sqliRepo(t, sqliConfig)
	hooks := filepath.Join(r.Dir, ".git", "hooks")
	for _, name := range []string{"pre-push", "pre-push.secgate-chained"} {
		if err := os.WriteFile(filepath.Join(hooks, name), []byte("#!/bin/sh\n# "+name+"\n"),
			0o755); err != nil {
			t.Fatal(err)
		}
	}
	res := secgate(t, r.Dir, nil, "hook", "install", "--command", secgateBin)
	if res.code != 2 || !strings.Contains(res.stderr, "will not overwrite either") {
		t.Errorf("install over two hooks: exit %d\n%s", res.code, res.stderr)
	}
	for _, name := range []string{"pre-push", "pre-push.secgate-chained"} {
		data, _ := os.ReadFile(filepath.Join(hooks, name))
		if string(data) != "#!/bin/sh\n# "+name+"\n" {
			t.Errorf("%s changed: %q", name, data)
		}
	}
}

func TestShardSlices(t *testing.T) {
	var paths []string
	for i := 0; i < 500; i++ {
		paths = append(paths, filepath.ToSlash(filepath.Join("dir"+itoa(i%7), "f"+itoa(i)+".go")))
	}
	const n = 4
	counts := make([]int, n)
	for _, p := range paths {
		owners := 0
		for i := 1; i <= n; i++ {
			if (shard{I: i, N: n}).holds(p) {
				owners++
				counts[i-1]++
			}
		}
		if owners != 1 {
			t.Fatalf("%s is in %d shards, want exactly 1", p, owners)
		}
	}
	for i, c := range counts {
		if c < 500/n/2 {
			t.Errorf("shard %d holds %d of 500 paths: the slices are badly uneven %v", i+1, c, counts)
		}
	}

	for _, bad := range []string{"0/3", "4/3", "1/0", "a/b", "2", ""} {
		if _, err := parseShard(bad); err == nil {
			t.Errorf("parseShard(%q): no error", bad)
		}
	}
	if s, err := parseShard("2/3"); err != nil || s != (shard{I: 2, N: 3}) {
		t.Errorf("parseShard(2/3): %v, %v", s, err)
	}
}

// secgateCmd is the secgate binary as an exec.Cmd, for tests that feed stdin.
func secgateCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(secgateBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

func exitCodeOf(err error) int {
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
