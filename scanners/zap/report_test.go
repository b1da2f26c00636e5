package zap

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// fixtureFacts are the facts EXPECTED.md states for each ZAP report in the
// shared fixtures, plus the findings secgate makes of them: one per alert
// and URL, which a separate count over the same files (Python's urllib, with
// query values dropped) gave as well.
type fixtureFacts struct {
	file       string
	program    string
	version    string
	site       string
	alerts     int
	instances  int
	plugins    int
	risks      map[Risk]int
	confidence map[Confidence]int
	findings   int
}

var fixtures = []fixtureFacts{
	{"json/bcgov-pipeline-templates-2.12.0.json", "OWASP ZAP", "2.12.0",
		"http://www.itsecgames.com", 8, 49, 8,
		map[Risk]int{0: 3, 2: 3, 1: 2}, map[Confidence]int{2: 5, 3: 2, 1: 1}, 49},
	{"json/bcgov-pipeline-templates-2.14.0.json", "ZAP", "2.14.0",
		"http://www.itsecgames.com", 12, 61, 9,
		map[Risk]int{0: 7, 2: 3, 1: 2}, map[Confidence]int{3: 6, 2: 5, 1: 1}, 61},
	{"json/bcgov-vhers-scan-2.14.0.json", "ZAP", "2.14.0",
		"https://vhers-virus-scan-tools-c82b4c-tools.apps.silver.devops.gov.bc.ca", 13, 32, 9,
		map[Risk]int{0: 7, 1: 4, 2: 2}, map[Confidence]int{2: 7, 3: 6}, 31},
	{"xml/defectdojo-2.16.1-with-req-resp.xml", "ZAP", "2.16.1",
		"https://example-domain.com", 4, 13, 4,
		map[Risk]int{0: 4}, map[Confidence]int{1: 3, 2: 1}, 13},
	{"xml/defectdojo-dvwa-baseline.xml", "", "D-2021-03-29",
		"http://172.17.0.2", 19, 124, 18,
		map[Risk]int{1: 8, 0: 7, 2: 4}, map[Confidence]int{2: 13, 1: 4, 3: 2}, 89},
	{"xml/defectdojo-empty-2.9.0.xml", "", "2.9.0",
		"https://isaac.nl", 0, 0, 0, map[Risk]int{}, map[Confidence]int{}, 0},
	{"xml/defectdojo-juice-shop-2.xml", "", "2.10.0",
		"https://juice-shop.herokuapp.com", 6, 86, 6,
		map[Risk]int{0: 2, 1: 2, 2: 2}, map[Confidence]int{1: 2, 2: 4}, 71},
	{"xml/defectdojo-results-first-scan.xml", "", "2.10.0",
		"http://bodgeit.securecodebox-demo.svc:8080", 15, 130, 15,
		map[Risk]int{0: 4, 1: 4, 3: 4, 2: 3}, map[Confidence]int{2: 11, 3: 3, 1: 1}, 82},
	{"xml/defectdojo-some-2.9.0.xml", "", "2.9.0",
		"https://mainsite.com", 7, 17, 7,
		map[Risk]int{1: 5, 0: 1, 2: 1}, map[Confidence]int{2: 6, 1: 1}, 7},
}

// TestFixturesMatchExpected decodes every ZAP report in the shared fixtures
// and compares what it read with the counts in EXPECTED.md.
func TestFixturesMatchExpected(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			data, err := os.ReadFile(testenv.Fixture(t, "zap/"+fx.file))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := decodeAny(data, fx.file)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if rep.Program != fx.program || rep.Version != fx.version || rep.Sites != 1 {
				t.Errorf("report: got %q %q, %d sites; want %q %q, 1 site",
					rep.Program, rep.Version, rep.Sites, fx.program, fx.version)
			}
			checkAlerts(t, rep.Alerts, fx)
		})
	}
}

func checkAlerts(t *testing.T, alerts []alert, fx fixtureFacts) {
	t.Helper()
	instances, plugins := 0, map[string]bool{}
	risks, confidence := map[Risk]int{}, map[Confidence]int{}
	for _, a := range alerts {
		instances += len(a.Instances)
		plugins[a.PluginID] = true
		risks[a.Risk]++
		confidence[a.Confidence]++
		if a.Site != fx.site {
			t.Errorf("alert %s: site %q, want %q", a.PluginID, a.Site, fx.site)
		}
	}
	if len(alerts) != fx.alerts || instances != fx.instances || len(plugins) != fx.plugins {
		t.Errorf("got %d alerts, %d instances, %d plugin ids; want %d, %d, %d",
			len(alerts), instances, len(plugins), fx.alerts, fx.instances, fx.plugins)
	}
	if got, want := fmt.Sprint(risks), fmt.Sprint(fx.risks); got != want {
		t.Errorf("risks: got %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(confidence), fmt.Sprint(fx.confidence); got != want {
		t.Errorf("confidence: got %s, want %s", got, want)
	}
}

// TestFixtureFindings reads every fixture through the exported parsers, as
// secgate convert does, and checks the findings: one per alert and URL, each
// with the URL as its only location (no file), the risk as its severity,
// and nothing from the instances' evidence.
func TestFixtureFindings(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			res := parseFixture(t, fx.file)
			if len(res.Findings) != fx.findings {
				t.Errorf("findings: got %d, want %d", len(res.Findings), fx.findings)
			}
			if res.Tool.Name != "zap" || res.Tool.Version != fx.version {
				t.Errorf("tool: got %+v, want zap %s", res.Tool, fx.version)
			}
			severities := map[finding.Severity]int{}
			seen := map[string]bool{}
			for _, f := range res.Findings {
				checkFinding(t, f, fx.site)
				severities[f.Severity]++
				key := f.Rule.ID + " " + f.Message + " " + f.Location.Logical
				if seen[key] {
					t.Errorf("two findings for %s", key)
				}
				seen[key] = true
			}
			if fx.findings > 0 && severities[finding.SeverityCritical] > 0 {
				t.Errorf("ZAP has no critical risk, got %v", severities)
			}
		})
	}
}

