package semgrep

import (
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// Counts from EXPECTED.md. Semgrep's SARIF has no result levels: severities
// come from the rules' default levels and security-severity.
func TestParseSARIFFixtures(t *testing.T) {
	tests := []struct {
		file    string
		results int
		notes   int
	}{
		{"defectdojo-semgrep-oss-1.69.0.sarif", 77, 0},
		{"semgrep-e2e-dataflow-traces.sarif", 1, 0},
		{"semgrep-e2e-supply-chain-ansi-html.sarif", 1, 0},
		{"semgrep-e2e-when-errors.sarif", 0, 1},
		{"semgrep-e2e-with-source.sarif", 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := parseFixture(t, ParseSARIF, "semgrep/sarif/"+tt.file)

			if got := len(res.Findings); got != tt.results {
				t.Errorf("findings: got %d, want %d", got, tt.results)
			}
			for _, f := range res.Findings {
				if f.Tool != "semgrep" {
					t.Errorf("tool: got %q, want semgrep, whatever the driver's name", f.Tool)
				}
			}
			errNotes := 0
			for _, n := range res.Stats.Notes {
				if strings.HasPrefix(n, "semgrep: ") {
					errNotes++
				}
			}
			if errNotes != tt.notes {
				t.Errorf("error notes: got %d (%q), want %d", errNotes, res.Stats.Notes, tt.notes)
			}
		})
	}
}

// The 1.69.0 report's rules carry security-severity; no result is left at
// SARIF's default level, which would make every finding medium.
func TestParseSARIFSeverityFromRules(t *testing.T) {
	res := parseFixture(t, ParseSARIF, "semgrep/sarif/defectdojo-semgrep-oss-1.69.0.sarif")
	n := map[finding.Severity]int{}
	for _, f := range res.Findings {
		n[f.Severity]++
	}
	if n[finding.SeverityMedium] == len(res.Findings) {
		t.Errorf("all %d findings are medium: rule severities were not applied (%v)",
			len(res.Findings), n)
	}
}

func TestParseSARIFRejectsOtherTools(t *testing.T) {
	input := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[]}]}`
	_, err := ParseSARIF(strings.NewReader(input), "gosec.sarif")
	if err == nil || !strings.Contains(err.Error(), `"gosec", not Semgrep`) {
		t.Errorf("error: got %v, want one saying the run is gosec's, not Semgrep's", err)
	}
}
