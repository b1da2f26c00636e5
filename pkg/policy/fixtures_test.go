package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
)

// semgrepFindings reads a real Semgrep JSON report into findings. It is a
// stand-in for the semgrep adapter and the normalizer, which this package must
// not depend on: it keeps only the fields the policy looks at, and makes the
// paths relative to root the way the normalizer does.
func semgrepFindings(t *testing.T, file, root string) []finding.Finding {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.FixturesDir(t), file))
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Results []struct {
			CheckID string `json:"check_id"`
			Path    string `json:"path"`
			Start   struct{ Line int }
			Extra   struct{ Severity string }
		}
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out []finding.Finding
	for _, r := range report.Results {
		sev, ok := finding.SeverityFromLabel(r.Extra.Severity)
		if !ok {
			t.Fatalf("%s: severity %q", file, r.Extra.Severity)
		}
		f := fnd("semgrep", r.CheckID, sev, strings.TrimPrefix(r.Path, root), r.Start.Line)
		f.ToolSeverity = r.Extra.Severity
		out = append(out, f)
	}
	return out
}

// The vulnerable Flask app scan (9 results, EXPECTED.md: ERROR 8, WARNING 1)
// through a policy that uses every part: scope, a rule, a suppression and a
// budget.
func TestEvaluateSemgrepFlaskReport(t *testing.T) {
	findings := semgrepFindings(t,
		"semgrep/json/securecodebox-vulnerable-flask-app.json", "/test/flask/")
	if len(findings) != 9 {
		t.Fatalf("fixture: got %d results, want 9", len(findings))
	}
	cfg := parse(t, `
fail_on: high
paths:
  exclude: ["tests/**"]
rules:
  - match: "semgrep:javascript.lang.correctness.*"
    action: warn
suppressions:
  - rule: "semgrep:*insecure-deserialization*"
    path: app/app.py
    reason: the pickle input is signed
    owner: alice
    expires: 2026-03-31
max:
  medium: 0
`)
	d := Evaluate(cfg, findings, nil, Options{Now: clock(t, "2026-03-01 09:00:00")})

	outcomes := map[Outcome]int{}
	for _, ev := range d.Findings {
		outcomes[ev.Outcome]++
	}
	wantOutcomes := map[Outcome]int{
		OutcomeIgnore: 4, OutcomeWarn: 2, OutcomeFail: 2, OutcomeSuppressed: 1,
	}
	for o, n := range wantOutcomes {
		if outcomes[o] != n {
			t.Errorf("%s findings: got %d, want %d", o, outcomes[o], n)
		}
	}

	wantReasons := []string{
		"semgrep:python.flask.security.dangerous-template-string.dangerous-template-string " +
			"high at app/app.py:103",
		"semgrep:python.flask.security.dangerous-template-string.dangerous-template-string " +
			"high at app/app.py:271",
		"1 medium finding exceeds the budget of 0 (max.medium)",
	}
	if d.Status != StatusBlocked || !slices.Equal(d.Reasons, wantReasons) {
		t.Errorf("decision: got %s %q, want blocked %q", d.Status, d.Reasons, wantReasons)
	}
	if d.Counts[high] != 8 || d.Counts[medium] != 1 || d.Blocking != 2 {
		t.Errorf("counts: got high %d, medium %d, blocking %d; want 8, 1, 2",
			d.Counts[high], d.Counts[medium], d.Blocking)
	}
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: got %q, want none", d.Warnings)
	}
}

// grypeFindings reads a real Grype JSON report, as a stand-in for its adapter:
// one finding per match, on the package, with the severity word mapped.
func grypeFindings(t *testing.T, file string) []finding.Finding {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.FixturesDir(t), file))
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Matches []struct {
			Vulnerability struct{ ID, Severity string }
			Artifact      struct{ Name, Version, Type string }
		}
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out []finding.Finding
	for _, m := range report.Matches {
		sev, ok := finding.SeverityFromLabel(m.Vulnerability.Severity)
		if !ok {
			t.Fatalf("%s: severity %q", file, m.Vulnerability.Severity)
		}
		f := fnd("grype", m.Vulnerability.ID, sev, "", 0)
		f.Location.Logical = m.Artifact.Name + "@" + m.Artifact.Version
		a := m.Artifact
		f.Package = &finding.Package{Name: a.Name, Version: a.Version, Type: a.Type}
		out = append(out, f)
	}
	return out
}

// Known failure 11 on a real image scan: every one of the 62 matches is in the
// decision, Unknown and Negligible included, and only high and critical block.
func TestEvaluateGrypeReportEverythingFailOnHigh(t *testing.T) {
	findings := grypeFindings(t, "grype/json/gatecheck-juice-shop-image-0.64.2.json")
	d := Evaluate(parse(t, "fail_on: high"), findings, nil, Options{})

	if len(d.Findings) != 62 {
		t.Errorf("findings: got %d, want all 62", len(d.Findings))
	}
	// EXPECTED.md: Medium 26, High 14, Negligible 11, Critical 8, Unknown 2, Low 1.
	wantCounts := map[finding.Severity]int{crit: 8, high: 14, medium: 26, low: 1, info: 13}
	for s, n := range wantCounts {
		if d.Counts[s] != n {
			t.Errorf("counts[%s]: got %d, want %d", s, d.Counts[s], n)
		}
	}
	if d.Blocking != 22 || d.Status != StatusBlocked {
		t.Errorf("decision: got %s with %d blocking, want blocked with 22", d.Status, d.Blocking)
	}
	for _, ev := range d.Findings {
		wantFail := ev.Finding.Severity >= high
		if (ev.Outcome == OutcomeFail) != wantFail {
			t.Errorf("%s (%s): got %s", ev.Finding.Rule.ID, ev.Finding.Severity, ev.Outcome)
		}
	}
	if got, want := d.Reasons[len(d.Reasons)-1], "and 2 more blocking findings"; got != want {
		t.Errorf("last reason: got %q, want %q", got, want)
	}
}
