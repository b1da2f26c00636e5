package policy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// many returns n findings of one severity, each on its own line.
func many(n int, sev finding.Severity, rule string) []finding.Finding {
	out := make([]finding.Finding, n)
	for i := range out {
		out[i] = fnd("semgrep", rule, sev, "app/x.py", i+1)
	}
	return out
}

func TestBudgets(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		findings []finding.Finding
		status   Status
		reasons  []string
	}{
		{
			name: "over budget blocks without any failing finding", yaml: "max: {medium: 10}",
			findings: many(14, medium, "md5"), status: StatusBlocked,
			reasons: []string{"14 medium findings exceed the budget of 10 (max.medium)"},
		},
		{
			name: "at budget passes", yaml: "max: {medium: 10}",
			findings: many(10, medium, "md5"), status: StatusPassed,
		},
		{
			name: "one over a zero budget", yaml: "max: {low: 0}",
			findings: many(1, low, "md5"), status: StatusBlocked,
			reasons: []string{"1 low finding exceeds the budget of 0 (max.low)"},
		},
		{
			name:     "failing findings count toward their budget too",
			yaml:     "max: {high: 1}\nrules: [{match: noisy, action: warn}]",
			findings: slices.Concat(many(1, high, "sqli"), many(2, high, "noisy")),
			status:   StatusBlocked,
			reasons: []string{
				"semgrep:sqli high at app/x.py:1",
				"3 high findings exceed the budget of 1 (max.high)",
			},
		},
		{
			name: "ignored and suppressed findings do not count",
			yaml: "max: {medium: 0}\nrules: [{match: a, action: ignore}]\n" +
				"suppressions: [{rule: b, reason: r, owner: o, expires: 2100-01-01}]",
			findings: slices.Concat(many(3, medium, "a"), many(3, medium, "b")),
			status:   StatusPassed,
		},
		{
			name:     "each severity has its own budget, highest first",
			yaml:     "max: {low: 1, critical: 0, info: 5}\nrules: [{match: '*', action: warn}]",
			findings: slices.Concat(many(2, low, "l"), many(1, crit, "c"), many(5, info, "i")),
			status:   StatusBlocked,
			reasons: []string{
				"1 critical finding exceeds the budget of 0 (max.critical)",
				"2 low findings exceed the budget of 1 (max.low)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(parse(t, tt.yaml), tt.findings, nil, Options{})
			if d.Status != tt.status {
				t.Errorf("status: got %s, want %s", d.Status, tt.status)
			}
			if !slices.Equal(d.Reasons, tt.reasons) {
				t.Errorf("reasons:\ngot  %q\nwant %q", d.Reasons, tt.reasons)
			}
		})
	}
}

