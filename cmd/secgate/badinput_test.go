package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// badFormat is one input format with a real report to spoil, and how to make
// a version of it that the parser must refuse ("" when the format has none).
type badFormat struct {
	format, fixture string
	oldVersion      string // a literal in the fixture that states its version
	newVersion      string // what to put there instead
}

var badFormats = []badFormat{
	{"sarif", "sarif/sarif/defectdojo-njsscan.sarif", `"version": "2.1.0"`, `"version": "1.0.0"`},
	{"semgrep-json", "semgrep/json/defectdojo-v1.30.0.json", "", ""},
	{"semgrep-sarif", "semgrep/sarif/semgrep-e2e-with-source.sarif",
		`"version": "2.1.0"`, `"version": "2.0.0"`},
	{"snyk-json", "snyk/json/snyk-cli-npm-multi-project.json", "", ""},
	{"snyk-sarif", "snyk/sarif/snyk-fixtures-npm-two-vuln-deps.sarif",
		`"version": "2.1.0"`, `"version": "1.0.0"`},
	{"snyk-code-sarif", "snyk-code/sarif/snyk-cli-sast-sample.sarif",
		`"version": "2.1.0"`, `"version": "1.0.0"`},
	{"zap-json", "zap/json/bcgov-pipeline-templates-2.14.0.json", "", ""},
	{"zap-xml", "zap/xml/defectdojo-some-2.9.0.xml", "", ""},
	{"cyclonedx-json", "cyclonedx/json/hookz-syft-1.4.json",
		`"specVersion": "1.4"`, `"specVersion": "9.9"`},
	{"cyclonedx-xml", "cyclonedx/xml/defectdojo-jake-1.1.xml",
		"http://cyclonedx.org/schema/bom/1.1", "http://cyclonedx.org/schema/bom/9.9"},
	{"spdx-json", "spdx/json/hookz-syft-2.2.json", `"SPDX-2.2"`, `"SPDX-9.9"`},
	{"syft-json", "syft/json/hookz-schema-3.3.1.json", `"version": "3.3.1"`, `"version": "99.0.0"`},
	{"grype-json", "grype/json/defectdojo-fix-available.json", "", ""},
}

// badKind is one way of spoiling a report, with what the error must say.
type badKind struct {
	name string
	make func(t *testing.T, f badFormat, good []byte) []byte
	// want matches the message after the file name; at names a position.
	want *regexp.Regexp
}

var badKinds = []badKind{
	{"empty", func(*testing.T, badFormat, []byte) []byte { return nil },
		regexp.MustCompile(`(?i)empty`)},
	{"truncated", func(_ *testing.T, _ badFormat, good []byte) []byte { return good[:len(good)/2] },
		regexp.MustCompile(`:\d+(:\d+)?:|line \d+`)},
	{"malformed", func(_ *testing.T, f badFormat, good []byte) []byte {
		i := bytes.IndexAny(good[1:], "{<") + 1
		return append(append(append([]byte{}, good[:i]...), "}}<<>>,,"...), good[i:]...)
	}, regexp.MustCompile(`:\d+(:\d+)?:|line \d+`)},
	{"wrong format", func(t *testing.T, f badFormat, _ []byte) []byte {
		other := "zap/json/bcgov-pipeline-templates-2.14.0.json"
		if strings.HasPrefix(f.format, "zap") {
			other = "semgrep/json/defectdojo-v1.30.0.json"
		}
		return fixtureBytes(t, other)
	}, regexp.MustCompile(`(?i)expected|not a|unknown format|supported|no "`)},
	{"non-UTF-8", func(t *testing.T, f badFormat, good []byte) []byte {
		return injectLatin1(t, f, good)
	}, regexp.MustCompile(`(:\d+(:\d+)?: |line \d+).*(?i:utf-8)`)},
}

// TestBadInputUndecided spoils a real report of every format in every way,
// and checks that convert (told the format, and guessing it) and, for SARIF
// formats, evaluate refuse it with exit code 2 and an error naming the file,
// where it went wrong and what was expected. A gate that passed any of them
// would let a broken scan through as a clean one.
func TestBadInputUndecided(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secgate.yaml"), "fail_on: high\n")

	for _, f := range badFormats {
		good := fixtureBytes(t, f.fixture)
		kinds := append([]badKind{}, badKinds...)
		if f.oldVersion != "" {
			kinds = append(kinds, wrongVersion(f))
		}
		for _, k := range kinds {
			t.Run(f.format+"/"+k.name, func(t *testing.T) {
				name := strings.NewReplacer(" ", "-", "/", "-").Replace(f.format+"-"+k.name) +
					filepath.Ext(f.fixture)
				writeFile(t, filepath.Join(dir, name), string(k.make(t, f, good)))

				checkUndecided(t, secgate(t, dir, nil, "convert", "--from", f.format, name),
					name, k.want)
				if strings.HasSuffix(f.format, "sarif") {
					checkUndecided(t, secgate(t, dir, nil, "evaluate", name), name, k.want)
				}
				// Guessing the format must refuse it too, in its own words; a
				// report of another format is read as what it is.
				if k.name != "wrong format" {
					checkUndecided(t, secgate(t, dir, nil, "convert", name), name, nil)
				}
			})
		}
	}
}

