package github

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/publish/github/fakegithub"
	"github.com/secgate/secgate/pkg/testenv"
)

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.Fixture(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// doubled repeats every run of a log, as a merge of two scans of one tool
// (or Snyk's --all-projects) does.
func doubled(t *testing.T, data []byte) []byte {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	runs := log["runs"].([]any)
	var again []any
	if err := json.Unmarshal(mustJSON(t, runs), &again); err != nil {
		t.Fatal(err)
	}
	log["runs"] = append(runs, again...)
	return mustJSON(t, log)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// knownFailure1 is the input of known failure 1: one result with no
// location, one with a logical location only.
const knownFailure1 = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"demo"}},"results":[
 {"ruleId":"R1","message":{"text":"project-level"},"locations":[]},
 {"ruleId":"R2","message":{"text":"class-level"},
  "locations":[{"logicalLocations":[{"fullyQualifiedName":"Acme.Billing"}]}]}]}]}`

func TestFitSARIF(t *testing.T) {
	small := DefaultLimits
	small.ResultsPerRun = 10
	tiny := DefaultLimits
	tiny.GzipBytes = 17000
	twoRuns := DefaultLimits
	twoRuns.Runs = 1

	tests := []struct {
		name   string
		data   []byte
		opts   FitOptions
		runs   int
		result int // results over all runs
		unloc  int
		notes  string // a note that must be present
	}{
		{"dockle results without locations, left out and listed",
			readFixture(t, "sarif/sarif/defectdojo-dockle-results-without-locations.sarif"),
			FitOptions{Limits: DefaultLimits, Key: "gate"}, 1, 0, 4, ""},
		{"dockle results anchored to the config",
			readFixture(t, "sarif/sarif/defectdojo-dockle-results-without-locations.sarif"),
			FitOptions{Limits: DefaultLimits, Key: "gate", Anchor: "secgate.yaml"}, 1, 4, 0, ""},
		{"known failure 1: no location and logical only", []byte(knownFailure1),
			FitOptions{Limits: DefaultLimits, Key: "gate"}, 1, 0, 2, ""},
		{"known failure 6: same tool and category twice, merged",
			doubled(t, readFixture(t, "codeql/sarif/codeql-action-testdata-fingerprinting.sarif")),
			FitOptions{Limits: DefaultLimits, Key: "gate"}, 1, 2, 0, "were merged into one"},
		{"two tools stay two runs",
			readFixture(t, "codeql/sarif/codeql-action-testdata-two-runs.sarif"),
			FitOptions{Limits: DefaultLimits, Key: "gate"}, 2, 3, 0, ""},
		{"runs over the limit", readFixture(t, "codeql/sarif/codeql-action-testdata-two-runs.sarif"),
			FitOptions{Limits: twoRuns, Key: "gate"}, 1, 1, 0, "runs over the limit of 1"},
		{"results over the per-run limit", readFixture(t, "codeql/sarif/defectdojo-codeql-2.5.4.sarif"),
			FitOptions{Limits: small, Key: "gate"}, 1, 10, 0, "62 least severe results"},
		{"over the size limit after gzip", readFixture(t, "codeql/sarif/defectdojo-codeql-2.5.4.sarif"),
			FitOptions{Limits: tiny, Key: "gate"}, 1, 36, 0, "least severe half"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fit, err := FitSARIF(tt.data, tt.opts)
			if err != nil {
				t.Fatalf("FitSARIF: %v", err)
			}
			if errs := fakegithub.CheckSARIF(fit.JSON); len(errs) > 0 {
				t.Errorf("code scanning would reject the fitted log: %v", errs)
			}
			if len(fit.Gzip) > tt.opts.Limits.GzipBytes {
				t.Errorf("gzipped size %d over %d", len(fit.Gzip), tt.opts.Limits.GzipBytes)
			}
			runs, results := countRuns(t, fit.JSON)
			if runs != tt.runs {
				t.Errorf("runs: got %d, want %d", runs, tt.runs)
			}
			if tt.result >= 0 && results != tt.result {
				t.Errorf("results: got %d, want %d", results, tt.result)
			}
			if len(fit.Unlocated) != tt.unloc {
				t.Errorf("unlocated: got %v, want %d", fit.Unlocated, tt.unloc)
			}
			if tt.notes != "" && !strings.Contains(strings.Join(fit.Notes, "|"), tt.notes) {
				t.Errorf("notes %q lack %q", fit.Notes, tt.notes)
			}
			checkRuleIndexes(t, fit.JSON)
		})
	}
}

func countRuns(t *testing.T, data []byte) (runs, results int) {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Runs {
		results += len(r.Results)
	}
	return len(log.Runs), results
}

// checkRuleIndexes: every ruleIndex points at the rule with the result's
// ruleId, and every run has a category.
func checkRuleIndexes(t *testing.T, data []byte) {
	t.Helper()
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Results           []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	for _, run := range log.Runs {
		if run.AutomationDetails.ID == "" {
			t.Errorf("a run has no category")
		}
		rules := run.Tool.Driver.Rules
		for _, r := range run.Results {
			if r.RuleIndex == nil {
				continue
			}
			if *r.RuleIndex >= len(rules) || rules[*r.RuleIndex].ID != r.RuleID {
				t.Errorf("ruleIndex %d does not point at %s", *r.RuleIndex, r.RuleID)
			}
		}
	}
}

func TestFitSARIFRefusesWhatIsNotSARIF(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not JSON", "{", "not JSON"},
		{"old version", `{"version":"2.0.0","runs":[]}`, "version"},
		{"no runs", `{"version":"2.1.0"}`, "no runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitSARIF([]byte(tt.in), FitOptions{Limits: DefaultLimits})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// TestUploadSARIF sends a log code scanning would reject as it is (two runs
// of one tool, results without a file): fitted, it is processed; a log that
// processing still rejects is reported as a problem, not a success.
func TestUploadSARIF(t *testing.T) {
	dockle := readFixture(t, "sarif/sarif/defectdojo-dockle-results-without-locations.sarif")
	tests := []struct {
		name      string
		reject    bool
		processed bool
	}{
		{"accepted", false, true},
		{"rejected while processing", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, "")
			srv.AddPR(flaskPR())
			if tt.reject {
				srv.Processing = func(*fakegithub.SARIFUpload) (string, []string) {
					return "failed", []string{"locationFromSarifResult: expected artifact location"}
				}
			}
			clock := newFakeClock()
			p := newPublisher(t, srv, clock, Settings{SARIF: true, Summary: true,
				AnchorPath: "secgate.yaml"})
			res := publish(t, p, Input{Data: flaskData(t), SARIF: doubled(t, dockle),
				Target: target(srv, 7)})

			st := srv.Snapshot()
			if len(st.Uploads) != 1 {
				t.Fatalf("uploads: %d", len(st.Uploads))
			}
			u := st.Uploads[0]
			if u.Ref != "refs/pull/7/head" || u.CommitSHA != headSHA {
				t.Errorf("upload ref %q commit %q", u.Ref, u.CommitSHA)
			}
			if u.Polls < 2 || len(clock.sleeps()) == 0 {
				t.Errorf("the status was not polled until done: %d polls", u.Polls)
			}
			if res.SARIF.Processed != tt.processed {
				t.Errorf("processed: got %v, want %v", res.SARIF.Processed, tt.processed)
			}
			rejected := strings.Contains(problemFeatures(res), string(FeatureSARIF))
			if rejected != tt.reject {
				t.Errorf("problems %v, want a code scanning problem: %v", res.Problems, tt.reject)
			}
			body := st.IssueComments[0].Body
			if tt.reject && !strings.Contains(body, "code scanning rejected the upload") {
				t.Errorf("summary does not report the rejection")
			}
			if !tt.reject && !strings.Contains(body, "/security/code-scanning") {
				t.Errorf("summary does not link code scanning")
			}
			if !bytes.Contains(u.SARIF, []byte(`"secgate.yaml"`)) {
				t.Errorf("unlocated results were not anchored to the config")
			}
		})
	}
}
