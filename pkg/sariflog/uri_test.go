package sariflog

import "testing"

func TestEncodePath(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"plain", "src/main.go", "src/main.go"},
		{"space", "src/Access Tokens/main.tf", "src/Access%20Tokens/main.tf"},
		{"hash", "docs/a#b.md", "docs/a%23b.md"},
		{"percent", "reports/100% done.yaml", "reports/100%25%20done.yaml"},
		{"literal escape", "a%20b.txt", "a%2520b.txt"},
		{"colon in first segment", "c:d/e", "c%3Ad/e"},
		{"question mark and plus", "q?/a+b", "q%3F/a%2Bb"},
		{"non-ASCII", "café/€.txt", "caf%C3%A9/%E2%82%AC.txt"},
		{"kept sub-delimiters", "a(1)/b@c,d=e;f!g$h&i'j*k~l", "a(1)/b@c,d=e;f!g$h&i'j*k~l"},
		{"brackets", "x[0].go", "x%5B0%5D.go"},
		{"backslash in a POSIX name", `a\b`, "a%5Cb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := encodePath(tc.path)
			if got != tc.want {
				t.Errorf("encodePath(%q): got %q, want %q", tc.path, got, tc.want)
			}
			back, ok := fileFromURI(got)
			if !ok || back != tc.path {
				t.Errorf("decode of %q: got %q (file %v), want %q", got, back, ok, tc.path)
			}
		})
	}
}

func TestDirURI(t *testing.T) {
	tests := []struct {
		name, dir, want string
	}{
		{"posix", "/home/ci/repo", "file:///home/ci/repo/"},
		{"trailing slash", "/home/ci/repo/", "file:///home/ci/repo/"},
		{"space", "/home/ci/my repo", "file:///home/ci/my%20repo/"},
		{"root", "/", "file:///"},
		{"windows", `C:\work\repo`, "file:///C:/work/repo/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := dirURI(tc.dir); got != tc.want {
				t.Errorf("dirURI(%q): got %q, want %q", tc.dir, got, tc.want)
			}
		})
	}
}

func TestFileFromURI(t *testing.T) {
	tests := []struct {
		name, uri, want string
		file            bool
	}{
		{"relative", "a/b.go", "a/b.go", true},
		{"localhost", "file://localhost/etc/x", "/etc/x", true},
		{"single slash", "file:/etc/x", "/etc/x", true},
		{"upper-case scheme", "FILE:///etc/x", "/etc/x", true},
		{"lower-case drive", "file:///c:/x", "c:/x", true},
		{"trailing percent", "a%", "a%", true},
		{"invalid UTF-8 escape kept", "a%FF.txt", "a%FF.txt", true},
		{"http", "http://h/p", "", false},
		{"mailto", "mailto:a@b", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := fileFromURI(tc.uri)
			if got != tc.want || ok != tc.file {
				t.Errorf("fileFromURI(%q): got %q %v, want %q %v", tc.uri, got, ok, tc.want, tc.file)
			}
		})
	}
}
