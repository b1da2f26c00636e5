package detect

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// fixtureFormats says, for every directory of ../shared/fixtures
// (tool/kind), the format its files are. "" means secgate has no format for
// them, so they must be reported as unknown. A directory missing here fails
// the test, so that a new fixture directory is never skipped.
var fixtureFormats = map[string]string{
	"bandit/json":          "",
	"bandit/sarif":         SARIF,
	"checkov/json":         "",
	"checkov/sarif":        SARIF,
	"codeql/sarif":         SARIF,
	"cyclonedx/json":       CycloneDXJSON,
	"cyclonedx/xml":        CycloneDXXML,
	"eslint/json":          "",
	"eslint/sarif":         SARIF,
	"gitleaks/json":        "",
	"gitleaks/sarif":       SARIF,
	"gosec/json":           "",
	"gosec/sarif":          SARIF,
	"grype/json":           GrypeJSON,
	"grype/sarif":          GrypeSARIF,
	"sarif/sarif":          SARIF,
	"semgrep/json":         SemgrepJSON,
	"semgrep/sarif":        SemgrepSARIF,
	"snyk/json":            SnykJSON,
	"snyk/sarif":           SnykSARIF,
	"snyk-code/sarif":      SnykCodeSARIF,
	"snyk-container/json":  SnykJSON,
	"snyk-container/sarif": SnykSARIF,
	"snyk-iac/json":        SnykJSON,
	"snyk-iac/sarif":       SnykSARIF,
	"spdx/json":            SPDXJSON,
	"spdx/tag-value":       SPDXTagValue,
	"syft/json":            SyftJSON,
	"trivy/json":           "",
	"trivy/sarif":          SARIF,
	"zap/conf":             "",
	"zap/json":             ZAPJSON,
	"zap/xml":              ZAPXML,
}

// TestDetectFixtures detects every shared fixture: each file must come out as
// the format of its directory, or as unknown where secgate has none, and
// never as another format.
func TestDetectFixtures(t *testing.T) {
	root := testenv.FixturesDir(t)
	files, err := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("found %d fixtures under %s, expected the whole set", len(files), root)
	}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			want, known := fixtureFormats[filepath.ToSlash(filepath.Dir(rel))]
			if !known {
				t.Fatalf("no expected format for directory %s: add it to fixtureFormats",
					filepath.Dir(rel))
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}

			m, err := Detect(data)
			if want == "" {
				var unknown *UnknownError
				if !errors.As(err, &unknown) {
					t.Errorf("Detect: got %q (%v), want an unknown format", m.Format, err)
				}
				return
			}
			if err != nil || m.Format != want {
				t.Errorf("Detect: got %q (%v), want %s", m.Format, err, want)
			}
			if m.Evidence == "" {
				t.Errorf("Detect: no evidence for %s", m.Format)
			}
		})
	}
}

