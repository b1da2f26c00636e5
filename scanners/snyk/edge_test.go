package snyk

import (
	"errors"
	"strings"
	"testing"

	"github.com/secgate/secgate/scanners"
)

// parseText runs ParseJSON on a report given as text.
func parseText(report string) (*scanners.Result, error) {
	return ParseJSON(strings.NewReader(report), "snyk.json")
}

// TestParseJSONRefuses checks reports that must not pass for a clean scan.
func TestParseJSONRefuses(t *testing.T) {
	tests := []struct {
		name, report, want string
	}{
		{"empty", "", "snyk.json: empty, expected a Snyk JSON report"},
		{"empty array", "[]", "an empty array"},
		{"not JSON", "Testing /src...", `found "Testing /src..."`},
		{"truncated", `{"ok": false, "vulnerabilities": [{"id": "x"`,
			"line 1, column 45: unexpected end of JSON input"},
		{"wrong type", "{\n  \"ok\": false,\n  \"vulnerabilities\": {}\n}",
			"line 3, column 23"},
		{"another tool's array", `[{"File":"a.go","Secret":"REDACTED"}]`,
			"entry 1 is not a Snyk result"},
		{"an error alone", `{"ok":false,"error":"Could not detect supported target files` +
			` in /src.\nSee the docs","path":"/src"}`,
			"snyk tested nothing: /src: Could not detect supported target files in /src."},
		{"every project failed", `[{"ok":false,"error":"a","path":"p1"},` +
			`{"ok":false,"errors":[{"title":"Bad manifest","detail":"line 3","code":"SNYK-OS-0001"}]` +
			`,"targetFile":"p2/pom.xml"}]`,
			"snyk tested nothing: p1: a; p2/pom.xml: Bad manifest: line 3 (SNYK-OS-0001)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parseText(tt.report)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want an error containing %q", res, err, tt.want)
			}
			var partial *scanners.PartialError
			if errors.As(err, &partial) {
				t.Errorf("got a partial error, want a plain one: nothing was tested")
			}
		})
	}
}

// TestLenientLeaves checks the values Snyk has written in more than one
// shape: upgradePath's false, identifiers as a string, numbers for strings.
func TestLenientLeaves(t *testing.T) {
	res, err := parseText(`{"ok":false,"packageManager":"npm","displayTargetFile":"package.json",
	 "vulnerabilities":[{"id":"SNYK-JS-A-1","title":"T","severity":"high","packageName":"a",
	  "version":1.5,"identifiers":{"CVE":"CVE-2020-1","CWE":["CWE-20"],"GHSA":null},
	  "from":["app@1.0.0","b@2.0.0","a@1.5"],"upgradePath":[false,"b@3.0.0",false],
	  "isUpgradable":true}]}`)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Findings[0]
	checks := []struct{ name, got, want string }{
		{"version", f.Package.Version, "1.5"},
		{"advisories", strings.Join(f.Package.Advisories, ","), "CVE-2020-1,SNYK-JS-A-1"},
		{"cwe", strings.Join(f.Rule.CWE, ","), "CWE-20"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(f.Message, "Fix: upgrade b@2.0.0 to b@3.0.0.") {
		t.Errorf("message %q: want the upgrade of b", f.Message)
	}
}

// TestIgnoredAndLicenceIssues checks issues the Snyk policy ignored (kept,
// and marked as suppressed by the tool) and licence issues (no security
// rule, the licence on the package).
func TestIgnoredAndLicenceIssues(t *testing.T) {
	res, err := parseText(`{"ok":false,"packageManager":"npm","displayTargetFile":"package.json",
	 "vulnerabilities":[{"id":"snyk:lic:npm:gpl-lib:GPL-3.0","type":"license",
	  "title":"GPL-3.0 license","severity":"medium","packageName":"gpl-lib","version":"1.0.0",
	  "license":"GPL-3.0","from":["app@1.0.0","gpl-lib@1.0.0"]}],
	 "filtered":{"ignore":[{"id":"SNYK-JS-B-2","title":"ReDoS","severity":"low",
	  "packageName":"b","version":"2.0.0","from":["app@1.0.0","b@2.0.0"],
	  "filtered":{"ignored":[{"reason":"not reachable","expires":"2030-01-01T00:00:00Z"}]}}]}}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings: got %d, want 2", len(res.Findings))
	}
	lic, ignored := res.Findings[0], res.Findings[1]
	if lic.Rule.Security || lic.Rule.HelpURI != "" || len(lic.Package.Licenses) != 1 ||
		lic.Package.Licenses[0] != "GPL-3.0" || len(lic.Package.Advisories) != 0 {
		t.Errorf("licence issue: got %+v, package %+v", lic.Rule, lic.Package)
	}
	want := "ignored in the Snyk policy (.snyk): not reachable (until 2030-01-01T00:00:00Z)"
	if len(ignored.Suppressions) != 1 || ignored.Suppressions[0].Justification != want {
		t.Errorf("ignored issue: suppressions %+v, want %q", ignored.Suppressions, want)
	}
	if len(lic.Suppressions) != 0 {
		t.Errorf("licence issue: suppressed, want open")
	}
}

// TestPartialErrorMessage checks the wording of a partial failure.
func TestPartialErrorMessage(t *testing.T) {
	tests := []struct {
		failed []scanners.Failure
		total  int
		want   string
	}{
		{[]scanners.Failure{{Target: "app", Reason: "no lock file"}}, 3,
			"snyk could not test 1 of 3 projects: app: no lock file"},
		{[]scanners.Failure{{Target: "a", Reason: "x"}, {Reason: "exit 2"}}, 0,
			"snyk could not test 2 projects: a: x; exit 2"},
		{[]scanners.Failure{{Target: "a", Reason: "x"}}, 0,
			"snyk could not test 1 project: a: x"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			e := &scanners.PartialError{Tool: "snyk", Result: &scanners.Result{},
				Failed: tt.failed, Total: tt.total, Noun: "project"}
			if got := e.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
