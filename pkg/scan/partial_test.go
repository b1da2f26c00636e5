package scan

import (
	"context"
	"fmt"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/scanners"
)

// TestPartialRunKeepsFindings checks a scanner that tested some of its parts:
// it fails, so a gate that requires it cannot pass, and the findings of the
// parts that ran are kept for the reports.
func TestPartialRunKeepsFindings(t *testing.T) {
	tested := &scanners.Result{Findings: []finding.Finding{{Tool: "snyk",
		Rule: finding.Rule{ID: "SNYK-JS-X-1"}}}}
	partial := &scanners.PartialError{Tool: "snyk", Result: tested, Total: 2, Noun: "project",
		Failed: []scanners.Failure{{Target: "app", Reason: "Missing node_modules folder"}}}
	tests := []struct {
		name     string
		err      error
		findings int
	}{
		{"partial", partial, 1},
		{"wrapped partial", fmt.Errorf("snyk: %w", partial), 1},
		{"plain failure", fmt.Errorf("snyk failed"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			adapter := &fakeScanner{name: "snyk", installed: true,
				run: func(context.Context, scanners.Request) (*scanners.Result, error) {
					return nil, tt.err
				}}
			r := &Runner{Lookup: lookupOf(adapter)}
			cfg := &config.Config{Scanners: []config.Scanner{{Name: "deps", Type: "snyk",
				Required: true}}}
			out, err := r.Run(context.Background(), Request{Config: cfg, OutDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			o := out[0]
			if o.State != StateFailed {
				t.Errorf("state: got %s, want failed", o.State)
			}
			got := 0
			if o.Result != nil {
				got = len(o.Result.Findings)
			}
			if got != tt.findings {
				t.Errorf("findings kept: got %d, want %d", got, tt.findings)
			}
		})
	}
}
