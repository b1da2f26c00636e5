package report

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/scan"
)

func renderTable(t *testing.T, tbl Table, d *Data) string {
	t.Helper()
	var buf bytes.Buffer
	if err := tbl.Render(&buf, d); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.String()
}

// linesWithPrefix returns the lines of out that start with prefix.
func linesWithPrefix(out, prefix string) []string {
	var found []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			found = append(found, line)
		}
	}
	return found
}

// cellStarts returns where each space-separated cell of a line starts, in
// characters. The sample's cells hold no spaces.
func cellStarts(line string) []int {
	var starts []int
	prevSpace := true
	for i, r := range []rune(line) {
		if r != ' ' && prevSpace {
			starts = append(starts, i)
		}
		prevSpace = r == ' '
	}
	return starts
}

func TestTableRows(t *testing.T) {
	out := renderTable(t, Table{}, sampleData())
	lines := strings.Split(out, "\n")

	header := strings.Fields(lines[0])
	wantHeader := []string{"TOOL", "SEVERITY", "RULE", "LOCATION", "ACTION"}
	if !slices.Equal(header, wantHeader) {
		t.Fatalf("header: got %q, want %q", header, wantHeader)
	}
	tests := []struct {
		fp   string
		want []string
	}{
		{"fp-secret", []string{"gitleaks", "critical", "aws-access-token",
			"config/settings.py:3", "suppressed"}},
		{"fp-sqli", []string{"semgrep", "high", "python.lang.security.audit.formatted-sql-query",
			"src/db.py:12", "fail"}},
		// No file: the location is what the finding is about.
		{"fp-license", []string{"sbom", "medium", "license-denied", "pkg:npm/lodash@4.17.20",
			"warn"}},
		// Merged: every tool that reported it.
		{"fp-debug", []string{"gitleaks+semgrep", "low",
			"python.flask.security.audit.debug-enabled", "src/app.py:40", "ignore"}},
	}
	for i, tt := range tests {
		t.Run(tt.fp, func(t *testing.T) {
			row := lines[1+i]
			if got := strings.Fields(row); !slices.Equal(got, tt.want) {
				t.Errorf("row %d: got %q, want %q", i+1, got, tt.want)
			}
			if got, want := cellStarts(row), cellStarts(lines[0]); !slices.Equal(got, want) {
				t.Errorf("row %d: cells start at %v, header cells at %v", i+1, got, want)
			}
		})
	}
}

func TestTableVerdict(t *testing.T) {
	failed := emptyData()
	failed.Decision.Status = policy.StatusError
	failed.Decision.Reasons = []string{"required scanner semgrep failed: semgrep exited 2"}
	failed.Scanners = []scan.Outcome{{Name: "semgrep", Type: "semgrep", Required: true,
		State: scan.StateFailed, Message: "semgrep exited 2"}}

	tests := []struct {
		name    string
		data    *Data
		verdict string
		reasons []string
		more    []string // other lines the output must hold
	}{
		{"blocked", sampleData(),
			"secgate: BLOCKED: 1 blocking; 4 findings (1 critical, 1 high, 1 medium, 1 low)",
			[]string{"  - " + sqliReason},
			[]string{
				"scanner semgrep: ok (1.69.0), 2 findings in 1.5s",
				"scanner bandit: ok, 0 findings in 300ms",
				"scanner trivy: failed: trivy exited 2 [not required]",
				"warning: optional scanner trivy failed: trivy exited 2",
				"note: semgrep: /etc/passwd lies outside the repository",
			}},
		{"passed without findings", emptyData(), "secgate: PASSED: no findings", nil,
			[]string{"No findings."}},
		{"could not decide", failed, "secgate: ERROR: could not decide; no findings",
			[]string{"  - required scanner semgrep failed: semgrep exited 2"},
			[]string{"scanner semgrep: failed: semgrep exited 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := renderTable(t, Table{}, tt.data)

			// One verdict line, so that CI logs can be searched for it.
			got := linesWithPrefix(out, "secgate: ")
			if len(got) != 1 || got[0] != tt.verdict {
				t.Errorf("verdict lines: got %q, want [%q]", got, tt.verdict)
			}
			if got := linesWithPrefix(out, "  - "); !slices.Equal(got, tt.reasons) {
				t.Errorf("reasons: got %q, want %q", got, tt.reasons)
			}
			lines := strings.Split(out, "\n")
			for _, want := range tt.more {
				if !slices.Contains(lines, want) {
					t.Errorf("no line %q in:\n%s", want, out)
				}
			}
		})
	}
}

