package normalize

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
)

// recordingReader wraps the disk reader and records every path it was asked for.
type recordingReader struct {
	paths []string
}

func (r *recordingReader) read(p string) ([]byte, error) {
	r.paths = append(r.paths, p)
	return readCapped(p)
}

func (r *recordingReader) count(suffix string) int {
	n := 0
	for _, p := range r.paths {
		if strings.HasSuffix(filepath.ToSlash(p), suffix) {
			n++
		}
	}
	return n
}

func at(tool, rule, path string, start, end int) finding.Finding {
	return finding.Finding{
		Tool: tool, Rule: finding.Rule{ID: rule}, Message: rule + " here",
		Location: finding.Location{Path: path, StartLine: start, EndLine: end},
	}
}

func TestSnippets(t *testing.T) {
	root := realTempDir(t)
	writeFile(t, root, "app/main.py", "import os\n\n    x = os.system(cmd)   # run\n\treturn x\n")
	writeFile(t, root, "crlf.txt", "a  b\r\nc\r\n")
	writeFile(t, root, "image.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	writeFile(t, root, "latin1.txt", "caf\xe9\n")

	withSnippet := at("semgrep", "r", "app/main.py", 3, 3)
	withSnippet.Snippet = "   given\n  by   the tool "
	secretTag := at("semgrep", "r", "app/main.py", 3, 3)
	secretTag.Rule.Tags = []string{"security", "Hardcoded-Secret"}
	secretCWE := at("semgrep", "r", "app/main.py", 3, 3)
	secretCWE.Rule.CWE = []string{"CWE-798"}
	gitleaks := at("gitleaks", "generic-api-key", "app/main.py", 3, 3)
	gitleaks.Snippet = "AKIA-the-secret"

	tests := []struct {
		name string
		f    finding.Finding
		want string
	}{
		{"one line folded", at("semgrep", "r", "app/main.py", 3, 3), "x = os.system(cmd) # run"},
		{"no end line", at("semgrep", "r", "app/main.py", 3, 0), "x = os.system(cmd) # run"},
		{"end before start", at("semgrep", "r", "app/main.py", 3, 1), "x = os.system(cmd) # run"},
		{"two lines", at("semgrep", "r", "app/main.py", 3, 4), "x = os.system(cmd) # run return x"},
		{"end past eof", at("semgrep", "r", "app/main.py", 4, 99), "return x"},
		{"start past eof", at("semgrep", "r", "app/main.py", 9, 9), ""},
		{"blank line", at("semgrep", "r", "app/main.py", 2, 2), ""},
		{"crlf", at("semgrep", "r", "crlf.txt", 1, 2), "a b c"},
		{"no line", at("semgrep", "r", "app/main.py", 0, 0), ""},
		{"binary", at("semgrep", "r", "image.png", 1, 1), ""},
		{"missing file", at("semgrep", "r", "gone.py", 1, 1), ""},
		{"invalid utf8", at("semgrep", "r", "latin1.txt", 1, 1), "caf\uFFFD"},
		{"tool snippet kept and folded", withSnippet, "given by the tool"},
		{"secret tag", secretTag, ""},
		{"secret cwe", secretCWE, ""},
		{"gitleaks drops its own snippet", gitleaks, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := Apply(Options{Root: root}, []Input{{Findings: []finding.Finding{tt.f}}})
			if len(got) != 1 {
				t.Fatalf("findings: got %d, want 1", len(got))
			}
			if got[0].Snippet != tt.want {
				t.Errorf("snippet: got %q, want %q", got[0].Snippet, tt.want)
			}
		})
	}
}

