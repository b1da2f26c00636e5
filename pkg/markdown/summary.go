package markdown

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
)

// MaxBody is the longest comment body GitHub accepts, in characters.
const MaxBody = 65536

// trailerReserve keeps room, while rows are added, for the lines that close
// the summary: the "N more" line, problems, links and the footer.
const trailerReserve = 3000

// Links are the places the summary points to, when known.
type Links struct {
	Run          string // the CI run
	SARIF        string // where the SARIF artifact can be downloaded
	CodeScanning string // the code scanning alerts of the change
	CheckRun     string
}

// Summary renders one gate's PR summary. It implements report.Renderer, so it
// reads the same data as every other report.
type Summary struct {
	// Marker is written first: a hidden comment a publisher finds the
	// comment by on the next run.
	Marker string
	Links  Links
	// FileURL links a finding's place to the file at the head commit; nil
	// shows the place as text.
	FileURL func(path string, line int) string
	// New tells whether a finding is new in the change; nil leaves that out.
	New func(policy.Evaluated) bool
	// Notes are short words per fingerprint shown beside a finding, such as
	// where it was commented ("inline", "outside the diff").
	Notes map[string]string
	// Folded explains, one line each, why findings are here and not inline.
	Folded []string
	// Problems are things that could not be published; each is one line.
	Problems []string
	// Limit is the longest output in characters; 0 means MaxBody.
	Limit int
}

var _ report.Renderer = Summary{}

// Render implements report.Renderer.
func (s Summary) Render(w io.Writer, d *report.Data) error {
	_, err := io.WriteString(w, s.String(d))
	return err
}

// String renders the summary; it never exceeds Limit characters.
func (s Summary) String(d *report.Data) string {
	limit := s.Limit
	if limit <= 0 {
		limit = MaxBody
	}
	b := &budget{limit: limit - trailerReserve}
	if s.Marker != "" {
		b.must(s.Marker + "\n")
	}
	s.header(b, d)

	omitted := s.findings(b, d.Decision, policy.OutcomeFail, "Blocking findings")
	omitted += s.findings(b, d.Decision, policy.OutcomeWarn, "Other findings (not blocking)")
	s.reasons(b, d.Decision)

	b.limit = limit
	if omitted > 0 {
		b.must(fmt.Sprintf("\n… and %d more findings not listed here (size limit): see the "+
			"check run annotations or the SARIF artifact.\n", omitted))
	}
	s.trailer(b, d)
	return b.String()
}

var verdicts = map[policy.Status]string{
	policy.StatusPassed:  "✅ passed",
	policy.StatusBlocked: "❌ blocked",
	policy.StatusError:   "⚠️ could not decide",
}

func (s Summary) header(b *budget, d *report.Data) {
	dec := d.Decision
	b.must(fmt.Sprintf("### secgate %s: %s\n\n", TableCode(d.Key, 80), verdicts[dec.Status]))
	line := fmt.Sprintf("**%d blocking** of %d findings", dec.Blocking, len(dec.Findings))
	if s.New != nil {
		line += fmt.Sprintf(" · %d new in this change", s.countNew(dec))
	}
	line += fmt.Sprintf(" · %d suppressed · %d ignored\n\n",
		countOutcome(dec, policy.OutcomeSuppressed), countOutcome(dec, policy.OutcomeIgnore))
	b.must(line)

	var head, sep, row strings.Builder
	for _, sev := range finding.Severities {
		head.WriteString(" " + sev.String() + " |")
		sep.WriteString("---|")
		row.WriteString(" " + strconv.Itoa(dec.Counts[sev]) + " |")
	}
	b.must("|" + head.String() + "\n|" + sep.String() + "\n|" + row.String() + "\n\n")
	if tools := byTool(dec); tools != "" {
		b.must("**By tool:** " + tools + "\n")
	}
}

func (s Summary) countNew(dec *policy.Decision) int {
	n := 0
	for _, e := range dec.Findings {
		if s.New(e) {
			n++
		}
	}
	return n
}

func countOutcome(dec *policy.Decision, o policy.Outcome) int {
	n := 0
	for _, e := range dec.Findings {
		if e.Outcome == o {
			n++
		}
	}
	return n
}

