package sariflog

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// wantRun holds the facts /work/shared/fixtures/EXPECTED.md states for one
// run, copied from it by hand.
type wantRun struct {
	driver      string // tool.driver.name
	version     string // version, else semanticVersion
	results     int
	noLocations int // results without locations
	ruleIDs     int // distinct ruleIds in results
	suppressed  int // results with suppressions
	successful  bool
}

var expectedSARIF = []struct {
	file string
	runs []wantRun
}{
	{"bandit/sarif/open-hostfactory-1.8.6.sarif", []wantRun{{"Bandit", "1.8.6", 3, 0, 2, 0, true}}},
	{"checkov/sarif/sast-tool-testing-2.0.418.sarif", []wantRun{{"checkov", "2.0.418", 20, 0, 6, 0, true}}},
	{"codeql/sarif/codeql-action-testdata-fingerprinting.sarif", []wantRun{
		{"CodeQL command-line toolchain", "2.0.0+202002031536", 1, 0, 1, 0, true}}},
	{"codeql/sarif/codeql-action-testdata-two-runs.sarif", []wantRun{
		{"LGTM.com", "1.24.0-SNAPSHOT", 1, 0, 1, 0, true},
		{"CodeQL command-line toolchain", "2.0.0", 2, 0, 2, 0, true}}},
	{"codeql/sarif/defectdojo-codeql-2.5.4.sarif", []wantRun{{"CodeQL", "2.5.4", 72, 0, 13, 0, true}}},
	{"eslint/sarif/iframe-resizer-8.56.0-file-uris.sarif", []wantRun{{"ESLint", "8.56.0", 12, 0, 6, 12, true}}},
	// EXPECTED.md counts the missing ruleId as one distinct value; the reader
	// takes the rule from the message, which names two rules (6 AWS Access
	// Key, 2 Asymmetric Private Key).
	{"gitleaks/sarif/defectdojo-v7.4.0.sarif", []wantRun{{"Gitleaks", "v7.4.0", 8, 0, 2, 0, true}}},
	{"gitleaks/sarif/gitleaks-testdata-simple.sarif", []wantRun{{"gitleaks", "v8.0.0", 1, 0, 1, 0, true}}},
	{"gosec/sarif/gh-app-auth-dev.sarif", []wantRun{{"gosec", "dev", 7, 0, 3, 0, true}}},
	{"grype/sarif/defectdojo-grype-0.34.7-cxf.sarif", []wantRun{{"Grype", "0.34.7", 22, 0, 22, 0, true}}},
	{"grype/sarif/grype-golden-image.sarif", []wantRun{{"grype", "0.0.0-dev", 2, 0, 2, 0, true}}},
	{"sarif/sarif/defectdojo-dependency-check-results-without-rules.sarif", []wantRun{
		{"dependency-check", "6.1.2", 13, 0, 9, 0, true}}},
	{"sarif/sarif/defectdojo-dockle-results-without-locations.sarif", []wantRun{{"Dockle", "", 4, 4, 4, 0, true}}},
	{"sarif/sarif/defectdojo-mobsfscan-multi-location.sarif", []wantRun{{"mobsfscan", "0.0.8", 9, 0, 9, 0, true}}},
	{"sarif/sarif/defectdojo-njsscan.sarif", []wantRun{{"nodejsscan", "0.2.3", 2, 0, 2, 0, true}}},
	{"sarif/sarif/defectdojo-shiftleft-bash-file-uris.sarif", []wantRun{
		{"Shell Script Analysis", "1.0.0-scan", 27, 0, 5, 0, true}}},
	{"sarif/sarif/defectdojo-spotbugs-4.4.0.sarif", []wantRun{{"SpotBugs", "4.4.0", 56, 0, 9, 0, false}}},
	{"semgrep/sarif/defectdojo-semgrep-oss-1.69.0.sarif", []wantRun{{"Semgrep OSS", "1.69.0", 77, 0, 17, 0, true}}},
	{"semgrep/sarif/semgrep-e2e-dataflow-traces.sarif", []wantRun{{"Semgrep OSS", "placeholder", 1, 0, 1, 0, true}}},
	{"semgrep/sarif/semgrep-e2e-supply-chain-ansi-html.sarif", []wantRun{{"semgrep", "placeholder", 1, 0, 1, 0, true}}},
	{"semgrep/sarif/semgrep-e2e-when-errors.sarif", []wantRun{{"Semgrep OSS", "placeholder", 0, 0, 0, 0, true}}},
	{"semgrep/sarif/semgrep-e2e-with-source.sarif", []wantRun{{"Semgrep OSS", "placeholder", 2, 0, 2, 0, true}}},
	{"snyk/sarif/snyk-fixtures-maven-with-vulns.sarif", []wantRun{{"Snyk Open Source", "", 41, 0, 41, 0, true}}},
	{"snyk/sarif/snyk-fixtures-npm-two-vuln-deps.sarif", []wantRun{{"Snyk Open Source", "", 7, 0, 7, 0, true}}},
	{"snyk-code/sarif/defectdojo-snyk-code-issue9270.sarif", []wantRun{{"SnykCode", "1.0.0", 39, 0, 10, 0, true}}},
	{"snyk-code/sarif/snyk-cli-sast-sample.sarif", []wantRun{{"SnykCode", "1.0.0", 7, 0, 6, 0, true}}},
	{"snyk-code/sarif/snyk-cli-v2-nosqli.sarif", []wantRun{{"SnykCode", "1.0.0", 2, 0, 2, 0, true}}},
	{"snyk-code/sarif/snyk-to-html-altoroj.sarif", []wantRun{{"SnykCode", "1.0.0", 20, 0, 8, 0, true}}},
	{"snyk-container/sarif/snyk-cli-container.sarif", []wantRun{
		{"Snyk Container", "1.0.0-monorepo", 1, 0, 1, 0, true}}},
	{"snyk-iac/sarif/snyk-cli-terraform.sarif", []wantRun{{"Snyk IaC", "1.0.0-monorepo", 4, 0, 2, 0, true}}},
	{"trivy/sarif/ortelius-ms-validate-user.sarif", []wantRun{{"Trivy", "0.37.1", 21, 0, 14, 0, true}}},
	{"trivy/sarif/trivy-golden-alpine-310.sarif", []wantRun{{"Trivy", "dev", 4, 0, 2, 0, true}}},
}

