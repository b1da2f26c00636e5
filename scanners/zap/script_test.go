package zap

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// fakeScript writes a stand-in for one of ZAP's scan scripts into dir. The
// real scripts come only inside ZAP's container images, with a ZAP that
// needs add-ons no registry here serves, so they cannot run here. The
// stand-in does what the real one does at its edges: it records its
// arguments and environment, writes a real ZAP report (a shared fixture) to
// the file named by -J, in its working directory or in reportDir as the real
// one does inside the container, and exits with the code it is given.
func fakeScript(t *testing.T, dir, name, fixture, reportDir string, code int) string {
	t.Helper()
	src := ""
	if fixture != "" {
		src = testenv.Fixture(t, "zap/"+fixture)
	}
	script := `#!/bin/sh
printf '%s\n' "$@" > "` + dir + `/args"
env > "` + dir + `/env"
report=""
while [ $# -gt 0 ]; do
  case "$1" in -J) report="$2"; shift ;; esac
  shift
done
src='` + src + `'
if [ -n "$src" ] && [ -n "$report" ]; then cp "$src" "` + reportDir + `$report"; fi
echo "FAIL-NEW: 0 WARN-NEW: 12"
exit ` + strconv.Itoa(code) + "\n"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func scriptRequest(t *testing.T, script, target string, args, env []string) scanners.Request {
	t.Helper()
	root := t.TempDir()
	return scanners.Request{
		Root: root, Target: root, OutDir: filepath.Join(root, ".secgate"),
		Settings: config.Scanner{Name: "dast", Type: "zap", Args: args, Env: env,
			ZAP: config.ZAP{Script: script, Target: target, APIFormat: "openapi"}},
	}
}

// TestScriptExitCodes runs the stand-in with each exit code ZAP's scan
// scripts have. 0, 1 and 2 all mean the scan ran, and the findings come from
// the report, never from the code (known-failures entry 9: a WARN-only run
// exits 2, a FAIL run 1); 3 is a failed scan even with a report on disk, and
// so is any code the scripts never use, or a missing report.
func TestScriptExitCodes(t *testing.T) {
	tests := []struct {
		name      string
		code      int
		fixture   string
		inWrk     bool
		wantFinds int
		wantErr   string
	}{
		{name: "0 pass", code: 0, fixture: "json/bcgov-pipeline-templates-2.14.0.json", wantFinds: 61},
		{name: "1 FAIL", code: 1, fixture: "json/bcgov-pipeline-templates-2.14.0.json", wantFinds: 61},
		{name: "2 WARN only", code: 2, fixture: "json/bcgov-vhers-scan-2.14.0.json", wantFinds: 31},
		{name: "2 inside ZAP's container, report in /zap/wrk", code: 2, inWrk: true,
			fixture: "json/bcgov-vhers-scan-2.14.0.json", wantFinds: 31},
		// A site with no alerts is a clean scan of that site; the report is
		// read by its content, XML though JSON was asked for.
		{name: "0 with a site and no alerts", code: 0,
			fixture: "xml/defectdojo-empty-2.9.0.xml", wantFinds: 0},
		{name: "3 error, report or not", code: 3, fixture: "json/bcgov-vhers-scan-2.14.0.json",
			wantErr: "zap-baseline.py exited 3: ZAP could not do the scan"},
		{name: "2 without a report", code: 2,
			wantErr: "zap-baseline.py exited 2 without writing its report"},
		{name: "an exit code the scripts never use", code: 4,
			fixture: "json/bcgov-vhers-scan-2.14.0.json", wantErr: "exited 4, which ZAP's scan scripts never do"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin, wrk := t.TempDir(), t.TempDir()
			reportDir := ""
			if tt.inWrk {
				reportDir = wrk + "/"
			}
			fakeScript(t, bin, "zap-baseline.py", tt.fixture, reportDir, tt.code)
			t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

			s := New()
			s.WrkDir = wrk
			req := scriptRequest(t, "baseline", "http://app:8080/", nil, nil)
			res, err := s.Run(context.Background(), req)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if len(res.Findings) != tt.wantFinds {
				t.Errorf("findings: got %d, want %d", len(res.Findings), tt.wantFinds)
			}
			if len(res.Artifacts) != 1 || strings.HasPrefix(res.Artifacts[0], wrk) != tt.inWrk {
				t.Errorf("artifacts: got %v (inside the container: %v)", res.Artifacts, tt.inWrk)
			}
		})
	}
}