// TestDetectEdges covers content that the fixtures do not: shapes at the
// edges of each rule, content that fits two formats, and content that fits
// none.
func TestDetectEdges(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string // the format; "" with wantErr
		general string
		wantErr string // the error must contain this
	}{
		{"empty", "", "", "", "the file is empty"},
		{"blank with a BOM", "\xef\xbb\xbf \n", "", "", "the file is empty"},
		{"UTF-16", "\xff\xfe{\x00}\x00", "", "", "UTF-16"},
		{"plain text", "hello\n", "", "", `it starts with "hello`},
		{"binary", "\x00\x01\x02\x03", "", "", "binary data"},
		// 24 bytes end inside the 13th "é": the message keeps 12 whole ones.
		{"text cut inside a character", "x" + strings.Repeat("é", 20), "", "",
			`it starts with "x` + strings.Repeat("é", 11) + `")`},
		{"malformed JSON", `{"runs": [`, "", "", "malformed JSON"},
		{"JSON null", "null", "", "", "the JSON literal null"},
		{"empty array", "[]", "", "", "empty JSON array"},
		{"array of other objects", `[{"File":"a","Secret":"x"}]`, "", "",
			"element 1 is not a Snyk result (its keys: File, Secret)"},
		{"object of no format", `{"Issues":[],"Stats":{}}`, "", "",
			"its keys: Issues, Stats"},
		{"SARIF 2.1.0 of no known tool",
			`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}}}]}`, SARIF, "", ""},
		{"SARIF of an older version", `{"version":"2.0.0","runs":[]}`, SARIF, "", ""},
		{"SARIF by its schema alone",
			`{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[]}`, SARIF, "", ""},
		{"runs without version or schema", `{"runs":[]}`, "", "", "its keys: runs"},
		{"SARIF with runs of two tools",
			`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep OSS"}}},` +
				`{"tool":{"driver":{"name":"SnykCode"}}}]}`, SARIF, "", ""},
		{"SARIF with runs of one tool",
			`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Snyk IaC"}}},` +
				`{"tool":{"driver":{"name":"Snyk Open Source"}}}]}`, SnykSARIF, SARIF, ""},
		{"Snyk error result", `{"ok":false,"error":"Missing node_modules folder","path":"/src"}`,
			SnykJSON, "", ""},
		{"Snyk array with an error entry",
			`[{"ok":true,"vulnerabilities":[],"packageManager":"npm"},{"ok":false,"error":"x"}]`,
			SnykJSON, "", ""},
		{"Semgrep with no results", `{"results":[],"errors":[]}`, SemgrepJSON, "", ""},
		{"Bandit with no results", `{"results":[],"errors":[],"metrics":{},"generated_at":"x"}`,
			"", "", "its keys"},
		{"OSV-Scanner with no results", `{"results":[]}`, OSVScannerJSON, "", ""},
		{"OSV-Scanner results",
			`{"results":[{"source":{"path":"go.mod","type":"lockfile"},"packages":[]}]}`,
			OSVScannerJSON, "", ""},
		{"Trivy's capitalised Results", `{"SchemaVersion":2,"Results":[]}`, "", "", "its keys"},
		{"CycloneDX that also claims SARIF",
			`{"bomFormat":"CycloneDX","version":"2.1.0","runs":[]}`, "", "",
			"fits sarif (SARIF 2.1.0) and cyclonedx-json"},
		{"Snyk vulnerabilities in a CycloneDX BOM",
			`{"bomFormat":"CycloneDX","ok":true,"vulnerabilities":[]}`, CycloneDXJSON, "", ""},
		{"XML of no format", `<?xml version="1.0"?><report/>`, "", "", "root <report>"},
		{"bom outside CycloneDX", `<bom xmlns="urn:other"/>`, "", "", `root <bom>`},
		{"malformed XML", `<OWASPZAPReport`, "", "", "malformed XML"},
		{"SPDX tag-value after a comment", "# made by hand\nSPDXVersion: SPDX-2.3\n",
			SPDXTagValue, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Detect([]byte(tt.content))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Detect: got %q, %v; want an error containing %q",
						m.Format, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if m.Format != tt.want || m.General != tt.general {
				t.Errorf("Detect: got %q (general %q), want %q (general %q)",
					m.Format, m.General, tt.want, tt.general)
			}
		})
	}
}

// TestAmbiguousNamesEveryCandidate checks the error type and its list.
func TestAmbiguousNamesEveryCandidate(t *testing.T) {
	_, err := Detect([]byte(`{"bomFormat":"CycloneDX","spdxVersion":"SPDX-2.3"}`))
	var amb *AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("Detect: got %v, want an AmbiguousError", err)
	}
	var got []string
	for _, c := range amb.Candidates {
		got = append(got, c.Format)
	}
	if strings.Join(got, ",") != "cyclonedx-json,spdx-json" {
		t.Errorf("candidates: got %v, want cyclonedx-json and spdx-json", got)
	}
}
