package normalize

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// TestRelPathEscapes covers further spellings of a location outside the
// repository: encoded separators, backslash traversal, Windows drive paths
// on a POSIX root, and file URIs that climb out of the root.
func TestRelPathEscapes(t *testing.T) {
	root := realTempDir(t)
	tests := []struct {
		name, uri string
		want      error
	}{
		{"encoded slash traversal", "..%2f..%2fetc%2fpasswd", ErrOutside},
		{"encoded backslash traversal", "..%5c..%5cetc%5cpasswd", ErrOutside},
		{"backslash traversal", `..\..\etc\passwd`, ErrOutside},
		{"mixed traversal", `src/..\..\x.go`, ErrOutside},
		{"windows drive path", `C:\Windows\win.ini`, ErrOutside},
		{"windows drive slashes", "C:/Windows/win.ini", ErrOutside},
		{"file uri climbing out", "file://" + root + "/../x.go", ErrOutside},
		{"file uri encoded climb", "file://" + root + "/%2e%2e/x.go", ErrOutside},
		{"file uri four slashes", "file:////etc/passwd", ErrOutside},
		{"file uri other host", "file://evil.example/etc/passwd", ErrOutside},
		{"double encoded parent", "%252e%252e/x.go", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(root, "", tt.uri)
			if !errors.Is(err, tt.want) {
				t.Fatalf("RelPath(%q): got %q, %v; want error %v", tt.uri, got, err, tt.want)
			}
			if tt.want == nil && (got == "" || filepath.IsAbs(got) || got[:2] == "..") {
				t.Errorf("RelPath(%q): got %q, want a path inside the root", tt.uri, got)
			}
		})
	}
}

// TestRelPathSymlinkChains: links that lead out only through another link, or
// to the file system root, are refused like a direct link out.
func TestRelPathSymlinkChains(t *testing.T) {
	root, outside := realTempDir(t), realTempDir(t)
	writeFile(t, outside, "secret.txt", "password=hunter2\n")
	writeFile(t, root, "src/x.go", "package x\n")
	mustSymlink(t, outside, filepath.Join(root, "hop2"))
	mustSymlink(t, "hop2", filepath.Join(root, "hop1"))
	mustSymlink(t, "/", filepath.Join(root, "fsroot"))
	mustSymlink(t, "..", filepath.Join(root, "up"))
	mustSymlink(t, "../../..", filepath.Join(root, "src", "deep"))
	mustSymlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(root, "src", "x2.go"))

	tests := []struct{ name, uri string }{
		{"chain of links out", "hop1/secret.txt"},
		{"link to the file system root", "fsroot/etc/passwd"},
		{"link to the parent", "up/" + filepath.Base(outside) + "/secret.txt"},
		{"nested relative link out", "src/deep/etc/passwd"},
		{"file link out in a subdirectory", "src/x2.go"},
		{"file uri through a link", "file://" + root + "/hop1/secret.txt"},
		{"absolute through a link", root + "/fsroot/etc/passwd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(root, "", tt.uri)
			if !errors.Is(err, ErrOutside) {
				t.Errorf("RelPath(%q): got %q, %v; want %v", tt.uri, got, err, ErrOutside)
			}
		})
	}
}

// TestSnippetNeverFollowsEscapes: none of the escaping locations above leads
// the normalizer to read a file, and each keeps its text as a logical location.
func TestSnippetNeverFollowsEscapes(t *testing.T) {
	root, outside := realTempDir(t), realTempDir(t)
	writeFile(t, outside, "secret.txt", "password=hunter2\n")
	mustSymlink(t, outside, filepath.Join(root, "hop2"))
	mustSymlink(t, "hop2", filepath.Join(root, "hop1"))
	mustSymlink(t, "/", filepath.Join(root, "fsroot"))

	for _, path := range []string{
		"hop1/secret.txt",
		"fsroot/etc/passwd",
		"..%2f" + filepath.Base(outside) + "%2fsecret.txt",
		`..\` + filepath.Base(outside) + `\secret.txt`,
		`C:\Windows\win.ini`,
		"file://" + root + "/../" + filepath.Base(outside) + "/secret.txt",
	} {
		t.Run(path, func(t *testing.T) {
			rec := &recordingReader{}
			in := at("semgrep", "r", path, 1, 1)
			got, _ := Apply(Options{Root: root, ReadFile: rec.read},
				[]Input{{Findings: []finding.Finding{in}}})

			if len(rec.paths) != 0 {
				t.Errorf("files read: got %v, want none", rec.paths)
			}
			if f := got[0]; f.Location.Path != "" || f.Snippet != "" || f.Location.Logical != path {
				t.Errorf("location: got path %q logical %q snippet %q; want logical %q only",
					f.Location.Path, f.Location.Logical, f.Snippet, path)
			}
		})
	}
}
