package sariflog

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

const sampleRoot = "/home/ci/repo"

// sampleLog exercises every shape the writer handles: several tools, a
// suppressed result, results without a file, a fix, paths with spaces, '#',
// '%' and a literal "%20", a non-security rule, a licence finding, an info
// finding of a security rule, one rule at two severities, a failed run with a
// notification, and an absolute path under the root.
func sampleLog() Log {
	sqli := finding.Rule{ID: "python.sqli", Name: "SQL injection",
		Description: "User input reaches a SQL query.", HelpURI: "https://semgrep.dev/r/python.sqli",
		CWE: []string{"CWE-89"}, Tags: []string{"owasp-a03"}, Security: true}
	style := finding.Rule{ID: "python.print", Description: "Use logging instead of print."}
	secret := finding.Rule{ID: "aws-access-key", Description: "AWS access key", Security: true,
		Tags: []string{"secret"}}
	licence := finding.Rule{ID: "license-denied", Description: "Denied licence"}
	vuln := finding.Rule{ID: "CVE-2021-23337", Description: "Command injection in lodash",
		CWE: []string{"CWE-77"}, Security: true}

	semgrep := []Result{
		{Finding: &finding.Finding{Tool: "semgrep", Rule: sqli, Severity: finding.SeverityHigh,
			Message: "Query built from <input> & concatenated", Fingerprint: "fp-sqli-1",
			Location: finding.Location{Path: "src/My App/db#1.py", StartLine: 12, StartColumn: 5,
				EndLine: 12, EndColumn: 40},
			Fix: "cursor.execute(query, params)"}, Outcome: OutcomeFail, BaselineState: "new"},
		{Finding: &finding.Finding{Tool: "semgrep", Tools: []string{"semgrep", "bandit"}, Rule: sqli,
			Severity: finding.SeverityMedium, Message: "Query built in a test helper",
			Fingerprint: "fp-sqli-2", Location: finding.Location{Path: "tests/100% done.py",
				StartLine: 3, EndLine: 4}}, Outcome: OutcomeWarn, BaselineState: "unchanged"},
		{Finding: &finding.Finding{Tool: "semgrep", Rule: style, Severity: finding.SeverityLow,
			Message: "print() call", Fingerprint: "fp-print",
			Location:     finding.Location{Path: sampleRoot + "/a%20b.txt", StartLine: 1},
			Suppressions: []finding.Suppression{{Kind: "inSource", Justification: "debug script"}}},
			Outcome: OutcomeSuppressed, Justification: "Accepted until the rewrite (owner: web team)"},
		{Finding: &finding.Finding{Tool: "semgrep", Rule: sqli, Severity: finding.SeverityInfo,
			Message: "Query of constants only", Fingerprint: "fp-sqli-3",
			Location: finding.Location{Path: "src/My App/db#1.py", StartLine: 30,
				Logical: "db.constants"}}, Outcome: OutcomeIgnore},
	}
	gitleaks := []Result{
		{Finding: &finding.Finding{Tool: "gitleaks", Rule: secret, Severity: finding.SeverityCritical,
			Message: "AWS access key in config", Fingerprint: "fp-secret",
			Location: finding.Location{Path: "config/prod settings.yaml", StartLine: 7,
				StartColumn: 9, EndLine: 7, EndColumn: 29}}, Outcome: OutcomeFail},
	}
	sbom := []Result{
		{Finding: &finding.Finding{Tool: "sbom", Rule: licence, Severity: finding.SeverityHigh,
			Message: "Package left-pad is licensed GPL-3.0-only",
			Package: &finding.Package{Name: "left-pad", Version: "1.3.0", Type: "npm",
				PURL: "pkg:npm/left-pad@1.3.0", Licenses: []string{"GPL-3.0-only"}}},
			Outcome: OutcomeFail},
		{Finding: &finding.Finding{Tool: "sbom", Rule: vuln, Severity: finding.SeverityCritical,
			Message: "lodash 4.17.20 is vulnerable", Fingerprint: "fp-lodash",
			Location: finding.Location{Logical: "pkg:npm/lodash@4.17.20"},
			Package: &finding.Package{Name: "lodash", Version: "4.17.20", Type: "npm",
				PURL: "pkg:npm/lodash@4.17.20", FixedVersion: "4.17.21",
				Advisories: []string{"CVE-2021-23337", "GHSA-35jh-r3h4-6jhm"}}},
			Outcome: OutcomeFail, BaselineState: "updated"},
	}
	return Log{Root: sampleRoot, Runs: []OutRun{
		{Tool: Tool{Name: "semgrep", DisplayName: "Semgrep OSS", Version: "1.69.0",
			InformationURI: "https://semgrep.dev"}, Results: semgrep, Successful: true,
			Category: "secgate/semgrep/"},
		{Tool: Tool{Name: "gitleaks", DisplayName: "gitleaks", Version: "8.18.0",
			InformationURI: "https://github.com/gitleaks/gitleaks"}, Results: gitleaks,
			Successful: false, Notifications: []string{"gitleaks exited with status 2"}},
		{Tool: Tool{Name: "sbom", DisplayName: "secgate SBOM", Version: "0.1.0"},
			Results: sbom, Successful: true, Notifications: []string{"2 files were not parsed"}},
	}}
}

