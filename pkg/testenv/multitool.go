package testenv

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Multitool returns the SARIF Multitool's Linux binary.
func Multitool(t testing.TB) string {
	t.Helper()
	return Tool(t, "Sarif.Multitool", "SARIF_MULTITOOL",
		".tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")
}

// ValidateSARIF runs the SARIF Multitool with GitHub's ingestion rules and the
// SARIF rules on file and returns the errors it reports, one "rule: message"
// each. It fails the test when the validator itself did not run.
//
// The Linux binary is called directly: the npm wrapper passes arguments
// through a shell, which would split "Gh;Sarif". Version 5.7.0 has no
// --force: an existing output file is overwritten with --log ForceOverwrite,
// which must come after the file, since it takes a list of values.
func ValidateSARIF(t testing.TB, file string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "validation.sarif")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	cmd := exec.CommandContext(ctx, Multitool(t), "validate", file, "--rule-kind", "Gh;Sarif",
		"--output", out, "--log", "ForceOverwrite")
	console, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("multitool failed: %v\n%s", err, console)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("multitool wrote no output: %v\n%s", err, console)
	}
	var log validatorLog
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("multitool output unreadable (%v)\n%s", err, console)
	}
	return validationErrors(t, log, string(console))
}

// validatorLog is the part of the Multitool's own SARIF output that is read.
type validatorLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string
					DefaultConfiguration struct{ Level string }
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful            bool
			ToolExecutionNotifications     []validatorNote
			ToolConfigurationNotifications []validatorNote
		}
		Results []struct {
			RuleID    string
			RuleIndex *int
			Level     string
			Message   struct {
				Text      string
				Arguments []string
			}
		}
	}
}

type validatorNote struct {
	Level   string
	Message struct{ Text string }
}

// validationErrors lists the results of level error, where a result without
// a level takes its rule's default, and SARIF's default is warning.
func validationErrors(t testing.TB, log validatorLog, console string) []string {
	t.Helper()
	run := log.Runs[0]
	for _, inv := range run.Invocations {
		if !inv.ExecutionSuccessful {
			t.Fatalf("multitool run not successful\n%s", console)
		}
		for _, n := range append(inv.ToolExecutionNotifications, inv.ToolConfigurationNotifications...) {
			if n.Level == "error" {
				t.Fatalf("multitool error: %s\n%s", n.Message.Text, console)
			}
		}
	}

	ruleLevel := map[string]string{}
	for _, r := range run.Tool.Driver.Rules {
		ruleLevel[r.ID] = r.DefaultConfiguration.Level
	}
	var errs []string
	for _, r := range run.Results {
		level := r.Level
		if level == "" && r.RuleIndex != nil && *r.RuleIndex < len(run.Tool.Driver.Rules) {
			level = run.Tool.Driver.Rules[*r.RuleIndex].DefaultConfiguration.Level
		}
		if level == "" {
			level = ruleLevel[r.RuleID]
		}
		if level == "error" {
			errs = append(errs, r.RuleID+": "+r.Message.Text+" "+
				strings.Join(r.Message.Arguments, " | "))
		}
	}
	return errs
}
