package normalize

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// TestRelPathForms covers every way tools write a location, against a root on
// disk that holds no files, so the answers are lexical.
func TestRelPathForms(t *testing.T) {
	root := realTempDir(t)
	web := filepath.Join(root, "web")

	tests := []struct {
		name, base, uri, want string
	}{
		// known-failures entry 5, one problem per line
		{"raw space", "", "src/Access Tokens/main.tf", "src/Access Tokens/main.tf"},
		{"encoded space", "", "src/Access%20Tokens/main.tf", "src/Access Tokens/main.tf"},
		{"raw hash", "", "docs/a#b.md", "docs/a#b.md"},
		{"encoded hash", "", "docs/a%23b.md", "docs/a#b.md"},
		{"invalid escape kept", "", "reports/100% done.yaml", "reports/100% done.yaml"},
		{"encoded percent", "", "reports/100%25%20done.yaml", "reports/100% done.yaml"},
		{"backslashes", "", `src\win\Path.cs`, "src/win/Path.cs"},
		{"decoded once only", "", "a%2520b.txt", "a%20b.txt"},
		{"escape of invalid utf8 kept", "", "x/100%de.txt", "x/100%de.txt"},

		{"file uri", "", "file://" + root + "/app/x.go", "app/x.go"},
		{"file uri upper scheme", "", "FILE://" + root + "/x.go", "x.go"},
		{"file uri localhost", "", "file://localhost" + root + "/x.go", "x.go"},
		{"file uri one slash", "", "file:" + root + "/x.go", "x.go"},
		{"file uri encoded", "", "file://" + root + "/My%20Docs/a%23b.md", "My Docs/a#b.md"},
		{"file uri raw space", "", "file://" + root + "/My Docs/x.go", "My Docs/x.go"},
		{"absolute", "", root + "/pkg/x.go", "pkg/x.go"},
		{"absolute unclean", "", root + "/pkg/../cmd/./x.go", "cmd/x.go"},
		{"dot slash", "", "./a/../b/c.go", "b/c.go"},
		{"trailing slash", "", "src/", "src"},
		{"unicode raw", "", "src/été/ß.py", "src/été/ß.py"},
		{"unicode encoded", "", "src/%C3%A9t%C3%A9/%C3%9F.py", "src/été/ß.py"},
		{"colon in name", "", "a:b.txt", "a:b.txt"},

		{"relative to base", web, "src/app.js", "web/src/app.js"},
		{"relative base dir", "web", "src/app.js", "web/src/app.js"},
		{"up from base", web, "../api/x.go", "api/x.go"},
		{"absolute ignores base", web, root + "/api/x.go", "api/x.go"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(root, tt.base, tt.uri)
			if err != nil {
				t.Fatalf("RelPath(%q): %v", tt.uri, err)
			}
			if got != tt.want {
				t.Errorf("RelPath(%q): got %q, want %q", tt.uri, got, tt.want)
			}
		})
	}
}

// TestRelPathWindowsRoot runs the drive-letter forms against a Windows root; the
// resolver works on slash paths, so this runs on any OS.
func TestRelPathWindowsRoot(t *testing.T) {
	const root = `C:\work\app`
	tests := []struct {
		name, uri, want string
	}{
		{"drive as host", "file://C:/work/app/Program.cs", "Program.cs"},
		{"drive in path", "file:///C:/work/app/src/Program.cs", "src/Program.cs"},
		{"lower drive", "file:///c:/work/app/x.cs", "x.cs"},
		{"encoded colon", "file:///C%3A/work/app/x.cs", "x.cs"},
		{"old bar form", "file://c|/work/app/x.cs", "x.cs"},
		{"raw windows path", `C:\work\app\src\Main.cs`, "src/Main.cs"},
		{"slash drive path", "/C:/work/app/x.cs", "x.cs"},
		{"relative backslashes", `src\win\Path.cs`, "src/win/Path.cs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(root, "", tt.uri)
			if err != nil {
				t.Fatalf("RelPath(%q): %v", tt.uri, err)
			}
			if got != tt.want {
				t.Errorf("RelPath(%q): got %q, want %q", tt.uri, got, tt.want)
			}
		})
	}
}

