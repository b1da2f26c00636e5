package github

import (
	"testing"

	"github.com/secgate/secgate/pkg/diff"
	"github.com/secgate/secgate/pkg/finding"
)

// TestPlacement is known failure 17: each comment is checked against the
// parsed hunks before anything is sent, so no review is rejected for a line
// outside the diff.
func TestPlacement(t *testing.T) {
	// New lines 10-13 (11 added) and 39-41 (40 added).
	patch := "@@ -10,3 +10,4 @@\n ctx\n+added\n ctx\n ctx\n" +
		"@@ -37,2 +39,3 @@\n ctx\n+added\n ctx\n"
	a, err := diff.ParsePatch("a.go", patch)
	if err != nil {
		t.Fatal(err)
	}
	r := &run{files: map[string]*fileDiff{
		"a.go":     {File: a},
		"logo.png": {File: diff.File{NewPath: "logo.png", Binary: true}, noLines: true},
	}}

	tests := []struct {
		name string
		loc  finding.Location
		want placement
		why  string
		new  bool
	}{
		{"added line", loc("a.go", 11, 11), placement{path: "a.go", line: 11}, "", true},
		{"context line in a hunk", loc("a.go", 12, 0), placement{path: "a.go", line: 12}, "", false},
		{"range within one hunk", loc("a.go", 10, 13),
			placement{path: "a.go", startLine: 10, line: 13}, "", true},
		{"range across two hunks goes on its first line", loc("a.go", 11, 40),
			placement{path: "a.go", line: 11}, "", true},
		{"range starting outside ends inside", loc("a.go", 30, 40),
			placement{path: "a.go", line: 40}, "", true},
		{"line outside every hunk", loc("a.go", 25, 25), placement{}, notInDiff, false},
		{"file the PR does not touch", loc("b.go", 11, 11), placement{}, notInDiff, false},
		{"file without a patch", loc("logo.png", 1, 1), placement{}, noLines, false},
		{"no line", loc("a.go", 0, 0), placement{}, notInDiff, false},
		{"no file", finding.Location{Logical: "pkg:npm/lodash"}, placement{}, notInDiff, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := finding.Finding{Location: tt.loc}
			got, why := r.place(f)
			if got != tt.want || why != tt.why {
				t.Errorf("place: got %+v %q, want %+v %q", got, why, tt.want, tt.why)
			}
			if n := r.isNew(f); n != tt.new {
				t.Errorf("isNew: got %v, want %v", n, tt.new)
			}
		})
	}
}

func loc(path string, start, end int) finding.Location {
	return finding.Location{Path: path, StartLine: start, EndLine: end}
}
