package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Diagnostic is one problem found in a config file, at a place in it when the
// place is known (Line and Column are 1-based; zero means unknown).
type Diagnostic struct {
	File    string
	Line    int
	Column  int
	Message string
}

// String formats the diagnostic the way compilers do, file:line:col: message,
// leaving out the parts of the position that are unknown.
func (d Diagnostic) String() string {
	switch {
	case d.Line > 0 && d.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Column, d.Message)
	case d.Line > 0:
		return fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Message)
	}
	return fmt.Sprintf("%s: %s", d.File, d.Message)
}

// Diagnostics is the error Load and Parse return: every problem in the file,
// so that a user fixes them all in one round instead of one per run.
type Diagnostics struct {
	Items []Diagnostic
}

// Error prints one diagnostic per line, in file order.
func (d *Diagnostics) Error() string {
	lines := make([]string, len(d.Items))
	for i, item := range d.Items {
		lines[i] = item.String()
	}
	return strings.Join(lines, "\n")
}

// sort puts the diagnostics in file order; problems found at the same place
// keep the order they were found in.
func (d *Diagnostics) sort() {
	slices.SortStableFunc(d.Items, func(a, b Diagnostic) int {
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Column, b.Column)
	})
}
