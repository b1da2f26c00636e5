package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/testenv"
)

// These tests build the secgate binary once and run it as a user would, in a
// real git repository made from a copy of the demo app, with the real semgrep
// and the real SARIF Multitool (both installed by scripts/install-tools.sh).

// secgateBin is the binary TestMain builds.
var secgateBin string

func TestMain(m *testing.M) {
	clearCIEnv()
	dir, err := os.MkdirTemp("", "secgate-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	secgateBin = filepath.Join(dir, "secgate")
	build := exec.Command("go", "build", "-trimpath", "-o", secgateBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build secgate:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary left.
type result struct {
	code           int
	stdout, stderr string
}

// secgate runs the binary in dir with the given PATH directories first.
func secgate(t *testing.T, dir string, path []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	cmd := exec.CommandContext(ctx, secgateBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PATH="+strings.Join(append(path, "/usr/local/bin:/usr/bin:/bin"), string(os.PathListSeparator)),
		"NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()

	var exit *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run secgate: %v", err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// demoRepo lays out a git repository with the demo app, its config and the
// bundled rules, as in this repository, and commits it.
func demoRepo(t *testing.T) string {
	t.Helper()
	root := testenv.RepoRoot(t)
	repo := t.TempDir()
	for _, dir := range []string{"examples/demo-app", "rules/semgrep"} {
		dst := filepath.Join(repo, filepath.FromSlash(dir))
		if err := os.CopyFS(dst, os.DirFS(filepath.Join(root, filepath.FromSlash(dir)))); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, filepath.Join(root, "examples", "secgate.yaml"),
		filepath.Join(repo, "examples", "secgate.yaml"))

	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	git(t, repo, "-c", "user.name=Demo", "-c", "user.email=demo@example.com",
		"commit", "-q", "-m", "demo")
	return repo
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	Verdict  string         `json:"verdict"`
	Reasons  []string       `json:"reasons"`
	Counts   map[string]int `json:"counts"`
	Scanners []struct {
		Name, State string
	} `json:"scanners"`
	Findings []struct {
		Tool     string `json:"tool"`
		Severity string `json:"severity"`
		Outcome  string `json:"outcome"`
		Rule     struct {
			ID string `json:"id"`
		} `json:"rule"`
		Location struct {
			Path      string `json:"path"`
			StartLine int    `json:"start_line"`
		} `json:"location"`
		Fingerprint string `json:"fingerprint"`
	} `json:"findings"`
}

func readJSONReport(t *testing.T, path string) jsonReport {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the JSON report: %v", err)
	}
	var rep jsonReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("decode the JSON report: %v", err)
	}
	return rep
}

// findingLines lists findings as "tool rule path:line severity outcome", sorted.
func findingLines(rep jsonReport) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("%s %s %s:%d %s %s", f.Tool, f.Rule.ID,
			f.Location.Path, f.Location.StartLine, f.Severity, f.Outcome))
	}
	sort.Strings(out)
	return out
}

// semgrepDir is the directory holding the real semgrep, for PATH.
func semgrepDir(t *testing.T) string {
	t.Helper()
	return filepath.Dir(testenv.Semgrep(t))
}

