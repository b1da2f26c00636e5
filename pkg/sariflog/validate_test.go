package sariflog

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

func TestOutputPassesValidator(t *testing.T) {
	testenv.Multitool(t) // skipped, or failed in CI, before any work without it
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
			errs := testenv.ValidateSARIF(t, tc.file)
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
