package sbom

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// Grype and OSV-Scanner cannot download their vulnerability databases here,
// so these tests put a stand-in of the matcher on a PATH of its own: a shell
// script that records the arguments and environment it was given and replays
// a real recorded report with the exit code the real tool gave it (Grype
// reports from shared/fixtures/grype, OSV-Scanner output recorded by running
// osv-scanner 2.2.2 offline, see pkg/sbom/testdata/osv-scanner/README.md).
// TestRealOSVScanner runs the real osv-scanner, with a database built here.

// fakeTool writes an executable named name into a directory of its own that
// prints report (a file) and exits with code; with --version it prints
// version. It returns the directory and the file where the argv and the
// environment of the last run are recorded, one item per line.
func fakeTool(t *testing.T, name, report string, code int, version string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	record := filepath.Join(dir, "record.txt")
	script := fmt.Sprintf(`#!/bin/sh
if [ "$1" = "--version" ]; then echo '%s'; exit 0; fi
{ for a in "$@"; do echo "arg=$a"; done; env | sed 's/^/env=/'; } > '%s'
[ -n '%s' ] && cat '%s'
echo 'progress on stderr' >&2
exit %d
`, version, record, report, report, code)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, record
}

// recorded reads what the stand-in recorded: its arguments and environment.
func recorded(t *testing.T, record string) (args, env []string) {
	t.Helper()
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("the stand-in did not run: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if a, ok := strings.CutPrefix(line, "arg="); ok {
			args = append(args, a)
		} else if e, ok := strings.CutPrefix(line, "env="); ok {
			env = append(env, e)
		}
	}
	return args, env
}

// samplesTarget is rules/samples: a package-lock.json with lodash 4.17.20.
func samplesTarget(t *testing.T) string {
	t.Helper()
	return filepath.Join(testenv.RepoRoot(t), "rules", "samples")
}

// withPath returns a scanner that finds tools only in dir.
func withPath(dir string) *Scanner {
	s := New()
	s.LookPath = func(file string) (string, error) {
		p := filepath.Join(dir, file)
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s: not found in the test's PATH", file)
		}
		return p, nil
	}
	return s
}

func runWith(t *testing.T, s *Scanner, target string, settings config.Scanner) (*scanners.Result,
	string, error) {
	t.Helper()
	out := t.TempDir()
	var log bytes.Buffer
	res, err := s.Run(context.Background(), scanners.Request{
		Root: target, Target: target, Settings: settings, OutDir: out, Log: &log,
	})
	return res, out, err
}

func TestMatcherGrype(t *testing.T) {
	t.Setenv("SECRET_TOKEN", "must-not-reach-the-tool")
	t.Setenv("GRYPE_DB_CACHE_DIR", "/var/cache/grype")
	report := testenv.Fixture(t, "grype/json/defectdojo-many-vulns4.json")
	dir, record := fakeTool(t, "grype", report, 0, "grype 0.24.0")
	target := samplesTarget(t)

	res, out, err := runWith(t, withPath(dir), target, config.Scanner{Name: "sbom",
		Vulnerabilities: "grype", Env: []string{"GRYPE_DB_CACHE_DIR"}, Args: []string{"--by-cve"}})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	args, env := recorded(t, record)
	want := []string{"sbom:" + filepath.Join(out, "sbom.syft.json"), "--output", "json", "--by-cve"}
	if !slices.Equal(args, want) {
		t.Errorf("argv: got %q, want %q", args, want)
	}
	checkEnv(t, env, []string{"GRYPE_CHECK_FOR_APP_UPDATE=false",
		"GRYPE_DB_CACHE_DIR=/var/cache/grype"}, "SECRET_TOKEN")
	if _, err := os.Stat(filepath.Join(out, "sbom.syft.json")); err != nil {
		t.Errorf("grype's input: %v", err)
	}

	vulns := byTool(res, "grype")
	if len(vulns) != 9 {
		t.Fatalf("grype findings: got %d, want the fixture's 9 matches", len(vulns))
	}
	f := vulns["CVE-2021-32626"]
	if f.Location.Path != "requirements.txt" || f.Package.PURL != "pkg:pypi/redis@3.5.3" {
		t.Errorf("redis finding: got %s at %q, want pkg:pypi/redis@3.5.3 in requirements.txt",
			f.Package.PURL, f.Location.Path)
	}
	if len(res.Tools) != 1 || res.Tools[0].Name != "grype" || res.Tools[0].Version != "0.24.0" {
		t.Errorf("tools: got %+v, want grype 0.24.0", res.Tools)
	}
}