func writeString(t *testing.T, log Log) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, log); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.String()
}

// TestWriteGolden compares the output with testdata/golden/sample.sarif.
// Run with SECGATE_UPDATE_GOLDEN=1 to rewrite the golden file after an
// intended change, and review the diff.
func TestWriteGolden(t *testing.T) {
	got := writeString(t, sampleLog())
	golden := filepath.Join("testdata", "golden", "sample.sarif")
	if os.Getenv("SECGATE_UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatalf("update golden: %v", err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden: %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s; run with SECGATE_UPDATE_GOLDEN=1 and review the diff",
			golden)
	}
}

func TestWriteDeterministic(t *testing.T) {
	first := writeString(t, sampleLog())
	shuffled := sampleLog()
	for i := range shuffled.Runs {
		slices.Reverse(shuffled.Runs[i].Results)
	}
	if second := writeString(t, shuffled); second != first {
		t.Errorf("output depends on the order of the results")
	}
}

// outLog decodes the parts of the output the tests check.
type outLog struct {
	Version string
	Runs    []outRun
}

type outRun struct {
	Tool struct {
		Driver struct {
			Name       string
			Version    string
			Rules      []outRule
			Properties map[string]any
		}
	}
	Results            []outResult
	AutomationDetails  struct{ ID string }
	OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
	Invocations        []struct {
		ExecutionSuccessful        *bool
		ToolExecutionNotifications []struct {
			Level   string
			Message struct{ Text string }
		}
	}
}

type outText struct{ Text string }

type outRule struct {
	ID                   string
	Name                 string
	ShortDescription     outText
	FullDescription      outText
	Help                 outText
	DefaultConfiguration struct{ Level string }
	Properties           map[string]any
}

type outResult struct {
	RuleID    string
	RuleIndex *int
	Level     string
	Message   outText
	Locations []struct {
		PhysicalLocation *struct {
			ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
			Region           map[string]int
		}
		LogicalLocations []struct{ Name, FullyQualifiedName string }
	}
	PartialFingerprints map[string]string
	Fixes               []struct {
		Description     *outText
		ArtifactChanges []struct {
			ArtifactLocation *struct{ URI, URIBaseID string } `json:"artifactLocation"`
			Replacements     []struct {
				DeletedRegion   map[string]int
				InsertedContent *outText
			}
		}
	}
	Suppressions []struct {
		Kind, Status, Justification string
	}
	BaselineState string
	Properties    map[string]any
}

func decodeOut(t *testing.T, s string) outLog {
	t.Helper()
	var out outLog
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return out
}

