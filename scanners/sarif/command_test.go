package sarif

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/scanners"
)

// These tests run the adapter as secgate does, with the real process runner,
// on /bin/sh scripts that stand in for a scanner and print or write a real
// SARIF fixture.

// toolPath stands for the stand-in tool's path in expected messages.
const toolPath = "{tool}"

const (
	gosecFixture   = "gosec/sarif/gh-app-auth-dev.sarif"             // 7 findings
	checkovFixture = "checkov/sarif/sast-tool-testing-2.0.418.sarif" // 20 findings
)

// runCommand runs the adapter on a command in target, with an optional
// output file.
func runCommand(t *testing.T, target string, command []string, output string,
	log *bytes.Buffer) (*scanners.Result, error) {
	t.Helper()
	req := scanners.Request{
		Root:   target,
		Target: target,
		Settings: config.Scanner{Name: "stand-in", Type: "sarif", Command: command,
			Output: output},
	}
	if log != nil {
		req.Log = log
	}
	return New().Run(context.Background(), req)
}

func TestCommandStdout(t *testing.T) {
	gosec := fixture(t, gosecFixture)
	tests := []struct {
		name string
		body string
		copy bool // copy the fixture into the target as report.sarif first
	}{
		{"exit 0", `cat "` + gosec + `"`, false},
		// Tools disagree on what exit 1 means; the report decides.
		{"exit 1 with a report", `cat "` + gosec + `"; exit 1`, false},
		{"runs in the target directory", `cat report.sarif`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := t.TempDir()
			if tt.copy {
				writeFile(t, filepath.Join(target, "report.sarif"), readFixture(t, gosecFixture))
			}
			tool := script(t, t.TempDir(), tt.body)
			var log bytes.Buffer

			res, err := runCommand(t, target, []string{tool}, "", &log)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}

			if res.Tool.Name != "gosec" || len(res.Findings) != 7 {
				t.Errorf("got tool %q with %d findings, want gosec with 7",
					res.Tool.Name, len(res.Findings))
			}
			if res.BaseDir != target {
				t.Errorf("BaseDir: got %q, want the target %q", res.BaseDir, target)
			}
			// The per-scanner log says how long the report was but does not
			// copy it: a report may quote the secrets the tool found.
			if strings.Contains(log.String(), `"name": "gosec"`) ||
				!strings.Contains(log.String(), "bytes to stdout (its report, not copied here)") {
				t.Errorf("log: got %.200q, want the report's length and not the report", log.String())
			}
		})
	}
}

func TestCommandOutputFile(t *testing.T) {
	gosec := fixture(t, gosecFixture)
	tests := []struct {
		name     string
		output   func(target string) string
		previous string // fixture already at the output path before the run
	}{
		{"relative to the target",
			func(string) string { return "out/report.sarif" }, ""},
		{"absolute",
			func(target string) string { return filepath.Join(target, "out", "report.sarif") }, ""},
		// The common case in CI: the same path is written on every run.
		{"replacing the report of an earlier run",
			func(string) string { return "out/report.sarif" }, checkovFixture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := t.TempDir()
			path := filepath.Join(target, "out", "report.sarif")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.previous != "" {
				writeFile(t, path, readFixture(t, tt.previous))
			}
			// The tool prints chatter on stdout; only the file is the report.
			tool := script(t, t.TempDir(), `echo "scanning..."; cp "`+gosec+`" "$1"`)

			res, err := runCommand(t, target, []string{tool, path}, tt.output(target), nil)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}

			if res.Tool.Name != "gosec" || len(res.Findings) != 7 {
				t.Errorf("got tool %q with %d findings, want gosec with 7",
					res.Tool.Name, len(res.Findings))
			}
		})
	}
}

