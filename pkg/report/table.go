package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/iostreams"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/scan"
)

// Table renders the findings table, the scanner lines and the verdict for a
// person reading a terminal or a CI log.
type Table struct {
	// Color adds ANSI colour to severities and the verdict.
	Color bool
	// MaxRows caps the findings listed; the rest are counted. Zero means 200.
	MaxRows int
}

var _ Renderer = Table{}

// Cell widths keep one finding on one line in a CI log.
const (
	maxRuleWidth     = 48
	maxLocationWidth = 56
	columnGap        = 2
)

// Render implements Renderer.
func (t Table) Render(w io.Writer, d *Data) error {
	ew := &errWriter{w: w}
	if len(d.Decision.Findings) > 0 {
		t.findings(ew, d.Decision.Findings)
	} else {
		ew.printf("No findings.\n")
	}
	ew.printf("\n")
	scannerLines(ew, d.Scanners)
	for _, n := range d.Notes {
		ew.printf("note: %s\n", iostreams.Clean(n))
	}
	for _, warn := range d.Decision.Warnings {
		ew.printf("warning: %s\n", iostreams.Clean(warn))
	}
	ew.printf("\n%s\n", t.verdict(d.Decision))
	for _, r := range d.Decision.Reasons {
		ew.printf("  - %s\n", iostreams.Clean(r))
	}
	return ew.err
}

func (t Table) findings(ew *errWriter, all []policy.Evaluated) {
	limit := t.MaxRows
	if limit <= 0 {
		limit = 200
	}
	rows := [][]string{{"TOOL", "SEVERITY", "RULE", "LOCATION", "ACTION"}}
	for i, e := range all {
		if i == limit {
			break
		}
		f := e.Finding
		rows = append(rows, []string{
			iostreams.Clean(strings.Join(toolsOf(f), "+")),
			f.Severity.String(),
			clip(iostreams.Clean(f.Rule.ID), maxRuleWidth),
			clipLeft(iostreams.Clean(Where(f)), maxLocationWidth),
			string(e.Outcome),
		})
	}

	// Widths are measured on the plain text and colour is added only when
	// printing: escape codes have no width on screen, but a tabwriter would
	// count them and shift every column after the severity.
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for j, cell := range row {
			widths[j] = max(widths[j], utf8.RuneCountInString(cell))
		}
	}
	for i, row := range rows {
		var line strings.Builder
		for j, cell := range row {
			text := cell
			if j == 1 && i > 0 {
				text = t.severity(all[i-1].Finding.Severity)
			}
			line.WriteString(text)
			if j < len(row)-1 {
				pad := widths[j] - utf8.RuneCountInString(cell) + columnGap
				line.WriteString(strings.Repeat(" ", pad))
			}
		}
		ew.printf("%s\n", strings.TrimRight(line.String(), " "))
	}
	if len(all) > limit {
		ew.printf("... and %d more findings (see the SARIF or JSON report)\n", len(all)-limit)
	}
}

func scannerLines(ew *errWriter, outcomes []scan.Outcome) {
	for i := range outcomes {
		o := &outcomes[i]
		line := fmt.Sprintf("scanner %s: %s", o.Name, o.State)
		if o.Detection.Version != "" {
			line += " (" + o.Detection.Version + ")"
		}
		if o.State == scan.StateOK {
			line += fmt.Sprintf(", %s in %s", countFindings(o.FindingCount()),
				o.Duration.Round(10*time.Millisecond))
		}
		if o.Message != "" {
			line += ": " + o.Message
		}
		if o.State != scan.StateOK && !o.Required {
			line += " [not required]"
		}
		ew.printf("%s\n", iostreams.Clean(line))
	}
}

func (t Table) verdict(d *policy.Decision) string {
	word, code := "PASSED", "32"
	switch d.Status {
	case policy.StatusBlocked:
		word, code = "BLOCKED", "31"
	case policy.StatusError:
		word, code = "ERROR", "33"
	}
	line := fmt.Sprintf("secgate: %s: %s", word, Summary(d))
	if t.Color {
		return "\x1b[1;" + code + "m" + line + "\x1b[0m"
	}
	return line
}

func (t Table) severity(s finding.Severity) string {
	if !t.Color {
		return s.String()
	}
	colors := map[finding.Severity]string{
		finding.SeverityCritical: "1;35", finding.SeverityHigh: "31",
		finding.SeverityMedium: "33", finding.SeverityLow: "36", finding.SeverityInfo: "2",
	}
	return "\x1b[" + colors[s] + "m" + s.String() + "\x1b[0m"
}

// Summary is the one-line account of a decision, used by the verdict line and
// by messages elsewhere.
func Summary(d *policy.Decision) string {
	var parts []string
	for _, s := range finding.Severities {
		if n := d.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	total := len(d.Findings)
	counts := "no findings"
	if total > 0 {
		counts = fmt.Sprintf("%s (%s)", countFindings(total), strings.Join(parts, ", "))
	}
	switch d.Status {
	case policy.StatusError:
		return fmt.Sprintf("could not decide; %s", counts)
	case policy.StatusBlocked:
		return fmt.Sprintf("%d blocking; %s", d.Blocking, counts)
	}
	return counts
}

// Where is a finding's location as a person reads it: path:line, or what the
// finding is about when it has no file.
func Where(f finding.Finding) string {
	l := f.Location
	switch {
	case l.Path != "" && l.StartLine > 0:
		return fmt.Sprintf("%s:%d", l.Path, l.StartLine)
	case l.Path != "":
		return l.Path
	case l.Logical != "":
		return l.Logical
	}
	return "(no location)"
}

func toolsOf(f finding.Finding) []string {
	if len(f.Tools) > 0 {
		return f.Tools
	}
	return []string{f.Tool}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// clipLeft keeps the end of a path, where the file name and line are.
func clipLeft(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}

// errWriter keeps the first write error, so rendering code reads as prints.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}

// countFindings says "1 finding" or "N findings".
func countFindings(n int) string {
	if n == 1 {
		return "1 finding"
	}
	return fmt.Sprintf("%d findings", n)
}