func TestReadFixturesCounts(t *testing.T) {
	for _, tc := range expectedSARIF {
		t.Run(tc.file, func(t *testing.T) {
			runs := readFixture(t, tc.file)
			if len(runs) != len(tc.runs) {
				t.Fatalf("runs: got %d, want %d", len(runs), len(tc.runs))
			}
			for i, want := range tc.runs {
				checkRun(t, i, runs[i], want)
			}
		})
	}
}

func checkRun(t *testing.T, i int, run Run, want wantRun) {
	t.Helper()
	if run.Tool.DisplayName != want.driver {
		t.Errorf("run %d driver: got %q, want %q", i, run.Tool.DisplayName, want.driver)
	}
	if run.Tool.Name != strings.ToLower(want.driver) {
		t.Errorf("run %d name: got %q, want %q", i, run.Tool.Name, strings.ToLower(want.driver))
	}
	if run.Tool.Version != want.version {
		t.Errorf("run %d version: got %q, want %q", i, run.Tool.Version, want.version)
	}
	if len(run.Findings) != want.results {
		t.Errorf("run %d results: got %d, want %d", i, len(run.Findings), want.results)
	}
	if run.Successful != want.successful {
		t.Errorf("run %d successful: got %v, want %v", i, run.Successful, want.successful)
	}

	noFile, suppressed := 0, 0
	ids := map[string]bool{}
	for j, f := range run.Findings {
		if !f.Location.HasFile() {
			noFile++
		}
		if len(f.Suppressions) > 0 {
			suppressed++
		}
		ids[f.Rule.ID] = true
		checkInvariants(t, i, j, run, f.Tool, f.Rule.ID, f.Message, f.Location.Path)
	}
	if noFile != want.noLocations {
		t.Errorf("run %d results without a file: got %d, want %d", i, noFile, want.noLocations)
	}
	if len(ids) != want.ruleIDs {
		t.Errorf("run %d distinct rule ids: got %d, want %d", i, len(ids), want.ruleIDs)
	}
	if suppressed != want.suppressed {
		t.Errorf("run %d suppressed: got %d, want %d", i, suppressed, want.suppressed)
	}
}

