package sbom

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.FixturesDir(t), rel))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return data
}

// TestDecodeFixtures checks every SBOM fixture against the counts in
// shared/fixtures/EXPECTED.md: packages (CycloneDX components including nested
// ones, SPDX packages, Syft artifacts), vulnerabilities, and the severity word
// of each vulnerability's first rating.
func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file        string
		format      string
		spec        string
		tool        string
		packages    int
		withPURL    int // -1: not checked
		vulns       int
		firstRating map[string]int
	}{
		{"cyclonedx/json/defectdojo-grype-log4j-1.4.json", FormatCycloneDXJSON, "1.4", "grype",
			1, 1, 8, map[string]int{"critical": 4, "medium": 3, "high": 1}},
		{"cyclonedx/json/defectdojo-jake-python-1.4.json", FormatCycloneDXJSON, "1.4",
			"cyclonedx-python-lib", 67, -1, 7, map[string]int{"medium": 4, "high": 3}},
		{"cyclonedx/json/defectdojo-trivy-1.5-issue9277.json", FormatCycloneDXJSON, "1.5", "trivy",
			102, 101, 10, map[string]int{"medium": 5, "low": 4, "high": 1}},
		{"cyclonedx/json/gatecheck-syft-juice-shop.json", FormatCycloneDXJSON, "1.4", "syft",
			102, 101, 0, nil},
		{"cyclonedx/json/hookz-syft-1.4.json", FormatCycloneDXJSON, "1.4", "syft", 46, -1, 0, nil},
		{"cyclonedx/json/trivy-golden-npm.json", FormatCycloneDXJSON, "1.7", "trivy",
			13, 12, 1, map[string]int{"medium": 1}},
		{"cyclonedx/xml/defectdojo-bom-1.0.xml", FormatCycloneDXXML, "1.0", "", 73, -1, 0, nil},
		{"cyclonedx/xml/defectdojo-grype-log4j-1.4.xml", FormatCycloneDXXML, "1.4", "grype",
			1, -1, 8, map[string]int{"critical": 4, "medium": 3, "high": 1}},
		{"cyclonedx/xml/defectdojo-jake-1.1.xml", FormatCycloneDXXML, "1.1", "", 204, -1, 0, nil},
		// EXPECTED.md counts 4 <component> elements under a <components> here, but
		// one of them is metadata/tools/components/component (syft itself), which
		// is the tool and not a package: the BOM's components hold 3.
		{"cyclonedx/xml/syft-golden-image-encoder.xml", FormatCycloneDXXML, "1.7", "syft",
			3, 2, 0, nil},
		{"spdx/json/hookz-syft-2.2.json", FormatSPDXJSON, "2.2", "syft", 46, 46, 0, nil},
		{"spdx/json/syft-golden-image-encoder.json", FormatSPDXJSON, "2.3", "syft", 3, 3, 0, nil},
		{"spdx/json/trivy-golden-conda.json", FormatSPDXJSON, "2.3", "trivy", 3, 2, 0, nil},
		{"spdx/json/trivy-golden-julia.json", FormatSPDXJSON, "2.3", "trivy", 5, 3, 0, nil},
		{"syft/json/grype-testdata-busybox-schema-11.json", FormatSyftJSON, "11.0.1", "syft",
			1, -1, 0, nil},
		{"syft/json/grype-testdata-source-dir-schema-1.1.0.json", FormatSyftJSON, "1.1.0", "syft",
			43, -1, 0, nil},
		{"syft/json/hookz-schema-3.3.1.json", FormatSyftJSON, "3.3.1", "syft", 46, -1, 0, nil},
		{"syft/json/syft-golden-image-encoder.json", FormatSyftJSON, "", "syft", 2, -1, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, tt.file)
			got, err := Detect(data)
			if err != nil || got != tt.format {
				t.Fatalf("Detect: got %q, %v; want %q", got, err, tt.format)
			}

			doc, err := Decode(bytes.NewReader(data), tt.file, "")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if doc.Format != tt.format || doc.SpecVersion != tt.spec || doc.Tool != tt.tool {
				t.Errorf("format/spec/tool: got %q %q %q, want %q %q %q",
					doc.Format, doc.SpecVersion, doc.Tool, tt.format, tt.spec, tt.tool)
			}
			if len(doc.Packages) != tt.packages {
				t.Errorf("packages: got %d, want %d", len(doc.Packages), tt.packages)
			}
			if n := countPURLs(doc); tt.withPURL >= 0 && n != tt.withPURL {
				t.Errorf("packages with a purl: got %d, want %d", n, tt.withPURL)
			}
			if len(doc.Vulnerabilities) != tt.vulns {
				t.Errorf("vulnerabilities: got %d, want %d", len(doc.Vulnerabilities), tt.vulns)
			}
			if got := firstRatings(doc); tt.vulns > 0 && !reflect.DeepEqual(got, tt.firstRating) {
				t.Errorf("first-rating severities: got %v, want %v", got, tt.firstRating)
			}
		})
	}
}