func TestScanDemoBlocksWithRealSemgrep(t *testing.T) {
	repo := demoRepo(t)
	res := secgate(t, repo, []string{semgrepDir(t)}, "scan", "--config", "examples/secgate.yaml",
		"--sarif", "out/secgate.sarif", "--json", "out/secgate.json")

	if res.code != 1 {
		t.Fatalf("exit code: got %d, want 1 (blocked)\nstderr:\n%s", res.code, res.stderr)
	}
	if res.stdout != "" {
		t.Errorf("stdout: got %q, want nothing: no report was asked for on stdout", res.stdout)
	}
	if !strings.Contains(res.stderr, "BLOCKED") {
		t.Errorf("stderr has no verdict line:\n%s", res.stderr)
	}

	rep := readJSONReport(t, filepath.Join(repo, "out", "secgate.json"))
	want := []string{
		"sbom license-denied examples/demo-app/web/package-lock.json:0 high fail",
		"semgrep secgate.python.sql-injection examples/demo-app/app/users.py:17 high fail",
		"semgrep secgate.python.weak-hash examples/demo-app/app/invoices.py:10 medium warn",
		"semgrep secgate.python.weak-password-hash examples/demo-app/app/users.py:22 high fail",
		"semgrep secgate.python.weak-password-hash examples/demo-app/app/users.py:31 high fail",
	}
	if got := findingLines(rep); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\ngot  %q\nwant %q", got, want)
	}
	if rep.Verdict != "blocked" {
		t.Errorf("verdict: got %q, want blocked", rep.Verdict)
	}

	errs := testenv.ValidateSARIF(t, filepath.Join(repo, "out", "secgate.sarif"))
	if len(errs) > 0 {
		t.Errorf("the SARIF Multitool (rules Gh;Sarif) reports %d errors:\n%s",
			len(errs), strings.Join(errs, "\n"))
	}
	compareGolden(t, filepath.Join(repo, "out", "secgate.sarif"), "demo.sarif.golden")
}