// checkInvariants holds for every finding of every log.
func checkInvariants(t *testing.T, run, j int, r Run, tool, rule, msg, path string) {
	t.Helper()
	if tool != r.Tool.Name {
		t.Errorf("run %d finding %d tool: got %q, want %q", run, j, tool, r.Tool.Name)
	}
	if rule == "" || strings.TrimSpace(msg) == "" {
		t.Errorf("run %d finding %d: empty rule id %q or message %q", run, j, rule, msg)
	}
	if strings.HasPrefix(strings.ToLower(path), "file:") || strings.Contains(path, `\`) {
		t.Errorf("run %d finding %d path not decoded: %q", run, j, path)
	}
}

// TestFixtureTableCoversAll keeps the table above in step with the fixtures:
// a new SARIF fixture without expectations fails here instead of going untested.
func TestFixtureTableCoversAll(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testenv.FixturesDir(t), "*", "sarif", "*.sarif"))
	if err != nil {
		t.Fatalf("glob: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("no SARIF fixtures found under %s", testenv.FixturesDir(t))
	}
	var listed []string
	for _, tc := range expectedSARIF {
		listed = append(listed, tc.file)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(testenv.FixturesDir(t), f)
		if !slices.Contains(listed, filepath.ToSlash(rel)) {
			t.Errorf("fixture %s has no expectations in expectedSARIF", rel)
		}
	}
}

// TestReadFixtureDetails checks facts of single fixtures that exercise a
// reading rule. The values come from the fixture files themselves.
func TestReadFixtureDetails(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		check func(t *testing.T, runs []Run)
	}{
		{"file URIs become absolute paths", "eslint/sarif/iframe-resizer-8.56.0-file-uris.sarif",
			func(t *testing.T, runs []Run) {
				got := runs[0].Findings[0].Location.Path
				want := "/Users/user/dev/iframe-resizer/src/iframeResizer.contentWindow.js"
				if got != want {
					t.Errorf("path: got %q, want %q", got, want)
				}
				if k := runs[0].Findings[0].Suppressions[0].Kind; k != "inSource" {
					t.Errorf("suppression kind: got %q, want inSource", k)
				}
			}},
		{"file://// prefix on an absolute path", "sarif/sarif/defectdojo-dependency-check-results-without-rules.sarif",
			func(t *testing.T, runs []Run) {
				got := runs[0].Findings[0].Location.Path
				want := "/src/.venv/lib/python3.9/site-packages/tastypie_swagger/static/" +
					"tastypie_swagger/js/lib/handlebars-1.0.0.js"
				if got != want {
					t.Errorf("path: got %q, want %q", got, want)
				}
			}},
		{"error notification while successful", "semgrep/sarif/semgrep-e2e-when-errors.sarif",
			func(t *testing.T, runs []Run) {
				want := []string{"File not found: targets/basic/inexistent.py"}
				if !slices.Equal(runs[0].Errors, want) {
					t.Errorf("errors: got %q, want %q", runs[0].Errors, want)
				}
			}},
		{"failed run with a configuration error", "sarif/sarif/defectdojo-spotbugs-4.4.0.sarif",
			func(t *testing.T, runs []Run) {
				if len(runs[0].Errors) != 1 ||
					!strings.HasPrefix(runs[0].Errors[0], "Classes needed for analysis were missing") {
					t.Errorf("errors: got %q, want the missing-classes notification", runs[0].Errors)
				}
			}},
		{"security-severity label word", "semgrep/sarif/defectdojo-semgrep-oss-1.69.0.sarif",
			func(t *testing.T, runs []Run) {
				f := runs[0].Findings[0]
				if f.Severity.String() != "medium" || f.ToolSeverity != "MEDIUM" || !f.Rule.Security {
					t.Errorf("got %v/%q security=%v, want medium/MEDIUM security=true",
						f.Severity, f.ToolSeverity, f.Rule.Security)
				}
				if !slices.Equal(f.Rule.CWE, []string{"CWE-22"}) {
					t.Errorf("cwe: got %v, want [CWE-22]", f.Rule.CWE)
				}
			}},
		{"fix without artifact changes is dropped", "gosec/sarif/gh-app-auth-dev.sarif",
			func(t *testing.T, runs []Run) {
				for _, f := range runs[0].Findings {
					if f.Fix != "" {
						t.Errorf("%s: fix %q from a fix without replacements", f.Rule.ID, f.Fix)
					}
				}
			}},
		{"ruleIndex disagreeing with ruleId", "snyk-code/sarif/snyk-cli-v2-nosqli.sarif",
			func(t *testing.T, runs []Run) {
				if got := runs[0].Findings[1].Rule.ID; got != "javascript/NoSqliLowSeverity" {
					t.Errorf("rule: got %q, want javascript/NoSqliLowSeverity", got)
				}
				if len(runs[0].Warnings) != 1 {
					t.Errorf("warnings: got %q, want one", runs[0].Warnings)
				}
			}},
		{"CWE from external/cwe tag", "codeql/sarif/defectdojo-codeql-2.5.4.sarif",
			func(t *testing.T, runs []Run) {
				f := runs[0].Findings[0]
				if f.Rule.ID != "py/empty-except" || !slices.Equal(f.Rule.CWE, []string{"CWE-390"}) {
					t.Errorf("got %s %v, want py/empty-except [CWE-390]", f.Rule.ID, f.Rule.CWE)
				}
			}},
		{"relative to a file:// base other than %SRCROOT%", "snyk-iac/sarif/snyk-cli-terraform.sarif",
			func(t *testing.T, runs []Run) {
				if p := runs[0].Findings[0].Location.Path; p != "plan.json" || runs[0].BaseDir != "" {
					t.Errorf("path %q base %q, want plan.json and no base", p, runs[0].BaseDir)
				}
			}},
		{"rules from messages, no secret snippets", "gitleaks/sarif/defectdojo-v7.4.0.sarif",
			func(t *testing.T, runs []Run) {
				counts := map[string]int{}
				for _, f := range runs[0].Findings {
					counts[f.Rule.ID]++
					if f.Snippet != "" {
						t.Errorf("%s: snippet %q kept from a secret scanner", f.Rule.ID, f.Snippet)
					}
				}
				if counts["AWS Access Key"] != 6 || counts["Asymmetric Private Key"] != 2 {
					t.Errorf("rules from messages: got %v, want 6 AWS Access Key, 2 Asymmetric Private Key",
						counts)
				}
			}},
		{"snippet whitespace folded", "gosec/sarif/gh-app-auth-dev.sarif",
			func(t *testing.T, runs []Run) {
				for _, f := range runs[0].Findings {
					if f.Rule.ID == "G304" && f.Snippet != "keyData, err := os.ReadFile(keyPath)" {
						t.Errorf("snippet: got %q", f.Snippet)
					}
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, readFixture(t, tc.file))
		})
	}
}
