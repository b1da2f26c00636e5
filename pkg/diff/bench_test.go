package diff

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse parses a diff of 400 files with 60 changed lines each, the
// size of a dependency sweep.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&sb, "diff --git a/f%d.go b/f%d.go\n--- a/f%d.go\n+++ b/f%d.go\n", i, i, i, i)
		sb.WriteString("@@ -1,60 +1,60 @@\n")
		for j := 0; j < 60; j++ {
			fmt.Fprintf(&sb, "-old %d\n+new %d\n", j, j)
		}
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Parse(strings.NewReader(text)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup asks, for every line of a 20,000-line file changed in 500
// hunks, whether a review comment may go there and whether the change added
// it: what publishing asks for each finding of a large pull request.
func BenchmarkLookup(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("diff --git a/big.go b/big.go\n--- a/big.go\n+++ b/big.go\n")
	for h := range 500 {
		start := 1 + h*40
		fmt.Fprintf(&sb, "@@ -%d,6 +%d,7 @@\n", start, start)
		sb.WriteString(" ctx\n ctx\n-old\n+new\n+added\n ctx\n ctx\n ctx\n")
	}
	files, err := Parse(strings.NewReader(sb.String()))
	if err != nil || len(files) != 1 {
		b.Fatalf("parse: %v", err)
	}
	f := &files[0]

	const lines = 20000
	var hits int
	for b.Loop() {
		hits = 0
		for line := 1; line <= lines; line++ {
			if f.CommentableRight(line) && f.AddedLine(line) {
				hits++
			}
		}
	}
	if hits != 1000 {
		b.Fatalf("added lines found: %d, want 1000", hits)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
