package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// actionEnv is a simulated GitHub Actions step: the runner's variables, a
// pull_request payload in GitHub's shape, and temporary files for the job
// summary and the step outputs.
type actionEnv struct {
	vars             []string
	summary, outputs string
}

func newActionEnv(t *testing.T, extra ...string) actionEnv {
	t.Helper()
	dir := t.TempDir()
	a := actionEnv{summary: filepath.Join(dir, "summary.md"), outputs: filepath.Join(dir, "output")}
	payload := filepath.Join(dir, "event.json")
	event := `{"action": "synchronize", "number": 7, "pull_request": {"number": 7,
	  "head": {"ref": "feature", "sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
	           "repo": {"full_name": "acme/app", "fork": false}},
	  "base": {"ref": "main", "sha": "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
	           "repo": {"full_name": "acme/app", "fork": false}}},
	  "repository": {"full_name": "acme/app", "default_branch": "main"},
	  "sender": {"login": "alice", "type": "User"}}`
	if err := os.WriteFile(payload, []byte(event), 0o644); err != nil {
		t.Fatal(err)
	}
	a.vars = append([]string{"GITHUB_ACTIONS=true", "CI=true", "GITHUB_EVENT_NAME=pull_request",
		"GITHUB_EVENT_PATH=" + payload, "GITHUB_REPOSITORY=acme/app",
		"GITHUB_SERVER_URL=https://github.com", "GITHUB_API_URL=https://api.github.com",
		"GITHUB_RUN_ID=99", "GITHUB_SHA=1111111111111111111111111111111111111111",
		"GITHUB_REF=refs/pull/7/merge", "GITHUB_BASE_REF=main", "GITHUB_HEAD_REF=feature",
		"GITHUB_ACTOR=alice", "GITHUB_STEP_SUMMARY=" + a.summary, "GITHUB_OUTPUT=" + a.outputs,
		"RUNNER_TEMP=" + dir, "GITHUB_ACTION_PATH=" + testenv.RepoRoot(t), "NO_COLOR=1"},
		extra...)
	return a
}

// runScript runs one of the action's scripts the way the composite step does.
func (a actionEnv) runScript(t *testing.T, dir, script string,
	env ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(testenv.RepoRoot(t), "action", script))
	cmd.Dir = dir
	cmd.Env = append(append(append(os.Environ(), gittestEnv()...), a.vars...), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), stdout.String(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}

func TestActionRunScript(t *testing.T) {
	clearCIEnv()
	c := featureClone(t, "--depth=1")
	c.Write(map[string]string{"secgate.yaml": strings.Replace(sqliConfig, "config: [rules]",
		"config: [rules]\n    env: [ACME_SCANNER_TOKEN]", 1)})
	a := newActionEnv(t)
	junit := filepath.Join(t.TempDir(), "junit.xml")

	code, stdout, stderr := a.runScript(t, c.Dir, "run.sh",
		"SECGATE_BIN="+secgateBin, "INPUT_CONFIG=secgate.yaml",
		"INPUT_ARGS=--new-only --junit "+junit, "INPUT_PUBLISH=false",
		"ACME_SCANNER_TOKEN=tok-0123456789abcdef",
		"PATH="+semgrepDir(t)+string(os.PathListSeparator)+os.Getenv("PATH"))
	if code != 1 {
		t.Fatalf("exit %d, want 1 (blocked)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// The base came from the event payload; the shallow clone was deepened.
	for _, want := range []string{"merge base", "of main", "deepened", "1 new, 1 unchanged"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 || lines[0] != "::add-mask::tok-0123456789abcdef" ||
		!strings.HasPrefix(lines[1], "::error file=app.py,line=6,") {
		t.Errorf("workflow commands on stdout:\n%s", stdout)
	}

	outputs, _ := os.ReadFile(a.outputs)
	re := regexp.MustCompile(`(?m)^verdict=blocked\ncounts=(\{.*\})\nblocking=1\nsarif=(.+)\n`)
	m := re.FindStringSubmatch(string(outputs))
	if m == nil {
		t.Fatalf("step outputs:\n%s", outputs)
	}
	var counts map[string]int
	if err := json.Unmarshal([]byte(m[1]), &counts); err != nil || counts["new"] != 1 ||
		counts["high"] != 2 || counts["blocking"] != 1 {
		t.Errorf("counts output: %s (%v)", m[1], err)
	}
	if _, err := os.Stat(m[2]); err != nil || !strings.HasSuffix(m[2], "secgate.sarif") {
		t.Errorf("sarif output %q: %v", m[2], err)
	}

	summary, _ := os.ReadFile(a.summary)
	for _, want := range []string{"app.py", "https://github.com/acme/app/actions/runs/99"} {
		if !strings.Contains(string(summary), want) {
			t.Errorf("job summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Count(string(summary)+stdout+stderr, "0123456789abcdef") != 1 {
		t.Errorf("the token's value appears outside its mask command")
	}
	if _, err := os.Stat(junit); err != nil {
		t.Errorf("no JUnit report: %v", err)
	}
}

func TestActionRunScriptMissingBinary(t *testing.T) {
	a := newActionEnv(t)
	code, stdout, _ := a.runScript(t, t.TempDir(), "run.sh")
	if code != 2 || !strings.Contains(stdout, "::error title=secgate::SECGATE_BIN is not set") {
		t.Errorf("exit %d, want 2 with an error annotation:\n%s", code, stdout)
	}
}

func TestActionInstallChecksum(t *testing.T) {
	// A release archive served from a directory stands in for the release
	// page; what is checked is the pinning, not the download.
	rel := t.TempDir()
	bin := filepath.Join(t.TempDir(), "secgate")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho released\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	arch := map[string]string{"x86_64": "amd64", "aarch64": "arm64"}
	m, _ := exec.Command("uname", "-m").Output()
	name := "secgate_1.2.3_linux_" + arch[strings.TrimSpace(string(m))] + ".tar.gz"
	if err := os.MkdirAll(filepath.Join(rel, "v1.2.3"), 0o755); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(rel, "v1.2.3", name)
	tar := exec.Command("tar", "-czf", archive, "-C", filepath.Dir(bin), "secgate")
	if out, err := tar.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, out)
	}
	data, _ := os.ReadFile(archive)
	sum := sha256.Sum256(data)
	good := hex.EncodeToString(sum[:])

	tests := []struct {
		name, checksum string
		wantCode       int
		want           string
	}{
		{"matching checksum", good, 0, "/secgate-bin/secgate"},
		{"other checksum", strings.Repeat("ab", 32), 2, "refusing to run it"},
		{"no checksum", "", 2, "needs the checksum input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newActionEnv(t)
			code, stdout, stderr := a.runScript(t, t.TempDir(), "install.sh",
				"INPUT_VERSION=v1.2.3", "INPUT_CHECKSUM="+tt.checksum,
				"SECGATE_RELEASE_BASE_URL=file://"+rel)
			if code != tt.wantCode || !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("exit %d, want %d and %q\nstdout: %s\nstderr: %s", code, tt.wantCode,
					tt.want, stdout, stderr)
			}
		})
	}
}

// gittestEnv isolates git from the machine's config, as the fixtures are.
func gittestEnv() []string {
	return []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0"}
}