func wrongVersion(f badFormat) badKind {
	return badKind{"wrong version", func(t *testing.T, f badFormat, good []byte) []byte {
		if !bytes.Contains(good, []byte(f.oldVersion)) {
			t.Fatalf("fixture %s does not contain %s", f.fixture, f.oldVersion)
		}
		return bytes.Replace(good, []byte(f.oldVersion), []byte(f.newVersion), 1)
	}, regexp.MustCompile(`(?i)version|namespace|unknown format`)}
}

// TestOversizedInputRefused: a report over the size limit, set by flag or by
// the config's limits.max_report_bytes, is refused before it is decoded.
func TestOversizedInputRefused(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secgate.yaml"), "fail_on: high\n")
	writeFile(t, filepath.Join(dir, "small.yaml"), "limits: {max_report_bytes: 1KiB}\n")
	for _, f := range badFormats {
		name := f.format + filepath.Ext(f.fixture)
		writeFile(t, filepath.Join(dir, name), string(fixtureBytes(t, f.fixture)))
	}
	want := regexp.MustCompile(`larger than the report size limit of 1024 bytes`)

	for _, f := range badFormats {
		name := f.format + filepath.Ext(f.fixture)
		t.Run(f.format, func(t *testing.T) {
			checkUndecided(t, secgate(t, dir, nil, "convert", "--max-report-bytes", "1KiB",
				"--from", f.format, name), name, want)
			checkUndecided(t, secgate(t, dir, nil, "convert", "--config", "small.yaml", name),
				name, want)
			if strings.HasSuffix(f.format, "sarif") {
				checkUndecided(t, secgate(t, dir, nil, "evaluate", "--config", "small.yaml",
					name), name, want)
			}
		})
	}

	t.Run("default limit accepts real reports", func(t *testing.T) {
		res := secgate(t, dir, nil, "convert", "--from", "sarif", "sarif.sarif")
		if res.code != 0 {
			t.Errorf("exit code: got %d, want 0\nstderr:\n%s", res.code, res.stderr)
		}
	})
	t.Run("bad flag value", func(t *testing.T) {
		res := secgate(t, dir, nil, "convert", "--max-report-bytes", "10MB", "sarif.sarif")
		if res.code != 2 || !strings.Contains(res.stderr, "--max-report-bytes") {
			t.Errorf("got exit %d, stderr %q; want 2 naming the flag", res.code, res.stderr)
		}
	})
}

// checkUndecided checks exit code 2 and an error that names the file and,
// when want is given, matches it after the file name.
func checkUndecided(t *testing.T, res result, name string, want *regexp.Regexp) {
	t.Helper()
	if res.code != 2 {
		t.Errorf("exit code: got %d, want 2\nstderr:\n%s", res.code, res.stderr)
		return
	}
	_, after, ok := strings.Cut(res.stderr, name)
	if !ok {
		t.Errorf("stderr does not name %s:\n%s", name, res.stderr)
		return
	}
	if want != nil && !want.MatchString(after) {
		t.Errorf("stderr does not match %q after the file name:\n%s", want, res.stderr)
	}
}

func fixtureBytes(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.Fixture(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// injectLatin1 puts a Latin-1 "é" inside the first string value (JSON) or
// the first text after the root element (XML), where a lenient decoder would
// take it without a word.
func injectLatin1(t *testing.T, f badFormat, good []byte) []byte {
	t.Helper()
	mark, skip := []byte(`": "`), 4
	if filepath.Ext(f.fixture) == ".xml" {
		mark, skip = []byte("<name>"), 6
	}
	i := bytes.Index(good, mark)
	if i < 0 {
		mark, skip = []byte(`":"`), 3
		if i = bytes.Index(good, mark); i < 0 {
			t.Fatalf("no place for a Latin-1 byte in %s", f.fixture)
		}
	}
	i += skip
	return append(append(append([]byte{}, good[:i]...), "caf\xe9 "...), good[i:]...)
}
