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

func buildResult(r Result, runTool string, index map[string]int, root string) *sarif.Result {
	f := r.Finding
	f.Location = cleanLocation(f.Location)
	id := ruleID(f)
	res := sarif.NewRuleResult(id).
		WithRuleIndex(index[id]).
		WithLevel(f.Severity.Level()).
		WithMessage(sarif.NewTextMessage(firstNonEmpty(f.Message, f.Rule.Description, id)))

	res.WithLocations([]*sarif.Location{locationOf(f, root)})
	if f.Fingerprint != "" {
		res.WithPartialFingerPrints(map[string]any{
			fingerprintKey: f.Fingerprint,
			lineHashKey:    f.Fingerprint,
		})
	}
	if fix := fixOf(f, root); fix != nil {
		res.Fixes = []*sarif.Fix{fix}
	}
	if r.Outcome == OutcomeSuppressed {
		res.Suppressions = suppressionsFor(r)
	}
	if r.BaselineState != "" {
		res.WithBaselineState(r.BaselineState)
	}
	if r.BaselineState == "absent" {
		// A fixed finding: the rule ran and no longer finds the problem.
		// SARIF says kind pass, and then level none, so it never reads as open.
		res.WithKind("pass").WithLevel("none")
	}
	res.Properties = resultProperties(r, runTool)
	return res
}

// locationOf writes a file location relative to %SRCROOT%, or, for a finding
// with no file, a logical location only: anchoring those to a file is the
// publisher's decision, not the log's.
func locationOf(f finding.Finding, root string) *sarif.Location {
	loc := sarif.NewLocation()
	l := f.Location
	logical := l.Logical
	if l.HasFile() {
		loc.WithPhysicalLocation(physicalOf(l, root))
	} else if logical == "" {
		logical = noFileName(f)
	}
	if logical != "" {
		ll := sarif.NewLogicalLocation().WithName(logical).WithFullyQualifiedName(logical)
		loc.WithLogicalLocations([]*sarif.LogicalLocation{ll})
	}
	return loc
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
func noFileName(f finding.Finding) string {
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

func physicalOf(l finding.Location, root string) *sarif.PhysicalLocation {
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(artifactOf(l.Path, root))
	if reg := regionOf(l); reg != nil {
		pl.WithRegion(reg)
	}
	return pl
}

// artifactOf writes a path as a URI. A relative path is relative to
// %SRCROOT%. An absolute path under root is made relative; any other
// absolute path (the normalizer could not place it) is written as a file URI.
func artifactOf(p, root string) *sarif.ArtifactLocation {
	if isAbsPath(p) {
		rel, ok := strings.CutPrefix(p, root+"/")
		if root == "" || !ok {
			return sarif.NewSimpleArtifactLocation(absFileURI(p))
		}
		p = rel
	}
	return sarif.NewSimpleArtifactLocation(encodePath(p)).WithUriBaseId("%SRCROOT%")
}

func absFileURI(p string) string {
	if isDrive(p) {
		return "file:///" + p[:2] + encodePath(p[2:])
	}
	return "file://" + encodePath(p)
}

// regionOf writes the lines and columns that are known and consistent.
func regionOf(l finding.Location) *sarif.Region {
	if l.StartLine <= 0 {
		return nil
	}
	reg := sarif.NewRegion().WithStartLine(l.StartLine)
	if l.StartColumn > 0 {
		reg.WithStartColumn(l.StartColumn)
	}
	end := l.EndLine
	if end < l.StartLine {
		end = l.StartLine
	}
	reg.WithEndLine(end)
	if l.EndColumn > 0 && (end > l.StartLine || l.EndColumn >= l.StartColumn) {
		reg.WithEndColumn(l.EndColumn)
	}
	return reg
}

// fixOf writes a fix only when it is complete: a file, a line to replace and
// the text. A fix without an artifact change is invalid SARIF and makes
// GitHub reject the whole file.
func fixOf(f finding.Finding, root string) *sarif.Fix {
	l := f.Location
	reg := regionOf(l)
	if f.Fix == "" || !l.HasFile() || reg == nil {
		return nil
	}
	text := f.Fix
	repl := sarif.NewReplacement(reg).WithInsertedContent(
		sarif.NewArtifactContent().WithText(text))
	change := sarif.NewArtifactChange(artifactOf(l.Path, root)).WithReplacement(repl)
	return sarif.NewFix().
		WithDescriptionText("Replace the flagged code with the fix " + f.Tool + " suggests.").
		WithArtifactChanges([]*sarif.ArtifactChange{change})
}

// suppressionsFor writes secgate's suppression, and the tool's own ones that
// it honoured. A tool's suppression is not written for a result secgate did
// not suppress: GitHub would close an alert that the gate still counts.
func suppressionsFor(r Result) []*sarif.Suppression {
	var out []*sarif.Suppression
	for _, s := range r.Finding.Suppressions {
		sup := sarif.NewSuppression(firstNonEmpty(s.Kind, "external")).WithStatus("accepted")
		if s.Justification != "" {
			sup.WithJustifcation(s.Justification)
		}
		out = append(out, sup)
	}
	own := sarif.NewSuppression("external").WithStatus("accepted")
	if r.Justification != "" {
		own.WithJustifcation(r.Justification)
	}
	return append(out, own)
}

func resultProperties(r Result, runTool string) sarif.Properties {
	f := r.Finding
	props := sarif.Properties{propSeverity: f.Severity.String()}
	if r.Outcome != "" {
		props[propOutcome] = r.Outcome
	}
	tools := appendNew(nil, f.Tools...)
	if len(tools) == 0 {
		tools = appendNew(tools, firstNonEmpty(f.Tool, runTool))
	}
	slices.Sort(tools)
	props[propTools] = tools

	if p := f.Package; p != nil {
		props[propPackage] = packageJSON{Name: p.Name, Version: p.Version, Type: p.Type,
			PURL: p.PURL, Fixed: p.FixedVersion, Licenses: p.Licenses, Advisories: p.Advisories}
	}
	return props
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
