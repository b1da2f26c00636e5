package snyk

import (
	"os"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
)

// jsonFixture holds, for one Snyk JSON fixture, the counts that
// ../shared/fixtures/EXPECTED.md states (entries, distinct ids and severities
// as Snyk wrote them, per entry) and the number of findings secgate must
// report: one per vulnerability, package and version in each project,
// counted from the file with Python, since Snyk repeats a vulnerability once
// per dependency path.
type jsonFixture struct {
	file     string
	array    bool
	projects int    // entries of the array, or 1; applications not included
	entries  int    // vulnerabilities[] items, applications' included
	distinct []int  // distinct ids per project, in order
	stated   string // severity as stated, over entries (or IaC issues)
	iac      int
	findings int
	severity string // secgate's severities over findings
}

var jsonFixtures = []jsonFixture{
	{file: "snyk/json/defectdojo-all-projects-many-vulns.json", array: true, projects: 3,
		entries: 4, distinct: []int{1, 2, 1}, stated: "medium:4",
		findings: 4, severity: "medium:4"},
	{file: "snyk/json/defectdojo-maven-single-project-many-vulns.json", projects: 1,
		entries: 41, distinct: []int{41}, stated: "high:12 medium:29",
		// 3 entries say high with severityWithCritical critical.
		findings: 41, severity: "critical:3 high:9 medium:29"},
	{file: "snyk/json/defectdojo-npm-critical-ampersands.json", projects: 1,
		entries: 1, distinct: []int{1}, stated: "critical:1",
		findings: 1, severity: "critical:1"},
	{file: "snyk/json/defectdojo-npm-upgrade-libs-huge.json", projects: 1,
		entries: 254, distinct: []int{43}, stated: "high:30 low:10 medium:214",
		findings: 52, severity: "high:19 low:2 medium:31"},
	{file: "snyk/json/snyk-cli-npm-multi-project.json", array: true, projects: 2,
		entries: 15, distinct: []int{7, 2}, stated: "high:7 low:2 medium:6",
		findings: 9, severity: "high:3 low:1 medium:5"},
	{file: "snyk/json/snyk-to-html-maven-no-vulns.json", projects: 1,
		entries: 0, distinct: []int{0}, stated: ""},
	{file: "snyk/json/snyk-to-html-npm-test-report.json", projects: 1,
		entries: 33, distinct: []int{18}, stated: "high:15 low:2 medium:16",
		findings: 26, severity: "high:12 low:2 medium:12"},
	{file: "snyk/json/snyk-to-html-pip-pins-remediation.json", projects: 1,
		entries: 1, distinct: []int{1}, stated: "medium:1",
		findings: 1, severity: "medium:1"},
	{file: "snyk-container/json/defectdojo-container-epss.json", projects: 1,
		entries: 13, distinct: []int{1, 12}, stated: "critical:1 high:2 low:1 medium:9",
		findings: 13, severity: "critical:1 high:2 low:1 medium:9"},
	{file: "snyk-container/json/defectdojo-container-issue9270.json", projects: 1,
		entries: 37, distinct: []int{13, 12}, stated: "critical:1 high:2 low:25 medium:9",
		findings: 25, severity: "critical:1 high:2 low:13 medium:9"},
	{file: "snyk-container/json/snyk-cli-apk-basic.json", array: true, projects: 1,
		entries: 13, distinct: []int{1}, stated: "low:13",
		findings: 1, severity: "low:1"},
	{file: "snyk-container/json/snyk-to-html-container-with-app-vulns.json", projects: 1,
		entries: 2, distinct: []int{1, 1}, stated: "critical:1 high:1",
		findings: 2, severity: "critical:1 high:1"},
	{file: "snyk-iac/json/snyk-cli-terraform-v2.json", array: true, projects: 4,
		distinct: []int{0, 0, 0, 0}, stated: "medium:4", iac: 4,
		findings: 4, severity: "medium:4"},
	{file: "snyk-iac/json/snyk-to-html-arm-templates.json", array: true, projects: 7,
		distinct: []int{0, 0, 0, 0, 0, 0, 0}, stated: "high:3 low:12 medium:15", iac: 30,
		findings: 30, severity: "high:3 low:12 medium:15"},
}

// TestDecodeJSONFixtures checks the decoding against EXPECTED.md: the shape,
// every entry on every dependency path, and the severities as stated.
func TestDecodeJSONFixtures(t *testing.T) {
	for _, tt := range jsonFixtures {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(testenv.Fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := shapeOf(data) == shapeArray; got != tt.array {
				t.Errorf("array: got %v, want %v", got, tt.array)
			}
			projects, err := decodeProjects(data, tt.file)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(projects) != tt.projects {
				t.Errorf("projects: got %d, want %d", len(projects), tt.projects)
			}

			c := tally{stated: map[string]int{}}
			for i := range projects {
				c.add(&projects[i])
			}
			if c.entries != tt.entries {
				t.Errorf("entries: got %d, want %d", c.entries, tt.entries)
			}
			if !equalInts(c.distinct, tt.distinct) {
				t.Errorf("distinct ids per project: got %v, want %v", c.distinct, tt.distinct)
			}
			if got := counts(c.stated); got != tt.stated {
				t.Errorf("severity as stated: got %q, want %q", got, tt.stated)
			}
			if c.iac != tt.iac {
				t.Errorf("IaC issues: got %d, want %d", c.iac, tt.iac)
			}
		})
	}
}

// tally counts what the decoded projects hold, applications included, by
// walking the issues the adapter groups: every path of every issue is one
// entry of the report, so the sums must match the file.
type tally struct {
	entries  int
	distinct []int
	stated   map[string]int
	iac      int
}