func TestScannerOutcomes(t *testing.T) {
	semgrepFailed := ScannerOutcome{Name: "semgrep", Required: true, State: ScannerFailed,
		Message: "exit status 2: invalid rule file"}
	tests := []struct {
		name     string
		scanners []ScannerOutcome
		findings []finding.Finding
		status   Status
		reasons  []string
		warnings []string
	}{
		{
			name: "all ok passes",
			scanners: []ScannerOutcome{
				{Name: "semgrep", Required: true, State: ScannerOK},
				{Name: "sbom", Required: false, State: ScannerOK},
			},
			status: StatusPassed,
		},
		{
			name: "required scanner failed", scanners: []ScannerOutcome{semgrepFailed},
			status:  StatusError,
			reasons: []string{"required scanner semgrep failed: exit status 2: invalid rule file"},
		},
		{
			name: "required scanner skipped",
			scanners: []ScannerOutcome{{Name: "semgrep", Required: true, State: ScannerSkipped,
				Message: "semgrep is not installed (pip install semgrep)"}},
			status: StatusError,
			reasons: []string{"required scanner semgrep was skipped: " +
				"semgrep is not installed (pip install semgrep)"},
		},
		{
			name: "optional scanner failed only warns",
			scanners: []ScannerOutcome{{Name: "gitleaks", Required: false, State: ScannerFailed,
				Message: "timed out after 10m0s"}},
			status:   StatusPassed,
			warnings: []string{"optional scanner gitleaks failed: timed out after 10m0s"},
		},
		{
			name:     "optional scanner skipped without message",
			scanners: []ScannerOutcome{{Name: "gitleaks", State: ScannerSkipped}},
			status:   StatusPassed,
			warnings: []string{"optional scanner gitleaks was skipped"},
		},
		{
			name:     "an unknown state fails closed",
			scanners: []ScannerOutcome{{Name: "sbom", Required: true, State: "partial"}},
			status:   StatusError,
			reasons:  []string{`required scanner sbom reported the unknown state "partial"`},
		},
		{
			name:     "error outranks blocked and still lists the findings",
			scanners: []ScannerOutcome{semgrepFailed},
			findings: []finding.Finding{fnd("sbom", "GHSA-1", crit, "go.mod", 0)},
			status:   StatusError,
			reasons: []string{
				"required scanner semgrep failed: exit status 2: invalid rule file",
				"sbom:GHSA-1 critical at go.mod",
			},
		},
		{
			name:     "an optional failure does not hide a block",
			scanners: []ScannerOutcome{{Name: "gitleaks", State: ScannerFailed, Message: "boom"}},
			findings: []finding.Finding{fnd("zap", "10038", high, "", 0)},
			status:   StatusBlocked,
			reasons:  []string{"zap:10038 high"},
			warnings: []string{"optional scanner gitleaks failed: boom"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(parse(t, "key: g"), tt.findings, tt.scanners, Options{})
			if d.Status != tt.status {
				t.Errorf("status: got %s, want %s", d.Status, tt.status)
			}
			if !slices.Equal(d.Reasons, tt.reasons) {
				t.Errorf("reasons:\ngot  %q\nwant %q", d.Reasons, tt.reasons)
			}
			if !slices.Equal(d.Warnings, tt.warnings) {
				t.Errorf("warnings:\ngot  %q\nwant %q", d.Warnings, tt.warnings)
			}
		})
	}
}

func TestReasonsAreCapped(t *testing.T) {
	tests := []struct {
		name      string
		fails     int
		maxListed int
		wantLen   int
		wantLast  string
	}{
		{"under the default cap", 20, 0, 20, "semgrep:sqli high at app/x.py:20"},
		{"over the default cap", 25, 0, 21, "and 5 more blocking findings"},
		{"one over a set cap", 4, 3, 4, "and 1 more blocking finding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(parse(t, "key: g"), many(tt.fails, high, "sqli"), nil,
				Options{MaxListed: tt.maxListed})
			if len(d.Reasons) != tt.wantLen {
				t.Fatalf("reasons: got %d, want %d", len(d.Reasons), tt.wantLen)
			}
			if got := d.Reasons[len(d.Reasons)-1]; got != tt.wantLast {
				t.Errorf("last reason: got %q, want %q", got, tt.wantLast)
			}
			if d.Blocking != tt.fails {
				t.Errorf("blocking: got %d, want %d", d.Blocking, tt.fails)
			}
		})
	}
}

func TestFindingsOrderAndCounts(t *testing.T) {
	in := []finding.Finding{
		fnd("semgrep", "b", low, "z.py", 1),
		fnd("semgrep", "a", high, "b.py", 9),
		fnd("gitleaks", "key", high, "z.py", 1),
		fnd("semgrep", "a", high, "b.py", 2),
		fnd("semgrep", "b", high, "b.py", 2),
		fnd("zap", "10038", crit, "", 0),
		fnd("semgrep", "a", info, "vendor/x.py", 1),
	}
	want := []string{
		"zap:10038 critical",
		"gitleaks:key high at z.py:1",
		"semgrep:a high at b.py:2",
		"semgrep:b high at b.py:2",
		"semgrep:a high at b.py:9",
		"semgrep:b low at z.py:1",
		"semgrep:a info at vendor/x.py:1",
	}
	cfg := parse(t, "paths: {exclude: [vendor/**]}")

	// The order must not depend on the input order.
	for _, rev := range []bool{false, true} {
		t.Run(fmt.Sprintf("reversed=%v", rev), func(t *testing.T) {
			findings := slices.Clone(in)
			if rev {
				slices.Reverse(findings)
			}
			d := Evaluate(cfg, findings, nil, Options{})
			var got []string
			for _, ev := range d.Findings {
				got = append(got, summary(&ev.Finding))
			}
			if !slices.Equal(got, want) {
				t.Errorf("order:\ngot  %q\nwant %q", got, want)
			}
		})
	}

	d := Evaluate(cfg, in, nil, Options{})
	wantCounts := map[finding.Severity]int{crit: 1, high: 4, medium: 0, low: 1, info: 1}
	for s, n := range wantCounts {
		if got, ok := d.Counts[s]; !ok || got != n {
			t.Errorf("counts[%s]: got %d (present %v), want %d", s, got, ok, n)
		}
	}
	if d.Blocking != 5 {
		t.Errorf("blocking: got %d, want 5", d.Blocking)
	}
}