func countPURLs(doc *Document) int {
	n := 0
	for _, p := range doc.Packages {
		if p.PURL != "" {
			n++
		}
	}
	return n
}

func firstRatings(doc *Document) map[string]int {
	m := map[string]int{}
	for _, v := range doc.Vulnerabilities {
		m[strings.ToLower(v.Severity)]++
	}
	return m
}

// TestDecodeFixtureDetails checks single packages and vulnerabilities field by
// field, one per decoder, against values read from the fixture files.
func TestDecodeFixtureDetails(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		index int
		want  Package
	}{
		{"cyclonedx json syft location property", "cyclonedx/json/hookz-syft-1.4.json", 0, Package{
			Name: "github.com/davecgh/go-spew", Version: "v1.1.1", Type: "go-module",
			PURL: "pkg:golang/github.com/davecgh/go-spew@v1.1.1", Locations: []string{"go.mod"},
		}},
		{"cyclonedx json expression licence", "cyclonedx/json/defectdojo-jake-python-1.4.json", 0,
			Package{
				Name: "webencodings", Version: "0.5.1", Type: "pypi",
				PURL: "pkg:pypi/webencodings@0.5.1", Licenses: []string{"BSD"},
			}},
		{"cyclonedx xml licence name", "cyclonedx/xml/defectdojo-bom-1.0.xml", 0, Package{
			Name: "asteval", Version: "0.9.23", Type: "pypi", PURL: "pkg:pypi/asteval@0.9.23",
			Licenses: []string{"OSI Approved :: MIT License"},
		}},
		{"cyclonedx xml syft properties", "cyclonedx/xml/syft-golden-image-encoder.xml", 0, Package{
			Name: "package-1", Version: "1.0.1", Type: "pypi", PURL: "a-purl-1",
			Licenses: []string{"MIT"}, Locations: []string{"/somefile-1.txt"},
		}},
		{"spdx declared licence and purl ref", "spdx/json/syft-golden-image-encoder.json", 0,
			Package{
				Name: "package-1", Version: "1.0.1", PURL: "a-purl-1", Licenses: []string{"MIT"},
			}},
		{"spdx NOASSERTION is no licence", "spdx/json/syft-golden-image-encoder.json", 1, Package{
			Name: "package-2", Version: "2.0.1", Type: "deb",
			PURL: "pkg:deb/debian/package-2@2.0.1",
		}},
		{"spdx concluded licence", "spdx/json/trivy-golden-conda.json", 0, Package{
			Name: "openssl", Version: "1.1.1q", Type: "conda",
			PURL: "pkg:conda/openssl@1.1.1q", Licenses: []string{"OpenSSL"},
		}},
		{"syft json licence object form", "syft/json/syft-golden-image-encoder.json", 0, Package{
			Name: "package-1", Version: "1.0.1", Type: "pypi", PURL: "a-purl-1",
			Licenses: []string{"MIT"}, Locations: []string{"/somefile-1.txt"},
		}},
		{"syft json licence string form", "syft/json/grype-testdata-source-dir-schema-1.1.0.json", 0,
			Package{
				Name: "Pygments", Version: "2.6.1", Type: "pypi", PURL: "pkg:pypi/Pygments@2.6.1",
				Licenses: []string{"BSD License"},
				Locations: []string{
					"test/integration/testdata/image-debian-match-coverage/python/dist-info/METADATA",
					"test/integration/testdata/image-debian-match-coverage/python/dist-info/top_level.txt",
				},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode(bytes.NewReader(readFixture(t, tt.file)), tt.file, "")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if tt.index >= len(doc.Packages) {
				t.Fatalf("package %d: only %d packages", tt.index, len(doc.Packages))
			}
			if got := doc.Packages[tt.index]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("package %d:\n got %+v\nwant %+v", tt.index, got, tt.want)
			}
		})
	}
}

