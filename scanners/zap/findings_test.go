package zap

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/testenv"
)

// knownFailure10 is the report of known-failures entry 10: numbers as
// strings, an informational alert on a single-label host with a port, and a
// high alert that ZAP rated a false positive, with no instances at all.
const knownFailure10 = `{"site":[{"@name":"http://app:8080","@port":"8080","@ssl":"false","alerts":[
 {"pluginid":"10094","alert":"Base64 Disclosure","riskcode":"0","confidence":"2",
  "riskdesc":"Informational (Medium)","count":"3",
  "instances":[{"uri":"http://app:8080/login","method":"POST","evidence":"x"}]},
 {"pluginid":"40012","alert":"XSS (Reflected)","riskcode":"3","confidence":"0"}]}]}`

func TestKnownFailure10(t *testing.T) {
	res, err := ParseJSON(strings.NewReader(knownFailure10), "kf10.json")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings: got %d, want 2", len(res.Findings))
	}
	b64, xss := res.Findings[0], res.Findings[1]
	if b64.Severity != finding.SeverityInfo || b64.Location.Logical != "http://app:8080/login" ||
		b64.Location.Path != "" || len(b64.Suppressions) != 0 {
		t.Errorf("base64 alert: got %s at %+v (%v)", b64.Severity, b64.Location, b64.Suppressions)
	}
	if xss.Severity != finding.SeverityHigh || xss.Location.Logical != "http://app:8080/" {
		t.Errorf("xss alert: got %s at %+v", xss.Severity, xss.Location)
	}
	if len(xss.Suppressions) != 1 || xss.Suppressions[0].Kind != "external" {
		t.Fatalf("false positive: got suppressions %+v, want one external", xss.Suppressions)
	}

	// The false positive is listed but does not block a gate at high, unless
	// the config counts false positives.
	tests := []struct {
		name  string
		count bool
		want  policy.Status
	}{
		{"false positives listed as suppressed", false, policy.StatusPassed},
		{"false positives counted", true, policy.StatusBlocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Scanners = []config.Scanner{{Name: "zap", Type: "zap",
				ZAP: config.ZAP{CountFalsePositives: tt.count}}}
			res, err := ImportJSON(cfg)(strings.NewReader(knownFailure10), "kf10.json")
			if err != nil {
				t.Fatal(err)
			}
			d := policy.Evaluate(cfg, res.Findings, nil, policy.Options{})
			if d.Status != tt.want {
				t.Errorf("status: got %s, want %s (%v)", d.Status, tt.want, d.Reasons)
			}
			if len(d.Findings) != 2 {
				t.Errorf("listed: got %d findings, want 2", len(d.Findings))
			}
		})
	}
}

// TestRiskAndConfidenceForms reads risk and confidence in every form ZAP and
// its imitators write: numeric strings, JSON numbers, and the API's words.
func TestRiskAndConfidenceForms(t *testing.T) {
	tests := []struct {
		name      string
		alert     string
		risk      Risk
		conf      Confidence
		wantError string
	}{
		{"numeric strings", `"riskcode":"3","confidence":"1"`, 3, 1, ""},
		{"numbers", `"riskcode":2,"confidence":4`, 2, 4, ""},
		{"words", `"riskcode":"High","confidence":"False Positive"`, 3, 0, ""},
		{"words in other cases", `"riskcode":"informational","confidence":"USER CONFIRMED"`, 0, 4, ""},
		{"riskdesc only", `"riskdesc":"Low (High)"`, 1, 3, ""},
		{"no confidence at all", `"riskcode":"1"`, 1, 2, ""},
		{"risk out of range", `"riskcode":"4","confidence":"2"`, 0, 0, `risk "4" is not one of ZAP's`},
		{"unknown confidence", `"riskcode":"1","confidence":"Sure"`, 0, 0, `confidence "Sure"`},
		{"risk as an object", `"riskcode":{"v":1}`, 0, 0, "expected a string or a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"@version":"2.14.0","site":{"@name":"http://h","alerts":[{"pluginid":"1",` +
				`"alert":"A",` + tt.alert + `}]}}`
			rep, err := decodeJSON([]byte(doc), "forms.json")
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			a := rep.Alerts[0]
			if a.Risk != tt.risk || a.Confidence != tt.conf {
				t.Errorf("got risk %d confidence %d, want %d %d", a.Risk, a.Confidence,
					tt.risk, tt.conf)
			}
		})
	}
}

