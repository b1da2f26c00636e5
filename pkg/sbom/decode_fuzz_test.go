package sbom

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
)

// FuzzDecode feeds Decode, with the format detected from the content,
// mutations of real CycloneDX JSON and XML, SPDX JSON and tag-value and Syft
// JSON documents.
func FuzzDecode(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:cyclonedx/*/*", "fixtures:spdx/*/*", "fixtures:syft/json/*.json")

	const source = "fuzz/sbom"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		doc, err := Decode(bytes.NewReader(data), source, "")
		if err != nil {
			checkError(t, doc != nil, err, source)
			return
		}
		if doc == nil {
			t.Fatalf("no document and no error")
		}
		if doc.Format == "" {
			t.Fatalf("document without a format")
		}
		if doc.Format != FormatCycloneDXXML && !utf8.Valid(data) {
			t.Fatalf("invalid UTF-8 accepted as %s", doc.Format)
		}
		checkFindings(t, VulnerabilityFindings(doc))
	})
}

// FuzzDecodeReport feeds DecodeReport mutations of real Grype and OSV-Scanner
// JSON reports.
func FuzzDecodeReport(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:grype/json/*.json", "testdata/osv-scanner/*.json")

	const source = "fuzz/report.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		rep, err := DecodeReport(data, source, "")
		if err != nil {
			checkError(t, rep != nil, err, source)
			return
		}
		if rep == nil {
			t.Fatalf("no report and no error")
		}
		if rep.Tool == "" {
			t.Fatalf("report without a tool")
		}
		if !utf8.Valid(data) {
			t.Fatalf("invalid UTF-8 accepted")
		}
		checkFindings(t, rep.Findings())
	})
}

func checkError(t *testing.T, withResult bool, err error, source string) {
	t.Helper()
	if withResult {
		t.Fatalf("result returned with error %v", err)
	}
	if !strings.Contains(err.Error(), source) {
		t.Fatalf("error does not name the source: %v", err)
	}
}

func checkFindings(t *testing.T, fs []finding.Finding) {
	t.Helper()
	for _, fd := range fs {
		if fd.Tool == "" || fd.Rule.ID == "" {
			t.Fatalf("finding without tool or rule id: tool %q rule %q", fd.Tool, fd.Rule.ID)
		}
	}
}
