package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/testenv"
)

// zapSettings are the zap settings a test compares; the parsed rules file is
// checked on its own below.
type zapSettings struct {
	Target, Script, APIFormat, Daemon, APIKeyEnv string
	ActiveScan                                   bool
	ActiveScanLimit, SpiderLimit                 time.Duration
	CountFalsePositives                          bool
	Report                                       string
}

func TestParseZAPScanner(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    zapSettings
		wantErr string // a diagnostic line must contain this; empty means none
	}{
		{
			name: "import a report",
			yaml: "scanners:\n  zap:\n    report: out/zap.json\n    count_false_positives: true\n",
			want: zapSettings{Report: "out/zap.json", CountFalsePositives: true},
		},
		{
			name: "baseline script",
			yaml: "scanners:\n  dast:\n    type: zap\n    script: baseline\n" +
				"    target: http://app:8080/\n    args: [-j]\n    env: [IS_CONTAINERIZED]\n",
			want: zapSettings{Script: "baseline", Target: "http://app:8080/"},
		},
		{
			name: "api script with its format",
			yaml: "scanners:\n  zap:\n    script: api\n    api_format: openapi\n" +
				"    target: https://api.example.test/openapi.json\n",
			want: zapSettings{Script: "api", APIFormat: "openapi",
				Target: "https://api.example.test/openapi.json"},
		},
		{
			name: "daemon with an active scan",
			yaml: "scanners:\n  zap:\n    daemon: http://zap:8090\n    target: http://app/\n" +
				"    api_key_env: ZAP_API_KEY\n    active_scan: true\n    active_scan_limit: 5m\n" +
				"    spider_limit: 90s\n",
			want: zapSettings{Daemon: "http://zap:8090", Target: "http://app/",
				APIKeyEnv: "ZAP_API_KEY", ActiveScan: true, ActiveScanLimit: 5 * time.Minute,
				SpiderLimit: 90 * time.Second},
		},
		{
			name:    "no way in",
			yaml:    "scanners:\n  zap:\n    target: http://app/\n",
			wantErr: ":2:3: scanners.zap: say how to get ZAP's findings",
		},
		{
			name:    "two ways in",
			yaml:    "scanners:\n  zap:\n    report: z.json\n    daemon: http://zap:8080\n",
			wantErr: ":2:3: scanners.zap: report, script and daemon are three ways to run ZAP; choose one",
		},
		{
			name: "a scan needs a target",
			yaml: "scanners:\n  zap:\n    script: baseline\n",
			wantErr: ":2:3: scanners.zap: needs target, the URL to scan; " +
				"secgate never scans a URL it was not given",
		},
		{
			name:    "daemon needs a target",
			yaml:    "scanners:\n  zap:\n    daemon: http://127.0.0.1:8080\n",
			wantErr: ":2:3: scanners.zap: needs target",
		},
		{
			name:    "target that is not a URL",
			yaml:    "scanners:\n  zap:\n    script: full\n    target: app.example.test\n",
			wantErr: `:4:13: scanners.zap.target: "app.example.test" is not an http or https URL with a host`,
		},
		{
			name:    "target on an import",
			yaml:    "scanners:\n  zap:\n    report: z.xml\n    target: http://app/\n",
			wantErr: ":4:5: scanners.zap.target: only makes sense with script or daemon",
		},
		{
			name: "daemon settings on a script",
			yaml: "scanners:\n  zap:\n    script: baseline\n    target: http://app/\n" +
				"    active_scan: true\n",
			wantErr: ":5:5: scanners.zap.active_scan: only makes sense with daemon",
		},
		{
			name: "script settings on a daemon",
			yaml: "scanners:\n  zap:\n    daemon: http://zap:8080\n    target: http://app/\n" +
				"    args: [-j]\n",
			wantErr: ":5:5: scanners.zap.args: only makes sense with script",
		},
		{
			name:    "api script without its format",
			yaml:    "scanners:\n  zap:\n    script: api\n    target: http://app/openapi.json\n",
			wantErr: ":2:3: scanners.zap: script api needs api_format (openapi, soap, graphql)",
		},
		{
			name: "format on the baseline",
			yaml: "scanners:\n  zap:\n    script: baseline\n    api_format: soap\n" +
				"    target: http://app/\n",
			wantErr: ":4:17: scanners.zap.api_format: only makes sense with script: api",
		},
		{
			name:    "unknown script",
			yaml:    "scanners:\n  zap:\n    script: quick\n    target: http://app/\n",
			wantErr: `:3:13: scanners.zap.script: unknown scan script "quick" (known: baseline, full, api)`,
		},
		{
			name: "the key itself instead of its variable",
			yaml: "scanners:\n  zap:\n    daemon: http://zap:8080\n    target: http://app/\n" +
				"    api_key_env: 'k3y=s3cr3t'\n",
			wantErr: ":5:18: scanners.zap.api_key_env: must name an environment variable",
		},
		{
			name: "limit without an active scan",
			yaml: "scanners:\n  zap:\n    daemon: http://zap:8080\n    target: http://app/\n" +
				"    active_scan_limit: 5m\n",
			wantErr: ":5:24: scanners.zap.active_scan_limit: only makes sense with active_scan: true",
		},
		{
			name: "limit beyond the timeout",
			yaml: "scanners:\n  zap:\n    daemon: http://zap:8080\n    target: http://app/\n" +
				"    active_scan: true\n    active_scan_limit: 20m\n",
			wantErr: ":6:24: scanners.zap.active_scan_limit: must be shorter than the scanner's timeout (10m0s)",
		},
		{
			name: "zero spider limit",
			yaml: "scanners:\n  zap:\n    daemon: http://zap:8080\n    target: http://app/\n" +
				"    spider_limit: 0s\n",
			wantErr: ":5:19: scanners.zap.spider_limit: must be more than zero",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), "secgate.yaml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			s := cfg.Scanners[0]
			z := s.ZAP
			got := zapSettings{z.Target, z.Script, z.APIFormat, z.Daemon, z.APIKeyEnv,
				z.ActiveScan, z.ActiveScanLimit, z.SpiderLimit, z.CountFalsePositives, s.Report}
			if got != tt.want {
				t.Errorf("settings: got %+v, want %+v", got, tt.want)
			}
			if s.Type != "zap" {
				t.Errorf("type: got %q, want zap", s.Type)
			}
		})
	}
}

