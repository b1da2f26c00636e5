package lock

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tool copies a real program (the system's true) into a temp directory, so
// the tests can change it as an attacker replacing a scanner would.
func tool(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("/bin/true")
	if err != nil {
		t.Skip("no /bin/true to copy")
	}
	p := filepath.Join(t.TempDir(), "scanner")
	if err := os.WriteFile(p, src, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerify(t *testing.T) {
	bin := tool(t)
	link := filepath.Join(t.TempDir(), "scanner-link")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	sum, err := Sum(bin)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), DefaultPath)
	if err := Write(path, &File{Scanners: []Entry{
		{Scanner: "semgrep", Type: "semgrep", Path: bin, Version: "1.0", SHA256: sum}}}); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, scanner, program string
		tamper                 bool
		want                   []string // in the error; none means no error
	}{
		{name: "pinned", scanner: "semgrep", program: bin},
		{name: "pinned through a symlink", scanner: "semgrep", program: link},
		{name: "not a file (a daemon URL)", scanner: "zap", program: "http://127.0.0.1:8080"},
		{name: "runs inside secgate", scanner: "sbom", program: ""},
		{name: "not in the lock", scanner: "other", program: bin,
			want: []string{"scanner other runs", "does not list", "sha256 " + sum}},
		{name: "replaced binary", scanner: "semgrep", program: bin, tamper: true,
			want: []string{"scanner semgrep", "secgate.lock expects " + sum, "version 1.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.tamper {
				appendTo(t, bin, "\x00tampered")
			}
			err := f.Verify(tt.scanner, tt.program)
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Verify: got %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrUnpinned) {
				t.Fatalf("Verify: got %v, want ErrUnpinned", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.tamper {
				found, _ := Sum(bin)
				if !strings.Contains(err.Error(), "sha256 "+found) {
					t.Errorf("error %q does not give the found sum %s", err, found)
				}
			}
		})
	}
}

func TestRead(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"not JSON", "scanners: []", "not a secgate lock file"},
		{"unknown key", `{"version":1,"scanners":[],"extra":1}`, "unknown field"},
		{"future format", `{"version":2,"scanners":[]}`, "lock format version 2"},
		{"short sum", `{"version":1,"scanners":[{"scanner":"a","sha256":"ab"}]}`,
			"scanners[0]: expected a scanner name and a 64-digit sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), DefaultPath)
			if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), p) {
				t.Errorf("Read: got %v, want an error naming the file and %q", err, tt.want)
			}
		})
	}

	_, err := Read(filepath.Join(t.TempDir(), "none.lock"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing lock: got %v, want os.ErrNotExist", err)
	}
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
