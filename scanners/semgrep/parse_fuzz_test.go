package semgrep

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// FuzzParseJSON feeds ParseJSON mutations of real Semgrep JSON reports.
func FuzzParseJSON(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:semgrep/json/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, ParseJSON, data, "fuzz/semgrep.json")
	})
}

// FuzzParseSARIF feeds ParseSARIF mutations of real Semgrep SARIF logs.
func FuzzParseSARIF(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:semgrep/sarif/*.sarif")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, ParseSARIF, data, "fuzz/semgrep.sarif")
	})
}

// checkParse asserts what every parser owes its caller: a result or an error,
// never both and never neither; an error that names the source; no blank or
// (except in XML) non-UTF-8 input accepted; and findings that each name their
// tool and rule.
func checkParse(t *testing.T, parse scanners.Parser, data []byte, source string) {
	t.Helper()
	if len(data) > testenv.MaxFuzzInput {
		return
	}
	res, err := parse(bytes.NewReader(data), source)
	if err != nil {
		if res != nil {
			t.Fatalf("result returned with error %v", err)
		}
		if !strings.Contains(err.Error(), source) {
			t.Fatalf("error does not name the source: %v", err)
		}
		return
	}
	if res == nil {
		t.Fatalf("no result and no error")
	}
	if !utf8.Valid(data) && !strings.HasSuffix(source, ".xml") {
		// XML may declare Latin-1; JSON and SARIF are UTF-8 only.
		t.Fatalf("invalid UTF-8 accepted")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		t.Fatalf("blank input accepted")
	}
	for _, fd := range res.Findings {
		if fd.Tool == "" || fd.Rule.ID == "" {
			t.Fatalf("finding without tool or rule id: tool %q rule %q", fd.Tool, fd.Rule.ID)
		}
	}
}
