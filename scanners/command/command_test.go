package command

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
	"github.com/secgate/secgate/scanners/sarif"
	"github.com/secgate/secgate/scanners/semgrep"
)

// The tests run real shell scripts as the plugin: they stand for any tool a
// team adds, and print real reports from shared/fixtures.

func testParsers() map[string]ParserFor {
	fixed := func(p scanners.Parser) ParserFor {
		return func(*config.Config) scanners.Parser { return p }
	}
	return map[string]ParserFor{
		"sarif":        fixed(sarif.Parse),
		"semgrep-json": fixed(semgrep.ParseJSON),
	}
}

// repo makes a repository root holding the script at rel, and a subdirectory.
func repo(t *testing.T, rel, script string) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"services/api", "tools"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, rel), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

func run(t *testing.T, root string, set config.Scanner) (*scanners.Result, string, error) {
	t.Helper()
	if set.Name == "" {
		set.Name = "plugin"
	}
	var log bytes.Buffer
	res, err := New(testParsers()).Run(context.Background(), scanners.Request{
		Root: root, Target: root, Settings: set, OutDir: t.TempDir(), Log: &log,
		Config: &config.Config{File: "secgate.yaml"},
	})
	return res, log.String(), err
}

func TestRunSARIFFromStdout(t *testing.T) {
	fixture := testenv.Fixture(t, "gosec/sarif/gh-app-auth-dev.sarif")
	root := repo(t, "tools/check.sh", fmt.Sprintf(`
pwd > "$0.where"
for a in "$@"; do echo "$a"; done > "$0.args"
env > "$0.env"
echo "checking" >&2
cat '%s'
exit 1
`, fixture))
	t.Setenv("PLUGIN_TOKEN", "allowed-value")
	t.Setenv("SECRET_TOKEN", "withheld-value")

	res, log, err := run(t, root, config.Scanner{
		Command: []string{"tools/check.sh", "--json", "two words", "$(touch pwned)", "*.go"},
		Format:  "sarif", Dir: "services/api", Env: []string{"PLUGIN_TOKEN"},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	script := filepath.Join(root, "tools", "check.sh")
	want := "--json\ntwo words\n$(touch pwned)\n*.go\n"
	if got := readFile(t, script+".args"); got != want {
		t.Errorf("arguments: got %q, want %q, each as written, no shell", got, want)
	}
	if _, err := os.Stat(filepath.Join(root, "services", "api", "pwned")); err == nil {
		t.Error("an argument was run by a shell")
	}
	where := strings.TrimSpace(readFile(t, script+".where"))
	if got := where; got != filepath.Join(root, "services", "api") {
		t.Errorf("working directory: got %s, want services/api", got)
	}
	env := readFile(t, script+".env")
	if !strings.Contains(env, "PLUGIN_TOKEN=allowed-value") || strings.Contains(env, "SECRET_TOKEN") {
		t.Errorf("environment: got %q, want PLUGIN_TOKEN and not SECRET_TOKEN", env)
	}
	if !strings.Contains(log, "checking") {
		t.Errorf("log: got %q, want the tool's stderr", log)
	}

	// EXPECTED.md: gosec/sarif/gh-app-auth-dev.sarif holds 7 results.
	if len(res.Findings) != 7 || res.BaseDir != filepath.Join(root, "services", "api") {
		t.Errorf("result: got %d findings based at %s, want 7 at services/api",
			len(res.Findings), res.BaseDir)
	}
	if len(res.Stats.Notes) == 0 || !strings.Contains(strings.Join(res.Stats.Notes, ";"), "exited 1") {
		t.Errorf("notes: got %q, want the exit code noted", res.Stats.Notes)
	}
}

func TestRunOutputFile(t *testing.T) {
	fixture := testenv.Fixture(t, "semgrep/json/defectdojo-v1.30.0.json")
	root := repo(t, "tools/scan.sh", fmt.Sprintf("cp '%s' \"$1\"\n", fixture))
	res, _, err := run(t, root, config.Scanner{
		Command: []string{"tools/scan.sh", "report.json"}, Format: "semgrep-json",
		Output: "report.json",
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.Tool.Name != "semgrep" || len(res.Findings) == 0 {
		t.Errorf("result: got tool %q with %d findings, want semgrep's", res.Tool.Name,
			len(res.Findings))
	}
}

// TestRunFailures: every way a tool can fail to deliver a report is a failure
// with a message saying which, never an empty, clean result.
func TestRunFailures(t *testing.T) {
	tests := []struct {
		name, script string
		set          config.Scanner
		want         string
	}{
		{"exit code 2", "echo 'bad flag' >&2; exit 2\n", config.Scanner{Format: "sarif"},
			"tools/x.sh exited 2 (stderr: bad flag)"},
		{"empty stdout", "exit 0\n", config.Scanner{Format: "sarif"},
			"tools/x.sh exited 0 and wrote an empty report to tools/x.sh (stdout)"},
		{"white space only", "printf '  \\n\\n'\nexit 1\n", config.Scanner{Format: "sarif"},
			"wrote an empty report"},
		{"no output file", "exit 0\n", config.Scanner{Format: "sarif", Output: "out.sarif"},
			"without writing"},
		{"not the format", "echo '{\"results\": []}'\n", config.Scanner{Format: "sarif"},
			"tools/x.sh exited 0:"},
		{"unknown format", "exit 0\n", config.Scanner{Format: "trivy-json"},
			`secgate.yaml:7: scanners.plugin.format: unknown format "trivy-json" ` +
				`(known: sarif, semgrep-json)`},
		{"dir outside", "exit 0\n", config.Scanner{Format: "sarif", Dir: "escape"},
			"scanners.plugin.dir: escape leads outside the repository"},
		{"dir missing", "exit 0\n", config.Scanner{Format: "sarif", Dir: "nope"},
			"scanners.plugin.dir:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := repo(t, "tools/x.sh", tt.script)
			if err := os.Symlink(t.TempDir(), filepath.Join(root, "escape")); err != nil {
				t.Fatal(err)
			}
			set := tt.set
			set.Command = []string{"tools/x.sh"}
			set.Pos = config.Pos{Line: 7}
			_, _, err := run(t, root, set)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestRunStaleOutput: a report left by an earlier run is not read as this
// run's, however recent it looks.
func TestRunStaleOutput(t *testing.T) {
	fixture := testenv.Fixture(t, "gosec/sarif/gh-app-auth-dev.sarif")
	root := repo(t, "tools/x.sh", "exit 0\n")
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "old.sarif"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, root, config.Scanner{Command: []string{"tools/x.sh"}, Format: "sarif",
		Output: "old.sarif"})
	if err == nil || !strings.Contains(err.Error(), "left from before the run") {
		t.Errorf("Run: got %v, want the stale file refused", err)
	}
}

// TestRunTimeout: the scanner's timeout stops the tool and its children.
func TestRunTimeout(t *testing.T) {
	root := repo(t, "tools/slow.sh", "sleep 30 &\nsleep 30\n")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := New(testParsers()).Run(ctx, scanners.Request{Root: root, Target: root,
		Settings: config.Scanner{Name: "slow", Command: []string{"tools/slow.sh"},
			Format: "sarif"}})
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("Run: got %v, want a timeout", err)
	}
}

func TestDetect(t *testing.T) {
	root := repo(t, "tools/x.sh", "exit 0\n")
	t.Chdir(root)
	tests := []struct {
		name      string
		command   []string
		installed bool
		hint      string
	}{
		{"on PATH", []string{"sh", "-c", "true"}, true, ""},
		{"in the repository", []string{"tools/x.sh"}, true, ""},
		{"missing", []string{"tools/none.sh"}, false,
			"install tools/none.sh or fix scanners.p.command"},
		{"no command", nil, false, "set scanners.p.command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(testParsers()).Detect(context.Background(),
				config.Scanner{Name: "p", Command: tt.command})
			if d.Installed != tt.installed || d.Hint != tt.hint {
				t.Errorf("Detect: got %v %q, want %v %q", d.Installed, d.Hint, tt.installed, tt.hint)
			}
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the script did not record: %v", err)
	}
	return string(data)
}
