package sbom

import (
	"strings"
	"testing"
)

// TestDecodeBadInput: content that is not the SBOM asked for is an error that
// names the file, where the format allows the position, and what was
// expected; never an SBOM of zero packages.
func TestDecodeBadInput(t *testing.T) {
	tests := []struct {
		name, format, data, want string
	}{
		{"syft without artifacts", FormatSyftJSON, `{"a":1}`,
			`in.json: not a Syft JSON document: no "artifacts" array`},
		{"syft with null artifacts", FormatSyftJSON,
			`{"schema":{"version":"16.0.1"},"artifacts":null}`, `no "artifacts" array`},
		{"syft JSON null", FormatSyftJSON, `null`, `no "artifacts" array`},
		{"empty syft", FormatSyftJSON, "", "in.json: empty file, expected a syft-json SBOM"},
		{"blank cyclonedx", FormatCycloneDXJSON, " \n", "in.json: empty file"},
		{"empty cyclonedx xml", FormatCycloneDXXML, "", "in.json: empty file, expected a " +
			"CycloneDX XML BOM"},
		{"latin-1 cyclonedx", FormatCycloneDXJSON,
			"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\n\"components\":[{\"name\":\"caf\xe9\"}]}",
			"in.json:2:27: invalid UTF-8"},
		{"latin-1 spdx", FormatSPDXJSON, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"\xe9\"}",
			"in.json:1:35: invalid UTF-8"},
		{"latin-1 detected", "", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"x\":\"\xe9\"}",
			"invalid UTF-8"},
		{"cyclonedx without version", FormatCycloneDXJSON, `{"bomFormat":"CycloneDX"}`,
			"states no spec version; expected a CycloneDX BOM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode(strings.NewReader(tt.data), "in.json", tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %+v, %v; want an error containing %q", doc, err, tt.want)
			}
		})
	}
}

func TestDecodeReportBadInput(t *testing.T) {
	tests := []struct{ name, format, data, want string }{
		{"empty grype", FormatGrypeJSON, "", "r.json: empty report"},
		{"latin-1 grype", FormatGrypeJSON, "{\"matches\":[],\"x\":\"\xe9\"}",
			"r.json:1:20: invalid UTF-8"},
		{"latin-1 osv", "", "{\"results\":[],\n\"x\":\"\xe9\"}", "r.json:2:6: invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := DecodeReport([]byte(tt.data), "r.json", tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %+v, %v; want an error containing %q", rep, err, tt.want)
			}
		})
	}
}
