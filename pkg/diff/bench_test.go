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