func parseFixture(t *testing.T, file string) *scanners.Result {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, "zap/"+file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parse := ParseJSON
	if strings.HasSuffix(file, ".xml") {
		parse = ParseXML
	}
	res, err := parse(f, file)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return res
}

func checkFinding(t *testing.T, f finding.Finding, site string) {
	t.Helper()
	l := f.Location
	if l.Path != "" || l.StartLine != 0 || !strings.HasPrefix(l.Logical, site) {
		t.Errorf("%s: location %+v, want only a URL under %s", f.Rule.ID, l, site)
	}
	if f.Tool != "zap" || f.Rule.ID == "" || !f.Rule.Security || f.Message == "" {
		t.Errorf("finding %+v lacks its tool, rule or message", f)
	}
	if strings.ContainsAny(f.Rule.ID, "-") {
		t.Errorf("rule id %q is not a plugin id", f.Rule.ID)
	}
	if strings.Contains(f.Rule.Description, "<p>") {
		t.Errorf("%s: description still holds HTML: %.60q", f.Rule.ID, f.Rule.Description)
	}
}

// TestSessionTokenStaysOut checks that an alert whose evidence is a session
// token (plugin 10112 in a real report) leaves no trace of it in the finding.
func TestSessionTokenStaysOut(t *testing.T) {
	const token = "0b338650e95df8cab2271e52067374d5" // the evidence in the fixture
	res := parseFixture(t, "json/bcgov-vhers-scan-2.14.0.json")
	found := false
	for _, f := range res.Findings {
		if f.Rule.ID == "10112" {
			found = true
		}
		if text := fmt.Sprintf("%+v", f); strings.Contains(text, token) {
			t.Errorf("finding %s carries the session token: %s", f.Rule.ID, f.Message)
		}
	}
	if !found {
		t.Fatal("no finding for plugin 10112; the fixture changed?")
	}
}

// TestFixtureDetails pins the mapping of single alerts of the fixtures.
func TestFixtureDetails(t *testing.T) {
	tests := []struct {
		file, rule, url string
		severity        finding.Severity
		toolSeverity    string
		cwe, tag        string
		message         string
		help            string
	}{
		{"json/bcgov-vhers-scan-2.14.0.json", "10055",
			"https://vhers-virus-scan-tools-c82b4c-tools.apps.silver.devops.gov.bc.ca/robots.txt",
			finding.SeverityMedium, "Medium", "CWE-693", "WASC-15",
			"CSP: Wildcard Directive (GET; parameter content-security-policy; confidence high)",
			"https://www.zaproxy.org/docs/alerts/10055-4/"},
		{"xml/defectdojo-some-2.9.0.xml", "10011", "https://mainsite.com/",
			finding.SeverityLow, "Low", "CWE-614", "WASC-13",
			"Cookie Without Secure Flag (GET; parameters dmid, opvc, sitevisitscookie; " +
				"confidence medium)",
			"https://www.zaproxy.org/docs/alerts/10011/"},
		// The attack was in the query: the location keeps only the name.
		{"xml/defectdojo-results-first-scan.xml", "40012",
			"http://bodgeit.securecodebox-demo.svc:8080/bodgeit/search.jsp?q",
			finding.SeverityHigh, "High", "CWE-79", "WASC-8",
			"Cross Site Scripting (Reflected) (GET; parameter q; confidence medium)",
			"https://www.zaproxy.org/docs/alerts/40012/"},
		{"xml/defectdojo-results-first-scan.xml", "40018",
			"http://bodgeit.securecodebox-demo.svc:8080/bodgeit/basket.jsp",
			finding.SeverityHigh, "High", "CWE-89", "WASC-19",
			"SQL Injection (POST; parameter productid; confidence medium)",
			"https://www.zaproxy.org/docs/alerts/40018/"},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.rule, func(t *testing.T) {
			var got *finding.Finding
			res := parseFixture(t, tt.file)
			for i, f := range res.Findings {
				if f.Rule.ID == tt.rule && f.Location.Logical == tt.url {
					got = &res.Findings[i]
				}
			}
			if got == nil {
				t.Fatalf("no finding of %s at %s", tt.rule, tt.url)
			}
			if got.Severity != tt.severity || got.ToolSeverity != tt.toolSeverity {
				t.Errorf("severity: got %s (%s), want %s (%s)", got.Severity, got.ToolSeverity,
					tt.severity, tt.toolSeverity)
			}
			if strings.Join(got.Rule.CWE, ",") != tt.cwe || strings.Join(got.Rule.Tags, ",") != tt.tag {
				t.Errorf("taxa: got %v %v, want %s %s", got.Rule.CWE, got.Rule.Tags, tt.cwe, tt.tag)
			}
			if got.Message != tt.message {
				t.Errorf("message: got %q, want %q", got.Message, tt.message)
			}
			if got.Rule.HelpURI != tt.help {
				t.Errorf("help: got %q, want %q", got.Rule.HelpURI, tt.help)
			}
		})
	}
}
