package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureFiles are the summaries of diffs real git 2.39 wrote, by file name
// under testdata. The commands are in testdata/README.md.
var fixtureFiles = map[string][]string{
	"git-quoted.diff":   gitChange,
	"git-unquoted.diff": gitChange,
	"git-binary-patch.diff": {
		`"bin/logo.png">"bin/logo.png" B`,
		`"">"bin/new.bin" A B`,
	},
	"git-noprefix.diff": {
		`"docs/My Notes.md">"docs/My Notes.md" @1,1+1,2+2`,
		`"src/long.txt">"src/long.txt" @2,7+2,7-5+5 @27,7+27,7-30+30`,
	},
	"format-patch.diff": {
		`"src/long.txt">"src/long.txt" @2,7+2,7-5+5 @27,7+27,7-30+30`,
	},
	"git-u0.diff": {
		`"src/long.txt">"src/long.txt" @5,1+5,1-5+5 @30,1+30,1-30+30`,
	},
	"plain-diff-u.diff": {`"f.txt">"f.txt" @1,2+1,2-2+2`},
}

// gitChange is the second commit of the fixture repository: every kind of
// change git can describe, with paths that need care.
var gitChange = []string{
	`"bin/logo.png">"bin/logo.png" B`,
	`"">"bin/new.bin" A B`,
	`"docs/My Notes.md">"docs/My Notes.md" @1,1+1,2+2`,
	`"">"src/added.go" A @0,0+1,2+1+2`,
	`"src/long.txt">"src/long.txt" @2,7+2,7-5+5 @27,7+27,7-30+30`,
	`"src/move.go">"src/moved.go" R @2,7+2,7-5+5`,
	`"src/nonl.txt">"src/nonl.txt" @1,1+1,1-1+1`,
	`"src/old.txt">"" D @1,1+0,0-1`,
	`"src/quo\"te.txt">"src/quo\"te.txt" @1,1+1,2+2`,
	`"src/run.sh">"src/run.sh"`,
	`"x b/y.txt">"x b/y.txt" @1,1+1,2+2`,
	`"été.txt">"été.txt" @1,1+1,2+2`,
}

func TestParseFixtures(t *testing.T) {
	for name, want := range fixtureFiles {
		t.Run(name, func(t *testing.T) {
			got := parseFile(t, filepath.Join("testdata", name))
			compareSummaries(t, got, want)
		})
	}
}

func TestParseGitLog(t *testing.T) {
	// git log -p: two commits, each with a commit header the parser skips.
	got := parseFile(t, filepath.Join("testdata", "git-log.diff"))
	if len(got) != 22 {
		t.Fatalf("files: got %d, want 22 (12 + 10)", len(got))
	}
	compareSummaries(t, got[:12], gitChange)
	if s := summary(got[21]); s != `"">"été.txt" A @0,0+1,1+1` {
		t.Errorf("last file: got %s", s)
	}
}

func TestParseCRLF(t *testing.T) {
	// A diff saved with Windows line endings: header paths must not keep the CR.
	raw, err := os.ReadFile(filepath.Join("testdata", "git-quoted.diff"))
	if err != nil {
		t.Fatal(err)
	}
	crlf := strings.ReplaceAll(string(raw), "\n", "\r\n")
	got, err := Parse(strings.NewReader(crlf))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	compareSummaries(t, got, gitChange)
}

func TestParseKnownFailure16(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "the sketch: trailing TAB, C-quoted path, binary stanza",
			in: "diff --git a/docs/My Notes.md b/docs/My Notes.md\n" +
				"--- a/docs/My Notes.md\t\n+++ b/docs/My Notes.md\t\n" +
				"@@ -1 +1,2 @@\n a\n+b\n" +
				"diff --git \"a/\\303\\251t\\303\\251.txt\" \"b/\\303\\251t\\303\\251.txt\"\n" +
				"Binary files a/logo.png and b/logo.png differ\n",
			want: []string{
				`"docs/My Notes.md">"docs/My Notes.md" @1,1+1,2+2`,
				`"été.txt">"été.txt" B`,
			},
		},
		{
			name: "leading blank lines",
			in:   "\n\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
			want: []string{`"x">"x" @1,1+1,1-1+1`},
		},
		{
			name: "a path containing b/ and a rename between such paths",
			in: "diff --git a/x b/y.txt b/x b/y.txt\nindex 1..2 100644\n" +
				"--- a/x b/y.txt\n+++ b/x b/y.txt\n@@ -1 +1,2 @@\n k\n+m\n" +
				"diff --git a/p b/q b/r b/s\nsimilarity index 100%\n" +
				"rename from p b/q\nrename to r b/s\n",
			want: []string{
				`"x b/y.txt">"x b/y.txt" @1,1+1,2+2`,
				`"p b/q">"r b/s" R`,
			},
		},
		{
			name: "one side quoted",
			in: "diff --git a/plain \"b/t\\tab\"\nsimilarity index 100%\n" +
				"rename from plain\nrename to \"t\\tab\"\n",
			want: []string{`"plain">"t\tab" R`},
		},
		{
			name: "hunk body with a stripped blank context line",
			in:   "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n\n-c\n+d\n",
			want: []string{`"x">"x" @1,3+1,3-3+3`},
		},
		{
			name: "only whitespace is an empty diff",
			in:   "\n \n\t\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			compareSummaries(t, got, tt.want)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"text without a file", "Hello\nthis is not a diff\n", "no file"},
		{"hunks without headers", "@@ -1 +1 @@\n-a\n+b\n", "no file"},
		{"truncated hunk", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n",
			"diff line 5: diff ends inside a hunk"},
		{"bad hunk header", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -a +1 @@\n",
			"diff line 4: malformed hunk header"},
		{"too many added lines",
			"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n+a\n+b\n-c\n",
			"diff line 6: unexpected line in hunk"},
		{"hunks out of order",
			"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -5 +5 @@\n-a\n+b\n@@ -1 +1 @@\n-a\n+b\n",
			"overlaps or precedes"},
		{"--- without +++", "diff --git a/x b/x\n--- a/x\n@@ -1 +1 @@\n", `expected a "+++" line`},
		{"combined diff", "diff --cc f.txt\nindex 1,2..3\n", "combined diff"},
		{"bad quoted rename", "diff --git a/x b/y\nrename from \"x\\q\"\n", "malformed quoted path"},
		{"header with no split", "diff --git onlyonetoken\n", "cannot tell the paths apart"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("parse: got %d files and no error, want an error with %q", len(files), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error: got %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseLongLine(t *testing.T) {
	// A minified file: one line far longer than bufio.Scanner's token limit.
	long := strings.Repeat("x", 1<<20)
	in := "diff --git a/m.js b/m.js\n--- a/m.js\n+++ b/m.js\n@@ -1 +1 @@\n-" + long + "\n+" +
		long + "y\n"
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	compareSummaries(t, got, []string{`"m.js">"m.js" @1,1+1,1-1+1`})
}

func parseFile(t *testing.T, path string) []File {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	files, err := Parse(fh)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return files
}

func compareSummaries(t *testing.T, got []File, want []string) {
	t.Helper()
	if len(got) != len(want) {
		var s []string
		for _, f := range got {
			s = append(s, summary(f))
		}
		t.Fatalf("files: got %d, want %d:\n%s", len(got), len(want), strings.Join(s, "\n"))
	}
	for i := range got {
		if s := summary(got[i]); s != want[i] {
			t.Errorf("file %d: got %s, want %s", i, s, want[i])
		}
	}
}
