package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/scan"
)

// JUnit renders the gate as JUnit XML for CI systems that chart test
// results (Jenkins' junit step, GitLab, Azure). Each scanner is a test
// suite; each blocking rule at each location is a failed test case; a scanner
// with nothing blocking is one passing case; a scanner that failed is an
// error and one that was skipped is skipped. A last suite, "secgate", holds
// the verdict, so a change blocked only by a budget still fails the build.
type JUnit struct{}

var _ Renderer = JUnit{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// junitMarker follows the XML declaration, so that a later run knows the file
// is its own to replace.
const junitMarker = "<!-- secgate JUnit report -->"

// isOwnJUnit tells whether a file starts like a JUnit report secgate wrote.
func isOwnJUnit(r io.Reader) bool {
	head := make([]byte, 256)
	n, _ := io.ReadFull(r, head)
	return strings.Contains(string(head[:n]), junitMarker)
}

// Render implements Renderer.
func (JUnit) Render(w io.Writer, d *Data) error {
	byTool := blockingByTool(d.Decision.Findings)
	doc := junitSuites{Name: firstNonBlank(d.Key, "secgate")}

	seen := map[string]bool{}
	for _, o := range d.Scanners {
		tools := outcomeTools(o)
		var cases []junitCase
		for _, t := range tools {
			cases = append(cases, byTool[t]...)
			seen[t] = true
		}
		doc.Suites = append(doc.Suites, scannerSuite(o, cases, warnings(d, tools)))
	}
	for _, tool := range sortedKeys(byTool) {
		if !seen[tool] {
			// A tool known only from an imported report (secgate evaluate).
			doc.Suites = append(doc.Suites, suite(tool, byTool[tool], "0"))
		}
	}
	doc.Suites = append(doc.Suites, suite("secgate", []junitCase{verdictCase(d)}, "0"))
	doc.total()

	if _, err := io.WriteString(w, xml.Header+junitMarker+"\n"); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// blockingByTool makes one failed case per tool, rule and location: several
// findings there (one per column, say) are one problem to fix.
func blockingByTool(evs []policy.Evaluated) map[string][]junitCase {
	out := map[string][]junitCase{}
	index := map[string]int{}
	for _, ev := range evs {
		if ev.Outcome != policy.OutcomeFail {
			continue
		}
		f := ev.Finding
		where := Where(f)
		k := f.Tool + "\x00" + f.Rule.ID + "\x00" + where
		if i, ok := index[k]; ok {
			c := &out[f.Tool][i]
			c.Failure.Text += "\n\n" + failureText(ev)
			continue
		}
		index[k] = len(out[f.Tool])
		out[f.Tool] = append(out[f.Tool], junitCase{
			Classname: f.Tool + "." + f.Rule.ID,
			Name:      where,
			Time:      "0",
			Failure: &junitProblem{
				Message: fmt.Sprintf("%s %s: %s", f.Severity, f.Rule.ID, oneLine(f.Message)),
				Type:    f.Severity.String(),
				Text:    failureText(ev),
			},
		})
	}
	return out
}

func failureText(ev policy.Evaluated) string {
	f := ev.Finding
	lines := []string{
		"rule: " + f.Tool + ":" + f.Rule.ID,
		"severity: " + f.Severity.String(),
		"location: " + Where(f),
		"message: " + f.Message,
		"why it blocks: " + ev.Reason,
	}
	if f.Rule.HelpURI != "" {
		lines = append(lines, "help: "+f.Rule.HelpURI)
	}
	if f.Fingerprint != "" {
		lines = append(lines, "fingerprint: "+f.Fingerprint)
	}
	return strings.Join(lines, "\n")
}

// outcomeTools names the tools whose findings a scanner's run reported.
func outcomeTools(o scan.Outcome) []string {
	if o.Result == nil {
		return nil
	}
	tools := []string{o.Result.Tool.Name}
	for _, t := range o.Result.Tools {
		tools = append(tools, t.Name)
	}
	return tools
}

// warnings counts the findings of tools that did not block.
func warnings(d *Data, tools []string) int {
	n := 0
	for _, ev := range d.Decision.Findings {
		for _, t := range tools {
			if ev.Finding.Tool == t && ev.Outcome == policy.OutcomeWarn {
				n++
			}
		}
	}
	return n
}

// scannerSuite is one scanner's suite: its failed cases, or one case that
// passes, errs or is skipped according to how the scanner ran.
func scannerSuite(o scan.Outcome, failed []junitCase, warned int) junitSuite {
	secs := fmt.Sprintf("%.3f", o.Duration.Seconds())
	if len(failed) > 0 {
		return suite(o.Name, failed, secs)
	}
	c := junitCase{Classname: o.Name, Name: "no blocking findings", Time: secs}
	switch o.State {
	case scan.StateFailed:
		c.Name = "scanner ran"
		c.Error = &junitProblem{Message: o.Name + " failed: " + oneLine(o.Message),
			Type: "scanner", Text: o.Message}
	case scan.StateSkipped:
		c.Name = "scanner ran"
		c.Skipped = &junitProblem{Message: o.Name + " was skipped: " + oneLine(o.Message)}
	default:
		if warned > 0 {
			c.SystemOut = fmt.Sprintf("%d findings below the blocking threshold (warn)", warned)
		}
	}
	return suite(o.Name, []junitCase{c}, secs)
}

// verdictCase is the gate's decision as one test case.
func verdictCase(d *Data) junitCase {
	c := junitCase{Classname: "secgate", Name: "verdict", Time: "0"}
	text := strings.Join(d.Decision.Reasons, "\n")
	switch d.Decision.Status {
	case policy.StatusBlocked:
		c.Failure = &junitProblem{Message: "blocked: " + Summary(d.Decision), Type: "blocked",
			Text: text}
	case policy.StatusError:
		c.Error = &junitProblem{Message: Summary(d.Decision), Type: "undecided", Text: text}
	default:
		c.SystemOut = "passed: " + Summary(d.Decision)
	}
	return c
}

func suite(name string, cases []junitCase, secs string) junitSuite {
	s := junitSuite{Name: name, Time: secs, Cases: cases, Tests: len(cases)}
	for _, c := range cases {
		s.Failures += btoi(c.Failure != nil)
		s.Errors += btoi(c.Error != nil)
		s.Skipped += btoi(c.Skipped != nil)
	}
	return s
}

func (doc *junitSuites) total() {
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}

func sortedKeys(m map[string][]junitCase) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func firstNonBlank(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
