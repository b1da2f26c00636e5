package sariflog

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/testenv"
)

// multitool finds the SARIF Multitool: $SARIF_MULTITOOL, else Sarif.Multitool
// on PATH. Without it the test fails in CI (CI=true) and is skipped elsewhere.
func multitool(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SARIF_MULTITOOL"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("SARIF_MULTITOOL=%s: %v", p, err)
		}
		return p
	}
	if p, err := exec.LookPath("Sarif.Multitool"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the SARIF Multitool is required in CI: set SARIF_MULTITOOL or put Sarif.Multitool on PATH")
	}
	t.Skip("SARIF Multitool not found: set SARIF_MULTITOOL to validate the output")
	return ""
}

// validatorLog is the part of the Multitool's own SARIF output we read.
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

// validate runs the Multitool with GitHub's and SARIF's rules on the file and
// returns the problems it reports as errors. Version 5.7.0 has no --force: an
// existing output file is overwritten with --log ForceOverwrite, which must
// come after the file, since it takes a list of values.
func validate(t *testing.T, bin, file string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "validation.sarif")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "validate", file, "--rule-kind", "Gh;Sarif",
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

// validationErrors lists the results of level error, where a result without
// a level takes its rule's default, and SARIF's default is warning. It fails
// the test when the validator itself did not run.
func validationErrors(t *testing.T, log validatorLog, console string) []string {
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
	var errs []string
	for _, r := range run.Results {
		level := r.Level
		if level == "" && r.RuleIndex != nil && *r.RuleIndex < len(run.Tool.Driver.Rules) {
			level = run.Tool.Driver.Rules[*r.RuleIndex].DefaultConfiguration.Level
		}
		if level == "error" {
			errs = append(errs, r.RuleID+": "+strings.Join(r.Message.Arguments, " | "))
		}
	}
	return errs
}

func TestOutputPassesValidator(t *testing.T) {
	bin := multitool(t)
	dir := t.TempDir()

	own := filepath.Join(dir, "secgate.sarif")
	if err := os.WriteFile(own, []byte(writeString(t, sampleLog())), 0o644); err != nil {
		t.Fatalf("write: %v", err)
	}
	// A copy of our output with a null where the schema wants a string: the
	// validator must reject it, or the check above could never fail.
	broken := filepath.Join(dir, "broken.sarif")
	good := writeString(t, sampleLog())
	data := strings.Replace(good, `"status":"accepted",`, `"status":"accepted","guid":null,`, 1)
	if data == good {
		t.Fatal("negative control: the sample log has no accepted suppression to break")
	}
	if err := os.WriteFile(broken, []byte(data), 0o644); err != nil {
		t.Fatalf("write: %v", err)
	}
	// GitHub takes at most 20 runs per file (rule GH1013); the fixtures hold
	// more, so they are validated in two files.
	all := fixturesAsLog(t)
	var fixtures []string
	for i := 0; i < len(all.Runs); i += 20 {
		part := Log{Root: all.Root, Runs: all.Runs[i:min(i+20, len(all.Runs))]}
		name := filepath.Join(dir, "fixtures-"+strconv.Itoa(i)+".sarif")
		if err := os.WriteFile(name, []byte(writeString(t, part)), 0o644); err != nil {
			t.Fatalf("write: %v", err)
		}
		fixtures = append(fixtures, name)
	}
	if len(fixtures) != 2 {
		t.Fatalf("fixture logs: got %d, want 2", len(fixtures))
	}
	withoutLocations := filepath.Join(testenv.FixturesDir(t), "sarif", "sarif",
		"defectdojo-dockle-results-without-locations.sarif")

	tests := []struct {
		name      string
		file      string
		wantValid bool
	}{
		{"secgate output", own, true},
		{"SARIF fixtures read and written again, part 1", fixtures[0], true},
		{"SARIF fixtures read and written again, part 2", fixtures[1], true},
		{"null guid (negative control)", broken, false},
		{"results without locations (negative control)", withoutLocations, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := validate(t, bin, tc.file)
			if tc.wantValid && len(errs) > 0 {
				t.Errorf("validator errors:\n%s", strings.Join(errs, "\n"))
			}
			if !tc.wantValid && len(errs) == 0 {
				t.Errorf("validator accepted a log it must reject")
			}
		})
	}
}

// fixturesAsLog reads every SARIF fixture and turns it into one log, one run
// per fixture run, so that real rule ids, texts and locations are validated.
func fixturesAsLog(t *testing.T) Log {
	t.Helper()
	log := Log{Root: sampleRoot}
	for _, tc := range expectedSARIF {
		for i, run := range readFixture(t, tc.file) {
			out := OutRun{Tool: run.Tool, Successful: run.Successful, Notifications: run.Errors,
				Category: "fixtures/" + tc.file + "/" + strconv.Itoa(i) + "/"}
			for _, f := range run.Findings {
				out.Results = append(out.Results, Result{Finding: &f, Outcome: OutcomeWarn})
			}
			log.Runs = append(log.Runs, out)
		}
	}
	return log
}
