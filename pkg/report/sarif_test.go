package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/sariflog"
)

// readBack renders d as SARIF and reads it with the reader secgate uses for
// any tool's SARIF.
func readBack(t *testing.T, d *Data) ([]sariflog.Run, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := (SARIF{}).Render(&buf, d); err != nil {
		t.Fatalf("Render: %v", err)
	}
	runs, err := sariflog.Read(bytes.NewReader(buf.Bytes()), "secgate.sarif")
	if err != nil {
		t.Fatalf("Read: %v\n%s", err, buf.Bytes())
	}
	return runs, buf.Bytes()
}

func TestSARIFRuns(t *testing.T) {
	runs, _ := readBack(t, sampleData())

	// One run per tool in name order: those that ran, with or without
	// findings, and the failed scanner under its type.
	tests := []struct {
		tool       string
		version    string
		findings   int
		successful bool
		errors     []string
	}{
		{"bandit", "1.8.6", 0, true, nil},
		{"gitleaks", "8.18.0", 1, true, nil},
		{"sarif", "", 0, false, []string{"trivy exited 2"}},
		{"sbom", "", 1, true, nil},
		{"semgrep", "1.69.0", 2, true, nil},
	}
	if len(runs) != len(tests) {
		t.Fatalf("runs: got %d, want %d", len(runs), len(tests))
	}
	for i, want := range tests {
		t.Run(want.tool, func(t *testing.T) {
			got := runs[i]
			if got.Tool.Name != want.tool || got.Tool.Version != want.version {
				t.Errorf("tool: got %q %q, want %q %q",
					got.Tool.Name, got.Tool.Version, want.tool, want.version)
			}
			if len(got.Findings) != want.findings {
				t.Errorf("findings: got %d, want %d", len(got.Findings), want.findings)
			}
			if got.Successful != want.successful || !slices.Equal(got.Errors, want.errors) {
				t.Errorf("successful %v with errors %q, want %v with %q",
					got.Successful, got.Errors, want.successful, want.errors)
			}
			// Paths are written relative to %SRCROOT%, which is the root.
			if got.BaseDir != "/work/repo" {
				t.Errorf("BaseDir: got %q, want /work/repo", got.BaseDir)
			}
		})
	}
}

func TestSARIFRoundTrip(t *testing.T) {
	d := sampleData()

	runs, _ := readBack(t, d)

	read := map[string]finding.Finding{}
	for _, run := range runs {
		for _, f := range run.Findings {
			read[f.Fingerprint] = f
		}
	}
	if len(read) != len(d.Decision.Findings) {
		t.Errorf("findings read back: got %d, want %d", len(read), len(d.Decision.Findings))
	}
	for _, e := range d.Decision.Findings {
		want := e.Finding
		t.Run(want.Fingerprint, func(t *testing.T) {
			got, ok := read[want.Fingerprint]
			if !ok {
				t.Fatalf("not in the log")
			}
			if got.Tool != want.Tool || got.Rule.ID != want.Rule.ID {
				t.Errorf("got %s:%s, want %s:%s", got.Tool, got.Rule.ID, want.Tool, want.Rule.ID)
			}
			if got.Severity != want.Severity || got.Message != want.Message {
				t.Errorf("got %s %q, want %s %q", got.Severity, got.Message,
					want.Severity, want.Message)
			}
			if got.Location.Path != want.Location.Path ||
				got.Location.StartLine != want.Location.StartLine ||
				got.Location.Logical != want.Location.Logical {
				t.Errorf("location: got %+v, want %+v", got.Location, want.Location)
			}
			wantTools := want.Tools
			if len(wantTools) == 0 {
				wantTools = []string{want.Tool}
			}
			if !slices.Equal(got.Tools, wantTools) {
				t.Errorf("tools: got %q, want %q", got.Tools, wantTools)
			}
			if (got.Package == nil) != (want.Package == nil) ||
				got.Package != nil && got.Package.PURL != want.Package.PURL {
				t.Errorf("package: got %+v, want %+v", got.Package, want.Package)
			}
		})
	}
}

func TestSARIFOutcomes(t *testing.T) {
	d := sampleData()

	runs, raw := readBack(t, d)

	// Suppressed findings are kept and marked, with the config's reason;
	// every other finding carries no suppression, or code scanning would
	// close an alert the gate still counts.
	for _, run := range runs {
		for _, f := range run.Findings {
			var want []finding.Suppression
			if f.Fingerprint == "fp-secret" {
				want = []finding.Suppression{{Kind: "external",
					Justification: "test key, revoked on 2024-03-01"}}
			}
			if !slices.Equal(f.Suppressions, want) {
				t.Errorf("%s: suppressions %+v, want %+v", f.Fingerprint, f.Suppressions, want)
			}
		}
	}

	got := resultProperty(t, raw, "secgate/outcome")
	for _, e := range d.Decision.Findings {
		if got[e.Finding.Fingerprint] != string(e.Outcome) {
			t.Errorf("%s: outcome %q, want %q",
				e.Finding.Fingerprint, got[e.Finding.Fingerprint], e.Outcome)
		}
	}
}

func TestSARIFCategories(t *testing.T) {
	_, raw := readBack(t, sampleData())

	var log struct {
		Runs []struct {
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range log.Runs {
		got = append(got, r.AutomationDetails.ID)
	}
	// The category must not change from one run of the gate to the next, or
	// code scanning closes and reopens every alert.
	want := []string{"web-app/bandit/", "web-app/gitleaks/", "web-app/sarif/",
		"web-app/sbom/", "web-app/semgrep/"}
	if !slices.Equal(got, want) {
		t.Errorf("categories: got %q, want %q", got, want)
	}
}

func TestSARIFEdgeCases(t *testing.T) {
	t.Run("nothing ran", func(t *testing.T) {
		runs, raw := readBack(t, emptyData())

		if len(runs) != 0 {
			t.Errorf("runs: got %d, want 0", len(runs))
		}
		if !strings.Contains(string(raw), `"runs": []`) {
			t.Errorf("want an empty runs array:\n%s", raw)
		}
	})

	t.Run("a tool named only by findings", func(t *testing.T) {
		// An imported report: the findings name a tool no scanner reported.
		d := emptyData()
		f := finding.Finding{Tool: "checkov", Rule: finding.Rule{ID: "CKV_AWS_16"},
			Severity: finding.SeverityHigh, Message: "RDS not encrypted",
			Location: finding.Location{Path: "aws/db.tf", StartLine: 5}}
		d.Decision.Findings = []policy.Evaluated{{Finding: f, Outcome: policy.OutcomeFail}}

		runs, _ := readBack(t, d)

		if len(runs) != 1 || runs[0].Tool.Name != "checkov" || len(runs[0].Findings) != 1 {
			t.Fatalf("got %+v, want one checkov run with one finding", runs)
		}
		if got := runs[0].Findings[0].Location.Path; got != "aws/db.tf" {
			t.Errorf("path: got %q, want aws/db.tf", got)
		}
	})
}

// resultProperty maps each result's secgate fingerprint to one of its
// properties, read from the raw log.
func resultProperty(t *testing.T, raw []byte, key string) map[string]string {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]any    `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, run := range log.Runs {
		for _, r := range run.Results {
			v, _ := r.Properties[key].(string)
			out[r.PartialFingerprints["secgate/v1"]] = v
		}
	}
	return out
}
