package normalize

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// sev returns f with a severity and the tool's own word for it.
func sev(f finding.Finding, s finding.Severity, word string) finding.Finding {
	f.Severity, f.ToolSeverity = s, word
	return f
}

func col(f finding.Finding, c int) finding.Finding {
	f.Location.StartColumn = c
	return f
}

func TestMerge(t *testing.T) {
	sqli := at("semgrep", "python.sqli", "app/db.py", 12, 12)
	fromSARIF := sqli
	fromSARIF.Tool = "sarif"
	fromSARIF.Message = "SQL built from user input"
	fromSARIF.Fix = "cursor.execute(q, (id,))"
	fromSARIF.Rule.CWE = []string{"CWE-89"}
	native := sqli
	native.Rule.CWE = []string{"CWE-564", "CWE-89"}
	native.Rule.Tags = []string{"owasp"}

	tests := []struct {
		name string
		in   [][]finding.Finding // one slice per input
		want []string            // "tool[tools] rule line:col severity", in output order
	}{
		{"same key once", [][]finding.Finding{{sqli, sqli}},
			[]string{"semgrep[semgrep] python.sqli 12:0 info"}},
		{"same key across inputs keeps higher severity", [][]finding.Finding{
			{sev(sqli, finding.SeverityMedium, "WARNING")}, {sev(sqli, finding.SeverityHigh, "ERROR")}},
			[]string{"semgrep[semgrep] python.sqli 12:0 high"}},
		{"two tools one place", [][]finding.Finding{
			{sev(native, finding.SeverityMedium, "WARNING")}, {sev(fromSARIF, finding.SeverityHigh, "error")}},
			[]string{"sarif[sarif semgrep] python.sqli 12:0 high"}},
		{"one tool two columns stay two", [][]finding.Finding{{col(sqli, 5), col(sqli, 30)}},
			[]string{"semgrep[semgrep] python.sqli 12:5 info", "semgrep[semgrep] python.sqli 12:30 info"}},
		{"second tool joins the first column only", [][]finding.Finding{
			{col(sqli, 5), col(sqli, 30)}, {col(fromSARIF, 5)}},
			[]string{"sarif[sarif semgrep] python.sqli 12:5 info", "semgrep[semgrep] python.sqli 12:30 info"}},
		{"other line stays", [][]finding.Finding{{sqli}, {at("sarif", "python.sqli", "app/db.py", 13, 13)}},
			[]string{"sarif[sarif] python.sqli 13:0 info", "semgrep[semgrep] python.sqli 12:0 info"}},
		{"other rule stays (no advisory aliases)", [][]finding.Finding{
			{at("grype", "CVE-2021-44228", "pom.xml", 1, 1)},
			{at("trivy", "GHSA-jfh8-c2jp-5v3q", "pom.xml", 1, 1)}},
			[]string{"grype[grype] CVE-2021-44228 1:0 info", "trivy[trivy] GHSA-jfh8-c2jp-5v3q 1:0 info"}},
		{"no file not merged across tools", [][]finding.Finding{
			{logical("zap", "10020", "", "http://app/")}, {logical("sarif", "10020", "", "http://app/")}},
			[]string{"sarif[sarif] 10020 0:0 info", "zap[zap] 10020 0:0 info"}},
		{"three tools one place", [][]finding.Finding{{sqli}, {fromSARIF}, {retool(sqli, "opengrep")}},
			[]string{"opengrep[opengrep sarif semgrep] python.sqli 12:0 info"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inputs []Input
			for _, fs := range tt.in {
				inputs = append(inputs, Input{Findings: fs})
			}
			got, _ := Apply(Options{Root: realTempDir(t)}, inputs)

			var desc []string
			for _, f := range got {
				desc = append(desc, describe(f))
			}
			if !slices.Equal(desc, tt.want) {
				t.Errorf("merged:\n got %q\nwant %q", desc, tt.want)
			}
		})
	}
}