func TestCommandStaleOutput(t *testing.T) {
	tests := []struct {
		name string
		body string
		age  time.Duration // how long before the run the old report was written
	}{
		{"tool fails without writing", `echo "fatal: no git repository" >&2; exit 3`, 0},
		{"tool succeeds without writing", `exit 0`, 0},
		{"report from an hour ago", `exit 1`, time.Hour},
		// Only the path in the command differs from what output names.
		{"tool writes elsewhere", `cp "$1" "$(dirname "$1")/other.sarif"`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := t.TempDir()
			path := filepath.Join(target, "report.sarif")
			writeFile(t, path, readFixture(t, checkovFixture))
			if tt.age > 0 {
				old := time.Now().Add(-tt.age)
				if err := os.Chtimes(path, old, old); err != nil {
					t.Fatal(err)
				}
			}
			tool := script(t, t.TempDir(), tt.body)

			res, err := runCommand(t, target, []string{tool, path}, "report.sarif", nil)
			if err == nil {
				t.Fatalf("Run: got %d old findings and no error, want an error",
					len(res.Findings))
			}

			for _, w := range []string{tool, path, "without writing", "before the run"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if res != nil {
				t.Errorf("Run returned a result with its error")
			}
		})
	}
}

func TestCommandFailures(t *testing.T) {
	spotbugs := fixture(t, "sarif/sarif/defectdojo-spotbugs-4.4.0.sarif")
	tests := []struct {
		name   string
		body   string
		output string
		// want are substrings of the error; toolPath stands for the path of
		// the script. An error about the output file names the file instead.
		want []string
	}{
		{"non-zero exit and no output",
			`echo "error: unknown flag --bogus" >&2; exit 2`, "",
			[]string{toolPath, "exited 2", "stderr", "error: unknown flag --bogus", "empty input"}},
		{"non-zero exit and no output file",
			`echo "error: cannot read config" >&2; exit 2`, "report.sarif",
			[]string{toolPath, "exited 2", "without writing", "stderr",
				"error: cannot read config"}},
		{"exit 0 and nothing on stdout", `exit 0`, "",
			[]string{toolPath + " (stdout)", "empty input"}},
		{"exit 0 and garbage on stdout", `echo "Traceback (most recent call last):"`, "",
			[]string{toolPath + " (stdout)", "malformed JSON"}},
		{"exit 0 and garbage in the output file", `echo '{"version":' > report.sarif`,
			"report.sarif", []string{"report.sarif", "malformed JSON"}},
		{"exit 1 and truncated SARIF", `head -c 2000 "` + spotbugs + `"; exit 1`, "",
			[]string{toolPath + " exited 1", toolPath + " (stdout)"}},
		{"run that did not succeed", `cat "` + spotbugs + `"`, "",
			[]string{toolPath + " (stdout)", "SpotBugs", "did not run successfully"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := t.TempDir()
			tool := script(t, t.TempDir(), tt.body)

			res, err := runCommand(t, target, []string{tool}, tt.output, nil)
			if err == nil {
				t.Fatalf("Run: got %d findings and no error, want an error", len(res.Findings))
			}

			for _, w := range tt.want {
				w = strings.ReplaceAll(w, toolPath, tool)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if res != nil {
				t.Errorf("Run returned a result with its error")
			}
		})
	}
}

func TestCommandNotStarted(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-scanner")

	res, err := runCommand(t, t.TempDir(), []string{missing, "--sarif"}, "", nil)
	if err == nil {
		t.Fatalf("Run: got %d findings and no error, want an error", len(res.Findings))
	}

	if !strings.Contains(err.Error(), missing) {
		t.Errorf("error %q does not name the command %q", err, missing)
	}
}

func TestDetect(t *testing.T) {
	tool := script(t, t.TempDir(), "exit 0")
	tests := []struct {
		name      string
		settings  config.Scanner
		installed bool
		path      string
		hint      string
	}{
		{"import needs nothing", config.Scanner{Name: "imp", Files: []string{"*.sarif"}},
			true, "", ""},
		{"command found", config.Scanner{Name: "cmd", Command: []string{tool}}, true, tool, ""},
		{"command missing", config.Scanner{Name: "gitleaks",
			Command: []string{"secgate-test-no-such-tool", "detect"}},
			false, "", "install secgate-test-no-such-tool or fix scanners.gitleaks.command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New().Detect(context.Background(), tt.settings)

			if got.Installed != tt.installed || got.Path != tt.path || got.Hint != tt.hint {
				t.Errorf("got %+v, want installed %v, path %q, hint %q",
					got, tt.installed, tt.path, tt.hint)
			}
		})
	}
}
