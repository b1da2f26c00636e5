package policy

import (
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// stateByLine is a Baseline that reads the state from the finding's line:
// findings on lines listed are old, every other one is new.
type stateByLine map[int]string

func (s stateByLine) State(f *finding.Finding) (string, string) {
	if st, ok := s[f.Location.StartLine]; ok {
		return st, "listed as " + st
	}
	return "new", "not listed"
}

func TestNewOnly(t *testing.T) {
	old := stateByLine{1: "unchanged", 2: "updated"}
	findings := many(3, high, "sqli") // lines 1, 2, 3
	tests := []struct {
		name     string
		yaml     string
		base     Baseline
		status   Status
		outcomes []Outcome
		states   []string
		reasons  []string
	}{
		{
			name: "off: states recorded, every failure blocks", yaml: "fail_on: high",
			base: old, status: StatusBlocked,
			outcomes: []Outcome{OutcomeFail, OutcomeFail, OutcomeFail},
			states:   []string{"unchanged", "updated", "new"},
		},
		{
			name: "on: only the new finding blocks", yaml: "new_only: true", base: old,
			status:   StatusBlocked,
			outcomes: []Outcome{OutcomeWarn, OutcomeWarn, OutcomeFail},
			states:   []string{"unchanged", "updated", "new"},
			reasons:  []string{"semgrep:sqli high at app/x.py:3"},
		},
		{
			name: "on: nothing new passes", yaml: "new_only: true",
			base: stateByLine{1: "unchanged", 2: "unchanged", 3: "updated"}, status: StatusPassed,
			outcomes: []Outcome{OutcomeWarn, OutcomeWarn, OutcomeWarn},
			states:   []string{"unchanged", "unchanged", "updated"},
		},
		{
			name: "on: old findings do not spend the budget", yaml: "new_only: true\nmax: {high: 1}\n" +
				"rules: [{match: sqli, action: warn}]",
			base: old, status: StatusPassed,
			outcomes: []Outcome{OutcomeWarn, OutcomeWarn, OutcomeWarn},
			states:   []string{"unchanged", "updated", "new"},
		},
		{
			name: "on without a baseline: everything counts", yaml: "new_only: true", base: nil,
			status:   StatusBlocked,
			outcomes: []Outcome{OutcomeFail, OutcomeFail, OutcomeFail},
			states:   []string{"", "", ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(parse(t, tt.yaml), findings, nil, Options{Baseline: tt.base})
			if d.Status != tt.status {
				t.Errorf("status: got %s, want %s (reasons %v)", d.Status, tt.status, d.Reasons)
			}
			for i, ev := range d.Findings {
				if ev.Outcome != tt.outcomes[i] || ev.BaselineState != tt.states[i] {
					t.Errorf("finding on line %d: got %s/%q, want %s/%q", ev.Finding.Location.StartLine,
						ev.Outcome, ev.BaselineState, tt.outcomes[i], tt.states[i])
				}
			}
			if tt.reasons != nil && strings.Join(d.Reasons, "|") != strings.Join(tt.reasons, "|") {
				t.Errorf("reasons: got %q, want %q", d.Reasons, tt.reasons)
			}
		})
	}
}

func TestNewOnlyReason(t *testing.T) {
	d := Evaluate(parse(t, "new_only: true"), many(1, high, "sqli"), nil,
		Options{Baseline: stateByLine{1: "unchanged"}})
	got := d.Findings[0].Reason
	if !strings.HasPrefix(got, "not new (listed as unchanged), so it does not block: high is at") {
		t.Errorf("reason: got %q", got)
	}
}
