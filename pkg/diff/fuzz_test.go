package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds the parser mutations of real git diffs. Whatever the input,
// it must not panic, and what it accepts must be consistent: every hunk holds
// exactly the lines its header counts, numbered without gaps, and the line
// queries agree with the lines.
func FuzzParse(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.diff"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed diffs in testdata: %v", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(twoHunks))

	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := Parse(strings.NewReader(string(data)))
		if err != nil {
			if files != nil {
				t.Fatalf("files returned with error %v", err)
			}
			return
		}
		if len(files) == 0 && strings.TrimSpace(string(data)) != "" {
			t.Fatalf("no files and no error from non-blank input")
		}
		for i := range files {
			checkFile(t, &files[i])
		}
	})
}

// FuzzParsePatch does the same for GitHub's header-less patches.
func FuzzParsePatch(f *testing.F) {
	f.Add("@@ -1,3 +1,4 @@ x\n a\n+b\n c\n d")
	f.Add("@@ -0,0 +1,2 @@\n+x\n+y")
	f.Add("@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n")
	f.Fuzz(func(t *testing.T, patch string) {
		file, err := ParsePatch("p", patch)
		if err != nil {
			return
		}
		checkFile(t, &file)
	})
}

func checkFile(t *testing.T, f *File) {
	t.Helper()
	for _, h := range f.Hunks {
		oldN, newN := 0, 0
		for _, l := range h.Lines {
			switch l.Kind {
			case ' ':
				checkNumber(t, l.Old, h.OldStart+oldN, l.New, h.NewStart+newN)
				oldN, newN = oldN+1, newN+1
			case '-':
				checkNumber(t, l.Old, h.OldStart+oldN, l.New, 0)
				oldN++
			case '+':
				checkNumber(t, l.Old, 0, l.New, h.NewStart+newN)
				newN++
			default:
				t.Fatalf("line kind %q", l.Kind)
			}
			if l.New != 0 && !f.CommentableRight(l.New) {
				t.Fatalf("line %d of a hunk is not commentable", l.New)
			}
			if l.New != 0 && f.AddedLine(l.New) != (l.Kind == '+') {
				t.Fatalf("AddedLine(%d) disagrees with kind %q", l.New, l.Kind)
			}
		}
		if oldN != h.OldLines || newN != h.NewLines {
			t.Fatalf("hunk counts %d/%d, header says %d/%d", oldN, newN, h.OldLines, h.NewLines)
		}
	}
}

func checkNumber(t *testing.T, old, wantOld, nw, wantNew int) {
	t.Helper()
	if old != wantOld || nw != wantNew {
		t.Fatalf("line numbered %d/%d, want %d/%d", old, nw, wantOld, wantNew)
	}
}
