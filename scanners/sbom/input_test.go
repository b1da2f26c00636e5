package sbom

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// TestInputSBOM reads SBOMs that other tools produced, in every format the
// issue names, instead of generating one: the counts are EXPECTED.md's.
func TestInputSBOM(t *testing.T) {
	tests := []struct {
		fixture  string
		tool     string
		findings int
		files    int
	}{
		// grype's CycloneDX carries 8 vulnerabilities of log4j-core.
		{"cyclonedx/json/defectdojo-grype-log4j-1.4.json", "grype", 8, 1},
		{"cyclonedx/xml/defectdojo-grype-log4j-1.4.xml", "grype", 8, 1},
		{"spdx/json/hookz-syft-2.2.json", "", 0, 1},
		{"syft/json/hookz-schema-3.3.1.json", "", 0, 1},
		{"cyclonedx/json/trivy-golden-npm.json", "trivy", 1, 1},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.fixture), func(t *testing.T) {
			root := t.TempDir()
			res, err := New().Run(context.Background(), scanners.Request{
				Root: root, Target: root, OutDir: t.TempDir(),
				Settings: config.Scanner{Name: "sbom", Input: testenv.Fixture(t, tt.fixture)},
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if len(res.Findings) != tt.findings {
				t.Errorf("findings: got %d, want %d", len(res.Findings), tt.findings)
			}
			for _, f := range res.Findings {
				if f.Tool != tt.tool {
					t.Errorf("finding tool: got %q, want %q", f.Tool, tt.tool)
				}
			}
			if res.Stats.FilesScanned != tt.files || !res.Stats.FilesCounted {
				t.Errorf("stats: got %+v, want %d file counted", res.Stats, tt.files)
			}
			if len(res.Artifacts) != 0 {
				t.Errorf("artifacts: got %v, want none: an input SBOM is not written again",
					res.Artifacts)
			}
		})
	}
}