// TestScriptArguments checks the command line and environment the script
// gets: the config's own arguments first, then the target and the report,
// for the API scan its format, and no variable the config did not allow.
func TestScriptArguments(t *testing.T) {
	tests := []struct {
		script, file string
		args         []string
		want         string // the arguments, with the report name as REPORT
	}{
		{"baseline", "zap-baseline.py", []string{"-j", "-m", "3"},
			"-j -m 3 -t http://app:8080/ -J REPORT"},
		{"full", "zap-full-scan.py", nil, "-t http://app:8080/ -J REPORT"},
		{"api", "zap-api-scan.py", []string{"-S"}, "-S -t http://app:8080/ -f openapi -J REPORT"},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			bin := t.TempDir()
			fakeScript(t, bin, tt.file, "json/bcgov-vhers-scan-2.14.0.json", "", 2)
			t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			t.Setenv("ZAP_TEST_SECRET", "do-not-pass-me")
			t.Setenv("IS_CONTAINERIZED", "false")

			req := scriptRequest(t, tt.script, "http://app:8080/", tt.args,
				[]string{"IS_CONTAINERIZED"})
			if _, err := New().Run(context.Background(), req); err != nil {
				t.Fatalf("run: %v", err)
			}

			args := strings.Fields(readFile(t, filepath.Join(bin, "args")))
			if n := len(args); n > 0 && strings.HasPrefix(args[n-1], "secgate-dast-") {
				args[n-1] = "REPORT"
			}
			if got := strings.Join(args, " "); got != tt.want {
				t.Errorf("arguments: got %q, want %q", got, tt.want)
			}
			env := readFile(t, filepath.Join(bin, "env"))
			if strings.Contains(env, "do-not-pass-me") || !strings.Contains(env, "IS_CONTAINERIZED=false") {
				t.Errorf("environment: the secret leaked or the allowed variable is missing:\n%s", env)
			}
		})
	}
}

func TestDetectScript(t *testing.T) {
	bin := t.TempDir()
	fakeScript(t, bin, "zap-full-scan.py", "", "", 0)
	t.Setenv("PATH", bin)

	s := New()
	for _, tt := range []struct {
		script string
		want   bool
	}{{"full", true}, {"baseline", false}} {
		d := s.Detect(context.Background(), config.Scanner{Name: "zap",
			ZAP: config.ZAP{Script: tt.script, Target: "http://app/"}})
		if d.Installed != tt.want {
			t.Errorf("%s: installed %v, want %v (hint %q)", tt.script, d.Installed, tt.want, d.Hint)
		}
		if !d.Installed && !strings.Contains(d.Hint, "container images") {
			t.Errorf("%s: hint %q does not say where the scripts come from", tt.script, d.Hint)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWorkFilesStayInOutDir checks that a scanner name with slashes and dots
// cannot move the script's files out of the output directory.
func TestWorkFilesStayInOutDir(t *testing.T) {
	out := t.TempDir()
	for _, name := range []string{"dast", "../../escape", "zap/prod.eu"} {
		req := scanners.Request{OutDir: out, Settings: config.Scanner{Name: name}}
		work, report, err := workFiles(req)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(work) != out || strings.Contains(report, "/") ||
			strings.Count(report, ".") != 1 {
			t.Errorf("%s: work %q, report %q; want both inside %s", name, work, report, out)
		}
	}
}