func TestMatcherOSVScanner(t *testing.T) {
	t.Setenv("SECRET_TOKEN", "must-not-reach-the-tool")
	report := filepath.Join("..", "..", "pkg", "sbom", "testdata", "osv-scanner", "lodash-exit1.json")
	report, _ = filepath.Abs(report)
	dir, record := fakeTool(t, "osv-scanner", report, 1, "osv-scanner version: 2.2.2")

	res, out, err := runWith(t, withPath(dir), samplesTarget(t), config.Scanner{Name: "sbom",
		Vulnerabilities: "osv-scanner", Formats: []string{"cyclonedx-json"}})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	args, env := recorded(t, record)
	want := []string{"scan", "source", "--format", "json", "-L",
		filepath.Join(out, "sbom.spdx.json")}
	if !slices.Equal(args, want) {
		t.Errorf("argv: got %q, want %q", args, want)
	}
	checkEnv(t, env, nil, "SECRET_TOKEN")

	f, ok := byTool(res, "osv-scanner")["GHSA-35jh-r3h4-6jhm"]
	if !ok {
		t.Fatalf("findings: got %v, want GHSA-35jh-r3h4-6jhm from osv-scanner", ruleIDs(res))
	}
	// The report names the SBOM, not a manifest; the SBOM says where lodash is.
	if f.Location.Path != "web/package-lock.json" || f.Package.FixedVersion != "4.17.21" {
		t.Errorf("lodash finding: got %q fixed in %q, want web/package-lock.json, 4.17.21",
			f.Location.Path, f.Package.FixedVersion)
	}
	if got := strings.Join(f.Package.Advisories, " "); got != "GHSA-35jh-r3h4-6jhm CVE-2021-23337" {
		t.Errorf("advisories: got %q", got)
	}
}

