// Package scannertest holds what the tests of every adapter check alike. It
// is imported by tests only.
package scannertest

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// CheckParse asserts what every parser owes its caller: a result or an error,
// never both and never neither; an error that names the source; no blank or
// (except in XML) non-UTF-8 input accepted; and findings that each name their
// tool and rule.
func CheckParse(t *testing.T, parse scanners.Parser, data []byte, source string) {
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