func (c *tally) add(p *projectJSON) {
	ids := map[string]bool{}
	for _, is := range groupIssues(p.Vulnerabilities) {
		ids[is.v.ID.String()] = true
		c.entries += len(is.paths)
		for range is.paths {
			c.stated[is.v.Severity.String()]++
		}
	}
	c.distinct = append(c.distinct, len(ids))
	for _, is := range p.IaCIssues {
		c.iac++
		c.stated[is.Severity.String()]++
	}
	for i := range p.Applications {
		c.add(&p.Applications[i])
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestParseJSONFixtures reads every Snyk JSON fixture through the format's
// parser and checks the findings secgate reports.
func TestParseJSONFixtures(t *testing.T) {
	for _, tt := range jsonFixtures {
		t.Run(tt.file, func(t *testing.T) {
			res, err := parseFixture(t, tt.file, ParseJSON)
			if err != nil {
				t.Fatalf("ParseJSON: %v", err)
			}
			if len(res.Findings) != tt.findings {
				t.Errorf("findings: got %d, want %d", len(res.Findings), tt.findings)
			}
			if got := severityCounts(res.Findings); got != tt.severity {
				t.Errorf("severities: got %q, want %q", got, tt.severity)
			}
			if res.Stats.FilesScanned == 0 {
				t.Errorf("FilesScanned: got 0, want the projects tested")
			}
			for _, f := range res.Findings {
				if f.Tool != "snyk" || f.Rule.ID == "" || f.Message == "" {
					t.Errorf("finding %+v: want tool snyk, a rule id and a message", f)
				}
				if tt.iac == 0 && (f.Package == nil || f.Package.Name == "" ||
					f.Package.Version == "") {
					t.Errorf("finding %s: no package and version", f.Rule.ID)
				}
			}
		})
	}
}

// TestVulnFinding checks one dependency finding field by field: the first
// result of the npm multi-project fixture, connect@1.9.2 in app-1, which two
// paths pull in and an upgrade of express fixes.
func TestVulnFinding(t *testing.T) {
	res, err := parseFixture(t, "snyk/json/snyk-cli-npm-multi-project.json", ParseJSON)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Findings[0]
	checks := []struct{ name, got, want string }{
		{"rule", f.Rule.ID, "npm:connect:20120107"},
		{"title", f.Rule.Name, "Denial of Service (DoS)"},
		{"help", f.Rule.HelpURI, "https://security.snyk.io/vuln/npm:connect:20120107"},
		{"cwe", strings.Join(f.Rule.CWE, ","), "CWE-400"},
		{"severity", f.Severity.String(), "medium"},
		{"tool severity", f.ToolSeverity, "medium"},
		{"path", f.Location.Path, "app-1/package-lock.json"},
		{"logical", f.Location.Logical, "connect@1.9.2"},
		{"package", f.Package.Name + "@" + f.Package.Version, "connect@1.9.2"},
		{"purl", f.Package.PURL, "pkg:npm/connect@1.9.2"},
		{"type", f.Package.Type, "npm"},
		{"fixed", f.Package.FixedVersion, "2.0.0"},
		{"advisories", strings.Join(f.Package.Advisories, ","), "npm:connect:20120107"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	for _, want := range []string{
		"Denial of Service (DoS) in connect@1.9.2 (npm:connect:20120107)",
		"Introduced through cli-grouping@1.0.0 > express@2.5.11 > connect@1.9.2",
		"Fix: upgrade express@2.5.11 to express@3.0.0",
	} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q: want it to contain %q", f.Message, want)
		}
	}
}

// TestFixDescriptions checks each kind of fix the JSON can describe, on the
// fixture entries that have it.
func TestFixDescriptions(t *testing.T) {
	const (
		image = "snyk-container/json/snyk-to-html-container-with-app-vulns.json"
		npm   = "snyk/json/snyk-to-html-npm-test-report.json"
		pip   = "snyk/json/snyk-to-html-pip-pins-remediation.json"
	)
	tests := []struct {
		name, file, rule, wantMsg, wantFixed string
	}{
		{"no fix in an image", image, "SNYK-DEBIAN10-ZLIB-2976149",
			"No fix is available yet.", ""},
		{"fixed version, no upgrade path", image, "SNYK-GOLANG-GOLANGORGXCRYPTOSSH-551923",
			"Fixed in golang.org/x/crypto/ssh 0.0.0-20200220183623-bac4c82f6975.",
			"0.0.0-20200220183623-bac4c82f6975"},
		{"patch only", npm, "npm:hawk:20160119",
			"Fix: a Snyk patch is available", ""},
		// fixedIn lists 1.4.11, 1.5.6, 1.6.3 and 1.7.1; 1.6.1 is installed.
		{"pin to the nearest fix", pip, "SNYK-PYTHON-DJANGO-40025",
			"Fix: pin django@1.6.1 to django@1.6.3.", "1.6.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parseFixture(t, tt.file, ParseJSON)
			if err != nil {
				t.Fatal(err)
			}
			f := findRule(t, res.Findings, tt.rule)
			if !strings.Contains(f.Message, tt.wantMsg) {
				t.Errorf("message %q: want it to contain %q", f.Message, tt.wantMsg)
			}
			if f.Package.FixedVersion != tt.wantFixed {
				t.Errorf("fixed version: got %q, want %q", f.Package.FixedVersion, tt.wantFixed)
			}
		})
	}
}

func findRule(t *testing.T, fs []finding.Finding, id string) finding.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Rule.ID == id {
			return f
		}
	}
	t.Fatalf("no finding of rule %s", id)
	return finding.Finding{}
}