// TestInputPolicy applies the licence policy to a CycloneDX SBOM from input:
// 27 of the 102 components of syft's Ubuntu SBOM state GPL-3.0-only.
func TestInputPolicy(t *testing.T) {
	root := t.TempDir()
	cfg := &config.Config{Licenses: config.Licenses{Deny: []string{"GPL-3.0-only"},
		Severity: finding.SeverityHigh}}
	res, err := New().Run(context.Background(), scanners.Request{
		Root: root, Target: root, OutDir: t.TempDir(), Config: cfg,
		Settings: config.Scanner{Name: "sbom",
			Input: testenv.Fixture(t, "cyclonedx/json/gatecheck-syft-juice-shop.json")},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	denied := 0
	for _, f := range res.Findings {
		if f.Rule.ID == "license-denied" && f.Tool == "sbom" {
			denied++
		}
	}
	if denied != 27 || len(res.Findings) != 27 {
		t.Errorf("findings: got %d, %d of them denied licences; want 27 denied",
			len(res.Findings), denied)
	}
}

// TestInputEmptyAndBroken: an SBOM without packages is read and counted as
// nothing scanned (known failure 12: empty components is valid, and is not a
// clean scan); a broken one is an error naming the file.
func TestInputEmptyAndBroken(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "bom.xml")
	xml := `<?xml version="1.0"?>` + "\n" +
		`<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components></components></bom>`
	broken := filepath.Join(dir, "broken.json")
	files := map[string]string{empty: xml, broken: `{"bomFormat":"CycloneDX","specVersion":"9.9"}`}
	for p, content := range files {
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	res, err := New().Run(context.Background(), scanners.Request{Root: dir, Target: dir,
		OutDir: t.TempDir(), Settings: config.Scanner{Name: "sbom", Input: "bom.xml"}})
	if err != nil {
		t.Fatalf("empty SBOM: %v", err)
	}
	if res.Stats.FilesScanned != 0 || !res.Stats.FilesCounted {
		t.Errorf("empty SBOM stats: got %+v, want 0 files, counted", res.Stats)
	}

	_, err = New().Run(context.Background(), scanners.Request{Root: dir, Target: dir,
		OutDir: t.TempDir(), Settings: config.Scanner{Name: "sbom", Input: broken}})
	want := `broken.json: unsupported CycloneDX spec version "9.9"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("broken SBOM: got %v, want the spec version named", err)
	}
}

// TestInputForOSVScanner: osv-scanner reads SBOMs only under their spec's
// file names, so it gets a copy so named; Syft JSON it cannot read at all.
func TestInputForOSVScanner(t *testing.T) {
	dir, record := fakeTool(t, "osv-scanner", "", 0, "osv-scanner version: 2.2.2")
	clean, _ := filepath.Abs(filepath.Join("..", "..", "pkg", "sbom", "testdata",
		"osv-scanner", "clean-exit0.json"))
	if err := os.WriteFile(filepath.Join(dir, "osv-scanner"), []byte("#!/bin/sh\n"+
		"for a in \"$@\"; do echo \"arg=$a\"; done > '"+record+"'\ncat '"+clean+"'\n"),
		0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fixture, copy, err string
	}{
		{"cyclonedx/xml/defectdojo-grype-log4j-1.4.xml", "input.cdx.xml", ""},
		{"spdx/json/hookz-syft-2.2.json", "input.spdx.json", ""},
		{"syft/json/hookz-schema-3.3.1.json", "", "osv-scanner cannot read syft-json SBOMs"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.fixture), func(t *testing.T) {
			root, out := t.TempDir(), t.TempDir()
			_, err := withPath(dir).Run(context.Background(), scanners.Request{
				Root: root, Target: root, OutDir: out,
				Settings: config.Scanner{Name: "sbom", Vulnerabilities: "osv-scanner",
					Input: testenv.Fixture(t, tt.fixture)},
			})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Run: got %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			args, _ := recorded(t, record)
			if want := filepath.Join(out, tt.copy); !slices.Contains(args, want) {
				t.Errorf("argv: got %q, want the copy %s", args, want)
			}
		})
	}
}

// TestRealOSVScanner runs the real osv-scanner (installed by
// scripts/install-tools.sh) through the adapter on rules/samples. It cannot
// download OSV's database here, so the test builds a local one holding the
// one lodash record in pkg/sbom/testdata/osv-scanner and lets the tool see it
// through the environment allow-list.
func TestRealOSVScanner(t *testing.T) {
	bin := testenv.Tool(t, "osv-scanner", "SECGATE_OSV_SCANNER", ".tools/go/bin/osv-scanner")
	db := t.TempDir()
	writeOSVDatabase(t, db)
	t.Setenv("OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY", db)

	s := New()
	s.LookPath = func(string) (string, error) { return bin, nil }
	res, _, err := runWith(t, s, samplesTarget(t), config.Scanner{Name: "sbom",
		Vulnerabilities: "osv-scanner", Args: []string{"--offline-vulnerabilities"},
		Env: []string{"OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY"}})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	f, ok := byTool(res, "osv-scanner")["GHSA-35jh-r3h4-6jhm"]
	if !ok {
		t.Fatalf("findings: got %v, want GHSA-35jh-r3h4-6jhm", ruleIDs(res))
	}
	if f.Location.Path != "web/package-lock.json" || f.Severity != finding.SeverityHigh ||
		f.Package.Version != "4.17.20" {
		t.Errorf("finding: got %s %s@%s at %q", f.Severity, f.Package.Name, f.Package.Version,
			f.Location.Path)
	}
}

// writeOSVDatabase lays out an offline OSV database the way osv-scanner
// reads one: <dir>/osv-scanner/<ecosystem>/all.zip of OSV records.
func writeOSVDatabase(t *testing.T, dir string) {
	t.Helper()
	npm := filepath.Join(dir, "osv-scanner", "npm")
	if err := os.MkdirAll(npm, 0o755); err != nil {
		t.Fatal(err)
	}
	record := filepath.Join("..", "..", "pkg", "sbom", "testdata", "osv-scanner",
		"GHSA-35jh-r3h4-6jhm.json")
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(npm, "all.zip"))
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	w, err := z.Create("GHSA-35jh-r3h4-6jhm.json")
	if err == nil {
		_, err = io.Copy(w, strings.NewReader(string(data)))
	}
	if err == nil {
		err = z.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestParsers: the import formats secgate convert and report: use.
func TestParsers(t *testing.T) {
	tests := []struct {
		name     string
		parse    scanners.Parser
		fixture  string
		tool     string
		findings int
	}{
		{"grype-json", ParseReport(sbomdoc.FormatGrypeJSON),
			"grype/json/gatecheck-juice-shop-image-0.64.2.json", "grype", 62},
		{"either, by content", ParseReport(""), "grype/json/defectdojo-many-vulns4.json",
			"grype", 9},
		{"cyclonedx-xml", ParseSBOM(sbomdoc.FormatCycloneDXXML),
			"cyclonedx/xml/defectdojo-grype-log4j-1.4.xml", "sbom", 8},
		{"spdx-json", ParseSBOM(sbomdoc.FormatSPDXJSON), "spdx/json/trivy-golden-julia.json",
			"sbom", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(testenv.Fixture(t, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := tt.parse(f, tt.fixture)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if res.Tool.Name != tt.tool || len(res.Findings) != tt.findings {
				t.Errorf("result: got %s with %d findings, want %s with %d", res.Tool.Name,
					len(res.Findings), tt.tool, tt.findings)
			}
		})
	}
}
