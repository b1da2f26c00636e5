package config

import (
	"testing"
)

func TestParseReportKeys(t *testing.T) {
	tests := []struct {
		name       string
		yaml       string
		wantReport string
		wantFormat string
		wantErr    string // a diagnostic must contain this; empty means none
	}{
		{
			name:       "report on semgrep",
			yaml:       "scanners:\n  semgrep:\n    report: out/semgrep.json\n",
			wantReport: "out/semgrep.json",
		},
		{
			name: "report with its format, in any case",
			yaml: "scanners:\n  deps:\n    type: snyk\n    report: snyk.json\n" +
				"    report_format: Snyk-JSON\n",
			wantReport: "snyk.json", wantFormat: "snyk-json",
		},
		{
			name:       "a sarif scanner may read one report instead of files",
			yaml:       "scanners:\n  gitleaks:\n    type: sarif\n    report: gitleaks.sarif\n",
			wantReport: "gitleaks.sarif",
		},
		{
			name:    "report_format without report",
			yaml:    "scanners:\n  semgrep:\n    config: [p/ci]\n    report_format: semgrep-json\n",
			wantErr: ":4:20: scanners.semgrep.report_format: only makes sense with report",
		},
		{
			name:    "empty report",
			yaml:    "scanners:\n  semgrep:\n    report: \"\"\n",
			wantErr: ":3:13: scanners.semgrep.report:",
		},
		{
			name:    "report is a list",
			yaml:    "scanners:\n  semgrep:\n    report: [a.json, b.json]\n",
			wantErr: ":3:13: scanners.semgrep.report:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parseCase(t, tt.yaml, tt.wantErr)
			if cfg == nil {
				return
			}
			s := cfg.Scanners[0]
			if s.Report != tt.wantReport || s.ReportFormat != tt.wantFormat {
				t.Errorf("report: got %q (%q), want %q (%q)",
					s.Report, s.ReportFormat, tt.wantReport, tt.wantFormat)
			}
		})
	}
}
