package sarif

import (
	"cmp"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/sariflog"
	"github.com/secgate/secgate/scanners"
)

// importGlobs runs the adapter in import mode on the given globs.
func importGlobs(t *testing.T, globs ...string) (*scanners.Result, error) {
	t.Helper()
	req := scanners.Request{Settings: config.Scanner{Name: "imported", Type: "sarif", Files: globs}}
	return New().Run(context.Background(), req)
}

// wantTool is a tool of one run: its lowercase name, its version and how many
// findings it has. The counts are those of /work/shared/fixtures/EXPECTED.md.
type wantTool struct {
	name     string
	version  string
	findings int
}

func TestImportFixtures(t *testing.T) {
	tests := []struct {
		file  string
		tool  wantTool
		extra []wantTool // further runs in the same file
		rules int        // distinct rule ids over all findings
	}{
		// gitleaks 7 writes no ruleId; the reader takes the rule from the
		// message, which names two rules, where EXPECTED.md counts none.
		{"gitleaks/sarif/defectdojo-v7.4.0.sarif",
			wantTool{"gitleaks", "v7.4.0", 8}, nil, 2},
		{"gitleaks/sarif/gitleaks-testdata-simple.sarif",
			wantTool{"gitleaks", "v8.0.0", 1}, nil, 1},
		{"gosec/sarif/gh-app-auth-dev.sarif",
			wantTool{"gosec", "dev", 7}, nil, 3},
		{"trivy/sarif/ortelius-ms-validate-user.sarif",
			wantTool{"trivy", "0.37.1", 21}, nil, 14},
		{"trivy/sarif/trivy-golden-alpine-310.sarif",
			wantTool{"trivy", "dev", 4}, nil, 2},
		{"checkov/sarif/sast-tool-testing-2.0.418.sarif",
			wantTool{"checkov", "2.0.418", 20}, nil, 6},
		{"bandit/sarif/open-hostfactory-1.8.6.sarif",
			wantTool{"bandit", "1.8.6", 3}, nil, 2},
		{"codeql/sarif/codeql-action-testdata-two-runs.sarif",
			wantTool{"lgtm.com", "1.24.0-SNAPSHOT", 1},
			[]wantTool{{"codeql command-line toolchain", "2.0.0", 2}}, 2},
		{"eslint/sarif/iframe-resizer-8.56.0-file-uris.sarif",
			wantTool{"eslint", "8.56.0", 12}, nil, 6},
		{"semgrep/sarif/semgrep-e2e-when-errors.sarif",
			wantTool{"semgrep oss", "placeholder", 0}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := importGlobs(t, fixture(t, tt.file))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}

			want := append([]wantTool{tt.tool}, tt.extra...)
			if got := toolNames(res); !slices.Equal(got, names(want)) {
				t.Errorf("tools: got %q, want %q", got, names(want))
			}
			if len(res.Findings) != total(want) {
				t.Errorf("findings: got %d, want %d", len(res.Findings), total(want))
			}
			for _, w := range want {
				if n := countTool(res.Findings, w.name); n != w.findings {
					t.Errorf("findings of %s: got %d, want %d", w.name, n, w.findings)
				}
			}
			if res.Tool.Version != tt.tool.version {
				t.Errorf("version: got %q, want %q", res.Tool.Version, tt.tool.version)
			}
			for i, w := range tt.extra {
				if i < len(res.Tools) && res.Tools[i].Version != w.version {
					t.Errorf("version of %s: got %q, want %q",
						w.name, res.Tools[i].Version, w.version)
				}
			}
			if got := distinctRules(res.Findings); got != tt.rules {
				t.Errorf("distinct rules: got %d, want %d", got, tt.rules)
			}
			if !filepath.IsAbs(res.BaseDir) {
				t.Errorf("BaseDir %q is not absolute", res.BaseDir)
			}
		})
	}
}