func TestSnippetCaps(t *testing.T) {
	root := realTempDir(t)
	var lines strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&lines, "L%02d\n", i)
	}
	writeFile(t, root, "many.txt", lines.String())
	writeFile(t, root, "long.min.js", strings.Repeat("var a=1; ", 2000))

	t.Run("line cap", func(t *testing.T) {
		got, _ := Apply(Options{Root: root}, []Input{{Findings: []finding.Finding{
			at("semgrep", "r", "many.txt", 5, 40)}}})
		words := strings.Fields(got[0].Snippet)
		if len(words) != MaxSnippetLines {
			t.Fatalf("snippet lines: got %d, want %d", len(words), MaxSnippetLines)
		}
		if words[0] != "L05" || words[len(words)-1] != "L24" {
			t.Errorf("snippet range: got %s..%s, want L05..L24", words[0], words[len(words)-1])
		}
	})

	t.Run("byte cap", func(t *testing.T) {
		got, _ := Apply(Options{Root: root}, []Input{{Findings: []finding.Finding{
			at("semgrep", "r", "long.min.js", 1, 1)}}})
		s := got[0].Snippet
		if len(s) > MaxSnippetBytes || len(s) < MaxSnippetBytes-10 {
			t.Errorf("snippet length: got %d, want just under %d", len(s), MaxSnippetBytes)
		}
		if !strings.HasPrefix(s, "var a=1; var a=1;") {
			t.Errorf("snippet start: got %q", s[:min(len(s), 40)])
		}
	})

	t.Run("file size cap", func(t *testing.T) {
		writeFile(t, root, "huge.txt", "flagged\n"+strings.Repeat("y", MaxFileBytes))
		got, notes := Apply(Options{Root: root}, []Input{{Findings: []finding.Finding{
			at("semgrep", "r", "huge.txt", 1, 1)}}})
		if got[0].Snippet != "" {
			t.Errorf("snippet of a file over the cap: got %q, want none", got[0].Snippet)
		}
		if !hasNote(notes, "huge.txt is larger than") {
			t.Errorf("notes: got %v, want one about huge.txt", notes)
		}
	})
}

// TestSnippetReadsOncePerFile: many findings in one file read it once.
func TestSnippetReadsOncePerFile(t *testing.T) {
	root := realTempDir(t)
	writeFile(t, root, "a.go", "one\ntwo\nthree\n")
	writeFile(t, root, "b.go", "one\n")
	rec := &recordingReader{}

	var fs []finding.Finding
	for line := 1; line <= 3; line++ {
		fs = append(fs, at("semgrep", "r"+strconv.Itoa(line), "a.go", line, line),
			at("gosec", "g", "a.go", line, 0))
	}
	fs = append(fs, at("semgrep", "r", "b.go", 1, 1))
	Apply(Options{Root: root, ReadFile: rec.read}, []Input{{Findings: fs}})

	if n := rec.count("/a.go"); n != 1 {
		t.Errorf("reads of a.go: got %d, want 1", n)
	}
	if n := rec.count("/b.go"); n != 1 {
		t.Errorf("reads of b.go: got %d, want 1", n)
	}
}

// TestSnippetNeverReadsOutside: locations outside the root, directly or through
// symlinks, are kept as logical locations and never read.
func TestSnippetNeverReadsOutside(t *testing.T) {
	root, outside := realTempDir(t), realTempDir(t)
	writeFile(t, outside, "secret.txt", "password=hunter2\n")
	mustSymlink(t, outside, filepath.Join(root, "linkdir"))
	mustSymlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(root, "passwd"))

	tests := []struct{ name, path string }{
		{"dir symlink", "linkdir/secret.txt"},
		{"file symlink", "passwd"},
		{"absolute", filepath.Join(outside, "secret.txt")},
		{"parent", "../" + filepath.Base(outside) + "/secret.txt"},
		{"file uri", "file://" + filepath.ToSlash(outside) + "/secret.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordingReader{}
			in := at("semgrep", "r", tt.path, 1, 1)
			got, notes := Apply(Options{Root: root, ReadFile: rec.read},
				[]Input{{Findings: []finding.Finding{in}}})

			if len(rec.paths) != 0 {
				t.Errorf("files read: got %v, want none", rec.paths)
			}
			f := got[0]
			if f.Location.Path != "" || f.Location.Logical != tt.path || f.Snippet != "" {
				t.Errorf("location: got path %q logical %q snippet %q; want no path, logical %q",
					f.Location.Path, f.Location.Logical, f.Snippet, tt.path)
			}
			if f.Location.StartLine != 1 {
				t.Errorf("start line: got %d, want 1 kept", f.Location.StartLine)
			}
			if !hasNote(notes, "outside the repository") {
				t.Errorf("notes: got %v, want one saying outside the repository", notes)
			}
		})
	}
}

