package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// convert without --from recognises each file's format from its content,
// whatever the file is called.
func TestConvertRecognisesFormats(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"report-1.txt": "snyk/json/snyk-cli-npm-multi-project.json",
		"report-2.txt": "snyk-code/sarif/snyk-cli-v2-nosqli.sarif",
		"report-3.txt": "semgrep/json/securecodebox-vulnerable-flask-app.json",
	}
	var args []string
	for name, fixture := range files {
		copyFile(t, testenv.Fixture(t, fixture), filepath.Join(dir, name))
		args = append(args, name)
	}

	res := secgate(t, dir, nil, append([]string{"convert"}, args...)...)
	if res.code != 0 {
		t.Fatalf("exit code: got %d, want 0\nstderr:\n%s", res.code, res.stderr)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name string `json:"name"`
				} `json:"driver"`
			} `json:"tool"`
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &log); err != nil {
		t.Fatalf("stdout is not SARIF: %v", err)
	}
	results := map[string]int{}
	for _, r := range log.Runs {
		results[strings.ToLower(r.Tool.Driver.Name)] += len(r.Results)
	}
	// 9 Snyk Open Source issues and 2 Snyk Code results; Semgrep's 9.
	if results["snyk"] != 11 || results["semgrep"] != 9 {
		t.Errorf("results per tool: got %v, want snyk 11 and semgrep 9", results)
	}
	out := filepath.Join(dir, "converted.sarif")
	writeFile(t, out, res.stdout)
	if errs := testenv.ValidateSARIF(t, out); len(errs) > 0 {
		t.Errorf("Multitool errors:\n%s", strings.Join(errs, "\n"))
	}
}

// Content that fits no format, or several, stops convert with exit 2 and a
// message that names the file and the candidates.
func TestConvertUnrecognisedContent(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, testenv.Fixture(t, "bandit/json/defectdojo-one-vuln.json"),
		filepath.Join(dir, "bandit.json"))
	writeFile(t, filepath.Join(dir, "both.json"),
		`{"bomFormat":"CycloneDX","spdxVersion":"SPDX-2.3"}`)

	tests := []struct {
		file string
		want []string
	}{
		{"bandit.json", []string{"bandit.json: cannot tell the format from the content",
			"its keys: errors, generated_at, metrics, results", "known formats: ", "--from"}},
		{"both.json", []string{"both.json: cannot tell the format from the content",
			"cyclonedx-json (bomFormat CycloneDX", "spdx-json (spdxVersion SPDX-2.3)", "--from"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := secgate(t, dir, nil, "convert", tt.file)
			if res.code != 2 || res.stdout != "" {
				t.Fatalf("got exit %d and stdout %q, want 2 and nothing", res.code, res.stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
		})
	}
}

// A scanner with report: reads the report an earlier step wrote instead of
// running its tool, which is not installed here: Snyk needs its cloud.
func TestScanReadsReport(t *testing.T) {
	partial := `[{"ok":false,"displayTargetFile":"web/package-lock.json","path":"/src",
  "vulnerabilities":[{"id":"SNYK-JS-X-1","title":"Prototype Pollution","severity":"low",
   "packageName":"x","version":"1.0.0"}]},
 {"ok":false,"error":"Missing node_modules folder","path":"/src/app"}]`
	tests := []struct {
		name   string
		report string // a fixture, or the report itself when it starts with [
		code   int
		want   []string
	}{
		{"critical issue blocks", "snyk/json/defectdojo-npm-critical-ampersands.json", 1,
			[]string{"snyk"}},
		{"clean report passes", "snyk/json/snyk-to-html-maven-no-vulns.json", 0, nil},
		// known-failures.md entry 8: a project that could not be tested
		// leaves the gate unable to decide, and the tested one's finding
		// is still listed.
		{"partial failure cannot pass", partial, 2,
			[]string{"/src/app: Missing node_modules folder", "SNYK-JS-X-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if strings.HasPrefix(tt.report, "[") {
				writeFile(t, filepath.Join(dir, "snyk.json"), tt.report)
			} else {
				copyFile(t, testenv.Fixture(t, tt.report), filepath.Join(dir, "snyk.json"))
			}
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "secgate.yaml"),
				"fail_on: high\nscanners:\n  deps:\n    type: snyk\n    report: snyk.json\n")

			res := secgate(t, dir, nil, "scan")
			if res.code != tt.code {
				t.Fatalf("exit code: got %d, want %d\nstderr:\n%s", res.code, tt.code, res.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
		})
	}
}
