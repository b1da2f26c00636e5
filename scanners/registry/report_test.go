package registry

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
	"github.com/secgate/secgate/scanners/detect"
)

// refusedFixtures are fixtures whose format is recognised and whose parser
// refuses them, rightly: the parser's error must contain the text given.
var refusedFixtures = map[string]string{
	// SpotBugs' own log says the analysis did not run successfully.
	"sarif/sarif/defectdojo-spotbugs-4.4.0.sarif": "did not run successfully",
}

// TestDetectedFormatsParse recognises every shared fixture that has a format
// and reads it with the parser the registry names for it, so that detection
// and parsing agree. A recognised format without a parser in this build must
// say so.
func TestDetectedFormatsParse(t *testing.T) {
	root := testenv.FixturesDir(t)
	files, err := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures under %s: %v", root, err)
	}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, m, err := DetectFormat(data, rel)
			var unknown *detect.UnknownError
			switch {
			case errors.As(err, &unknown):
				t.Skip("no format: the detect package's tests cover these")
			case err != nil && m.Format != "" && Formats()[m.Format].Parse == nil:
				if !strings.Contains(err.Error(), "cannot read") {
					t.Errorf("error: got %v, want one saying this build cannot read %s",
						err, m.Format)
				}
				return
			case err != nil:
				t.Fatalf("DetectFormat: %v", err)
			}

			_, err = f.Parse(bytes.NewReader(data), rel)
			if want, refused := refusedFixtures[rel]; refused {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: got %v, want an error containing %q", f.Name, err, want)
				}
				return
			}
			if err != nil {
				t.Errorf("%s (%s): %v", f.Name, m.Evidence, err)
			}
		})
	}
}

