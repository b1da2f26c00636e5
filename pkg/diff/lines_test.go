package diff

import (
	"strings"
	"testing"
)

// twoHunks is the shape of known failure 17: an added line with context in
// one hunk, a second hunk further down, and lines outside both.
const twoHunks = "diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n" +
	"@@ -10,3 +10,4 @@\n ctx\n+added\n ctx\n ctx\n" +
	"@@ -50,3 +51,2 @@\n ctx\n-gone\n ctx\n"

func TestLineQueries(t *testing.T) {
	files, err := Parse(strings.NewReader(twoHunks))
	if err != nil {
		t.Fatal(err)
	}
	f := files[0]
	tests := []struct {
		line              int
		commentable, adds bool
	}{
		{9, false, false},
		{10, true, false},
		{11, true, true},
		{13, true, false},
		{14, false, false}, // between hunks
		{40, false, false},
		{51, true, false},
		{52, true, false},
		{53, false, false},
		{0, false, false},
		{-3, false, false},
	}
	for _, tt := range tests {
		if got := f.CommentableRight(tt.line); got != tt.commentable {
			t.Errorf("CommentableRight(%d): got %v, want %v", tt.line, got, tt.commentable)
		}
		if got := f.AddedLine(tt.line); got != tt.adds {
			t.Errorf("AddedLine(%d): got %v, want %v", tt.line, got, tt.adds)
		}
	}
	if got := f.AddedLines(); len(got) != 1 || got[0] != 11 {
		t.Errorf("AddedLines: got %v, want [11]", got)
	}
}

func TestSameHunk(t *testing.T) {
	files, err := Parse(strings.NewReader(twoHunks))
	if err != nil {
		t.Fatal(err)
	}
	f := files[0]
	tests := []struct {
		start, end int
		want       bool
	}{
		{10, 13, true},
		{11, 11, true},
		{11, 40, false}, // known failure 17: spans hunks
		{11, 51, false},
		{51, 52, true},
		{13, 10, false},
		{9, 11, false},
	}
	for _, tt := range tests {
		if got := f.SameHunk(tt.start, tt.end); got != tt.want {
			t.Errorf("SameHunk(%d, %d): got %v, want %v", tt.start, tt.end, got, tt.want)
		}
	}
}

func TestDeletionOnlyHunk(t *testing.T) {
	// -U0 deletion: the new range is empty, so no line of it takes a comment.
	in := "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -3,2 +2,0 @@\n-a\n-b\n@@ -9 +7 @@\n-c\n+d\n"
	files, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for line, want := range map[int]bool{1: false, 2: false, 3: false, 7: true} {
		if got := files[0].CommentableRight(line); got != want {
			t.Errorf("CommentableRight(%d): got %v, want %v", line, got, want)
		}
	}
}

func TestParsePatch(t *testing.T) {
	tests := []struct {
		name, path, patch string
		want              string
		wantErr           string
	}{
		{
			name:  "GitHub modified file, no final newline",
			path:  "src/a.go",
			patch: "@@ -1,3 +1,4 @@ package a\n import \"fmt\"\n+import \"os\"\n \n func main() {",
			want:  `"src/a.go">"src/a.go" @1,3+1,4+2`,
		},
		{
			name:  "added file",
			path:  "n.txt",
			patch: "@@ -0,0 +1,2 @@\n+x\n+y",
			want:  `"">"n.txt" A @0,0+1,2+1+2`,
		},
		{
			name:  "removed file",
			path:  "o.txt",
			patch: "@@ -1 +0,0 @@\n-x",
			want:  `"o.txt">"" D @1,1+0,0-1`,
		},
		{
			name:  "two hunks and no-newline marker",
			path:  "z",
			patch: "@@ -1 +1 @@\n-a\n+b\n@@ -10 +10 @@\n-c\n\\ No newline at end of file\n+d\n",
			want:  `"z">"z" @1,1+1,1-1+1 @10,1+10,1-10+10`,
		},
		{name: "empty patch", path: "e", patch: "", want: `"e">"e"`},
		{name: "not a patch", path: "g", patch: "hello\n", wantErr: "patch for g: diff line 1"},
		{name: "garbage after", path: "g", patch: "@@ -1 +1 @@\n-a\n+b\nzzz\n",
			wantErr: "unexpected line after the hunks"},
		{name: "short body", path: "g", patch: "@@ -1,2 +1,2 @@\n-a\n+b\n",
			wantErr: "diff ends inside a hunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParsePatch(tt.path, tt.patch)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if got := summary(f); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUnquote(t *testing.T) {
	tests := []struct {
		in, want, rest string
		ok             bool
	}{
		{`"a/\303\251t\303\251.txt"`, "a/été.txt", "", true},
		{`"t\tab\\\"x" tail`, "t\tab\\\"x", " tail", true},
		{`"\a\b\f\n\r\v"`, "\a\b\f\n\r\v", "", true},
		{`"open`, "", "", false},
		{`"bad\9"`, "", "", false},
		{`"big\777"`, "", "", false},
		{`"end\`, "", "", false},
		{`noquote`, "", "", false},
	}
	for _, tt := range tests {
		got, rest, err := unquote(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("unquote(%s): error %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && (got != tt.want || rest != tt.rest) {
			t.Errorf("unquote(%s): got %q, %q, want %q, %q", tt.in, got, rest, tt.want, tt.rest)
		}
	}
}