func TestImportKeepsToolFacts(t *testing.T) {
	t.Run("eslint file URIs and in-source suppressions", func(t *testing.T) {
		res, err := importGlobs(t, fixture(t, "eslint/sarif/iframe-resizer-8.56.0-file-uris.sarif"))
		if err != nil {
			t.Fatalf("Run: %v", err)
		}

		// Every result was disabled with an eslint-disable comment; the
		// adapter reports that and leaves the decision to the policy.
		for i, f := range res.Findings {
			if len(f.Suppressions) != 1 || f.Suppressions[0].Kind != "inSource" {
				t.Errorf("finding %d: suppressions %+v, want one inSource", i, f.Suppressions)
			}
			p := f.Location.Path
			if !strings.HasPrefix(p, "/") || strings.Contains(p, "file:") {
				t.Errorf("finding %d: path %q, want the file URI as an absolute path", i, p)
			}
		}
	})

	t.Run("error notification of a successful run is a note", func(t *testing.T) {
		res, err := importGlobs(t, fixture(t, "semgrep/sarif/semgrep-e2e-when-errors.sarif"))
		if err != nil {
			t.Fatalf("Run: %v", err)
		}

		want := []string{"File not found: targets/basic/inexistent.py"}
		if !slices.Equal(res.Stats.Notes, want) {
			t.Errorf("notes: got %q, want %q", res.Stats.Notes, want)
		}
	})
}

func TestImportMergesFiles(t *testing.T) {
	gosec := fixture(t, "gosec/sarif/gh-app-auth-dev.sarif")
	gitleaksDir := filepath.Dir(fixture(t, "gitleaks/sarif/gitleaks-testdata-simple.sarif"))
	gitleaks := filepath.Join(gitleaksDir, "*.sarif")

	res, err := importGlobs(t, gosec, gitleaks)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	// One gosec file, then two gitleaks files matched by one glob.
	wantNames := []string{"gosec", "gitleaks", "gitleaks"}
	if got := toolNames(res); !slices.Equal(got, wantNames) {
		t.Errorf("tools: got %q, want %q", got, wantNames)
	}
	if got, want := len(res.Findings), 7+8+1; got != want {
		t.Errorf("findings: got %d, want %d", got, want)
	}
	if got, want := countTool(res.Findings, "gitleaks"), 8+1; got != want {
		t.Errorf("gitleaks findings: got %d, want %d", got, want)
	}
}

