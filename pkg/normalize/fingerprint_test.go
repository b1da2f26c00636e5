package normalize

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// flagged is a source file with the lines three rules flag; two lines are the
// same text, so they differ only by their occurrence index.
var flagged = []string{
	"package app",
	"",
	"func run(cmd string) {",
	"	exec.Command(\"sh\", \"-c\", cmd).Run()",
	"	db.Query(\"SELECT * FROM t WHERE id=\" + id)",
	"	exec.Command(\"sh\", \"-c\", cmd).Run()",
	"}",
}

// scan returns the findings a tool would report on lines, with every flagged line
// found by text so that the test moves the findings with the code.
func scan(lines []string) []finding.Finding {
	var out []finding.Finding
	for i, l := range lines {
		switch {
		case strings.Contains(l, "exec.Command"):
			out = append(out, at("semgrep", "go.exec", "app/run.go", i+1, i+1))
		case strings.Contains(l, "db.Query"):
			out = append(out, at("semgrep", "go.sqli", "app/run.go", i+1, i+1))
		}
	}
	return out
}

// fingerprintsOf writes lines to a fresh root and returns rule@n -> fingerprint,
// where n counts the rule's findings in line order.
func fingerprintsOf(t *testing.T, lines []string) map[string]string {
	t.Helper()
	root := realTempDir(t)
	writeFile(t, root, "app/run.go", strings.Join(lines, "\n")+"\n")

	got, _ := Apply(Options{Root: root}, []Input{{Findings: scan(lines)}})
	out := make(map[string]string)
	seen := make(map[string]int)
	for _, f := range got {
		k := f.Rule.ID + "@" + strconv.Itoa(seen[f.Rule.ID])
		seen[f.Rule.ID]++
		out[k] = f.Fingerprint
	}
	return out
}

func TestFingerprintLineShift(t *testing.T) {
	before := fingerprintsOf(t, flagged)
	if len(before) != 3 {
		t.Fatalf("findings: got %d, want 3", len(before))
	}
	if before["go.exec@0"] == before["go.exec@1"] {
		t.Errorf("two identical lines: got one fingerprint %s, want two", before["go.exec@0"])
	}

	tests := []struct {
		name    string
		lines   []string
		changed []string // keys whose fingerprint must change; all others stay
	}{
		{"blank lines above", insert(flagged, 1, "", "", "", "", ""), nil},
		{"code above", insert(flagged, 2, "import \"os/exec\"", "// a comment"), nil},
		{"reindented", reindent(flagged), nil},
		{"lines below", append(append([]string{}, flagged...), "func more() {}", ""), nil},
		{"flagged line edited", replace(flagged, 4, "	db.Query(\"SELECT * FROM u WHERE id=\" + id)"),
			[]string{"go.sqli@0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := fingerprintsOf(t, tt.lines)
			for k, fp := range before {
				want := !slices.Contains(tt.changed, k)
				if (after[k] == fp) != want {
					t.Errorf("%s: before %s, after %s; want equal=%v", k, fp, after[k], want)
				}
			}
		})
	}
}

// TestFingerprintIndependence: nothing about the checkout, the clock or the tool
// version goes into a fingerprint, and each part that should count does.
func TestFingerprintIndependence(t *testing.T) {
	rootA, rootB := realTempDir(t), realTempDir(t)
	for _, r := range []string{rootA, rootB} {
		writeFile(t, r, "app/x.go", "a()\nb()\n")
	}
	base := at("semgrep", "r1", "app/x.go", 1, 1)
	fp := func(root string, f finding.Finding) string {
		t.Helper()
		got, _ := Apply(Options{Root: root}, []Input{{Findings: []finding.Finding{f}}})
		return got[0].Fingerprint
	}
	want := fp(rootA, base)

	same := []struct {
		name string
		root string
		edit func(f *finding.Finding)
	}{
		{"other checkout", rootB, func(*finding.Finding) {}},
		{"absolute path", rootA, func(f *finding.Finding) { f.Location.Path = rootA + "/app/x.go" }},
		{"file uri", rootA, func(f *finding.Finding) { f.Location.Path = "file://" + rootA + "/app/x.go" }},
		{"tool version", rootA, func(f *finding.Finding) { f.ToolVersion = "9.9.9" }},
		{"columns", rootA, func(f *finding.Finding) { f.Location.StartColumn = 7 }},
		{"message", rootA, func(f *finding.Finding) { f.Message = "worded otherwise" }},
		{"severity", rootA, func(f *finding.Finding) { f.Severity = finding.SeverityCritical }},
	}
	for _, tt := range same {
		t.Run("same/"+tt.name, func(t *testing.T) {
			f := base
			tt.edit(&f)
			if got := fp(tt.root, f); got != want {
				t.Errorf("fingerprint: got %s, want %s", got, want)
			}
		})
	}

	differs := []struct {
		name string
		edit func(f *finding.Finding)
	}{
		{"tool", func(f *finding.Finding) { f.Tool = "gosec" }},
		{"rule", func(f *finding.Finding) { f.Rule.ID = "r2" }},
		{"path", func(f *finding.Finding) { f.Location.Path = "app/y.go" }},
		{"flagged text", func(f *finding.Finding) { f.Location.StartLine = 2 }},
	}
	for _, tt := range differs {
		t.Run("differs/"+tt.name, func(t *testing.T) {
			f := base
			tt.edit(&f)
			if got := fp(rootA, f); got == want {
				t.Errorf("fingerprint: got %s for both, want a change", got)
			}
		})
	}
}

