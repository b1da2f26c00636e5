package sariflog

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// writeThenRead writes a log and reads it back.
func writeThenRead(t *testing.T, log Log) []Run {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, log); err != nil {
		t.Fatalf("Write: %v", err)
	}
	runs, err := Read(&buf, "roundtrip.sarif")
	if err != nil {
		t.Fatalf("Read of our own output: %v", err)
	}
	return runs
}

// expectedBack is what reading a written result gives back: the finding,
// with the changes writing makes on purpose.
func expectedBack(r Result, runTool, root string) finding.Finding {
	f := *r.Finding
	f.Snippet, f.ToolSeverity = "", ""
	f.Location = cleanLocation(f.Location)
	if rel, ok := strings.CutPrefix(f.Location.Path, root+"/"); ok && root != "" {
		f.Location.Path = rel // an absolute path under the root comes back relative
	}
	if !f.Location.HasFile() && f.Location.Logical == "" {
		f.Location.Logical = noFileName(&f) // a finding without a place gets a logical one
	}
	if f.Location.StartLine > 0 {
		f.Location.EndLine = max(f.Location.EndLine, f.Location.StartLine)
	}
	if len(f.Tools) == 0 {
		f.Tools = []string{firstNonEmpty(f.Tool, runTool)}
	}
	f.Tools = slices.Sorted(slices.Values(f.Tools))
	if f.Rule.Name == f.Rule.ID {
		f.Rule.Name = "" // SARIF leaves out a name equal to the id
	}
	f.Suppressions = nil
	if r.Outcome == OutcomeSuppressed {
		for _, s := range r.Finding.Suppressions {
			f.Suppressions = append(f.Suppressions, finding.Suppression{
				Kind: firstNonEmpty(s.Kind, "external"), Justification: s.Justification})
		}
		f.Suppressions = append(f.Suppressions,
			finding.Suppression{Kind: "external", Justification: r.Justification})
	}
	return f
}

// diffFindings lists the fields that a round trip must keep and that differ.
func diffFindings(want, got finding.Finding, withDescription bool) []string {
	var d []string
	check := func(name string, w, g any) {
		if fmt.Sprint(w) != fmt.Sprint(g) {
			d = append(d, fmt.Sprintf("%s: got %v, want %v", name, g, w))
		}
	}
	check("tool", want.Tool, got.Tool)
	check("tools", want.Tools, got.Tools)
	check("tool version", want.ToolVersion, got.ToolVersion)
	check("rule id", want.Rule.ID, got.Rule.ID)
	check("rule name", want.Rule.Name, got.Rule.Name)
	check("rule help", want.Rule.HelpURI, got.Rule.HelpURI)
	check("rule cwe", want.Rule.CWE, got.Rule.CWE)
	check("rule security", want.Rule.Security, got.Rule.Security)
	if withDescription {
		check("rule description", want.Rule.Description, got.Rule.Description)
	}
	check("severity", want.Severity, got.Severity)
	check("message", want.Message, got.Message)
	check("location", want.Location, got.Location)
	check("fingerprint", want.Fingerprint, got.Fingerprint)
	check("fix", want.Fix, got.Fix)
	check("suppressions", want.Suppressions, got.Suppressions)
	if (want.Package == nil) != (got.Package == nil) ||
		want.Package != nil && fmt.Sprint(*want.Package) != fmt.Sprint(*got.Package) {
		d = append(d, fmt.Sprintf("package: got %+v, want %+v", got.Package, want.Package))
	}
	return d
}

func TestRoundTripSample(t *testing.T) {
	log := sampleLog()
	runs := writeThenRead(t, log)
	if len(runs) != len(log.Runs) {
		t.Fatalf("runs: got %d, want %d", len(runs), len(log.Runs))
	}
	for i, in := range log.Runs {
		run := runs[i]
		if run.Tool.Name != in.Tool.Name || run.Tool.DisplayName != in.Tool.DisplayName ||
			run.Successful != in.Successful || run.BaseDir != sampleRoot {
			t.Errorf("run %d: got %+v successful=%v base=%q", i, run.Tool, run.Successful, run.BaseDir)
		}
		byMessage := map[string]finding.Finding{}
		for _, f := range run.Findings {
			byMessage[f.Message] = f
		}
		for _, r := range in.Results {
			t.Run(r.Finding.Message, func(t *testing.T) {
				got, ok := byMessage[r.Finding.Message]
				if !ok {
					t.Fatalf("finding not read back")
				}
				want := expectedBack(r, in.Tool.Name, sampleRoot)
				want.ToolVersion = in.Tool.Version
				for _, d := range diffFindings(want, got, true) {
					t.Error(d)
				}
			})
		}
	}
	if want := []string{"gitleaks exited with status 2"}; !slices.Equal(runs[1].Errors, want) {
		t.Errorf("errors of the failed run: got %q, want %q", runs[1].Errors, want)
	}
}

// TestRoundTripFixtures reads every SARIF fixture, writes it as secgate's
// log and reads that back: what secgate keeps of a foreign log survives its
// own output.
func TestRoundTripFixtures(t *testing.T) {
	for _, tc := range expectedSARIF {
		t.Run(tc.file, func(t *testing.T) {
			for i, run := range readFixture(t, tc.file) {
				out := OutRun{Tool: run.Tool, Successful: run.Successful}
				for _, f := range run.Findings {
					r := Result{Finding: &f, Outcome: OutcomeWarn}
					if len(f.Suppressions) > 0 {
						r.Outcome = OutcomeSuppressed
					}
					out.Results = append(out.Results, r)
				}
				back := writeThenRead(t, Log{Runs: []OutRun{out}})
				if len(back) != 1 || len(back[0].Findings) != len(out.Results) {
					t.Fatalf("run %d: read back %d runs", i, len(back))
				}
				sorted := slices.Clone(out.Results)
				slices.SortStableFunc(sorted, func(a, b Result) int { return compareResults(&a, &b) })
				for j, r := range sorted {
					want := expectedBack(r, run.Tool.Name, "")
					for _, d := range diffFindings(want, back[0].Findings[j], false) {
						t.Errorf("run %d finding %d (%s): %s", i, j, r.Finding.Rule.ID, d)
					}
				}
			}
		})
	}
}