// TestRelPathRefused covers locations that must not become repository paths.
func TestRelPathRefused(t *testing.T) {
	root := realTempDir(t)
	tests := []struct {
		name, root, base, uri string
		want                  error
	}{
		{"parent", root, "", "../etc/passwd", ErrOutside},
		{"parent after descent", root, "", "a/../../x", ErrOutside},
		{"encoded parent", root, "", "%2e%2e/%2e%2e/etc/passwd", ErrOutside},
		{"absolute elsewhere", root, "", "/etc/passwd", ErrOutside},
		{"sibling with root as prefix", root, "", root + "-other/x.go", ErrOutside},
		{"file uri elsewhere", root, "", "file:///etc/passwd", ErrOutside},
		{"drive on posix root", root, "", "file://C:/work/app/Program.cs", ErrOutside},
		{"other host", root, "", "file://server/share/x.go", ErrOutside},
		{"unc path", root, "", `\\server\share\x.go`, ErrOutside},
		{"base outside", root, "/opt/tool", "x.go", ErrOutside},
		{"other drive", `C:\work\app`, "", "D:/work/app/x.cs", ErrOutside},
		{"http url", root, "", "https://example.com/login", ErrNotFile},
		{"empty", root, "", "", ErrNotFile},
		{"root itself", root, "", root, ErrNotFile},
		{"dot", root, "", ".", ErrNotFile},
		{"windows root itself", `C:\work\app`, "", "file:///C:/work/app/", ErrNotFile},
		{"nul byte", root, "", "a%00b.go", ErrNotFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(tt.root, tt.base, tt.uri)
			if !errors.Is(err, tt.want) {
				t.Fatalf("RelPath(%q): got %q, %v; want error %v", tt.uri, got, err, tt.want)
			}
			if tt.uri != "" && !strings.Contains(err.Error(), strconv.Quote(tt.uri)) {
				t.Errorf("error %q does not name the location %q", err, tt.uri)
			}
		})
	}
}

func TestRelPathBadRoot(t *testing.T) {
	for _, root := range []string{"", "relative/dir", `\\server\share`} {
		t.Run(root, func(t *testing.T) {
			if _, err := RelPath(root, "", "x.go"); err == nil {
				t.Errorf("RelPath with root %q: got no error, want one", root)
			}
		})
	}
}

// TestRelPathSymlinks builds a root with links that lead out of it and in it.
func TestRelPathSymlinks(t *testing.T) {
	root, outside := realTempDir(t), realTempDir(t)
	writeFile(t, outside, "secret.txt", "password=hunter2\n")
	writeFile(t, root, "src/x.go", "package x\n")
	mustSymlink(t, outside, filepath.Join(root, "linkdir"))
	mustSymlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(root, "passwd"))
	mustSymlink(t, filepath.Join(root, "src"), filepath.Join(root, "alias"))
	mustSymlink(t, "../"+filepath.Base(outside), filepath.Join(root, "rel"))
	mustSymlink(t, "loop", filepath.Join(root, "loop"))

	tests := []struct {
		name, uri, want string
		err             error
	}{
		{"dir link out", "linkdir/secret.txt", "", ErrOutside},
		{"missing file under dir link out", "linkdir/none.txt", "", ErrOutside},
		{"file link out", "passwd", "", ErrOutside},
		{"relative link out", "rel/secret.txt", "", ErrOutside},
		{"symlink loop not followed", "loop/x.go", "", ErrOutside},
		{"link inside keeps its name", "alias/x.go", "alias/x.go", nil},
		{"missing file inside", "src/gone.go", "src/gone.go", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(root, "", tt.uri)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("RelPath(%q): got %q, %v; want %q, %v", tt.uri, got, err, tt.want, tt.err)
			}
		})
	}
}

// TestRelPathSymlinkedRoot: a tool that reports the root's real path (as macOS
// does for /tmp) still lands in the repository.
func TestRelPathSymlinkedRoot(t *testing.T) {
	real := realTempDir(t)
	link := filepath.Join(realTempDir(t), "checkout")
	mustSymlink(t, real, link)
	writeFile(t, real, "a/b.go", "package a\n")

	tests := []struct{ name, uri string }{
		{"real path", real + "/a/b.go"},
		{"link path", link + "/a/b.go"},
		{"relative", "a/b.go"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(link, "", tt.uri)
			if err != nil || got != "a/b.go" {
				t.Errorf("RelPath(%q): got %q, %v; want a/b.go", tt.uri, got, err)
			}
		})
	}
}

