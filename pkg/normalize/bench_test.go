package normalize

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// BenchmarkApply normalizes 100,000 synthetic findings over 1,000 real files:
// two tools reporting the same places (so half merge), paths in raw, absolute
// and file:// forms, and a snippet read for each.
func BenchmarkApply(b *testing.B) {
	const files, perFile = 1000, 100
	root := realTempDir(b)

	var src strings.Builder
	for line := 1; line <= perFile/2; line++ {
		fmt.Fprintf(&src, "\tcall%d(user_input)  // line %d\n", line%7, line)
	}
	for i := range files {
		writeFile(b, root, fmt.Sprintf("pkg%02d/file %d.go", i%50, i), src.String())
	}

	inputs := []Input{{}, {BaseDir: root + "/pkg00"}}
	for i := range files {
		rel := fmt.Sprintf("pkg%02d/file %d.go", i%50, i)
		forms := []string{rel, root + "/" + rel, "file://" + root + "/" + EncodeURI(rel)}
		for line := 1; line <= perFile/2; line++ {
			f := finding.Finding{
				Rule:     finding.Rule{ID: fmt.Sprintf("rule.%d", line%13)},
				Message:  "user input reaches a call",
				Location: finding.Location{StartLine: line, EndLine: line},
				Severity: finding.SeverityMedium, ToolSeverity: "WARNING",
			}
			f.Tool, f.Location.Path = "semgrep", forms[line%len(forms)]
			inputs[0].Findings = append(inputs[0].Findings, f)
			f.Tool, f.Location.Path = "sarif", "../"+rel
			inputs[1].Findings = append(inputs[1].Findings, f)
		}
	}
	opts := Options{Root: root, SeverityMap: map[string]map[string]finding.Severity{
		"semgrep": {"warning": finding.SeverityHigh},
	}}

	b.ReportAllocs()
	for b.Loop() {
		// Apply clears the inputs it is given; each round gets its own.
		out, _ := Apply(opts, slices.Clone(inputs))
		if len(out) != files*perFile/2 {
			b.Fatalf("findings: got %d, want %d", len(out), files*perFile/2)
		}
	}
}

// BenchmarkFingerprint fingerprints 100,000 findings over 1,000 files, each
// with a snippet, in output order.
func BenchmarkFingerprint(b *testing.B) {
	items := make([]*item, 100000)
	for i := range items {
		items[i] = &item{f: finding.Finding{
			Tool:     "semgrep",
			Rule:     finding.Rule{ID: fmt.Sprintf("rule.%d", i%13)},
			Location: finding.Location{Path: fmt.Sprintf("pkg%02d/file%d.go", i%50, i%1000)},
			Snippet:  fmt.Sprintf("call%d(user_input)", i%7),
		}}
	}
	sortItems(items)

	b.ReportAllocs()
	for b.Loop() {
		fingerprintAll(items)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(items)), "ns/finding")
}