// TestFingerprintWithoutSnippet covers the fallbacks when there is no text.
func TestFingerprintWithoutSnippet(t *testing.T) {
	pkg := func(purl, name, version string) *finding.Package {
		return &finding.Package{PURL: purl, Name: name, Version: version}
	}
	noFile := func(logical, msg string, p *finding.Package) finding.Finding {
		return finding.Finding{Tool: "grype", Rule: finding.Rule{ID: "CVE-2021-44228"},
			Message: msg, Location: finding.Location{Logical: logical}, Package: p}
	}
	tests := []struct {
		name string
		a, b finding.Finding
		same bool
	}{
		{"logical", noFile("http://app/login", "x", nil), noFile("http://app/login", "y", nil), true},
		{"logical differs", noFile("http://app/login", "x", nil),
			noFile("http://app/admin", "x", nil), false},
		{"purl", noFile("", "a", pkg("pkg:npm/lodash@4.17.20", "", "")),
			noFile("", "b", pkg("pkg:npm/lodash@4.17.20", "", "")), true},
		{"purl version", noFile("", "a", pkg("pkg:npm/lodash@4.17.20", "", "")),
			noFile("", "a", pkg("pkg:npm/lodash@4.17.21", "", "")), false},
		{"name at version", noFile("", "a", pkg("", "lodash", "1")),
			noFile("", "b", pkg("", "lodash", "1")), true},
		{"name version differs", noFile("", "a", pkg("", "lodash", "1")),
			noFile("", "a", pkg("", "lodash", "2")), false},
		{"message", noFile("", "uses log4j 2.14", nil), noFile("", "uses log4j 2.14", nil), true},
		{"message digits kept", noFile("", "uses log4j 2.14", nil),
			noFile("", "uses log4j 2.15", nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := Apply(Options{Root: realTempDir(t)}, []Input{{Findings: []finding.Finding{tt.a}}})
			b, _ := Apply(Options{Root: realTempDir(t)}, []Input{{Findings: []finding.Finding{tt.b}}})
			if (a[0].Fingerprint == b[0].Fingerprint) != tt.same {
				t.Errorf("fingerprints %s and %s: want equal=%v", a[0].Fingerprint, b[0].Fingerprint, tt.same)
			}
		})
	}
}

// TestFingerprintSecrets: a secret's fingerprint comes from rule, path and
// occurrence, so it survives line shifts and commit ids in the message.
func TestFingerprintSecrets(t *testing.T) {
	leak := func(line int, commit string) finding.Finding {
		f := at("gitleaks", "aws-access-token", "config/prod.env", line, line)
		f.Message = "aws-access-token has detected secret for file config/prod.env at commit " + commit
		return f
	}
	fps := func(fs ...finding.Finding) []string {
		got, _ := Apply(Options{Root: realTempDir(t)}, []Input{{Findings: fs}})
		var out []string
		for _, f := range got {
			out = append(out, f.Fingerprint)
		}
		return out
	}

	first := fps(leak(3, "aaaa"), leak(9, "aaaa"))
	if first[0] == first[1] {
		t.Fatalf("two secrets of one rule in one file: got one fingerprint, want two")
	}
	moved := fps(leak(30, "bbbb"), leak(90, "cccc"))
	for i := range first {
		if moved[i] != first[i] {
			t.Errorf("secret %d after a move and new commits: got %s, want %s", i, moved[i], first[i])
		}
	}
}

// TestFingerprintOutside: a location outside the repository hashes its last
// element, not the absolute text, so another runner's home keeps it.
func TestFingerprintOutside(t *testing.T) {
	root := realTempDir(t)
	f := func(p string) string {
		in := at("semgrep", "r", p, 4, 4)
		got, _ := Apply(Options{Root: root}, []Input{{Findings: []finding.Finding{in}}})
		return got[0].Fingerprint
	}
	tests := []struct {
		name, a, b string
		same       bool
	}{
		{"other home", "/home/alice/.cache/lib/x.py", "/home/bob/.cache/lib/x.py", true},
		{"uri and path", "file:///opt/a/lib/x.py", "/opt/b/lib/x.py", true},
		{"other file", "/opt/lib/x.py", "/opt/lib/y.py", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (f(tt.a) == f(tt.b)) != tt.same {
				t.Errorf("fingerprints of %q and %q: want equal=%v", tt.a, tt.b, tt.same)
			}
		})
	}
}

func TestFingerprintFormat(t *testing.T) {
	got, _ := Apply(Options{Root: realTempDir(t)}, []Input{{Findings: []finding.Finding{
		at("semgrep", "r", "a.go", 1, 1), {Tool: "zap", Rule: finding.Rule{ID: "10020"}},
	}}})
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, f := range got {
		if !hex32.MatchString(f.Fingerprint) {
			t.Errorf("fingerprint of %s: got %q, want 32 lowercase hex digits", f.Rule.ID, f.Fingerprint)
		}
	}
}

func insert(lines []string, at int, add ...string) []string {
	out := append([]string{}, lines[:at]...)
	out = append(out, add...)
	return append(out, lines[at:]...)
}

func replace(lines []string, i int, s string) []string {
	out := append([]string{}, lines...)
	out[i] = s
	return out
}

func reindent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.ReplaceAll(l, "\t", "        ")
	}
	return out
}