func TestWriteRules(t *testing.T) {
	out := decodeOut(t, writeString(t, sampleLog()))
	if out.Version != "2.1.0" || len(out.Runs) != 3 {
		t.Fatalf("got version %q and %d runs, want 2.1.0 and 3", out.Version, len(out.Runs))
	}
	for _, run := range out.Runs {
		seen := map[string]bool{}
		for _, r := range run.Tool.Driver.Rules {
			if seen[r.ID] {
				t.Errorf("%s: rule %s twice", run.Tool.Driver.Name, r.ID)
			}
			seen[r.ID] = true
			for name, text := range map[string]string{"short": r.ShortDescription.Text,
				"full": r.FullDescription.Text, "help": r.Help.Text} {
				if strings.TrimSpace(text) == "" {
					t.Errorf("rule %s: empty %s description", r.ID, name)
				}
			}
			if r.Name == r.ID {
				t.Errorf("rule %s: name equal to id", r.ID)
			}
		}
		for i, res := range run.Results {
			if res.RuleIndex == nil || *res.RuleIndex >= len(run.Tool.Driver.Rules) ||
				run.Tool.Driver.Rules[*res.RuleIndex].ID != res.RuleID {
				t.Errorf("%s result %d: ruleIndex does not point at rule %s",
					run.Tool.Driver.Name, i, res.RuleID)
			}
		}
	}

	tests := []struct {
		rule, sev string
		tags      []string
	}{
		{"python.sqli", "8.0", []string{"security", "CWE-89", "external/cwe/cwe-089", "owasp-a03"}},
		{"python.print", "", nil},
		{"aws-access-key", "9.5", []string{"security", "secret"}},
		{"license-denied", "", nil},
		{"CVE-2021-23337", "9.5", []string{"security", "CWE-77", "external/cwe/cwe-077"}},
	}
	rules := map[string]outRule{}
	for _, run := range out.Runs {
		for _, r := range run.Tool.Driver.Rules {
			rules[r.ID] = r
		}
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			r := rules[tc.rule]
			sev, _ := r.Properties[propSecuritySeverity].(string)
			if sev != tc.sev {
				t.Errorf("security-severity: got %q, want %q", sev, tc.sev)
			}
			if sev != "" {
				if f, err := strconv.ParseFloat(sev, 64); err != nil || f < 0.1 || f > 10 {
					t.Errorf("security-severity %q is not a decimal in 0.1..10", sev)
				}
			}
			var tags []string
			if list, ok := r.Properties["tags"].([]any); ok {
				for _, v := range list {
					tags = append(tags, v.(string))
				}
			}
			if !slices.Equal(tags, tc.tags) {
				t.Errorf("tags: got %q, want %q", tags, tc.tags)
			}
		})
	}
}

// resultByMessage finds a result of the output by its message.
func resultByMessage(t *testing.T, out outLog, msg string) outResult {
	t.Helper()
	for _, run := range out.Runs {
		for _, r := range run.Results {
			if r.Message.Text == msg {
				return r
			}
		}
	}
	t.Fatalf("no result with message %q", msg)
	return outResult{}
}

