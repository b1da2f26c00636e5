package sariflog

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/testenv"
)

// FuzzRead feeds Read mutations of real SARIF logs from many tools. Whatever
// the input, Read returns runs or an error, never both and never neither; an
// error names the source, and every finding of an accepted log names its tool
// and its rule.
func FuzzRead(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:*/sarif/*.sarif", "testdata/*.sarif")
	f.Add([]byte(`{"version":"2.1.0","runs":[]}`))

	const source = "fuzz/input.sarif"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		runs, err := Read(bytes.NewReader(data), source)
		if err != nil {
			if runs != nil {
				t.Fatalf("runs returned with error %v", err)
			}
			if !strings.Contains(err.Error(), source) {
				t.Fatalf("error does not name the source: %v", err)
			}
			return
		}
		if runs == nil {
			t.Fatalf("no runs and no error")
		}
		if !utf8.Valid(data) {
			t.Fatalf("invalid UTF-8 accepted")
		}
		for _, run := range runs {
			for _, fd := range run.Findings {
				if fd.Tool == "" || fd.Rule.ID == "" {
					t.Fatalf("finding without tool or rule id: tool %q rule %q", fd.Tool, fd.Rule.ID)
				}
			}
		}
	})
}