// writeFixture copies a shared fixture into root under name.
func writeFixture(t *testing.T, root, fixture, name string) {
	t.Helper()
	data, err := os.ReadFile(testenv.Fixture(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadReport reads reports the way a scanner with report: does.
func TestReadReport(t *testing.T) {
	root := t.TempDir()
	writeFixture(t, root, "snyk/json/snyk-cli-npm-multi-project.json", "snyk.json")
	writeFixture(t, root, "semgrep/json/defectdojo-many-vulns.json", "semgrep.json")
	writeFixture(t, root, "snyk-code/sarif/snyk-cli-v2-nosqli.sarif", "code.sarif")
	ambiguous := `{"bomFormat":"CycloneDX","spdxVersion":"SPDX-2.3"}`
	if err := os.WriteFile(filepath.Join(root, "odd.json"), []byte(ambiguous), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		settings config.Scanner
		findings int
		wantNote string
		wantErr  string
	}{
		{"recognised snyk JSON", config.Scanner{Name: "deps", Type: "snyk", Report: "snyk.json"},
			9, "(snyk-json, recognised by an array of 2 Snyk project results)", ""},
		{"Snyk Code SARIF for a snyk scanner",
			config.Scanner{Name: "code", Type: "snyk", Report: "code.sarif"},
			2, "snyk-code-sarif", ""},
		{"semgrep JSON for semgrep",
			config.Scanner{Name: "semgrep", Type: "semgrep", Report: "semgrep.json"},
			-1, "semgrep-json", ""},
		{"any SARIF for a sarif scanner",
			config.Scanner{Name: "tools", Type: "sarif", Report: "code.sarif"},
			2, "snyk-code-sarif", ""},
		{"format named", config.Scanner{Name: "deps", Type: "snyk", Report: "snyk.json",
			ReportFormat: "snyk-json"}, 9, "as report_format says", ""},
		{"absolute path", config.Scanner{Name: "deps", Type: "snyk",
			Report: filepath.Join(root, "snyk.json")}, 9, "snyk-json", ""},
		{"another tool's report", config.Scanner{Name: "deps", Type: "snyk",
			Report: "semgrep.json"}, 0, "",
			"holds a semgrep-json report (results with check_id), not one of a snyk scanner"},
		{"format that does not fit the content", config.Scanner{Name: "deps", Type: "snyk",
			Report: "semgrep.json", ReportFormat: "snyk-json"}, 0, "", "not a Snyk result"},
		{"unknown format name", config.Scanner{Name: "deps", Type: "snyk", Report: "snyk.json",
			ReportFormat: "snyk-xml"}, 0, "", `scanners.deps.report_format: unknown format "snyk-xml"`},
		{"ambiguous content", config.Scanner{Name: "deps", Type: "snyk", Report: "odd.json"},
			0, "", "fits cyclonedx-json (bomFormat CycloneDX, specVersion unstated) and " +
				"spdx-json (spdxVersion SPDX-2.3); set report_format"},
		{"missing file", config.Scanner{Name: "deps", Type: "snyk", Report: "gone.json"},
			0, "", "scanners.deps.report: open " + filepath.Join(root, "gone.json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadReport(root, tt.settings, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadReport: %v", err)
			}
			if tt.findings >= 0 && len(res.Findings) != tt.findings {
				t.Errorf("findings: got %d, want %d", len(res.Findings), tt.findings)
			}
			if tt.findings < 0 && len(res.Findings) == 0 {
				t.Errorf("findings: got none, want the report's")
			}
			notes := strings.Join(res.Stats.Notes, "\n")
			if !strings.Contains(notes, tt.wantNote) {
				t.Errorf("notes %q: want one containing %q", notes, tt.wantNote)
			}
		})
	}
}

// TestReadReportPartial checks that a Snyk report with an error entry comes
// back as a partial error that keeps the tested projects' findings.
func TestReadReportPartial(t *testing.T) {
	root := t.TempDir()
	report := `[{"ok":false,"displayTargetFile":"web/package-lock.json","path":"/src",
  "vulnerabilities":[{"id":"SNYK-JS-X-1","severity":"high","packageName":"x","version":"1.0.0"}]},
 {"ok":false,"error":"Missing node_modules folder","path":"/src/app"}]`
	if err := os.WriteFile(filepath.Join(root, "snyk.json"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadReport(root, config.Scanner{Name: "deps", Type: "snyk", Report: "snyk.json"}, nil)
	var partial *scanners.PartialError
	if !errors.As(err, &partial) {
		t.Fatalf("error: got %v, want a PartialError", err)
	}
	if len(partial.Result.Findings) != 1 || partial.Failed[0].Target != "/src/app" {
		t.Errorf("partial: got %d findings, failed %v; want 1 and /src/app",
			len(partial.Result.Findings), partial.Failed)
	}
}

// stubAdapter records whether its tool was asked for.
type stubAdapter struct {
	detected, ran bool
	readsReport   bool
}

func (s *stubAdapter) Name() string { return "semgrep" }

func (s *stubAdapter) Detect(context.Context, config.Scanner) scanners.Detection {
	s.detected = true
	return scanners.Detection{Hint: "not installed here"}
}

func (s *stubAdapter) Run(context.Context, scanners.Request) (*scanners.Result, error) {
	s.ran = true
	return &scanners.Result{}, nil
}

type reportReadingStub struct{ stubAdapter }

func (s *reportReadingStub) ReadsReport() bool { return true }

// TestWithReports checks that a scanner with report: neither needs nor runs
// its tool, that one without runs it, and that an adapter which reads its
// reports itself is left alone.
func TestWithReports(t *testing.T) {
	root := t.TempDir()
	writeFixture(t, root, "semgrep/json/defectdojo-many-vulns.json", "semgrep.json")
	ctx := context.Background()
	withReport := config.Scanner{Name: "semgrep", Type: "semgrep", Report: "semgrep.json"}

	stub := &stubAdapter{}
	s := withReports(stub)
	if d := s.Detect(ctx, withReport); !d.Installed || stub.detected {
		t.Errorf("detect with a report: got %+v (tool asked: %v), want installed, tool not asked",
			d, stub.detected)
	}
	res, err := s.Run(ctx, scanners.Request{Root: root, Settings: withReport})
	if err != nil || stub.ran || len(res.Findings) == 0 {
		t.Errorf("run with a report: got %v findings, %v (tool ran: %v); want the report's",
			res, err, stub.ran)
	}

	plain := config.Scanner{Name: "semgrep", Type: "semgrep"}
	if d := s.Detect(ctx, plain); d.Installed || !stub.detected {
		t.Errorf("detect without a report: got %+v, want the tool's own answer", d)
	}
	if _, err := s.Run(ctx, scanners.Request{Root: root, Settings: plain}); err != nil || !stub.ran {
		t.Errorf("run without a report: err %v, tool ran %v; want it run", err, stub.ran)
	}

	own := &reportReadingStub{}
	if got := withReports(own); got != scanners.Scanner(own) {
		t.Errorf("an adapter that reads its reports was wrapped")
	}
	if _, ok := Lookup("snyk"); !ok {
		t.Errorf("Lookup: no snyk adapter")
	}
}
