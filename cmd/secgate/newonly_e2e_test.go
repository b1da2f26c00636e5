package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/git/gittest"
	"github.com/secgate/secgate/pkg/testenv"
)

// These tests drive new-only gating, the baseline, the pre-push hook and
// shards with real git repositories, real commits, a local bare remote and
// the real semgrep with the bundled SQL injection rule.

// sqliConfig gates on the bundled SQL injection rule only.
const sqliConfig = `scanners:
  semgrep:
    config: [rules]
hook:
  scanners: [semgrep]
`

// oldSQLi and newSQLi are two findings of the rule, in two functions.
const (
	oldSQLi = "def old(name):\n    cur.execute(\"SELECT * FROM t WHERE n = %s\" % name)\n"
	newSQLi = "def new(name):\n    cur.execute(\"DELETE FROM t WHERE n = %s\" % name)\n"
	pyHead  = "import sqlite3\ncur = None\n"
)

// clearCIEnv keeps the CI the tests themselves run in from reaching the
// secgate they start: it would write to the job's own summary and outputs.
func clearCIEnv() {
	for _, k := range []string{"GITHUB_ACTIONS", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY",
		"GITHUB_OUTPUT", "JENKINS_URL", "BUILD_URL", "CHANGE_ID", "CHANGE_TARGET"} {
		os.Unsetenv(k)
	}
}

// sqliRepo makes a repository whose main branch holds one finding, pushed
// to a bare remote; it returns the repository.
func sqliRepo(t *testing.T, config string) *gittest.Repo {
	t.Helper()
	gittest.Isolate(t)
	r := gittest.Init(t)
	rules, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "rules", "semgrep",
		"python-sql-injection.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r.Commit("base", map[string]string{"rules/sqli.yaml": string(rules),
		"secgate.yaml": config, "app.py": pyHead + oldSQLi, "lib/util.py": "X = 1\n"})
	r.Bare()
	r.Run("push", "-q", "origin", "main")
	r.Run("remote", "set-head", "origin", "main")
	return r
}