// TestZAPRulesFixture reads the rules file from ZAP's own integration tests:
// three tab-separated lines, FAIL, INFO and IGNORE.
func TestZAPRulesFixture(t *testing.T) {
	path := testenv.Fixture(t, "zap/conf/zaproxy-integration-baseline2.conf")
	rules, scopes, problems := ReadZAPRules(path)
	if len(problems) > 0 || len(scopes) > 0 {
		t.Fatalf("problems %v, scopes %v; want none", problems, scopes)
	}
	want := []ZAPRule{
		{ID: "10021", Level: "FAIL", Action: ActionFail, Line: 1},
		{ID: "10035", Level: "INFO", Action: ActionIgnore, Line: 2},
		{ID: "10049", Level: "IGNORE", Action: ActionIgnore, Line: 3},
	}
	if len(rules) != len(want) {
		t.Fatalf("rules: got %+v, want %+v", rules, want)
	}
	for i := range want {
		if rules[i] != want[i] {
			t.Errorf("rule %d: got %+v, want %+v", i, rules[i], want[i])
		}
	}
}

func TestParseZAPRules(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     string // the rules as id=LEVEL:line, space-separated
		scopes   int
		problems []string
	}{
		{
			name: "comments, blank lines, CRLF, a byte order mark and a user message",
			text: "\ufeff# zap-baseline rule configuration file\r\n\r\n10010\tWARN\t(Cookie No " +
				"HttpOnly Flag)\r\n10011\tPASS\t(Cookie Without Secure Flag)\tnot over http\r\n",
			want: "10010=WARN:3 10011=PASS:4",
		},
		{
			name: "a later line for the same id wins, as in ZAP",
			text: "10021\tWARN\t(a)\n10020\tFAIL\t(b)\n10021\tIGNORE\t(a again)\n",
			want: "10021=IGNORE:3 10020=FAIL:2",
		},
		{
			name: "comma-separated ids",
			text: "10020,10021\tFAIL\t(headers)\n",
			want: "10020=FAIL:1 10021=FAIL:1",
		},
		{
			name:   "out of scope lines",
			text:   "*\tOUTOFSCOPE\thttp://app/logout.*\n10055,10055-4\tOUTOFSCOPE\t.*/static/.*\n",
			scopes: 2,
		},
		{
			name:     "spaces instead of tabs",
			text:     "10021\tFAIL\t(ok)\n10035    FAIL    (Strict-Transport-Security)\n",
			want:     "10021=FAIL:1",
			problems: []string{"rules.tsv:2: the fields are separated by spaces; a ZAP rules file needs a tab"},
		},
		{
			name:     "a tab missing",
			text:     "10021\tFAIL\n",
			problems: []string{`rules.tsv:1: expected id<TAB>level<TAB>name, got "10021\tFAIL"`},
		},
		{
			name: "unknown and lower-case levels",
			text: "10021\tERROR\t(x)\n10020\tfail\t(y)\n",
			problems: []string{
				`rules.tsv:1: unknown level "ERROR" (ZAP's levels, in capitals: ` +
					`IGNORE, INFO, WARN, FAIL, PASS, OUTOFSCOPE)`,
				`rules.tsv:2: unknown level "fail"`,
			},
		},
		{
			name: "ids that are not plugin ids",
			text: "abc\tFAIL\t(x)\n10055-4\tIGNORE\t(CSP wildcard)\n*\tFAIL\t(all)\n",
			problems: []string{
				`rules.tsv:1: "abc" is not a ZAP scan rule id`,
				"rules.tsv:2: 10055-4 is a sub-rule id; secgate reports ZAP alerts under " +
					"their scan rule id, so write 10055",
				"rules.tsv:3: * only works with OUTOFSCOPE",
			},
		},
		{
			name:     "an out of scope pattern that is not a regular expression",
			text:     "*\tOUTOFSCOPE\thttp://app/(a\n",
			problems: []string{`rules.tsv:1: OUTOFSCOPE pattern "http://app/(a" does not compile`},
		},
		{
			name:     "a comment must start the line",
			text:     "  # indented\n",
			problems: []string{"rules.tsv:1: the fields are separated by spaces"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, scopes, problems := ParseZAPRules([]byte(tt.text), "rules.tsv")
			var got []string
			for _, r := range rules {
				got = append(got, r.ID+"="+r.Level+":"+strconv.Itoa(r.Line))
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("rules: got %q, want %q", g, tt.want)
			}
			if len(scopes) != tt.scopes {
				t.Errorf("scopes: got %d, want %d", len(scopes), tt.scopes)
			}
			if len(problems) != len(tt.problems) {
				t.Fatalf("problems: got %q, want %q", problems, tt.problems)
			}
			for i, want := range tt.problems {
				if !strings.HasPrefix(problems[i], want) {
					t.Errorf("problem %d: got %q, want it to start %q", i, problems[i], want)
				}
			}
		})
	}
}