// TestSnippetGitleaksFixture feeds the finding of gitleaks' own test report into
// Apply with the file it names on disk; no snippet may be read or kept. The JSON
// is decoded here as a stand-in for the gitleaks adapter, which is not ours.
func TestSnippetGitleaksFixture(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.FixturesDir(t), "gitleaks", "json",
		"gitleaks-testdata-simple.json"))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	var leaks []struct {
		RuleID, File, Match, Secret, Commit string
		StartLine, EndLine                  int
	}
	if err := json.Unmarshal(data, &leaks); err != nil {
		t.Fatalf("decode fixture: %v", err)
	}
	if len(leaks) != 1 {
		t.Fatalf("fixture findings: got %d, want 1 (EXPECTED.md)", len(leaks))
	}

	root := realTempDir(t)
	l := leaks[0]
	writeFile(t, root, l.File, l.Match+"\n"+l.Secret+"\n")
	rec := &recordingReader{}
	in := at("gitleaks", l.RuleID, l.File, l.StartLine, l.EndLine)
	in.Message = l.RuleID + " has detected secret for file " + l.File + " at commit " + l.Commit

	got, _ := Apply(Options{Root: root, ReadFile: rec.read}, []Input{{Findings: []finding.Finding{in}}})
	if got[0].Snippet != "" {
		t.Errorf("snippet: got %q, want none", got[0].Snippet)
	}
	if len(rec.paths) != 0 {
		t.Errorf("files read: got %v, want none", rec.paths)
	}
	if strings.Contains(got[0].Fingerprint, l.Secret) || got[0].Fingerprint == "" {
		t.Errorf("fingerprint: got %q", got[0].Fingerprint)
	}
}

func hasNote(notes []Note, part string) bool {
	for _, n := range notes {
		if strings.Contains(n.Message, part) {
			return true
		}
	}
	return false
}

// TestReadRechecksSymlinks: a path that was placed before a symlink appeared (or
// was swapped) is checked again just before reading, and nothing outside is read.
func TestReadRechecksSymlinks(t *testing.T) {
	root, outside := realTempDir(t), realTempDir(t)
	writeFile(t, outside, "secret.txt", "password=hunter2\n")
	writeFile(t, root, "ok.txt", "fine\n")
	mustSymlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(root, "swapped"))

	res, err := newResolver(root)
	if err != nil {
		t.Fatalf("resolver: %v", err)
	}
	rec := &recordingReader{}
	s := &snippets{res: res, readFile: rec.read}

	tests := []struct{ rel, skip string }{
		{"swapped", "swapped resolves outside the repository"},
		{"ok.txt", ""},
	}
	for _, tt := range tests {
		t.Run(tt.rel, func(t *testing.T) {
			src := s.read(tt.rel)
			if src.skip != tt.skip {
				t.Errorf("skip: got %q, want %q", src.skip, tt.skip)
			}
		})
	}
	if rec.count("/secret.txt") != 0 || rec.count("/swapped") != 0 {
		t.Errorf("files read: got %v, want only ok.txt", rec.paths)
	}
}

// TestSnippetInjectedReader: with ReadFile injected, nothing needs to be on disk;
// the reader gets absolute paths inside the root and nothing else.
func TestSnippetInjectedReader(t *testing.T) {
	root := filepath.Join(realTempDir(t), "not-created")
	files := map[string]string{
		filepath.Join(root, "src", "a b.py"): "import os\nos.system(x)\n",
	}
	var asked []string
	read := func(p string) ([]byte, error) {
		asked = append(asked, p)
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}

	got, notes := Apply(Options{Root: root, ReadFile: read}, []Input{{Findings: []finding.Finding{
		at("bandit", "B605", "src/a%20b.py", 2, 2),
		at("bandit", "B605", "missing.py", 1, 1),
		at("bandit", "B605", "../elsewhere.py", 1, 1),
	}}})

	want := map[string]string{"src/a b.py": "os.system(x)", "missing.py": "", "": ""}
	for _, f := range got {
		if f.Snippet != want[f.Location.Path] {
			t.Errorf("snippet of %q: got %q, want %q", f.Location.Path, f.Snippet, want[f.Location.Path])
		}
	}
	for _, p := range asked {
		if !strings.HasPrefix(p, root+string(filepath.Separator)) {
			t.Errorf("reader asked for %q, outside %q", p, root)
		}
	}
	if len(asked) != 2 || len(notes) != 1 {
		t.Errorf("reads %v and notes %v: want 2 reads and 1 note (the refused path)", asked, notes)
	}
}
