package snyk

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// TestParseSARIFFixtures reads every Snyk SARIF fixture. Results and
// distinct rule ids are EXPECTED.md's; severities are Snyk's words from the
// rules ("High severity - ..." or problem.severity), counted with Python,
// and for Snyk Code, which writes no word, the levels EXPECTED.md states
// (error high, warning medium, note low).
func TestParseSARIFFixtures(t *testing.T) {
	tests := []struct {
		file     string
		parse    scanners.Parser
		display  string
		results  int
		rules    int
		severity string
	}{
		{"snyk/sarif/snyk-fixtures-maven-with-vulns.sarif", ParseSARIF, displayOpenSource,
			41, 41, "high:31 medium:10"},
		{"snyk/sarif/snyk-fixtures-npm-two-vuln-deps.sarif", ParseSARIF, displayOpenSource,
			7, 7, "high:2 low:2 medium:3"},
		{"snyk-container/sarif/snyk-cli-container.sarif", ParseSARIF, displayContainer,
			1, 1, "low:1"},
		{"snyk-iac/sarif/snyk-cli-terraform.sarif", ParseSARIF, displayIaC,
			4, 2, "medium:4"},
		{"snyk-code/sarif/defectdojo-snyk-code-issue9270.sarif", ParseCodeSARIF, displayCode,
			39, 10, "high:12 low:3 medium:24"},
		{"snyk-code/sarif/snyk-cli-sast-sample.sarif", ParseCodeSARIF, displayCode,
			7, 6, "high:3 medium:4"},
		{"snyk-code/sarif/snyk-cli-v2-nosqli.sarif", ParseCodeSARIF, displayCode,
			2, 2, "high:1 medium:1"},
		{"snyk-code/sarif/snyk-to-html-altoroj.sarif", ParseCodeSARIF, displayCode,
			20, 8, "high:14 low:1 medium:5"},
		// What `snyk code test --json` writes is SARIF; the JSON format reads it.
		{"snyk-code/sarif/snyk-cli-v2-nosqli.sarif", ParseJSON, displayCode,
			2, 2, "high:1 medium:1"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := parseFixture(t, tt.file, tt.parse)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if len(res.Findings) != tt.results {
				t.Errorf("findings: got %d, want %d", len(res.Findings), tt.results)
			}
			if got := len(ruleIDs(res.Findings)); got != tt.rules {
				t.Errorf("distinct rules: got %d, want %d", got, tt.rules)
			}
			if got := severityCounts(res.Findings); got != tt.severity {
				t.Errorf("severities: got %q, want %q", got, tt.severity)
			}
			if res.Tool.Name != "snyk" || res.Tool.DisplayName != "Snyk" {
				t.Errorf("tool: got %s (%s), want snyk (Snyk)", res.Tool.Name,
					res.Tool.DisplayName)
			}
			if notes := strings.Join(res.Stats.Notes, "\n"); !strings.Contains(notes, tt.display) {
				t.Errorf("notes %q: want the product, %s", notes, tt.display)
			}
			for _, f := range res.Findings {
				if f.Tool != "snyk" || !slices.Contains(f.Rule.Tags, productTags[tt.display]) {
					t.Errorf("finding: tool %q, tags %q; want snyk, tagged %s",
						f.Tool, f.Rule.Tags, productTags[tt.display])
				}
			}
		})
	}
}

// productTags are the tags that name each product in its findings' rules.
var productTags = map[string]string{
	displayOpenSource: "snyk:open-source",
	displayContainer:  "snyk:container",
	displayIaC:        "snyk:iac",
	displayCode:       "snyk:code",
}