func TestDecodeVulnerabilityDetails(t *testing.T) {
	log4j := "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2"
	tests := []struct {
		name string
		file string
		want Vulnerability
	}{
		{"grype json: bom-ref resolved to purl", "cyclonedx/json/defectdojo-grype-log4j-1.4.json",
			Vulnerability{ID: "CVE-2021-44228", Severity: "critical", Score: 10,
				PackageRefs: []string{log4j}}},
		{"grype xml: same as json", "cyclonedx/xml/defectdojo-grype-log4j-1.4.xml",
			Vulnerability{ID: "CVE-2021-44228", Severity: "critical", Score: 10,
				PackageRefs: []string{log4j}}},
		{"oss index: uuid ref and CVE alias", "cyclonedx/json/defectdojo-jake-python-1.4.json",
			Vulnerability{ID: "c7129ff8-08bc-4afe-82ec-7d97b9491741",
				Aliases: []string{"CVE-2021-33203"}, Severity: "high", Score: 7.5,
				PackageRefs: []string{"pkg:pypi/django@2.0"}}},
		{"trivy: first stated score", "cyclonedx/json/trivy-golden-npm.json",
			Vulnerability{ID: "CVE-2019-11358", Severity: "medium", Score: 4.3,
				PackageRefs: []string{"pkg:npm/jquery@3.3.9"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode(bytes.NewReader(readFixture(t, tt.file)), tt.file, "")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			got := doc.Vulnerabilities[0]
			got.Description = ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("first vulnerability:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDecodeEdgeCases covers known-failures entry 12 (fields that changed type,
// empty components, unknown versions) and the error messages for bad input.
func TestDecodeEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		format   string
		packages int
		wantErr  []string // substrings the error must contain; nil: no error
	}{
		{"cyclonedx 1.6 evidence.identity as array", `{"bomFormat":"CycloneDX","specVersion":"1.6",
			"version":1,"components":[{"type":"library","name":"mysql-connector-j","version":"9.0.0",
			"purl":"pkg:maven/com.mysql/mysql-connector-j@9.0.0",
			"evidence":{"identity":[{"field":"purl","confidence":1}]}}]}`, "", 1, nil},
		{"cyclonedx 1.4 xml with empty components", `<?xml version="1.0"?>
			<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components></components></bom>`,
			"", 0, nil},
		{"cyclonedx file components are not packages", `{"bomFormat":"CycloneDX","specVersion":"1.6",
			"components":[{"type":"library","name":"a"},{"type":"file","name":"/package-lock.json"}]}`,
			"", 1, nil},
		{"cyclonedx xml file components are not packages",
			`<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="file">
			<name>/go.mod</name></component><component type="library"><name>a</name></component>
			</components></bom>`, "", 1, nil},
		{"cyclonedx json with no components key", `{"bomFormat":"CycloneDX","specVersion":"1.5"}`,
			"", 0, nil},
		{"cyclonedx score as string", `{"bomFormat":"CycloneDX","specVersion":"1.4",
			"vulnerabilities":[{"id":"X","ratings":[{"score":"7.5"},{"score":null}]}]}`, "", 0, nil},
		{"unknown cyclonedx json version", `{"bomFormat":"CycloneDX","specVersion":"1.8"}`, "", 0,
			[]string{"in.json", `"1.8"`, "unsupported CycloneDX"}},
		{"missing cyclonedx json version", `{"bomFormat":"CycloneDX"}`, "", 0,
			[]string{"in.json", "no spec version"}},
		{"unknown cyclonedx xml version", `<bom xmlns="http://cyclonedx.org/schema/bom/2.0"/>`, "", 0,
			[]string{"in.json", `"2.0"`}},
		{"unknown spdx version", `{"spdxVersion":"SPDX-2.9","packages":[]}`, "", 0,
			[]string{"in.json", `"SPDX-2.9"`}},
		{"syft schema too new", `{"schema":{"version":"17.0.0","url":"https://x/anchore/syft/s.json"},
			"artifacts":[]}`, "", 0, []string{"in.json", `"17.0.0"`}},
		{"truncated json names line and column", "{\"bomFormat\":\"CycloneDX\",\n\"specVersion\":",
			FormatCycloneDXJSON, 0, []string{"in.json:2:", "malformed JSON"}},
		{"wrong json type names position", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\n" +
			"\"components\":{\"name\":\"x\"}}", "", 0, []string{"in.json:2:", "components"}},
		{"malformed xml names line", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<components>" +
			"\n<component></components></bom>", FormatCycloneDXXML, 0,
			[]string{"in.json:3:", "malformed CycloneDX XML"}},
		{"not an sbom", `{"runs":[]}`, "", 0, []string{"in.json", "not an SBOM"}},
		{"spdx tag-value is not supported", "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", "", 0,
			[]string{"in.json", "tag-value", "not supported"}},
		{"unknown format name", `{}`, "cdx", 0, []string{"in.json", `"cdx"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode(strings.NewReader(tt.input), "in.json", tt.format)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if len(doc.Packages) != tt.packages {
					t.Errorf("packages: got %d, want %d", len(doc.Packages), tt.packages)
				}
				return
			}
			if err == nil {
				t.Fatalf("Decode: got no error, want one containing %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q: want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestDecodeLooseScore(t *testing.T) {
	in := `{"bomFormat":"CycloneDX","specVersion":"1.4",
		"vulnerabilities":[{"id":"X","ratings":[{"score":"n/a"},{"score":"7.5"}]}]}`
	doc, err := Decode(strings.NewReader(in), "in.json", "")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got := doc.Vulnerabilities[0].Score; got != 7.5 {
		t.Errorf("score: got %v, want 7.5 (a word reads as absent)", got)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    string
		wantErr string
	}{
		{"spdx tag-value fixture", "", FormatSPDXTagValue, ""},
		{"tag-value after a comment", "# made by hand\n\nSPDXVersion: SPDX-2.2\n", FormatSPDXTagValue, ""},
		{"byte order mark before json", "\xef\xbb\xbf {\"bomFormat\":\"CycloneDX\"}", FormatCycloneDXJSON, ""},
		{"syft json by descriptor alone", `{"descriptor":{"name":"syft"},"artifacts":[]}`,
			FormatSyftJSON, ""},
		{"other bomFormat", `{"bomFormat":"SWID"}`, "", `"SWID"`},
		{"xml of another kind", `<OWASPZAPReport version="2.9.0"/>`, "", "OWASPZAPReport"},
		{"bom outside the cyclonedx namespace", `<bom xmlns="urn:other"/>`, "", "urn:other"},
		{"empty", "  \n", "", "empty"},
		{"plain text", "hello", "", "not an SBOM"},
		{"json array", `[{"bomFormat":"CycloneDX"}]`, "", "not an SBOM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.input)
			if tt.input == "" {
				data = readFixture(t, "spdx/tag-value/syft-golden-image-encoder.spdx")
			}
			got, err := Detect(data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Detect: got %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Detect: got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecodeTagValueFixture(t *testing.T) {
	file := "spdx/tag-value/syft-golden-image-encoder.spdx"
	_, err := Decode(bytes.NewReader(readFixture(t, file)), file, "")
	if err == nil || !strings.Contains(err.Error(), "not supported") ||
		!strings.Contains(err.Error(), file) {
		t.Errorf("Decode tag-value: got %v, want a \"not supported\" error naming %s", err, file)
	}
}
