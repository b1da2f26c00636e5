package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// The doctor runs the real semgrep and the embedded Syft on the bundled
// sample, and the real osv-scanner offline against a database built here
// (OSV's own cannot be downloaded). A "regressed" semgrep is the real one
// behind a wrapper that drops one rule's results, as an upgrade that silently
// stopped finding something would.

// doctorLines maps each check of the doctor's output to its state.
func doctorLines(out string) map[string]string {
	states := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			states[f[0]] = f[1]
		}
	}
	return states
}

func TestDoctor(t *testing.T) {
	semgrep := semgrepDir(t)
	osv := filepath.Dir(testenv.Tool(t, "osv-scanner", "SECGATE_OSV_SCANNER",
		".tools/go/bin/osv-scanner"))
	regressed := regressedSemgrep(t, testenv.Semgrep(t))

	withDB := t.TempDir()
	writeOSVDatabase(t, withDB, true)
	emptyDB := t.TempDir()
	writeOSVDatabase(t, emptyDB, false)
	config := "scanners:\n  sbom:\n    vulnerabilities: osv-scanner\n" +
		"    env: [OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY]\n    args: [--offline-vulnerabilities]\n"

	tests := []struct {
		name   string
		path   []string
		db     string
		code   int
		states map[string]string
		detail string // a line of stdout must contain this
	}{
		{"only Go", nil, withDB, 0, map[string]string{"semgrep": "skipped", "sbom": "passed",
			"sbom-grype": "skipped", "sbom-osv-scanner": "skipped"}, "sbom passed found 2 of 2"},
		{"semgrep and osv-scanner", []string{semgrep, osv}, withDB, 0, map[string]string{
			"semgrep": "passed", "sbom": "passed", "sbom-osv-scanner": "passed"},
			"semgrep passed found 3 of 3"},
		{"semgrep stopped finding weak hashes", []string{regressed}, withDB, 2,
			map[string]string{"semgrep": "missing", "sbom": "passed"},
			"missing: semgrep:secgate.python.weak-hash in app/accounts.py"},
		{"the advisory left the database", []string{osv}, emptyDB, 2,
			map[string]string{"sbom-osv-scanner": "missing"},
			"missing: osv-scanner:GHSA-35jh-r3h4-6jhm (CVE-2021-23337) in web/package-lock.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY", tt.db)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "secgate.yaml"), []byte(config),
				0o644); err != nil {
				t.Fatal(err)
			}
			res := secgate(t, dir, tt.path, "doctor")
			if res.code != tt.code {
				t.Fatalf("exit: got %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, tt.code,
					res.stdout, res.stderr)
			}
			got := doctorLines(res.stdout)
			for check, want := range tt.states {
				if got[check] != want {
					t.Errorf("%s: got %q, want %q\n%s", check, got[check], want, res.stdout)
				}
			}
			if !strings.Contains(strings.Join(strings.Fields(res.stdout), " "), tt.detail) {
				t.Errorf("stdout: want %q in\n%s", tt.detail, res.stdout)
			}
			if tt.code == 2 && !strings.Contains(res.stderr, "no longer finds what it must") {
				t.Errorf("stderr: got %q, want the verdict", res.stderr)
			}
		})
	}
}

// regressedSemgrep writes a semgrep that runs the real one and drops the
// results of secgate.python.weak-hash, returning its directory.
func regressedSemgrep(t *testing.T, real string) string {
	t.Helper()
	dir := t.TempDir()
	python := filepath.Join(filepath.Dir(real), "python3")
	if _, err := os.Stat(python); err != nil {
		python = "python3"
	}
	script := "#!/bin/sh\nif [ \"$1\" = --version ]; then exec '" + real + "' --version; fi\n'" +
		real + "' \"$@\" | '" + python + "' -c '" +
		"import json, sys\n" +
		"d = json.load(sys.stdin)\n" +
		"d[\"results\"] = [r for r in d[\"results\"]\n" +
		"                if not r[\"check_id\"].endswith(\"python.weak-hash\")]\n" +
		"json.dump(d, sys.stdout)'\n"
	if err := os.WriteFile(filepath.Join(dir, "semgrep"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeOSVDatabase lays out an offline OSV database as osv-scanner reads one,
// <dir>/osv-scanner/npm/all.zip, with or without the lodash record.
func writeOSVDatabase(t *testing.T, dir string, withLodash bool) {
	t.Helper()
	npm := filepath.Join(dir, "osv-scanner", "npm")
	if err := os.MkdirAll(npm, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(npm, "all.zip"))
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	if withLodash {
		record := filepath.Join(testenv.RepoRoot(t), "pkg", "sbom", "testdata", "osv-scanner",
			"GHSA-35jh-r3h4-6jhm.json")
		data, err := os.ReadFile(record)
		if err != nil {
			t.Fatal(err)
		}
		w, err := z.Create("GHSA-35jh-r3h4-6jhm.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