// TestRelPathLiteralPercent: a file literally named "a%20b.txt" is found whether
// the tool wrote the name raw or encoded it; a decodable name that exists wins.
func TestRelPathLiteralPercent(t *testing.T) {
	root := realTempDir(t)
	writeFile(t, root, "lit/a%20b.txt", "x\n")
	writeFile(t, root, "both/a%20b.txt", "x\n")
	writeFile(t, root, "both/a b.txt", "x\n")

	tests := []struct{ name, uri, want string }{
		{"raw literal name", "lit/a%20b.txt", "lit/a%20b.txt"},
		{"encoded literal name", "lit/a%2520b.txt", "lit/a%20b.txt"},
		{"decoded name exists", "both/a%20b.txt", "both/a b.txt"},
		{"neither exists", "none/a%20b.txt", "none/a b.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RelPath(root, "", tt.uri)
			if err != nil || got != tt.want {
				t.Errorf("RelPath(%q): got %q, %v; want %q", tt.uri, got, err, tt.want)
			}
		})
	}
}

func TestEncodeURI(t *testing.T) {
	tests := []struct{ path, want string }{
		{"src/Access Tokens/main.tf", "src/Access%20Tokens/main.tf"},
		{"docs/a#b.md", "docs/a%23b.md"},
		{"reports/100% done.yaml", "reports/100%25%20done.yaml"},
		{"a%20b.txt", "a%2520b.txt"},
		{"C:x/y", "C%3Ax/y"},
		{"q?.go", "q%3F.go"},
		{"x+y.txt", "x%2By.txt"},
		{"é.txt", "%C3%A9.txt"},
		{"app/(group)/page.tsx", "app/(group)/page.tsx"},
		{"plain/file_name-1.2~x.go", "plain/file_name-1.2~x.go"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := EncodeURI(tt.path); got != tt.want {
				t.Errorf("EncodeURI(%q): got %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

// TestEncodeURIRoundTrip writes each awkward name to disk and reads it back
// through EncodeURI and RelPath, byte for byte.
func TestEncodeURIRoundTrip(t *testing.T) {
	root := realTempDir(t)
	names := []string{
		"a%20b.txt", "with space.go", "docs/a#b.md", "reports/100% done.yaml",
		"été/ß.py", "日本/語.go", "x+y.txt", "semi;colon=eq.txt", "q?mark.txt",
		"pct%zz.txt", "a%2Fb.txt", "[brackets].txt",
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			writeFile(t, root, name, "x\n")
			uri := EncodeURI(name)
			got, err := RelPath(root, "", uri)
			if err != nil || got != name {
				t.Errorf("RelPath(EncodeURI(%q) = %q): got %q, %v; want %q", name, uri, got, err, name)
			}
		})
	}
}

// TestRelPathFixtureURIs maps the absolute file:// URIs that real tools wrote onto
// the checkout each was run in, and refuses them for any other root.
func TestRelPathFixtureURIs(t *testing.T) {
	dir := testenv.FixturesDir(t)
	tests := []struct {
		file, root string
		count      int    // results in the file, from EXPECTED.md
		example    string // one path the file must map to
	}{
		{"eslint/sarif/iframe-resizer-8.56.0-file-uris.sarif",
			"/Users/user/dev/iframe-resizer", 12, "src/iframeResizer.js"},
		{"sarif/sarif/defectdojo-shiftleft-bash-file-uris.sarif",
			"/home/user/dd", 27, "docker/setEnv.sh"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			uris := resultURIs(t, filepath.Join(dir, filepath.FromSlash(tt.file)))
			if len(uris) != tt.count {
				t.Fatalf("result URIs: got %d, want %d", len(uris), tt.count)
			}

			found := false
			for _, uri := range uris {
				got, err := RelPath(tt.root, "", uri)
				if err != nil || strings.HasPrefix(got, "/") || strings.Contains(got, "..") {
					t.Errorf("RelPath(%q): got %q, %v; want a path inside", uri, got, err)
				}
				found = found || got == tt.example
				if _, err := RelPath("/srv/other", "", uri); !errors.Is(err, ErrOutside) {
					t.Errorf("RelPath(/srv/other, %q): got %v, want ErrOutside", uri, err)
				}
			}
			if !found {
				t.Errorf("no URI mapped to %q", tt.example)
			}
		})
	}
}

// resultURIs reads the artifact URIs of every result's physical locations.
func resultURIs(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}

	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}

	var uris []string
	for _, run := range log.Runs {
		for _, r := range run.Results {
			for _, l := range r.Locations {
				uris = append(uris, l.PhysicalLocation.ArtifactLocation.URI)
			}
		}
	}
	return uris
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unavailable here: %v", err)
	}
}