func byTool(dec *policy.Decision) string {
	counts := map[string]int{}
	for _, e := range dec.Findings {
		counts[e.Finding.Tool]++
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = Text(n, 40) + " " + strconv.Itoa(counts[n])
	}
	return strings.Join(parts, " · ")
}

// findings writes the table of findings with outcome o, row by row while the
// budget lasts, and returns how many rows did not fit.
func (s Summary) findings(b *budget, dec *policy.Decision, o policy.Outcome, title string) int {
	var rows []policy.Evaluated
	for _, e := range dec.Findings {
		if e.Outcome == o {
			rows = append(rows, e)
		}
	}
	if len(rows) == 0 {
		return 0
	}
	if !b.try(fmt.Sprintf("\n#### %s (%d)\n\n| severity | rule | where | message | note |\n"+
		"|---|---|---|---|---|\n", title, len(rows))) {
		return len(rows)
	}
	for i, e := range rows {
		if !b.try(s.row(e)) {
			return len(rows) - i
		}
	}
	return 0
}

func (s Summary) row(e policy.Evaluated) string {
	f := e.Finding
	return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", f.Severity,
		TableCode(f.Tool+":"+f.Rule.ID, 120), s.where(f), Text(Message(f), 300), s.note(e))
}

func (s Summary) where(f finding.Finding) string {
	l := f.Location
	if !l.HasFile() {
		return Text(firstNonEmpty(l.Logical, packageName(f), "(no file)"), 120)
	}
	text := l.Path
	if l.StartLine > 0 {
		text += ":" + strconv.Itoa(l.StartLine)
	}
	if s.FileURL == nil {
		return Text(text, 160)
	}
	return Link(Text(text, 160), s.FileURL(l.Path, l.StartLine))
}

func (s Summary) note(e policy.Evaluated) string {
	var parts []string
	if s.New != nil {
		if s.New(e) {
			parts = append(parts, "new")
		} else {
			parts = append(parts, "existing")
		}
	}
	if n := s.Notes[e.Finding.Fingerprint]; n != "" {
		parts = append(parts, Text(n, 60))
	}
	return strings.Join(parts, " · ")
}

// reasons lists what the policy said beyond single findings: budgets,
// scanners that did not run, suppressions that expired or are expiring.
func (s Summary) reasons(b *budget, dec *policy.Decision) {
	var lines []string
	for _, r := range dec.Reasons {
		// The blocking findings have their own table; budgets and scanners
		// that did not run are said only here.
		if strings.HasPrefix(r, "required scanner") || strings.Contains(r, "(max.") {
			lines = append(lines, r)
		}
	}
	lines = append(lines, dec.Warnings...)
	if len(lines) == 0 {
		return
	}
	if !b.try("\n#### Policy notes\n\n") {
		return
	}
	for _, l := range lines {
		if !b.try("- " + Text(l, 400) + "\n") {
			return
		}
	}
}

func (s Summary) trailer(b *budget, d *report.Data) {
	for _, f := range s.Folded {
		b.must("\n" + Text(f, 400) + "\n")
	}
	if len(s.Problems) > 0 {
		b.must("\n**Not published:**\n")
		for _, p := range s.Problems {
			b.must("- " + Text(p, 400) + "\n")
		}
	}
	var links []string
	for _, l := range []struct{ text, url string }{
		{"CI run", s.Links.Run}, {"check run", s.Links.CheckRun},
		{"SARIF artifact", s.Links.SARIF}, {"code scanning", s.Links.CodeScanning},
	} {
		if l.url != "" {
			links = append(links, Link(l.text, l.url))
		}
	}
	if len(links) > 0 {
		b.must("\n" + strings.Join(links, " · ") + "\n")
	}
	b.must(fmt.Sprintf("\n<sub>secgate %s</sub>\n", Text(d.Version, 40)))
}

func packageName(f finding.Finding) string {
	if f.Package == nil {
		return ""
	}
	if f.Package.Version != "" {
		return f.Package.Name + "@" + f.Package.Version
	}
	return f.Package.Name
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
