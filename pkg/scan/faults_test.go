package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/scanners"
	"github.com/secgate/secgate/scanners/command"
	"github.com/secgate/secgate/scanners/sarif"
)

// TestScannerFaults runs real scripts through the command adapter, one per
// way a tool can break, and checks what the gate makes of each: the outcome
// names the scanner and its log, and a required scanner that broke leaves
// the gate unable to decide (fail closed), never passed.
func TestScannerFaults(t *testing.T) {
	const emptySARIF = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}`
	tests := []struct {
		name, script string
		cmd          string // overrides the script path, for the missing tool
		timeout      time.Duration
		state        scan.State
		msg          string
	}{
		{name: "missing binary", cmd: "secgate-no-such-scanner", state: scan.StateSkipped,
			msg: "install secgate-no-such-scanner"},
		{name: "crash", script: "kill -SEGV $$", state: scan.StateFailed,
			msg: "killed by signal segmentation fault"},
		{name: "killed", script: "kill -KILL $$", state: scan.StateFailed,
			msg: "killed by signal killed"},
		{name: "non-zero exit and no output", script: "exit 4", state: scan.StateFailed,
			msg: "exited 4"},
		{name: "timeout", script: "sleep 30", timeout: 300 * time.Millisecond,
			state: scan.StateFailed, msg: "raise scanners.timeout.timeout"},
		{name: "runaway output", script: "yes '" + emptySARIF + "'", state: scan.StateFailed,
			msg: "exceeded the size limit"},
		{name: "hung grandchild", script: "sleep 60 &\necho '" + emptySARIF + "'",
			state: scan.StateFailed, msg: "kept its output open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			tool := filepath.Join(root, "tool.sh")
			if err := os.WriteFile(tool, []byte("#!/bin/sh\n"+tt.script+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.cmd != "" {
				tool = tt.cmd
			}
			name := strings.Fields(tt.name)[0]
			cfg := &config.Config{File: "secgate.yaml",
				Limits: config.Limits{MaxReportBytes: 64 << 10},
				Scanners: []config.Scanner{{Name: name, Type: "command", Required: true,
					Command: []string{tool}, Format: "sarif", Timeout: tt.timeout}}}

			out := runFaulty(t, cfg, root)
			o := out[0]
			if o.Name != name || o.State != tt.state || !strings.Contains(o.Message, tt.msg) {
				t.Errorf("outcome: got %s %s %q, want %s %s containing %q",
					o.Name, o.State, o.Message, name, tt.state, tt.msg)
			}
			if tt.state == scan.StateFailed && (o.LogPath == "" ||
				!strings.Contains(o.Message, "(log: "+o.LogPath+")")) {
				t.Errorf("message %q does not name the log %q", o.Message, o.LogPath)
			}

			d := policy.Evaluate(cfg, nil, []policy.ScannerOutcome{{Name: o.Name,
				Required: true, State: string(o.State), Message: o.Message}}, policy.Options{})
			if d.Status != policy.StatusError {
				t.Errorf("decision: got %s, want %s (fail closed)", d.Status, policy.StatusError)
			}
		})
	}
}

func runFaulty(t *testing.T, cfg *config.Config, root string) []scan.Outcome {
	t.Helper()
	adapter := command.New(map[string]command.ParserFor{
		"sarif": func(*config.Config) scanners.Parser { return sarif.Parse },
	})
	r := &scan.Runner{Lookup: func(typ string) (scanners.Scanner, bool) {
		return adapter, typ == "command"
	}}
	out, err := r.Run(context.Background(), scan.Request{Config: cfg, Root: root,
		Target: root, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
