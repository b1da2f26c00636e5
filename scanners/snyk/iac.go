package snyk

import (
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// iacFinding converts one misconfiguration of `snyk iac test`. The location
// is the IaC file, at the line when Snyk knows it (it writes -1 when not),
// and the resource path ("resource.aws_s3_bucket[logs].acl") as the logical
// location, which stays the same when lines move.
func (c projectContext) iacFinding(is *iacJSON) finding.Finding {
	id := firstText(is.PublicID, is.ID)
	sev, word := severity(is.Severity.String())
	title := firstText(is.Title, is.IaCDescription.Issue, is.Issue)

	f := finding.Finding{
		Tool:         toolName,
		Severity:     sev,
		ToolSeverity: word,
		Rule: finding.Rule{
			ID:          id,
			Name:        title,
			Description: firstText(is.IaCDescription.Issue, is.Issue, is.Title),
			HelpURI:     is.Documentation.String(),
			Tags:        []string{"snyk:iac"},
			Security:    true,
		},
		Message:  iacMessage(is, title, c.p.target()),
		Location: finding.Location{Path: c.manifest(), Logical: is.Msg.String()},
	}
	if t := firstText(is.Type, c.p.ProjectType); t != "" {
		f.Rule.Tags = append(f.Rule.Tags, t)
	}
	if is.LineNumber > 0 {
		f.Location.StartLine, f.Location.EndLine = is.LineNumber, is.LineNumber
	}
	if is.IsIgnored {
		f.Suppressions = []finding.Suppression{{Kind: "external",
			Justification: "ignored in the Snyk policy (.snyk)"}}
	}
	return f
}

// iacMessage says what is wrong with which resource, why it matters and how
// to fix it.
func iacMessage(is *iacJSON, title, file string) string {
	parts := []string{title}
	if m := is.Msg.String(); m != "" {
		parts[0] += ": " + m
	}
	if file != "" {
		parts[0] += " in " + file
	}
	parts[0] += "."
	if impact := firstText(is.IaCDescription.Impact, is.Impact); impact != "" {
		parts = append(parts, sentence(impact))
	}
	if fix := firstText(is.IaCDescription.Resolve, is.Resolve); fix != "" {
		parts = append(parts, "Fix: "+sentence(fix))
	}
	return strings.Join(parts, " ")
}

// sentence ends s with a full stop unless it ends with punctuation already.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?") {
		return s
	}
	return s + "."
}
