package policy

import (
	"slices"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// TestEmptyScanners: a scanner that ran but scanned nothing cannot vouch for
// the code. Required, the gate cannot decide; optional, it warns. Either way
// the findings it did report still count.
func TestEmptyScanners(t *testing.T) {
	empty := func(required bool) ScannerOutcome {
		return ScannerOutcome{Name: "semgrep", Required: required, State: ScannerEmpty,
			Message: "0 files scanned (semgrep scanned no files: check the target)"}
	}
	tests := []struct {
		name     string
		scanner  ScannerOutcome
		findings []finding.Finding
		status   Status
		reasons  []string
		warnings []string
	}{
		{"required", empty(true), nil, StatusError,
			[]string{"required scanner semgrep scanned nothing: 0 files scanned " +
				"(semgrep scanned no files: check the target)"}, nil},
		{"optional", empty(false), nil, StatusPassed, nil,
			[]string{"optional scanner semgrep scanned nothing: 0 files scanned " +
				"(semgrep scanned no files: check the target)"}},
		{"optional, with a finding that blocks", empty(false),
			[]finding.Finding{fnd("sbom", "license-denied", high, "web/package-lock.json", 0)},
			StatusBlocked, []string{"sbom:license-denied high at web/package-lock.json"},
			[]string{"optional scanner semgrep scanned nothing: 0 files scanned " +
				"(semgrep scanned no files: check the target)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(parse(t, "key: g"), tt.findings, []ScannerOutcome{tt.scanner}, Options{})
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