// Where only Go is installed, the demo still gates: semgrep is optional in
// the example config, so it is skipped with a hint and the SBOM finding blocks.
func TestScanDemoWithoutSemgrep(t *testing.T) {
	repo := demoRepo(t)
	res := secgate(t, repo, nil, "scan", "--config", "examples/secgate.yaml",
		"--json", "out/secgate.json")

	if res.code != 1 {
		t.Fatalf("exit code: got %d, want 1\nstderr:\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "semgrep: skipped") ||
		!strings.Contains(res.stderr, "pip install semgrep") {
		t.Errorf("stderr does not say semgrep was skipped and how to install it:\n%s", res.stderr)
	}
	rep := readJSONReport(t, filepath.Join(repo, "out", "secgate.json"))
	want := []string{"sbom license-denied examples/demo-app/web/package-lock.json:0 high fail"}
	if got := findingLines(rep); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings: got %q, want %q", got, want)
	}
}

// A required scanner that cannot run leaves the gate unable to decide: exit 2,
// never a pass, even though the other scanner found something to block on.
func TestScanRequiredScannerMissing(t *testing.T) {
	repo := demoRepo(t)
	cfg := strings.Replace(readFile(t, filepath.Join(repo, "examples", "secgate.yaml")),
		"required: false", "required: true", 1)
	writeFile(t, filepath.Join(repo, "required.yaml"), cfg)

	res := secgate(t, repo, nil, "scan", "--config", "required.yaml")
	if res.code != 2 {
		t.Fatalf("exit code: got %d, want 2 (could not decide)\nstderr:\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "semgrep") {
		t.Errorf("stderr does not name the scanner that failed:\n%s", res.stderr)
	}
}

func TestScanBadConfig(t *testing.T) {
	repo := demoRepo(t)
	writeFile(t, filepath.Join(repo, "bad.yaml"),
		"fail_on: hihg\nscanners:\n  sbom: {}\nsupressions: []\n")

	res := secgate(t, repo, nil, "scan", "--config", "bad.yaml")
	if res.code != 2 {
		t.Fatalf("exit code: got %d, want 2", res.code)
	}
	for _, want := range []string{"bad.yaml:1:", "hihg", "bad.yaml:4:", "supressions"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
}

// With "-" a report goes to stdout, and nothing else does.
func TestScanReportOnStdout(t *testing.T) {
	repo := demoRepo(t)
	res := secgate(t, repo, nil, "scan", "--config", "examples/secgate.yaml", "--only", "sbom",
		"--json", "-")
	if res.code != 1 {
		t.Fatalf("exit code: got %d, want 1\nstderr:\n%s", res.code, res.stderr)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report alone: %v\n%s", err, res.stdout)
	}
	if len(rep.Findings) != 1 || len(rep.Scanners) != 1 {
		t.Errorf("report: got %d findings from %d scanners, want 1 from sbom alone",
			len(rep.Findings), len(rep.Scanners))
	}
}

// evaluate gates SARIF that a scan wrote earlier, with the same decision.
func TestEvaluateScanOutput(t *testing.T) {
	repo := demoRepo(t)
	scan := secgate(t, repo, []string{semgrepDir(t)}, "scan", "--config", "examples/secgate.yaml",
		"--sarif", "out/scan.sarif")
	if scan.code != 1 {
		t.Fatalf("scan exit code: got %d, want 1\n%s", scan.code, scan.stderr)
	}

	res := secgate(t, repo, nil, "evaluate", "--config", "examples/secgate.yaml",
		"--json", "out/evaluate.json", "out/scan.sarif")
	if res.code != 1 {
		t.Fatalf("evaluate exit code: got %d, want 1\nstderr:\n%s", res.code, res.stderr)
	}
	rep := readJSONReport(t, filepath.Join(repo, "out", "evaluate.json"))
	if got := len(rep.Findings); got != 5 {
		t.Errorf("findings: got %d, want the scan's 5", got)
	}
	if rep.Counts["high"] != 4 || rep.Counts["medium"] != 1 {
		t.Errorf("counts: got %v, want 4 high and 1 medium as the scan found", rep.Counts)
	}
}

func TestEvaluateBadInput(t *testing.T) {
	repo := demoRepo(t)
	inputs := map[string]string{
		"empty.sarif":     "",
		"truncated.sarif": `{"version":"2.1.0","runs":[{"tool":`,
		"v1.sarif":        `{"version":"1.0.0","runs":[]}`,
		"latin1.sarif":    "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"caf\xe9\"}}}]}",
	}
	for name, content := range inputs {
		t.Run(name, func(t *testing.T) {
			writeFile(t, filepath.Join(repo, name), content)
			res := secgate(t, repo, nil, "evaluate", "--config", "examples/secgate.yaml", name)
			if res.code != 2 {
				t.Errorf("exit code: got %d, want 2\nstderr:\n%s", res.code, res.stderr)
			}
			if !strings.Contains(res.stderr, name) {
				t.Errorf("stderr does not name %s:\n%s", name, res.stderr)
			}
		})
	}
}

// convert prints normalized SARIF for a report written earlier; the
// Multitool must accept it too.
func TestConvertSemgrepJSON(t *testing.T) {
	repo := demoRepo(t)
	src := testenv.Fixture(t, "semgrep/json/securecodebox-vulnerable-flask-app.json")
	res := secgate(t, repo, nil, "convert", "--from", "semgrep-json", src)
	if res.code != 0 {
		t.Fatalf("exit code: got %d, want 0\nstderr:\n%s", res.code, res.stderr)
	}
	out := filepath.Join(repo, "converted.sarif")
	writeFile(t, out, res.stdout)

	var log struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("stdout is not one-run SARIF (%v):\n%.500s", err, res.stdout)
	}
	if got := len(log.Runs[0].Results); got != 9 {
		t.Errorf("results: got %d, want the report's 9", got)
	}
	if errs := testenv.ValidateSARIF(t, out); len(errs) > 0 {
		t.Errorf("Multitool errors:\n%s", strings.Join(errs, "\n"))
	}
}

func TestConvertUnknownFormat(t *testing.T) {
	res := secgate(t, t.TempDir(), nil, "convert", "--from", "nessus", "x.nessus")
	if res.code != 2 || !strings.Contains(res.stderr, "semgrep-json") {
		t.Errorf("got exit %d, stderr %q; want 2 and the list of known formats", res.code, res.stderr)
	}
}

func TestVersion(t *testing.T) {
	res := secgate(t, t.TempDir(), nil, "version")
	if res.code != 0 || !strings.HasPrefix(res.stdout, "secgate ") ||
		!strings.Contains(res.stdout, runtime.GOOS) {
		t.Errorf("version: exit %d, stdout %q", res.code, res.stdout)
	}
}

func TestBadFlagIsUndecided(t *testing.T) {
	res := secgate(t, t.TempDir(), nil, "scan", "--no-such-flag")
	if res.code != 2 {
		t.Errorf("exit code: got %d, want 2 for a bad flag", res.code)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