// TestMergeRicherFields: the survivor takes the fix, every CWE and tag, and the
// rule text it lacked, and says in a note that findings were folded.
func TestMergeRicherFields(t *testing.T) {
	native := at("semgrep", "python.sqli", "app/db.py", 12, 12)
	native.Rule.CWE = []string{"CWE-564", "CWE-89"}
	native.Rule.Tags = []string{"owasp"}
	native.Suppressions = []finding.Suppression{{Kind: "inSource"}}
	fromSARIF := at("sarif", "python.sqli", "app/db.py", 12, 14)
	fromSARIF.Fix = "cursor.execute(q, (id,))"
	fromSARIF.Rule.CWE = []string{"CWE-89"}
	fromSARIF.Rule.HelpURI = "https://semgrep.dev/r/python.sqli"
	fromSARIF.Rule.Security = true
	fromSARIF.Suppressions = []finding.Suppression{{Kind: "inSource"}}

	got, notes := Apply(Options{Root: realTempDir(t)},
		[]Input{{Findings: []finding.Finding{native}}, {Findings: []finding.Finding{fromSARIF}}})
	if len(got) != 1 {
		t.Fatalf("findings: got %d, want 1", len(got))
	}

	f := got[0]
	checks := []struct{ name, got, want string }{
		{"fix", f.Fix, "cursor.execute(q, (id,))"},
		{"cwe", strings.Join(f.Rule.CWE, ","), "CWE-564,CWE-89"},
		{"tags", strings.Join(f.Rule.Tags, ","), "owasp"},
		{"help", f.Rule.HelpURI, "https://semgrep.dev/r/python.sqli"},
		{"security", strconv.FormatBool(f.Rule.Security), "true"},
		{"end line", strconv.Itoa(f.Location.EndLine), "14"},
		{"suppressions", strconv.Itoa(len(f.Suppressions)), "1"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if !hasNote(notes, "findings of sarif were merged") {
		t.Errorf("notes: got %v, want one about the merge", notes)
	}
}

// TestApplyDoesNotChangeInputs: merging builds new slices.
func TestApplyDoesNotChangeInputs(t *testing.T) {
	a := at("semgrep", "r", "a.go", 1, 1)
	a.Tools = []string{"semgrep"}
	a.Rule.CWE = make([]string, 1, 4)
	a.Rule.CWE[0] = "CWE-1"
	b := retool(a, "sarif")
	b.Tools = []string{"sarif"}
	b.Rule.CWE = []string{"CWE-2"}
	in := []finding.Finding{a, b}

	Apply(Options{Root: realTempDir(t)}, []Input{{Findings: in}})
	if got := strings.Join(in[0].Tools, ","); got != "semgrep" {
		t.Errorf("input tools: got %q, want semgrep", got)
	}
	if got := strings.Join(in[0].Rule.CWE[:cap(in[0].Rule.CWE)][:2], ","); got != "CWE-1," {
		t.Errorf("input CWE backing array: got %q, want CWE-1 and nothing after", got)
	}
	if in[0].Location.Path != "a.go" || in[0].Fingerprint != "" {
		t.Errorf("input finding changed: %+v", in[0])
	}
}

func TestSeverityMap(t *testing.T) {
	m := map[string]map[string]finding.Severity{
		"semgrep": {"warning": finding.SeverityHigh, "info": finding.SeverityLow},
		"grype":   {"negligible": finding.SeverityLow},
	}
	tests := []struct {
		name, tool, word string
		adapter, want    finding.Severity
	}{
		{"mapped", "semgrep", "WARNING", finding.SeverityMedium, finding.SeverityHigh},
		{"mapped lowered", "semgrep", "info", finding.SeverityInfo, finding.SeverityLow},
		{"mapped with spaces", "grype", " Negligible ", finding.SeverityInfo, finding.SeverityLow},
		{"word not mapped", "semgrep", "ERROR", finding.SeverityHigh, finding.SeverityHigh},
		{"tool not mapped", "gosec", "warning", finding.SeverityMedium, finding.SeverityMedium},
		{"no word", "semgrep", "", finding.SeverityMedium, finding.SeverityMedium},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := sev(at(tt.tool, "r", "a.go", 1, 1), tt.adapter, tt.word)
			got, _ := Apply(Options{Root: realTempDir(t), SeverityMap: m},
				[]Input{{Findings: []finding.Finding{f}}})
			if got[0].Severity != tt.want {
				t.Errorf("severity: got %v, want %v", got[0].Severity, tt.want)
			}
			if got[0].ToolSeverity != tt.word {
				t.Errorf("tool severity: got %q, want %q kept", got[0].ToolSeverity, tt.word)
			}
		})
	}
}