func TestImportErrors(t *testing.T) {
	spotbugs := fixture(t, "sarif/sarif/defectdojo-spotbugs-4.4.0.sarif")
	tests := []struct {
		name  string
		globs []string
		want  []string // substrings of the error
	}{
		{"glob matching nothing", []string{filepath.Join(t.TempDir(), "*.sarif")},
			[]string{"*.sarif", "no file matches"}},
		{"one of two globs matching nothing",
			[]string{fixture(t, "gosec/sarif/gh-app-auth-dev.sarif"), "no-such-dir/**/*.sarif"},
			[]string{"no-such-dir/**/*.sarif", "no file matches"}},
		{"malformed glob", []string{"reports/[.sarif"}, []string{"reports/[.sarif"}},
		{"nothing configured", nil, []string{"nothing to import"}},
		// SpotBugs says executionSuccessful false: its 56 results cannot be
		// trusted to be all there are.
		{"run that did not succeed", []string{spotbugs},
			[]string{spotbugs, "SpotBugs", "did not run successfully", "Classes needed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := importGlobs(t, tt.globs...)
			if err == nil {
				t.Fatalf("Run: got %d findings and no error, want an error", len(res.Findings))
			}
			if res != nil {
				t.Errorf("Run returned a result with its error: %+v", res)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	gosec := string(readFixture(t, "gosec/sarif/gh-app-auth-dev.sarif"))
	tests := []struct {
		name string
		doc  string
	}{
		{"empty", ""},
		{"white space only", " \n\t\n"},
		{"truncated", gosec[:len(gosec)/2]},
		{"not JSON", "panic: runtime error: index out of range\n"},
		{"JSON but not SARIF", `{"results": []}`},
		{"top-level array", `[{"version": "2.1.0", "runs": []}]`},
		{"wrong SARIF version", strings.Replace(gosec, `"2.1.0"`, `"2.0.0"`, 1)},
		{"runs null", `{"version": "2.1.0", "runs": null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const source = "reports/broken-input.sarif"
			res, err := Parse(strings.NewReader(tt.doc), source)
			if err == nil {
				t.Fatalf("Parse: got %d findings and no error, want an error", len(res.Findings))
			}
			if res != nil {
				t.Errorf("Parse returned a result with its error: %+v", res)
			}
			if !strings.Contains(err.Error(), source) {
				t.Errorf("error %q does not name the source %q", err, source)
			}
			var serr *sariflog.Error
			if !errors.As(err, &serr) {
				t.Errorf("error %T is not a *sariflog.Error", err)
			}
		})
	}
}

func TestParseFixture(t *testing.T) {
	data := readFixture(t, "gosec/sarif/gh-app-auth-dev.sarif")

	res, err := Parse(strings.NewReader(string(data)), "gosec.sarif")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	if res.Tool.Name != "gosec" || len(res.Findings) != 7 {
		t.Errorf("got tool %q with %d findings, want gosec with 7",
			res.Tool.Name, len(res.Findings))
	}
	// secgate convert reads paths relative to where it was started.
	cwd, _ := filepath.Abs(".")
	if res.BaseDir != cwd {
		t.Errorf("BaseDir: got %q, want the working directory %q", res.BaseDir, cwd)
	}
}

func TestParseSourceRoots(t *testing.T) {
	cwd, _ := filepath.Abs(".")
	other := filepath.Join(t.TempDir(), "other repo")
	tests := []struct {
		name    string
		srcroot string // the %SRCROOT% directory the run names
		uri     string // the result's uri, relative to %SRCROOT%
		path    string // the finding's path, as the adapter reports it
		file    string // the file it names, once the normalizer has decoded it
	}{
		{"no root given stays relative", "", "src/app.go", "src/app.go", "src/app.go"},
		{"root that is the base stays relative", cwd, "src/app.go", "src/app.go", "src/app.go"},
		// Runs in one file need not share a root, so a run rooted elsewhere
		// gets file URIs under its own directory.
		{"root elsewhere becomes a file URI", other, "src/app.go",
			"file://" + escapeSpaces(other) + "/src/app.go", "src/app.go"},
		// The file is named "100%41 b.txt": the URI must be escaped as a
		// whole, or the normalizer's one decoding turns "%41" into "A".
		{"names with escapes survive", other, "100%2541%20b.txt",
			"file://" + escapeSpaces(other) + "/100%2541%20b.txt", "100%41 b.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(logWithRoot(tt.srcroot, tt.uri)), "roots.sarif")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(res.Findings) != 1 {
				t.Fatalf("findings: got %d, want 1", len(res.Findings))
			}

			got := res.Findings[0].Location.Path
			if got != tt.path {
				t.Errorf("path: got %q, want %q", got, tt.path)
			}
			root := cmp.Or(tt.srcroot, cwd)
			rel, err := normalize.RelPath(root, res.BaseDir, got)
			if err != nil || rel != tt.file {
				t.Errorf("RelPath(%q): got %q, %v, want %q", got, rel, err, tt.file)
			}
		})
	}
}

// logWithRoot is a one-result log whose run names srcroot as %SRCROOT%.
func logWithRoot(srcroot, uri string) string {
	bases := ""
	if srcroot != "" {
		bases = `"originalUriBaseIds": {"%SRCROOT%": {"uri": "file://` +
			escapeSpaces(srcroot) + `/"}},`
	}
	return `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "demo"}}, ` + bases +
		`"results": [{"ruleId": "r1", "message": {"text": "m"}, "locations": [` +
		`{"physicalLocation": {"artifactLocation": {"uri": "` + uri +
		`", "uriBaseId": "%SRCROOT%"}}}]}]}]}`
}

func escapeSpaces(p string) string { return strings.ReplaceAll(p, " ", "%20") }

func toolNames(res *scanners.Result) []string {
	out := []string{res.Tool.Name}
	for _, t := range res.Tools {
		out = append(out, t.Name)
	}
	return out
}

func names(tools []wantTool) []string {
	var out []string
	for _, t := range tools {
		out = append(out, t.name)
	}
	return out
}

func total(tools []wantTool) int {
	n := 0
	for _, t := range tools {
		n += t.findings
	}
	return n
}

func countTool(fs []finding.Finding, tool string) int {
	n := 0
	for _, f := range fs {
		if f.Tool == tool {
			n++
		}
	}
	return n
}

func distinctRules(fs []finding.Finding) int {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Rule.ID] = true
	}
	return len(seen)
}