// TestZAPInScope checks that OUTOFSCOPE patterns match from the start of the
// URL, as Python's re.match does in ZAP's scripts, and name rules, sub-rules
// or every rule.
func TestZAPInScope(t *testing.T) {
	_, scopes, problems := ParseZAPRules([]byte(
		"10020\tOUTOFSCOPE\thttp://app/static/.*\n10055-4\tOUTOFSCOPE\t.*\\.css$\n"+
			"*\tOUTOFSCOPE\thttps?://app/logout\n"), "scope.tsv")
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	z := &ZAP{OutOfScope: scopes}
	tests := []struct {
		plugin, ref, url string
		wantIn           bool
		wantLine         int
	}{
		{"10020", "10020", "http://app/static/a.js", false, 1},
		{"10020", "10020", "http://cdn/http://app/static/a.js", true, 0},
		{"10021", "10021", "http://app/static/a.js", true, 0},
		{"10055", "10055-4", "http://app/site.css", false, 2},
		{"10055", "10055-5", "http://app/site.css", true, 0},
		{"40012", "40012", "https://app/logout?next=/", false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.plugin+" "+tt.url, func(t *testing.T) {
			in, sc := z.InScope(tt.plugin, tt.ref, tt.url)
			line := 0
			if sc != nil {
				line = sc.Line
			}
			if in != tt.wantIn || line != tt.wantLine {
				t.Errorf("got in scope %v (line %d), want %v (line %d)", in, line, tt.wantIn,
					tt.wantLine)
			}
		})
	}
}

// TestZAPRulesBecomeRules checks that a rules file's levels reach the policy
// as rules "zap:<id>", after the config's own rules whatever the order of the
// sections, and that a broken file is a config error naming its line.
func TestZAPRulesBecomeRules(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "zap-rules.tsv")
	writeZAPFile(t, good, "10021\tFAIL\t(X-Content-Type-Options)\n10049\tIGNORE\t(cache)\n"+
		"10021\tWARN\t(again)\n")
	bad := filepath.Join(dir, "bad.tsv")
	writeZAPFile(t, bad, "10021 FAIL (X-Content-Type-Options)\n10035\tMAYBE\t(HSTS)\n")

	yaml := "scanners:\n  zap:\n    report: z.json\n    rules_file: " + good + "\n" +
		"rules:\n  - match: \"zap:10049\"\n    action: warn\n"
	cfg, err := Parse([]byte(yaml), "secgate.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, r := range cfg.Rules {
		got = append(got, r.Match+"="+string(r.Action)+"@"+strconv.Itoa(r.Pos.Line))
	}
	want := "zap:10049=warn@6 zap:10021=warn@4 zap:10049=ignore@4"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("rules: got %q, want %q", g, want)
	}

	_, err = Parse([]byte("scanners:\n  zap:\n    report: z.json\n    rules_file: "+bad+"\n"),
		"secgate.yaml")
	var diags *Diagnostics
	if !errors.As(err, &diags) || len(diags.Items) != 2 {
		t.Fatalf("bad rules file: got %v, want two diagnostics", err)
	}
	for i, want := range []string{
		"secgate.yaml:4:17: scanners.zap.rules_file: " + bad + ":1: the fields are separated by spaces",
		"secgate.yaml:4:17: scanners.zap.rules_file: " + bad + `:2: unknown level "MAYBE"`,
	} {
		if g := diags.Items[i].String(); !strings.HasPrefix(g, want) {
			t.Errorf("diagnostic %d: got %q, want it to start %q", i, g, want)
		}
	}

	_, err = Parse([]byte("scanners:\n  zap:\n    report: z.json\n    rules_file: "+
		filepath.Join(dir, "missing.tsv")+"\n"), "secgate.yaml")
	if err == nil || !strings.Contains(err.Error(), "missing.tsv: no such file") {
		t.Errorf("missing rules file: got %v, want an error naming it", err)
	}
}

func writeZAPFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
