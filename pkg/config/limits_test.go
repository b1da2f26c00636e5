package config

import (
	"strings"
	"testing"
)

func TestLimits(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       int64
		err        string
	}{
		{"default", "fail_on: high\n", DefaultMaxReportBytes, ""},
		{"bytes", "limits: {max_report_bytes: 1048576}\n", 1 << 20, ""},
		{"mebibytes", "limits:\n  max_report_bytes: 64MiB\n", 64 << 20, ""},
		{"gibibyte", "limits: {max_report_bytes: 1GiB}\n", 1 << 30, ""},
		{"zero", "limits: {max_report_bytes: 0}\n", 0, "x.yaml:1:28: limits.max_report_bytes"},
		{"negative", "limits: {max_report_bytes: -5}\n", 0, "is not a size"},
		{"too big", "limits: {max_report_bytes: 5GiB}\n", 0, "out of range"},
		{"overflow", "limits: {max_report_bytes: 99999999999999999999}\n", 0, "out of range"},
		{"unit typo", "limits: {max_report_bytes: 64MB}\n", 0, "is not a size"},
		{"unknown key", "limits: {max_sarif: 5}\n", 0, "max_sarif"},
		{"not a mapping", "limits: 5\n", 0, "limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), "x.yaml")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := cfg.Limits.ReportBytes(); got != tt.want {
				t.Errorf("ReportBytes: got %d, want %d", got, tt.want)
			}
		})
	}
}
