package bundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
)

const head = "1111111111111111111111111111111111111111"

func sampleData() *report.Data {
	fs := []finding.Finding{
		{Tool: "semgrep", Severity: finding.SeverityHigh, Rule: finding.Rule{ID: "sqli"},
			Message: "SQL built from input", Fingerprint: "aa11",
			Location: finding.Location{Path: "app/db.py", StartLine: 12}},
		{Tool: "semgrep", Severity: finding.SeverityLow, Rule: finding.Rule{ID: "debug"},
			Message: "debug left on", Fingerprint: "bb22",
			Location: finding.Location{Path: "app/main.py", StartLine: 3}},
	}
	dec := policy.Evaluate(config.Default(), fs, []policy.ScannerOutcome{
		{Name: "semgrep", Required: true, State: policy.ScannerOK}}, policy.Options{})
	return &report.Data{Key: "secgate", Version: "v1", Decision: dec}
}

func TestWriteThenRead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bundle")
	d := sampleData()
	pr := PR{Repository: "octo/shop", Number: 7, HeadSHA: head}
	if err := Write(dir, FromData(d, pr, "secgate.yaml", ""), d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	b, sarif, err := Read(dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if b.PR != pr || b.Config != "secgate.yaml" || b.Verdict != policy.StatusBlocked {
		t.Errorf("bundle: pr %+v config %q verdict %q", b.PR, b.Config, b.Verdict)
	}
	if !strings.Contains(string(sarif), `"version": "2.1.0"`) {
		t.Errorf("the bundle's SARIF log is missing or not SARIF")
	}
	got := b.Data()
	if got.Decision.Status != d.Decision.Status || len(got.Decision.Findings) != 2 ||
		got.Decision.Counts[finding.SeverityHigh] != 1 || got.Decision.Blocking != 1 {
		t.Errorf("data after a round trip: %+v", got.Decision)
	}

	// A trusted config evaluates the findings again.
	cfg := config.Default()
	cfg.FailOn = finding.SeverityCritical
	again := policy.Evaluate(cfg, b.FindingsOnly(), b.ScannerOutcomes(), policy.Options{})
	if again.Status != policy.StatusPassed {
		t.Errorf("re-evaluated with fail_on critical: %s, want passed", again.Status)
	}

	// Writing again over a bundle is fine.
	if err := Write(dir, FromData(d, pr, "", ""), d); err != nil {
		t.Errorf("rewriting a bundle: %v", err)
	}
}

func TestWriteRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := sampleData()
	err := Write(dir, FromData(d, PR{}, "", ""), d)
	if err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("Write into a directory with other files: %v", err)
	}
}

func TestReadRefusesBadBundles(t *testing.T) {
	tests := []struct{ name, meta, want string }{
		{"not JSON", "{", "not a secgate bundle"},
		{"unknown field", `{"secgate_bundle":1,"verdict":"passed","evil":true}`, "unknown field"},
		{"other schema", `{"secgate_bundle":9,"verdict":"passed"}`, "bundle format 9"},
		{"bad verdict", `{"secgate_bundle":1,"verdict":"approved"}`, "verdict"},
		{"bad head", `{"secgate_bundle":1,"verdict":"passed","pr":{"head_sha":"zz"}}`, "head_sha"},
		{"bad outcome", `{"secgate_bundle":1,"verdict":"passed","findings":[{"tool":"x",` +
			`"rule":{"id":"r","security":false},"severity":"high","message":"m",` +
			`"location":{},"fingerprint":"f","outcome":"approve","reason":""}]}`, "outcome"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, MetaFile), []byte(tt.meta), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := Read(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read: %v, want an error about %q", err, tt.want)
			}
		})
	}
	if _, _, err := Read(t.TempDir()); err == nil {
		t.Errorf("an empty directory was read as a bundle")
	}
}