// TestOutputOrder: any input order gives the same output, sorted by tool, path,
// line, column, rule and message.
func TestOutputOrder(t *testing.T) {
	fs := []finding.Finding{
		at("semgrep", "b", "z.go", 3, 3),
		col(at("semgrep", "a", "z.go", 3, 3), 9),
		at("gosec", "G1", "z.go", 1, 1),
		at("semgrep", "a", "a.go", 10, 10),
		at("semgrep", "a", "a.go", 2, 2),
		logical("zap", "1", "m2", "http://a/"),
		logical("zap", "1", "m1", "http://a/"),
		at("semgrep", "b", "z.go", 3, 3),
	}
	want := []string{
		"gosec G1 z.go:1:0 G1 here", "semgrep a a.go:2:0 a here", "semgrep a a.go:10:0 a here",
		"semgrep b z.go:3:0 b here", "semgrep a z.go:3:9 a here", "zap 1 :0:0 m1", "zap 1 :0:0 m2",
	}
	root := realTempDir(t)
	for _, name := range []string{"as given", "reversed", "rotated"} {
		t.Run(name, func(t *testing.T) {
			in := slices.Clone(fs)
			switch name {
			case "reversed":
				slices.Reverse(in)
			case "rotated":
				in = append(in[3:], in[:3]...)
			}
			got, _ := Apply(Options{Root: root}, []Input{{Findings: in[:4]}, {Findings: in[4:]}})

			var order []string
			for _, f := range got {
				order = append(order, f.Tool+" "+f.Rule.ID+" "+f.Location.Path+":"+
					strconv.Itoa(f.Location.StartLine)+":"+strconv.Itoa(f.Location.StartColumn)+" "+f.Message)
			}
			if !slices.Equal(order, want) {
				t.Errorf("order:\n got %q\nwant %q", order, want)
			}
		})
	}
}

// TestNotesDeduplicated: one note per refused location, however many findings.
func TestNotesDeduplicated(t *testing.T) {
	var fs []finding.Finding
	for line := 1; line <= 50; line++ {
		fs = append(fs, at("trivy", "CVE-1", "/usr/lib/python3/x.py", line, line))
	}
	_, notes := Apply(Options{Root: realTempDir(t)}, []Input{{Findings: fs}})
	if len(notes) != 1 || notes[0].Tool != "trivy" {
		t.Errorf("notes: got %v, want one from trivy", notes)
	}
}

func TestBadRootReadsNothing(t *testing.T) {
	rec := &recordingReader{}
	got, notes := Apply(Options{Root: "relative", ReadFile: rec.read},
		[]Input{{Findings: []finding.Finding{at("semgrep", "r", "a.go", 1, 1)}}})
	if got[0].Location.Path != "" || got[0].Location.Logical != "a.go" {
		t.Errorf("location: got %+v, want the path kept only as logical", got[0].Location)
	}
	if len(rec.paths) != 0 || !hasNote(notes, "not an absolute path") {
		t.Errorf("reads %v, notes %v: want no reads and a note on the root", rec.paths, notes)
	}
}

func describe(f finding.Finding) string {
	return f.Tool + "[" + strings.Join(f.Tools, " ") + "] " + f.Rule.ID + " " +
		strconv.Itoa(f.Location.StartLine) + ":" + strconv.Itoa(f.Location.StartColumn) + " " +
		f.Severity.String()
}

// logical is a finding with no file, such as a DAST alert.
func logical(tool, rule, msg, where string) finding.Finding {
	return finding.Finding{Tool: tool, Rule: finding.Rule{ID: rule}, Message: msg,
		Location: finding.Location{Logical: where}}
}

func retool(f finding.Finding, tool string) finding.Finding {
	f.Tool = tool
	f.Tools = nil
	return f
}

func TestApplyReleasesItsInputs(t *testing.T) {
	inputs := []Input{{Findings: []finding.Finding{
		at("semgrep", "python.sqli", "app/db.py", 12, 12),
		at("semgrep", "python.xss", "app/web.py", 3, 3),
	}}}
	out, _ := Apply(Options{Root: realTempDir(t)}, inputs)
	if len(out) != 2 {
		t.Fatalf("findings: got %d, want 2", len(out))
	}
	if inputs[0].Findings != nil {
		t.Errorf("Apply kept its input's %d findings referenced", len(inputs[0].Findings))
	}
}
