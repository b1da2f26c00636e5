package semgrep

import (
	"os"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// parseFixture runs a parser on one shared fixture.
func parseFixture(t *testing.T, parse scanners.Parser, rel string) *scanners.Result {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parse(f, rel)
	if err != nil {
		t.Fatalf("parse %s: %v", rel, err)
	}
	return res
}

// The counts are those EXPECTED.md states for each file; the severities are
// what docs/severity.md says the stated words map to.
func TestParseJSONFixtures(t *testing.T) {
	tests := []struct {
		file       string
		results    int
		severities map[finding.Severity]int
		version    string
		rules      int
	}{
		{"defectdojo-cwe-list.json", 1, map[finding.Severity]int{finding.SeverityLow: 1}, "0.96.0", 1},
		{"defectdojo-empty-legacy.json", 0, nil, "", 0},
		{"defectdojo-high-medium-low-severities.json", 3,
			map[finding.Severity]int{finding.SeverityLow: 3}, "1.84.1", 1},
		{"defectdojo-many-vulns.json", 48, map[finding.Severity]int{
			finding.SeverityMedium: 35, finding.SeverityHigh: 13}, "", 6},
		{"defectdojo-v1.30.0.json", 5, map[finding.Severity]int{finding.SeverityMedium: 5},
			"1.30.0", 1},
		{"securecodebox-vulnerable-flask-app.json", 9, map[finding.Severity]int{
			finding.SeverityHigh: 8, finding.SeverityMedium: 1}, "", 5},
		{"semgrep-e2e-critical-severity.json", 1,
			map[finding.Severity]int{finding.SeverityCritical: 1}, "0.42", 1},
		{"semgrep-e2e-dataflow-traces.json", 1,
			map[finding.Severity]int{finding.SeverityMedium: 1}, "0.42", 1},
		{"semgrep-e2e-regex-utf8.json", 3, map[finding.Severity]int{finding.SeverityHigh: 3},
			"0.42", 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := parseFixture(t, ParseJSON, "semgrep/json/"+tt.file)

			if got := len(res.Findings); got != tt.results {
				t.Fatalf("findings: got %d, want %d", got, tt.results)
			}
			got := map[finding.Severity]int{}
			rules := map[string]bool{}
			for _, f := range res.Findings {
				got[f.Severity]++
				rules[f.Rule.ID] = true
				if f.Tool != "semgrep" || f.Location.Path == "" || f.Location.StartLine == 0 {
					t.Errorf("finding %+v: want tool semgrep with a path and a line", f)
				}
			}
			for s, n := range tt.severities {
				if got[s] != n {
					t.Errorf("%s findings: got %d, want %d", s, got[s], n)
				}
			}
			if len(rules) != tt.rules {
				t.Errorf("distinct rules: got %d, want %d", len(rules), tt.rules)
			}
			if res.Tool.Name != "semgrep" || res.Tool.Version != tt.version {
				t.Errorf("tool: got %q %q, want semgrep %q", res.Tool.Name, res.Tool.Version, tt.version)
			}
		})
	}
}

func TestParseJSONFields(t *testing.T) {
	res := parseFixture(t, ParseJSON, "semgrep/json/defectdojo-cwe-list.json")
	f := res.Findings[0]
	if strings.Join(f.Rule.CWE, ",") != "CWE-352" {
		t.Errorf("CWE from a list: got %v, want [CWE-352]", f.Rule.CWE)
	}
	if f.ToolSeverity != "INFO" {
		t.Errorf("tool severity: got %q, want the word as stated, INFO", f.ToolSeverity)
	}

	res = parseFixture(t, ParseJSON, "semgrep/json/semgrep-e2e-regex-utf8.json")
	for _, f := range res.Findings {
		if !strings.ContainsFunc(f.Snippet, func(r rune) bool { return r > 127 }) {
			t.Errorf("snippet %q: want the non-ASCII text decoded from its \\u escapes", f.Snippet)
		}
	}
}

// A result as semgrep writes it today, with an autofix, a nosemgrep
// suppression and the "requires login" placeholders.
const liveResult = `{"version":"1.187.0","results":[{
  "check_id":"home.ci.rules.no-print","path":"app/main.py",
  "start":{"line":6,"col":5},"end":{"line":6,"col":19},
  "extra":{"message":"use logging","severity":"WARNING","fix":"log.info(x)",
    "is_ignored":true,"lines":"requires login","fingerprint":"requires login",
    "metadata":{"category":"best-practice","cwe":"CWE-778: Insufficient Logging"}}}],
  "errors":[{"type":"Syntax error","level":"warn","message":"bad.py: parse error\nmore",
    "path":"bad.py"}],
  "paths":{"scanned":["app/main.py","bad.py"]}}`

func TestParseJSONLiveShape(t *testing.T) {
	out, err := decodeJSON([]byte(liveResult), "live")
	if err != nil {
		t.Fatal(err)
	}
	res := out.result("/src", []string{"home.ci.rules."})
	f := res.Findings[0]

	checks := []struct{ name, got, want string }{
		{"rule id without the rule file's prefix", f.Rule.ID, "no-print"},
		{"fix", f.Fix, "log.info(x)"},
		{"snippet instead of the placeholder", f.Snippet, ""},
		{"suppression kind", f.Suppressions[0].Kind, "inSource"},
		{"CWE from a string", strings.Join(f.Rule.CWE, ","), "CWE-778"},
		{"error note", strings.Join(res.Stats.Notes, "|"),
			"semgrep: Syntax error in bad.py: bad.py: parse error"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if !f.Rule.Security {
		t.Error("a rule that names a CWE is a security rule, whatever its category")
	}
	if res.Stats.FilesScanned != 2 {
		t.Errorf("files scanned: got %d, want 2", res.Stats.FilesScanned)
	}
}

func TestParseJSONRejects(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", "empty file"},
		{"white space", " \n", "empty file"},
		{"array", `[{"results":[]}]`, "expected a JSON object"},
		{"truncated", `{"results":[{"check_id":"a",`, "truncated"},
		{"bad syntax", "{\n\"results\": [}", "line 2, column"},
		{"wrong type", `{"results":{"check_id":"a"}}`, "line 1"},
		{"SARIF instead", `{"version":"2.1.0","runs":[]}`, "no results key"},
		{"result without id", `{"results":[{"path":"a.py"}]}`, "results[0] has no check_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSON(strings.NewReader(tt.input), "report.json")
			if err == nil {
				t.Fatal("no error: a broken report must never read as no findings")
			}
			if !strings.Contains(err.Error(), "report.json") ||
				!strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q: want the file name and %q", err, tt.want)
			}
		})
	}
}

func TestSeverity(t *testing.T) {
	tests := []struct {
		word string
		want finding.Severity
	}{
		{"CRITICAL", finding.SeverityCritical},
		{"ERROR", finding.SeverityHigh},
		{"high", finding.SeverityHigh},
		{"WARNING", finding.SeverityMedium},
		{"MEDIUM", finding.SeverityMedium},
		{"INFO", finding.SeverityLow},
		{"LOW", finding.SeverityLow},
		{"INVENTORY", finding.SeverityInfo},
		{"", finding.SeverityMedium},
		{"SEVERE", finding.SeverityMedium},
	}
	for _, tt := range tests {
		if got := severity(tt.word); got != tt.want {
			t.Errorf("severity(%q): got %s, want %s", tt.word, got, tt.want)
		}
	}
}