// push runs git push with the hook's PATH and returns its exit code and stderr.
func push(t *testing.T, r *gittest.Repo, path string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(r.Git, append([]string{"push"}, args...)...)
	cmd.Dir = r.Dir
	cmd.Env = append(gittest.Env(), "PATH="+path+string(os.PathListSeparator)+os.Getenv("PATH"),
		"NO_COLOR=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

func TestHookBlocksOnlyWhatThePushAdds(t *testing.T) {
	clearCIEnv()
	r := sqliRepo(t, sqliConfig)
	sg := semgrepDir(t)

	// An earlier hook stays and runs first.
	hooks := filepath.Join(r.Dir, ".git", "hooks")
	earlier := "#!/bin/sh\ncat > \"$(dirname \"$0\")/../earlier-ran\"\nexit 0\n"
	if err := os.WriteFile(filepath.Join(hooks, "pre-push"), []byte(earlier), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // twice: install is idempotent
		if res := secgate(t, r.Dir, nil, "hook", "install", "--command", secgateBin); res.code != 0 {
			t.Fatalf("install: %d %s", res.code, res.stderr)
		}
	}
	kept, _ := os.ReadFile(filepath.Join(hooks, "pre-push.secgate-chained"))
	if data := kept; string(data) != earlier {
		t.Fatalf("the earlier hook was not kept: %q", data)
	}

	tests := []struct {
		name     string
		setup    func()
		args     []string
		wantCode int
		want     []string
	}{
		{"unrelated change passes although main has a finding",
			func() { r.Commit("docs", map[string]string{"README.md": "hello\n"}) },
			[]string{"origin", "main"}, 0, []string{"0 new, 0 unchanged"}},
		{"an edit next to the old finding passes",
			func() { r.Commit("edit", map[string]string{"app.py": pyHead + "# note\n" + oldSQLi}) },
			[]string{"origin", "main"}, 0, []string{"1 unchanged"}},
		{"a new finding blocks",
			func() { r.Commit("sqli", map[string]string{"app.py": pyHead + oldSQLi + newSQLi}) },
			[]string{"origin", "main"}, 1, []string{"push blocked", "git push --no-verify",
				"app.py:6"}},
		{"the same finding on a new branch blocks (zero remote id)",
			func() { r.Run("checkout", "-q", "-b", "feature") },
			[]string{"origin", "feature"}, 1, []string{"new on origin", "push blocked"}},
		{"a new branch with nothing new passes",
			func() { r.Run("checkout", "-q", "-b", "copy", "origin/main") },
			[]string{"origin", "copy"}, 0, []string{"nothing new"}},
		{"a deletion passes",
			func() {},
			[]string{"origin", "--delete", "copy"}, 0, []string{"deletes a ref"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup()
			code, stderr := push(t, r, sg, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("push: exit %d, want %d\n%s", code, tt.wantCode, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(r.Dir, ".git", "earlier-ran")); err != nil {
		t.Errorf("the earlier hook did not run: %v", err)
	}

	if res := secgate(t, r.Dir, nil, "hook", "uninstall"); res.code != 0 {
		t.Fatalf("uninstall: %d %s", res.code, res.stderr)
	}
	if data, _ := os.ReadFile(filepath.Join(hooks, "pre-push")); string(data) != earlier {
		t.Errorf("uninstall did not restore the earlier hook: %q", data)
	}
	if res := secgate(t, r.Dir, nil, "hook", "uninstall"); res.code != 2 ||
		!strings.Contains(res.stderr, "not a hook secgate installed") {
		t.Errorf("uninstall of another hook: %d %s", res.code, res.stderr)
	}
}

func TestHookHonoursHooksPathAndBudget(t *testing.T) {
	clearCIEnv()
	cfg := sqliConfig + "  timeout: 1ms\n"
	r := sqliRepo(t, cfg)
	r.Run("config", "core.hooksPath", "githooks")
	if res := secgate(t, r.Dir, nil, "hook", "install", "--command", secgateBin); res.code != 0 {
		t.Fatalf("install: %d %s", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "githooks", "pre-push")); err != nil {
		t.Fatalf("hook not in core.hooksPath: %v", err)
	}

	r.Commit("sqli", map[string]string{"app.py": pyHead + oldSQLi + newSQLi})
	code, stderr := push(t, r, semgrepDir(t), "origin", "main")
	if code != 0 || !strings.Contains(stderr, "time budget (hook.timeout 1ms) ran out") {
		t.Errorf("push over budget: exit %d, want 0 with the budget named:\n%s", code, stderr)
	}
}

func TestHookScannerNotInstalled(t *testing.T) {
	clearCIEnv()
	tests := []struct {
		name     string
		extra    string
		wantCode int
		want     string
	}{
		{"reported, push goes on", "", 0, "optional scanner semgrep was skipped"},
		{"blocks when required", "  require_scanners: true\n", 1, "could not check the push"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sqliRepo(t, sqliConfig+tt.extra)
			if res := secgate(t, r.Dir, nil, "hook", "install", "--command", secgateBin); res.code != 0 {
				t.Fatalf("install: %s", res.stderr)
			}
			r.Commit("sqli", map[string]string{"app.py": pyHead + oldSQLi + newSQLi})
			code, stderr := pushNoSemgrep(t, r)
			if code != tt.wantCode || !strings.Contains(stderr, tt.want) {
				t.Errorf("push: exit %d, want %d and %q:\n%s", code, tt.wantCode, tt.want, stderr)
			}
		})
	}
}

// pushNoSemgrep pushes with a PATH that has git but no semgrep.
func pushNoSemgrep(t *testing.T, r *gittest.Repo) (int, string) {
	t.Helper()
	cmd := exec.Command(r.Git, "push", "origin", "main")
	cmd.Dir = r.Dir
	env := []string{"PATH=" + filepath.Dir(r.Git) + ":/usr/bin:/bin", "NO_COLOR=1"}
	for _, kv := range gittest.Env() {
		if !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// sarifStates reads the baselineState of every result of a SARIF file, as
// "path:line state".
func sarifStates(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				BaselineState string `json:"baselineState"`
				Kind          string `json:"kind"`
				Locations     []struct {
					Physical struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, run := range doc.Runs {
		for _, res := range run.Results {
			p := res.Locations[0].Physical
			s := p.Artifact.URI + ":" + itoa(p.Region.StartLine) + " " + res.BaselineState
			if res.Kind != "" {
				s += " " + res.Kind
			}
			out = append(out, s)
		}
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
