package diff

import (
	"fmt"
	"strings"
)

// summary renders a file on one line for comparisons in tests: the paths,
// the flags set, and for each hunk its header numbers and added lines.
func summary(f File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q>%q", f.OldPath, f.NewPath)
	for _, flag := range []struct {
		on   bool
		name string
	}{{f.Added, "A"}, {f.Deleted, "D"}, {f.Renamed, "R"}, {f.Copied, "C"}, {f.Binary, "B"}} {
		if flag.on {
			b.WriteString(" " + flag.name)
		}
	}
	for _, h := range f.Hunks {
		fmt.Fprintf(&b, " @%d,%d+%d,%d", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
		for _, l := range h.Lines {
			if l.Kind == '+' {
				fmt.Fprintf(&b, "+%d", l.New)
			}
			if l.Kind == '-' {
				fmt.Fprintf(&b, "-%d", l.Old)
			}
		}
	}
	return b.String()
}
