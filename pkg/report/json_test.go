package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// jsonDoc is the JSON report as a script reads it. It is declared here, not
// taken from json.go, so that renaming a field breaks this test.
type jsonDoc struct {
	Secgate struct {
		Schema  int    `json:"schema"`
		Version string `json:"version"`
		Key     string `json:"key"`
	} `json:"secgate"`
	Verdict  string         `json:"verdict"`
	Summary  string         `json:"summary"`
	Reasons  []string       `json:"reasons"`
	Warnings []string       `json:"warnings"`
	Counts   map[string]int `json:"counts"`
	Blocking int            `json:"blocking"`
	Scanners []struct {
		Name       string `json:"name"`
		Type       string `json:"type"`
		State      string `json:"state"`
		Required   bool   `json:"required"`
		Version    string `json:"version"`
		Message    string `json:"message"`
		Findings   int    `json:"findings"`
		DurationMS int64  `json:"duration_ms"`
		Log        string `json:"log"`
	} `json:"scanners"`
	Findings []struct {
		Tool  string   `json:"tool"`
		Tools []string `json:"tools"`
		Rule  struct {
			ID string `json:"id"`
		} `json:"rule"`
		Severity string `json:"severity"`
		Location struct {
			Path      string `json:"path"`
			StartLine int    `json:"start_line"`
			Logical   string `json:"logical"`
		} `json:"location"`
		Fingerprint string `json:"fingerprint"`
		Package     *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"package"`
		Outcome string `json:"outcome"`
		Reason  string `json:"reason"`
	} `json:"findings"`
	Notes []string `json:"notes"`
}

func renderJSON(t *testing.T, d *Data) (jsonDoc, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := (JSON{}).Render(&buf, d); err != nil {
		t.Fatalf("Render: %v", err)
	}
	var doc jsonDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, buf.Bytes())
	}
	return doc, buf.Bytes()
}

func TestJSONDecision(t *testing.T) {
	d := sampleData()

	doc, _ := renderJSON(t, d)

	if doc.Secgate.Schema != JSONSchemaVersion || doc.Secgate.Version != "1.2.3" ||
		doc.Secgate.Key != "web-app" {
		t.Errorf("header: got %+v", doc.Secgate)
	}
	if doc.Verdict != "blocked" {
		t.Errorf("verdict: got %q, want blocked", doc.Verdict)
	}
	wantSummary := "1 blocking; 4 findings (1 critical, 1 high, 1 medium, 1 low)"
	if doc.Summary != wantSummary {
		t.Errorf("summary: got %q, want %q", doc.Summary, wantSummary)
	}
	if doc.Blocking != 1 {
		t.Errorf("blocking: got %d, want 1", doc.Blocking)
	}
	if !slices.Equal(doc.Reasons, []string{sqliReason}) {
		t.Errorf("reasons: got %q", doc.Reasons)
	}
	if !slices.Equal(doc.Warnings, d.Decision.Warnings) {
		t.Errorf("warnings: got %q, want %q", doc.Warnings, d.Decision.Warnings)
	}
	if !slices.Equal(doc.Notes, d.Notes) {
		t.Errorf("notes: got %q, want %q", doc.Notes, d.Notes)
	}
}

func TestJSONCounts(t *testing.T) {
	doc, _ := renderJSON(t, sampleData())

	// Every severity has a count, zero included, so a script can read
	// counts.info without checking that it is there.
	want := map[string]int{"critical": 1, "high": 1, "medium": 1, "low": 1, "info": 0}
	if len(doc.Counts) != len(want) {
		t.Errorf("counts: got %v, want %v", doc.Counts, want)
	}
	for sev, n := range want {
		if got, ok := doc.Counts[sev]; !ok || got != n {
			t.Errorf("counts[%s]: got %d (present %v), want %d", sev, got, ok, n)
		}
	}
}

func TestJSONFindings(t *testing.T) {
	d := sampleData()

	doc, _ := renderJSON(t, d)

	if len(doc.Findings) != len(d.Decision.Findings) {
		t.Fatalf("findings: got %d, want %d", len(doc.Findings), len(d.Decision.Findings))
	}
	// The report keeps the policy's order, so each entry is compared with
	// the evaluated finding at the same place.
	for i, e := range d.Decision.Findings {
		got, want := doc.Findings[i], e.Finding
		t.Run(want.Fingerprint, func(t *testing.T) {
			if got.Tool != want.Tool || got.Rule.ID != want.Rule.ID {
				t.Errorf("got %s:%s, want %s:%s", got.Tool, got.Rule.ID, want.Tool, want.Rule.ID)
			}
			if got.Severity != want.Severity.String() {
				t.Errorf("severity: got %q, want %q", got.Severity, want.Severity)
			}
			if got.Location.Path != want.Location.Path ||
				got.Location.StartLine != want.Location.StartLine ||
				got.Location.Logical != want.Location.Logical {
				t.Errorf("location: got %+v, want %+v", got.Location, want.Location)
			}
			if got.Fingerprint != want.Fingerprint {
				t.Errorf("fingerprint: got %q, want %q", got.Fingerprint, want.Fingerprint)
			}
			if !slices.Equal(got.Tools, want.Tools) {
				t.Errorf("tools: got %q, want %q", got.Tools, want.Tools)
			}
			if got.Outcome != string(e.Outcome) || got.Reason != e.Reason {
				t.Errorf("outcome: got %q (%q), want %q (%q)",
					got.Outcome, got.Reason, e.Outcome, e.Reason)
			}
			if (got.Package == nil) != (want.Package == nil) {
				t.Fatalf("package: got %+v, want %+v", got.Package, want.Package)
			}
			if want.Package != nil && got.Package.Name != want.Package.Name {
				t.Errorf("package: got %q, want %q", got.Package.Name, want.Package.Name)
			}
		})
	}
}

func TestJSONScanners(t *testing.T) {
	d := sampleData()

	doc, _ := renderJSON(t, d)

	if len(doc.Scanners) != len(d.Scanners) {
		t.Fatalf("scanners: got %d, want %d", len(doc.Scanners), len(d.Scanners))
	}
	tests := []struct {
		name, typ, state string
		required         bool
		findings         int
		durationMS       int64
		message          string
	}{
		{"semgrep", "semgrep", "ok", true, 2, 1500, ""},
		{"secrets", "sarif", "ok", true, 1, 250, ""},
		{"sbom", "sbom", "ok", true, 1, 2000, ""},
		{"bandit", "sarif", "ok", true, 0, 300, ""},
		{"trivy", "sarif", "failed", false, 0, 3000, "trivy exited 2"},
	}
	for i, want := range tests {
		t.Run(want.name, func(t *testing.T) {
			got := doc.Scanners[i]
			if got.Name != want.name || got.Type != want.typ || got.State != want.state ||
				got.Required != want.required {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if got.Findings != want.findings || got.DurationMS != want.durationMS ||
				got.Message != want.message {
				t.Errorf("got %d findings in %dms (%q), want %d in %dms (%q)", got.Findings,
					got.DurationMS, got.Message, want.findings, want.durationMS, want.message)
			}
		})
	}
	if doc.Scanners[0].Version != "1.69.0" || doc.Scanners[0].Log == "" {
		t.Errorf("semgrep: got version %q, log %q", doc.Scanners[0].Version, doc.Scanners[0].Log)
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	doc, raw := renderJSON(t, emptyData())

	if doc.Verdict != "passed" || doc.Summary != "no findings" {
		t.Errorf("got %q: %q, want passed: no findings", doc.Verdict, doc.Summary)
	}
	// A script iterating .findings must get an empty list, never null.
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"reasons", "warnings", "scanners", "findings"} {
		if got := string(fields[key]); got != "[]" {
			t.Errorf("%s: got %s, want []", key, got)
		}
	}
	for _, sev := range finding.Severities {
		if n, ok := doc.Counts[sev.String()]; !ok || n != 0 {
			t.Errorf("counts[%s]: got %d (present %v), want 0", sev, n, ok)
		}
	}
}