func TestLocation(t *testing.T) {
	tests := []struct {
		raw, site, want string
	}{
		{"http://app:8080/login", "", "http://app:8080/login"},
		{"http://app/path", "", "http://app/path"},
		{"HTTP://App.Example.TEST:80/A/b", "", "http://app.example.test/A/b"},
		{"https://host:443", "", "https://host/"},
		{"https://host:8443/x#frag", "", "https://host:8443/x"},
		{"http://user:pass@host/admin", "", "http://host/admin"},
		{"http://h/s?q=%3Cscript%3E&b=1&q=2&flag", "", "http://h/s?b&flag&q"},
		{"http://[::1]:8080/api", "", "http://[::1]:8080/api"},
		{"http://[fe80::1]/", "", "http://[fe80::1]/"},
		{"http://h/a%20b", "", "http://h/a%20b"},
		{"", "https://site.test", "https://site.test/"},
		{"not a url?token=abc", "", "not a url"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			if got := location(tt.raw, tt.site); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestInstancesMergePerURL checks that instances of one alert on one URL
// become one finding whatever their methods, parameters and query values,
// and that the finding keeps the highest risk and confidence among them.
func TestInstancesMergePerURL(t *testing.T) {
	alerts := []alert{
		{PluginID: "10021", Name: "X-Content-Type-Options Header Missing", Risk: 1,
			Confidence: 2, Site: "http://h", Instances: []instance{
				{URI: "http://h/a?id=1", Method: "GET", Param: "x-content-type-options"},
				{URI: "http://h/a?id=2", Method: "HEAD", Param: "x-content-type-options"},
				{URI: "http://h/b", Method: "GET"},
			}},
		{PluginID: "10021", Name: "X-Content-Type-Options Header Missing", Risk: 1,
			Confidence: 0, Site: "http://h", Instances: []instance{{URI: "http://h/a?id=3",
				Method: "POST"}}},
	}
	got := findings(alerts, "2.14.0", options{})
	if len(got) != 2 {
		t.Fatalf("findings: got %d, want 2: %+v", len(got), got)
	}
	a := got[0]
	wantMsg := "X-Content-Type-Options Header Missing (GET, HEAD, POST; parameter " +
		"x-content-type-options; confidence medium)"
	if a.Location.Logical != "http://h/a?id" || a.Message != wantMsg {
		t.Errorf("merged finding: got %q %q, want http://h/a?id %q", a.Location.Logical,
			a.Message, wantMsg)
	}
	if len(a.Suppressions) != 0 {
		t.Errorf("one instance was not a false positive, so the finding is not: %+v",
			a.Suppressions)
	}
}

// TestManyParameters checks that the message lists at most a few names.
func TestManyParameters(t *testing.T) {
	var insts []instance
	for _, p := range []string{"g", "f", "e", "d", "c", "b", "a"} {
		insts = append(insts, instance{URI: "http://h/", Method: "GET", Param: p})
	}
	got := findings([]alert{{PluginID: "1", Name: "N", Risk: 1, Confidence: 3,
		Instances: insts}}, "", options{})
	want := "N (GET; parameters a, b, c, d, e and 2 more; confidence high)"
	if len(got) != 1 || got[0].Message != want {
		t.Errorf("got %+v, want one finding %q", got, want)
	}
}

// TestRulesFileDrivesPolicy is the whole path of a team's ZAP rules file: the
// config reads it, the policy applies its levels to the findings of a real
// report, and its OUTOFSCOPE lines suppress what they name.
func TestRulesFileDrivesPolicy(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "zap.conf")
	conf, err := os.ReadFile(testenv.Fixture(t, "zap/conf/zaproxy-integration-baseline2.conf"))
	if err != nil {
		t.Fatal(err)
	}
	extra := "90003\tOUTOFSCOPE\thttp://www\\.itsecgames\\.com\n"
	if err := os.WriteFile(rules, append(conf, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte("fail_on: critical\nscanners:\n  zap:\n    report: z.json\n"+
		"    rules_file: "+rules+"\n"), "secgate.yaml")
	if err != nil {
		t.Fatalf("config: %v", err)
	}

	f, err := os.Open(testenv.Fixture(t, "zap/json/bcgov-pipeline-templates-2.14.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ImportJSON(cfg)(f, "report.json")
	if err != nil {
		t.Fatal(err)
	}
	d := policy.Evaluate(cfg, res.Findings, nil, policy.Options{})

	outcomes := map[string]map[policy.Outcome]int{}
	for _, ev := range d.Findings {
		id := ev.Finding.Rule.ID
		if outcomes[id] == nil {
			outcomes[id] = map[policy.Outcome]int{}
		}
		outcomes[id][ev.Outcome]++
	}
	want := map[string]string{
		"10021": "map[fail:11]",      // FAIL in the rules file
		"10049": "map[ignore:13]",    // IGNORE
		"90003": "map[suppressed:5]", // OUTOFSCOPE for every URL of the site
		"10038": "map[warn:5]",       // not in the file: fail_on decides
	}
	for id, w := range want {
		if got := fmtOutcomes(outcomes[id]); got != w {
			t.Errorf("rule %s: got %s, want %s", id, got, w)
		}
	}
	if d.Status != policy.StatusBlocked {
		t.Errorf("status: got %s, want blocked by the FAIL rule", d.Status)
	}
}

func fmtOutcomes(m map[policy.Outcome]int) string {
	b, _ := json.Marshal(m)
	s := strings.NewReplacer(`"`, "", "{", "map[", "}", "]", ",", " ").Replace(string(b))
	return s
}
