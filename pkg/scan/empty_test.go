package scan

import (
	"context"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/scanners"
)

// TestRunEmptyScans: a run that exits cleanly but counted no file or no rule
// is reported as empty, never as ok, and keeps what it found; counts the
// adapter does not vouch for are not read.
func TestRunEmptyScans(t *testing.T) {
	tests := []struct {
		name  string
		stats scanners.Stats
		state State
		msg   string
	}{
		{"files counted", scanners.Stats{FilesScanned: 3, FilesCounted: true}, StateOK, ""},
		{"no file", scanners.Stats{FilesCounted: true,
			Notes: []string{"semgrep scanned no files: check the target"}}, StateEmpty,
			"0 files scanned (semgrep scanned no files: check the target)"},
		{"no rule", scanners.Stats{FilesScanned: 2, FilesCounted: true, RulesCounted: true},
			StateEmpty, "0 rules loaded"},
		{"neither", scanners.Stats{FilesCounted: true, RulesCounted: true}, StateEmpty,
			"0 files scanned, 0 rules loaded"},
		{"not counted", scanners.Stats{}, StateOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			adapter := &fakeScanner{name: "tool", installed: true,
				run: func(context.Context, scanners.Request) (*scanners.Result, error) {
					return &scanners.Result{Stats: tt.stats,
						Findings: []finding.Finding{{Tool: "tool"}}}, nil
				}}
			cfg := &config.Config{Scanners: []config.Scanner{{Name: "tool", Type: "tool"}}}
			out, err := (&Runner{Lookup: lookupOf(adapter)}).Run(context.Background(),
				Request{Config: cfg, OutDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			o := out[0]
			if o.State != tt.state || o.Message != tt.msg {
				t.Errorf("outcome: got %s %q, want %s %q", o.State, o.Message, tt.state, tt.msg)
			}
			if o.Result == nil || len(o.Result.Findings) != 1 {
				t.Errorf("result: got %+v, want the run's finding kept", o.Result)
			}
		})
	}
}