// TestMatcherExitCodes: a report is read only after an exit code that means
// one was written; an empty report is never a clean one.
func TestMatcherExitCodes(t *testing.T) {
	osvClean, _ := filepath.Abs(filepath.Join("..", "..", "pkg", "sbom", "testdata",
		"osv-scanner", "clean-exit0.json"))
	grypeReport := testenv.Fixture(t, "grype/json/defectdojo-no-vuln.json")
	tests := []struct {
		name, tool, report string
		code               int
		want               string // error text; "" means the run succeeds
	}{
		{"grype clean", "grype", grypeReport, 0, ""},
		{"grype error", "grype", "", 1, "grype failed (exit 1): stderr: progress on stderr"},
		{"grype empty report", "grype", "", 0, "grype exited 0 and wrote an empty report"},
		{"osv clean", "osv-scanner", osvClean, 0, ""},
		{"osv no packages", "osv-scanner", "", 128,
			"osv-scanner found no packages in the SBOM (exit 128)"},
		{"osv error", "osv-scanner", "", 127, "osv-scanner failed (exit 127)"},
		{"osv not a report", "osv-scanner", grypeReport, 1,
			`osv-scanner output: not a OSV-Scanner JSON report: no "results" key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := fakeTool(t, tt.tool, tt.report, tt.code, "x 1.0")
			res, _, err := runWith(t, withPath(dir), samplesTarget(t),
				config.Scanner{Name: "sbom", Vulnerabilities: tt.tool})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Run: %v", err)
			case tt.want == "" && len(byTool(res, tt.tool)) != 0:
				t.Errorf("findings: got %v, want none", ruleIDs(res))
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Run: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestMatcherSelection(t *testing.T) {
	grypeDir, _ := fakeTool(t, "grype", "", 0, "grype 0.87.0")
	osvDir, _ := fakeTool(t, "osv-scanner", "", 0, "osv-scanner version: 2.2.2")
	both := t.TempDir()
	for _, d := range []string{grypeDir, osvDir} {
		for _, n := range []string{"grype", "osv-scanner"} {
			if _, err := os.Stat(filepath.Join(d, n)); err == nil {
				if err := os.Symlink(filepath.Join(d, n), filepath.Join(both, n)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	tests := []struct {
		name, dir, setting string
		installed          bool
		version            string // after Syft's
	}{
		{"none", t.TempDir(), "none", true, ""},
		{"unset", t.TempDir(), "", true, ""},
		{"auto prefers grype", both, "auto", true, "; grype 0.87.0"},
		{"auto takes osv-scanner", osvDir, "auto", true, "; osv-scanner 2.2.2"},
		{"auto with neither", t.TempDir(), "auto", true, ""},
		{"named and missing", osvDir, "grype", false, ""},
		{"named and present", osvDir, "osv-scanner", true, "; osv-scanner 2.2.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := withPath(tt.dir)
			d := s.Detect(context.Background(), config.Scanner{Name: "deps",
				Vulnerabilities: tt.setting})
			if d.Installed != tt.installed {
				t.Fatalf("installed: got %v (hint %q), want %v", d.Installed, d.Hint, tt.installed)
			}
			if !tt.installed {
				want := "install grype (https://github.com/anchore/grype), or set " +
					"scanners.deps.vulnerabilities: none"
				if d.Hint != want {
					t.Errorf("hint: got %q, want %q", d.Hint, want)
				}
				return
			}
			if got := strings.TrimPrefix(d.Version, s.syftVersion()); got != tt.version {
				t.Errorf("version: got %q, want Syft's then %q", d.Version, tt.version)
			}
		})
	}
}

// TestMatcherAutoWithout: auto with no matcher says so, rather than let a
// run that matched nothing look like one that found nothing.
func TestMatcherAutoWithout(t *testing.T) {
	res, _, err := runWith(t, withPath(t.TempDir()), samplesTarget(t),
		config.Scanner{Name: "sbom", Vulnerabilities: "auto"})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !slices.ContainsFunc(res.Stats.Notes, func(n string) bool {
		return strings.Contains(n, "auto found neither grype nor osv-scanner")
	}) {
		t.Errorf("notes: got %q, want one saying no matcher ran", res.Stats.Notes)
	}
}

// TestImportReport reads the matcher's report from an earlier step instead
// of running it, and still places its findings in the generated SBOM.
func TestImportReport(t *testing.T) {
	report, _ := filepath.Abs(filepath.Join("..", "..", "pkg", "sbom", "testdata",
		"osv-scanner", "lodash-exit1.json"))
	s := New()
	s.Exec = func(context.Context, toolexec.Cmd) (*toolexec.Result, error) {
		t.Fatal("a report is imported: nothing may run")
		return nil, nil
	}
	res, _, err := runWith(t, s, samplesTarget(t), config.Scanner{Name: "sbom", Report: report})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	f, ok := byTool(res, "osv-scanner")["GHSA-35jh-r3h4-6jhm"]
	if !ok || f.Location.Path != "web/package-lock.json" {
		t.Errorf("finding: got %+v (found %v), want the lodash advisory in web/package-lock.json",
			f.Location, ok)
	}

	_, _, err = runWith(t, s, samplesTarget(t), config.Scanner{Name: "sbom",
		Report: filepath.Join(t.TempDir(), "gone.json")})
	if err == nil || !strings.Contains(err.Error(), "read vulnerability report") {
		t.Errorf("missing report: got %v, want a read error", err)
	}
}

func checkEnv(t *testing.T, env, want []string, secret string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(env, w) {
			t.Errorf("environment: %q missing from %q", w, env)
		}
	}
	for _, e := range env {
		if strings.HasPrefix(e, secret+"=") {
			t.Errorf("environment: %s reached the tool", secret)
		}
	}
}

// byTool returns the findings of one tool by rule id.
func byTool(res *scanners.Result, tool string) map[string]finding.Finding {
	out := map[string]finding.Finding{}
	if res == nil {
		return out
	}
	for _, f := range res.Findings {
		if f.Tool == tool {
			out[f.Rule.ID] = f
		}
	}
	return out
}

func ruleIDs(res *scanners.Result) []string {
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.Tool+":"+f.Rule.ID)
	}
	return ids
}