func TestWriteResults(t *testing.T) {
	out := decodeOut(t, writeString(t, sampleLog()))
	for _, r := range sampleLog().Runs {
		for _, in := range r.Results {
			got := resultByMessage(t, out, in.Finding.Message)
			if got.Level != in.Finding.Severity.Level() {
				t.Errorf("%q level: got %q, want %q", in.Finding.Message, got.Level,
					in.Finding.Severity.Level())
			}
			if len(got.Locations) != 1 {
				t.Errorf("%q: %d locations, want 1", in.Finding.Message, len(got.Locations))
			}
			for _, fx := range got.Fixes {
				if len(fx.ArtifactChanges) == 0 {
					t.Errorf("%q: fix without artifact changes", in.Finding.Message)
				}
			}
		}
	}

	tests := []struct {
		name  string
		msg   string
		check func(t *testing.T, r outResult)
	}{
		{"space and hash encoded", "Query built from <input> & concatenated", func(t *testing.T, r outResult) {
			a := r.Locations[0].PhysicalLocation.ArtifactLocation
			if a.URI != "src/My%20App/db%231.py" || a.URIBaseID != "%SRCROOT%" {
				t.Errorf("artifact: got %+v", a)
			}
			want := map[string]int{"startLine": 12, "startColumn": 5, "endLine": 12, "endColumn": 40}
			if !mapsEqual(r.Locations[0].PhysicalLocation.Region, want) {
				t.Errorf("region: got %v, want %v", r.Locations[0].PhysicalLocation.Region, want)
			}
			if r.PartialFingerprints[fingerprintKey] != "fp-sqli-1" ||
				r.PartialFingerprints[lineHashKey] != "fp-sqli-1" {
				t.Errorf("fingerprints: got %v", r.PartialFingerprints)
			}
		}},
		{"complete fix", "Query built from <input> & concatenated", func(t *testing.T, r outResult) {
			if len(r.Fixes) != 1 || r.Fixes[0].Description == nil || r.Fixes[0].Description.Text == "" {
				t.Fatalf("fixes: got %+v, want one with a description", r.Fixes)
			}
			ch := r.Fixes[0].ArtifactChanges
			if len(ch) != 1 || ch[0].ArtifactLocation == nil ||
				ch[0].ArtifactLocation.URI != "src/My%20App/db%231.py" || len(ch[0].Replacements) != 1 {
				t.Fatalf("artifact changes: got %+v", ch)
			}
			rp := ch[0].Replacements[0]
			if rp.DeletedRegion["startLine"] != 12 || rp.DeletedRegion["endColumn"] != 40 ||
				rp.InsertedContent == nil || rp.InsertedContent.Text != "cursor.execute(query, params)" {
				t.Errorf("replacement: got %+v", rp)
			}
		}},
		{"percent encoded", "Query built in a test helper", func(t *testing.T, r outResult) {
			if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "tests/100%25%20done.py" {
				t.Errorf("uri: got %q", uri)
			}
			if tools, _ := r.Properties[propTools].([]any); len(tools) != 2 || tools[0] != "bandit" {
				t.Errorf("tools: got %v, want [bandit semgrep]", r.Properties[propTools])
			}
		}},
		{"suppressed, absolute path under root", "print() call", func(t *testing.T, r outResult) {
			if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "a%2520b.txt" {
				t.Errorf("uri: got %q, want a%%2520b.txt", uri)
			}
			want := []struct{ Kind, Status, Justification string }{
				{"inSource", "accepted", "debug script"},
				{"external", "accepted", "Accepted until the rewrite (owner: web team)"},
			}
			if len(r.Suppressions) != len(want) {
				t.Fatalf("suppressions: got %+v, want %+v", r.Suppressions, want)
			}
			for i := range want {
				if r.Suppressions[i] != want[i] {
					t.Errorf("suppression %d: got %+v, want %+v", i, r.Suppressions[i], want[i])
				}
			}
			if r.Properties[propOutcome] != OutcomeSuppressed {
				t.Errorf("outcome: got %v", r.Properties[propOutcome])
			}
		}},
		{"no file: logical location only", "Package left-pad is licensed GPL-3.0-only",
			func(t *testing.T, r outResult) {
				l := r.Locations[0]
				if l.PhysicalLocation != nil || len(l.LogicalLocations) != 1 ||
					l.LogicalLocations[0].FullyQualifiedName != "pkg:npm/left-pad@1.3.0" {
					t.Errorf("location: got %+v", l)
				}
				if len(r.PartialFingerprints) != 0 || len(r.Fixes) != 0 {
					t.Errorf("fingerprints %v fixes %v, want none", r.PartialFingerprints, r.Fixes)
				}
				pkg, _ := r.Properties[propPackage].(map[string]any)
				if pkg["purl"] != "pkg:npm/left-pad@1.3.0" || pkg["version"] != "1.3.0" {
					t.Errorf("package: got %v", r.Properties[propPackage])
				}
			}},
		{"package with fixed version", "lodash 4.17.20 is vulnerable", func(t *testing.T, r outResult) {
			pkg, _ := r.Properties[propPackage].(map[string]any)
			if pkg["fixed"] != "4.17.21" || r.BaselineState != "updated" {
				t.Errorf("package %v baseline %q", pkg, r.BaselineState)
			}
		}},
		{"file and logical", "Query of constants only", func(t *testing.T, r outResult) {
			l := r.Locations[0]
			if l.PhysicalLocation == nil || len(l.LogicalLocations) != 1 ||
				l.LogicalLocations[0].Name != "db.constants" {
				t.Errorf("location: got %+v", l)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, resultByMessage(t, out, tc.msg))
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestWriteRunFacts(t *testing.T) {
	out := decodeOut(t, writeString(t, sampleLog()))
	tests := []struct {
		name      string
		got, want any
	}{
		{"driver display name", out.Runs[0].Tool.Driver.Name, "Semgrep OSS"},
		{"driver keeps the tool name", out.Runs[0].Tool.Driver.Properties[propTool], "semgrep"},
		{"category as given", out.Runs[0].AutomationDetails.ID, "secgate/semgrep/"},
		{"default category", out.Runs[1].AutomationDetails.ID, "secgate/gitleaks/"},
		{"root", out.Runs[0].OriginalURIBaseIDs["%SRCROOT%"].URI, "file:///home/ci/repo/"},
		{"success", *out.Runs[0].Invocations[0].ExecutionSuccessful, true},
		{"failure", *out.Runs[1].Invocations[0].ExecutionSuccessful, false},
		{"failed run notification level", out.Runs[1].Invocations[0].ToolExecutionNotifications[0].Level,
			"error"},
		{"successful run notification level",
			out.Runs[2].Invocations[0].ToolExecutionNotifications[0].Level, "warning"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestWriteNoNulls(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(writeString(t, sampleLog())), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case nil:
			t.Errorf("null at %s", path)
		case map[string]any:
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(path+"["+strconv.Itoa(i)+"]", e)
			}
		}
	}
	walk("$", doc)
}

func TestWriteFoldsRunsOfOneTool(t *testing.T) {
	f := func(msg string) Result {
		return Result{Finding: &finding.Finding{Tool: "snyk", Rule: finding.Rule{ID: "R"},
			Message: msg, Location: finding.Location{Path: "a/" + msg}}}
	}
	log := Log{Runs: []OutRun{
		{Tool: Tool{Name: "snyk"}, Results: []Result{f("one")}, Successful: true},
		{Tool: Tool{Name: "other"}, Results: []Result{f("x")}, Successful: true},
		{Tool: Tool{Name: "snyk"}, Results: []Result{f("two")}, Successful: false},
		{Tool: Tool{Name: "snyk"}, Results: []Result{f("three")}, Category: "secgate/snyk/web/"},
	}}
	out := decodeOut(t, writeString(t, log))
	tests := []struct {
		name      string
		got, want any
	}{
		{"runs", len(out.Runs), 3},
		{"first run folded", len(out.Runs[0].Results), 2},
		{"one rule after folding", len(out.Runs[0].Tool.Driver.Rules), 1},
		{"folded success is the conjunction", *out.Runs[0].Invocations[0].ExecutionSuccessful, false},
		{"order kept", out.Runs[1].Tool.Driver.Name, "other"},
		{"own category kept apart", out.Runs[2].AutomationDetails.ID, "secgate/snyk/web/"},
		{"no root, no base ids", len(out.Runs[0].OriginalURIBaseIDs), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestWriteEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		f     finding.Finding
		check func(t *testing.T, r outResult, rules []outRule)
	}{
		{"empty rule id and message", finding.Finding{Location: finding.Location{Path: "x.go"}},
			func(t *testing.T, r outResult, rules []outRule) {
				if r.RuleID != unknownRuleID || r.Message.Text != unknownRuleID ||
					rules[0].ShortDescription.Text != unknownRuleID {
					t.Errorf("got rule %q message %q", r.RuleID, r.Message.Text)
				}
			}},
		{"end before start is dropped", finding.Finding{Rule: finding.Rule{ID: "R"}, Message: "m",
			Location: finding.Location{Path: "x.go", StartLine: 5, StartColumn: 9, EndLine: 5, EndColumn: 2}},
			func(t *testing.T, r outResult, _ []outRule) {
				want := map[string]int{"startLine": 5, "startColumn": 9, "endLine": 5}
				if !mapsEqual(r.Locations[0].PhysicalLocation.Region, want) {
					t.Errorf("region: got %v, want %v", r.Locations[0].PhysicalLocation.Region, want)
				}
			}},
		{"fix without a line is not written", finding.Finding{Rule: finding.Rule{ID: "R"},
			Message: "m", Fix: "x", Location: finding.Location{Path: "x.go"}},
			func(t *testing.T, r outResult, _ []outRule) {
				if len(r.Fixes) != 0 || r.Locations[0].PhysicalLocation.Region != nil {
					t.Errorf("fixes %+v region %v, want none", r.Fixes, r.Locations[0].PhysicalLocation.Region)
				}
			}},
		{"fix without a file is not written", finding.Finding{Rule: finding.Rule{ID: "R"},
			Message: "m", Fix: "x"},
			func(t *testing.T, r outResult, _ []outRule) {
				if len(r.Fixes) != 0 || r.Locations[0].LogicalLocations[0].Name != "R" {
					t.Errorf("fixes %+v location %+v", r.Fixes, r.Locations[0])
				}
			}},
		{"absolute path outside root", finding.Finding{Rule: finding.Rule{ID: "R"}, Message: "m",
			Location: finding.Location{Path: "/opt/lib/x y.go", StartLine: 1}},
			func(t *testing.T, r outResult, _ []outRule) {
				a := r.Locations[0].PhysicalLocation.ArtifactLocation
				if a.URI != "file:///opt/lib/x%20y.go" || a.URIBaseID != "" {
					t.Errorf("artifact: got %+v", a)
				}
			}},
		{"info security rule has no security-severity", finding.Finding{
			Rule: finding.Rule{ID: "R", Security: true}, Severity: finding.SeverityInfo, Message: "m"},
			func(t *testing.T, r outResult, rules []outRule) {
				if _, ok := rules[0].Properties[propSecuritySeverity]; ok || r.Level != "note" {
					t.Errorf("properties %v level %q", rules[0].Properties, r.Level)
				}
			}},
		{"long texts cut", finding.Finding{Rule: finding.Rule{ID: "R", Name: strings.Repeat("n", 300),
			Description: "first line\n" + strings.Repeat("d", 2000)}, Message: "m"},
			func(t *testing.T, _ outResult, rules []outRule) {
				r := rules[0]
				if len([]rune(r.Name)) != maxRuleName || r.ShortDescription.Text != "first line" ||
					len([]rune(r.FullDescription.Text)) != maxDescription {
					t.Errorf("name %d short %q full %d", len(r.Name), r.ShortDescription.Text,
						len(r.FullDescription.Text))
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log := Log{Root: sampleRoot, Runs: []OutRun{{Tool: Tool{Name: "t"},
				Results: []Result{{Finding: &tc.f}}, Successful: true}}}
			out := decodeOut(t, writeString(t, log))
			tc.check(t, out.Runs[0].Results[0], out.Runs[0].Tool.Driver.Rules)
		})
	}
}

func TestWriteErrors(t *testing.T) {
	ok := Result{Finding: &finding.Finding{Rule: finding.Rule{ID: "R"}, Message: "m"}}
	tests := []struct {
		name     string
		log      Log
		contains string
	}{
		{"unknown outcome", Log{Runs: []OutRun{{Tool: Tool{Name: "t"},
			Results: []Result{{Finding: ok.Finding, Outcome: "block"}}}}}, `unknown outcome "block"`},
		{"unknown baseline", Log{Runs: []OutRun{{Tool: Tool{Name: "t"},
			Results: []Result{{Finding: ok.Finding, BaselineState: "old"}}}}}, `unknown baseline state "old"`},
		{"relative root", Log{Root: "repo", Runs: []OutRun{{Tool: Tool{Name: "t"}}}}, "not an absolute path"},
		{"no tool name", Log{Runs: []OutRun{{Results: []Result{ok}}}}, "has no tool name"},
		{"no finding", Log{Runs: []OutRun{{Tool: Tool{Name: "t"}, Results: []Result{ok, {}}}}},
			`run "t", result 1: no finding`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tc.log)
			if err == nil || !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error: got %v, want one containing %q", err, tc.contains)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}