// Known failure 11: report everything, fail only on high. A finding of
// unknown severity (info on secgate's scale) and a medium one are both listed
// and the gate passes.
func TestReportEverythingFailOnlyOnHigh(t *testing.T) {
	unknown := fnd("grype", "CVE-2022-0001", info, "", 0)
	unknown.ToolSeverity = "Unknown"
	findings := []finding.Finding{unknown, fnd("grype", "CVE-2023-0002", medium, "", 0)}

	tests := []struct {
		name   string
		yaml   string
		status Status
		want   []Outcome
	}{
		{"fail_on high passes and lists both", "fail_on: high", StatusPassed,
			[]Outcome{OutcomeWarn, OutcomeWarn}},
		{"fail_on medium blocks on the medium only", "fail_on: medium", StatusBlocked,
			[]Outcome{OutcomeFail, OutcomeWarn}},
		{"unknown severity can be made to fail by a rule",
			"rules: [{match: 'grype:CVE-2022-0001', action: fail}]", StatusBlocked,
			[]Outcome{OutcomeWarn, OutcomeFail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(parse(t, tt.yaml), findings, nil, Options{})
			if d.Status != tt.status {
				t.Errorf("status: got %s, want %s", d.Status, tt.status)
			}
			if len(d.Findings) != 2 {
				t.Fatalf("findings: got %d, want both listed", len(d.Findings))
			}
			for i, ev := range d.Findings {
				if ev.Outcome != tt.want[i] {
					t.Errorf("%s: got %s, want %s", ev.Finding.Rule.ID, ev.Outcome, tt.want[i])
				}
			}
		})
	}
}

// A config built in code skips Load's checks; a pattern that cannot compile
// must stop the decision rather than match nothing.
func TestConfigProblemsCannotDecide(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*config.Config)
		reason string
	}{
		{"bad exclude", func(c *config.Config) { c.Paths.Exclude = []string{"[x"} },
			`config: paths.exclude: "[x" is not a valid glob pattern`},
		{"bad rule", func(c *config.Config) {
			c.Rules = []config.RuleAction{{Match: "{a", Action: config.ActionIgnore}}
		}, `config: rules[0].match: "{a" is not a valid glob pattern`},
		{"unknown action", func(c *config.Config) {
			c.Rules = []config.RuleAction{{Match: "a", Action: "block"}}
		}, `config: rules[0].action: unknown action "block"`},
		{"suppression matching everything", func(c *config.Config) {
			c.Suppressions = []config.Suppression{{Reason: "r"}}
		}, "config: suppressions[0]: names no rule, fingerprint or path, so it would hide everything"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			tt.mutate(cfg)
			d := Evaluate(cfg, nil, nil, Options{})
			if d.Status != StatusError {
				t.Errorf("status: got %s, want error", d.Status)
			}
			if !slices.Equal(d.Reasons, []string{tt.reason}) {
				t.Errorf("reasons: got %q, want [%q]", d.Reasons, tt.reason)
			}
		})
	}
}

func TestNilConfigUsesDefaults(t *testing.T) {
	d := Evaluate(nil, []finding.Finding{fnd("semgrep", "x", high, "a.py", 1)}, nil, Options{})
	if d.Status != StatusBlocked || d.Findings[0].Reason != "high is at or above fail_on (high)" {
		t.Errorf("got %s / %q, want blocked by the default fail_on high", d.Status, d.Findings[0].Reason)
	}
}

func TestPermute(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for n := range 40 {
		for range 5 {
			order := rng.Perm(n)
			items := make([]int, n)
			for i := range items {
				items[i] = 100 + i
			}
			want := make([]int, n)
			for k, src := range order {
				want[k] = items[src]
			}

			permute(items, slices.Clone(order))
			if !slices.Equal(items, want) {
				t.Fatalf("order %v: got %v, want %v", order, items, want)
			}
		}
	}
}