// TestSARIFLocations checks where each product's findings point: Open Source
// at the manifest without Snyk's placeholder line, Container at no file (the
// artifact URI is the image's name), IaC at the file relative to the
// directory Snyk ran in, Code at the line.
func TestSARIFLocations(t *testing.T) {
	tests := []struct {
		file, rule           string
		parse                scanners.Parser
		path, logical        string
		line                 int
		pkg, fixed, advisory string
	}{
		// The help lists fixes in 2.2.1, 3.0.1, 4.0.3 and 1.2.3; the nearest
		// above 1.1.2 is 1.2.3.
		{"snyk/sarif/snyk-fixtures-npm-two-vuln-deps.sarif", "SNYK-JS-BL-608877", ParseSARIF,
			"package.json", "bl@1.1.2", 0, "bl@1.1.2", "1.2.3", "CVE-2020-8244"},
		{"snyk-container/sarif/snyk-cli-container.sarif", "SNYK-LINUX-BZIP2-106947", ParseSARIF,
			"", "bzip2@1.0.6-8.1", 0, "bzip2@1.0.6-8.1", "", "CVE-2016-3189"},
		{"snyk-iac/sarif/snyk-cli-terraform.sarif", "SNYK-CC-00151", ParseSARIF,
			"plan.json", "", 1, "", "", ""},
		{"snyk-code/sarif/snyk-cli-v2-nosqli.sarif", "javascript/NoSqli", ParseCodeSARIF,
			"routes/likeProductReviews.ts", "", 18, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			res, err := parseFixture(t, tt.file, tt.parse)
			if err != nil {
				t.Fatal(err)
			}
			f := findRule(t, res.Findings, tt.rule)
			l := f.Location
			if l.Path != tt.path || l.Logical != tt.logical || l.StartLine != tt.line {
				t.Errorf("location: got %q %q line %d, want %q %q line %d",
					l.Path, l.Logical, l.StartLine, tt.path, tt.logical, tt.line)
			}
			if tt.pkg == "" {
				if f.Package != nil {
					t.Errorf("package: got %+v, want none", f.Package)
				}
				return
			}
			if f.Package == nil {
				t.Fatalf("package: got none, want %s", tt.pkg)
			}
			p := f.Package
			if got := p.Name + "@" + p.Version; got != tt.pkg {
				t.Errorf("package: got %s, want %s", got, tt.pkg)
			}
			if p.FixedVersion != tt.fixed {
				t.Errorf("fixed: got %q, want %q", p.FixedVersion, tt.fixed)
			}
			if len(p.Advisories) == 0 || p.Advisories[0] != tt.advisory {
				t.Errorf("advisories: got %v, want %s first", p.Advisories, tt.advisory)
			}
		})
	}
}

// TestSARIFWrongProduct checks that each SARIF format refuses the other's
// reports and other tools' SARIF, naming the format to use instead.
func TestSARIFWrongProduct(t *testing.T) {
	tests := []struct {
		name, file string
		parse      scanners.Parser
		want       string
	}{
		{"code report as snyk-sarif", "snyk-code/sarif/snyk-cli-v2-nosqli.sarif", ParseSARIF,
			"read it as snyk-code-sarif"},
		{"open source report as snyk-code-sarif",
			"snyk/sarif/snyk-fixtures-npm-two-vuln-deps.sarif", ParseCodeSARIF,
			"read it as snyk-sarif"},
		{"semgrep SARIF", "semgrep/sarif/semgrep-e2e-with-source.sarif", ParseSARIF,
			"not a Snyk product"},
		{"Snyk JSON as SARIF", "snyk/json/defectdojo-npm-critical-ampersands.json",
			ParseSARIF, "expected a SARIF log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFixture(t, tt.file, tt.parse)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error: got %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestSARIFRunPerProject reads what `snyk test --all-projects --sarif`
// writes: one run per manifest (known-failures.md entry 6). All runs become
// one result of one tool, so secgate's own log has one Snyk run.
func TestSARIFRunPerProject(t *testing.T) {
	data, err := os.ReadFile(testenv.Fixture(t,
		"snyk/sarif/snyk-fixtures-npm-two-vuln-deps.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	runs := log["runs"].([]any)
	log["runs"] = []any{runs[0], runs[0]}
	twice, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}

	res, err := ParseSARIF(bytes.NewReader(twice), "all-projects.sarif")
	if err != nil {
		t.Fatalf("ParseSARIF: %v", err)
	}
	if len(res.Findings) != 14 || len(res.Tools) != 0 || res.Tool.Name != "snyk" {
		t.Errorf("got %d findings, tool %s and %d more tools; want 14 of snyk alone",
			len(res.Findings), res.Tool.Name, len(res.Tools))
	}
}
