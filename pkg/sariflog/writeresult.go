package sariflog

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/secgate/secgate/pkg/finding"
)

// ruleAgg gathers what the findings of one rule id say about the rule.
type ruleAgg struct {
	rule     finding.Rule // from the first finding
	sev      finding.Severity
	security bool
	cwe      []string
	tags     []string
	message  string
}

// collectRules builds one rule per id, sorted by id, and the index of each.
// GitHub reads security-severity from the rule only, so a rule whose
// findings differ in severity carries the highest; each result still has its
// own level and "secgate/severity".
func collectRules(results []Result) ([]*sarif.ReportingDescriptor, map[string]int) {
	aggs := map[string]*ruleAgg{}
	for _, r := range results {
		f := r.Finding
		id := ruleID(f)
		a, ok := aggs[id]
		if !ok {
			a = &ruleAgg{rule: f.Rule, sev: f.Severity, message: f.Message}
			aggs[id] = a
		}
		a.sev = max(a.sev, f.Severity)
		a.security = a.security || f.Rule.Security
		a.cwe = appendNew(a.cwe, f.Rule.CWE...)
		a.tags = appendNew(a.tags, f.Rule.Tags...)
	}

	ids := make([]string, 0, len(aggs))
	for id := range aggs {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	rules := make([]*sarif.ReportingDescriptor, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		rules[i] = descriptorOf(id, aggs[id])
		index[id] = i
	}
	return rules, index
}

func appendNew(list []string, items ...string) []string {
	for _, s := range items {
		if s != "" && !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// descriptorOf writes a rule with every text GitHub requires non-empty.
func descriptorOf(id string, a *ruleAgg) *sarif.ReportingDescriptor {
	desc := firstNonEmpty(a.rule.Description, a.rule.Name, a.message, id)
	d := sarif.NewRule(id).
		WithShortDescription(sarif.NewMultiformatMessageString(
			truncate(firstLine(desc), maxDescription))).
		WithFullDescription(sarif.NewMultiformatMessageString(truncate(desc, maxDescription))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(a.sev.Level()))

	help := desc
	if isAbsURL(a.rule.HelpURI) {
		d.WithHelpURI(a.rule.HelpURI)
		help += "\n\n" + a.rule.HelpURI
	}
	d.WithHelp(sarif.NewMultiformatMessageString(help))

	// SARIF asks that a name equal to the id be left out.
	if name := strings.TrimSpace(a.rule.Name); name != "" && name != id {
		d.WithName(truncate(name, maxRuleName))
	}

	props := sarif.Properties{}
	if tags := ruleTags(a); len(tags) > 0 {
		props["tags"] = tags
	}
	if score, ok := a.sev.Score(); ok && a.security {
		props[propSecuritySeverity] = strconv.FormatFloat(score, 'f', 1, 64)
	}
	if len(props) > 0 {
		d.WithProperties(props)
	}
	return d
}

// ruleTags puts "security" and the CWE ids first, both as "CWE-89" and in
// the "external/cwe/cwe-089" form GitHub shows, then the tool's tags, within
// GitHub's limit of 20.
func ruleTags(a *ruleAgg) []string {
	var tags []string
	if a.security {
		tags = append(tags, "security")
	}
	for _, c := range a.cwe {
		tags = appendNew(tags, c)
		if n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(c), "CWE-")); err == nil {
			tags = appendNew(tags, "external/cwe/cwe-"+leftPad(n))
		}
	}
	rest := slices.Clone(a.tags)
	slices.Sort(rest)
	for _, t := range rest {
		if !strings.EqualFold(t, "security") {
			tags = appendNew(tags, t)
		}
	}
	if len(tags) > maxTags {
		tags = tags[:maxTags]
	}
	return tags
}

func leftPad(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// cleanLocation cleans the path ("a//b/./c" -> "a/b/c"). A path that names
// the repository root or the file system root ("./", ".", "/") is no file: an
// artifact URI for it would be empty or a directory, which GitHub rejects.
func cleanLocation(l finding.Location) finding.Location {
	if !l.HasFile() {
		return l
	}
	p := path.Clean(strings.ReplaceAll(l.Path, `\`, "/"))
	if p == "." || p == "/" {
		return finding.Location{Logical: l.Logical}
	}
	l.Path = p
	return l
}

// noFileName names what a finding without a file or logical location is
// about: its package, else its rule.
func noFileName(f *finding.Finding) string {
	if p := f.Package; p != nil {
		if p.PURL != "" {
			return p.PURL
		}
		if p.Version != "" {
			return p.Name + "@" + p.Version
		}
		return firstNonEmpty(p.Name, ruleID(f))
	}
	return ruleID(f)
}

// truncate cuts s to at most n characters, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// firstLine returns the first non-empty line of s.
func firstLine(s string) string {
	for line := range strings.SplitSeq(s, "\n") {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return strings.TrimSpace(s)
}