// ansi matches the colour codes the table writes.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTableColor(t *testing.T) {
	tests := []struct {
		name    string
		data    *Data
		verdict string // colour of the verdict
	}{
		{"blocked", sampleData(), "\x1b[1;31m"},
		{"passed", emptyData(), "\x1b[1;32m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := renderTable(t, Table{}, tt.data)
			colored := renderTable(t, Table{Color: true}, tt.data)

			if strings.Contains(plain, "\x1b") {
				t.Errorf("Color false wrote an escape:\n%q", plain)
			}
			verdict := linesWithPrefix(ansi.ReplaceAllString(colored, ""), "secgate: ")
			if !strings.Contains(colored, tt.verdict+verdict[0]+"\x1b[0m") {
				t.Errorf("verdict %q is not coloured %q", verdict[0], tt.verdict)
			}
			// Colour must not move anything: escape codes have no width on
			// screen, so the columns line up as they do without colour.
			if got := ansi.ReplaceAllString(colored, ""); got != plain {
				t.Errorf("coloured table without its colour differs from the plain one:\n"+
					"%s\nwant:\n%s", got, plain)
			}
		})
	}
}

func TestTableCleansToolText(t *testing.T) {
	d := sampleData()
	evil := &d.Decision.Findings[1].Finding
	evil.Rule.ID = "rule\x1b[2J\x1b]0;owned\x07-id"
	evil.Location.Path = "src/\x1b[31mdb\u202e.py"
	d.Decision.Reasons = []string{"first line\n\x1b[1Asecgate: PASSED"}
	d.Scanners[4].Message = "trivy exited 2\x1b[0m\r\nscanner trivy: ok"
	d.Notes = []string{"note\x1b[8m hidden"}

	out := renderTable(t, Table{}, d)

	// A tool's text cannot clear the screen, hide lines or forge a verdict.
	for _, c := range []string{"\x1b", "\x07", "\r", "\u202e"} {
		if strings.Contains(out, c) {
			t.Errorf("output holds %q:\n%q", c, out)
		}
	}
	if got := linesWithPrefix(out, "secgate: "); len(got) != 1 {
		t.Errorf("verdict lines: got %q, want one", got)
	}
	if got := linesWithPrefix(out, "scanner trivy: "); len(got) != 1 {
		t.Errorf("trivy lines: got %q, want one", got)
	}
}

func TestTableLimits(t *testing.T) {
	t.Run("rows beyond MaxRows are counted", func(t *testing.T) {
		out := renderTable(t, Table{MaxRows: 2}, sampleData())

		if got := linesWithPrefix(out, "gitleaks+semgrep "); len(got) != 0 {
			t.Errorf("the fourth finding is listed: %q", got)
		}
		want := "... and 2 more findings (see the SARIF or JSON report)"
		if !slices.Contains(strings.Split(out, "\n"), want) {
			t.Errorf("no line %q in:\n%s", want, out)
		}
	})

	t.Run("long cells are clipped", func(t *testing.T) {
		d := emptyData()
		f := finding.Finding{Tool: "semgrep", Severity: finding.SeverityHigh,
			Rule: finding.Rule{ID: strings.Repeat("r", maxRuleWidth+20)},
			Location: finding.Location{StartLine: 1234,
				Path: strings.Repeat("deep/", 20) + "handler.py"}}
		d.Decision.Findings = []policy.Evaluated{{Finding: f, Outcome: policy.OutcomeFail}}

		out := renderTable(t, Table{}, d)

		cells := strings.Fields(strings.Split(out, "\n")[1])
		rule, where := cells[2], cells[3]
		if utf8.RuneCountInString(rule) != maxRuleWidth || !strings.HasSuffix(rule, "…") {
			t.Errorf("rule: got %q (%d characters), want %d ending in …",
				rule, utf8.RuneCountInString(rule), maxRuleWidth)
		}
		// The end of a path is kept: the file name and line are what a
		// reader needs.
		if utf8.RuneCountInString(where) != maxLocationWidth ||
			!strings.HasPrefix(where, "…") || !strings.HasSuffix(where, "/handler.py:1234") {
			t.Errorf("location: got %q (%d characters), want %d starting with …",
				where, utf8.RuneCountInString(where), maxLocationWidth)
		}
	})
}
