package sariflog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/redact"
)

// Names secgate uses in the property bags and fingerprints of its own log.
// Reading honours them, so that a log secgate wrote reads back unchanged.
const (
	propTool             = "secgate/tool"     // driver: the tool's lowercase name
	propOutcome          = "secgate/outcome"  // result: fail, warn, ignore, suppressed
	propTools            = "secgate/tools"    // result: every tool that reported it
	propSeverity         = "secgate/severity" // result: secgate's own severity
	propPackage          = "secgate/package"  // result: the dependency it is about
	propSecuritySeverity = "security-severity"
	fingerprintKey       = "secgate/v1"
	lineHashKey          = "primaryLocationLineHash"
)

// runContext holds what converting the results of one run needs.
type runContext struct {
	rj     *runJSON
	run    *Run
	rules  *ruleTable
	secret bool // the tool finds secrets: its snippets may hold one
}

func newRunContext(rj *runJSON, run *Run) *runContext {
	return &runContext{
		rj:     rj,
		run:    run,
		rules:  newRuleTable(rj),
		secret: isSecretTool(run.Tool.Name),
	}
}

// isSecretTool reports whether a tool detects secrets. Its region snippets
// would put the secret into Finding.Snippet, which the model forbids. The
// list is of known names; a secret scanner not on it is caught only when its
// rules carry a "secret" tag.
func isSecretTool(name string) bool {
	for _, s := range []string{"gitleaks", "trufflehog", "detect-secrets", "ggshield", "secret"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// convertResult turns result i of the run into a finding.
func (rc *runContext) convertResult(i int, res *resultJSON) finding.Finding {
	id, rule, warn := rc.rules.lookup(res)
	if warn != "" {
		rc.run.Warnings = append(rc.run.Warnings, fmt.Sprintf("result %d: %s", i, warn))
	}
	in := rc.rules.info(id, rule)

	f := finding.Finding{
		Tool:        rc.run.Tool.Name,
		ToolVersion: rc.run.Tool.Version,
		Rule:        in.rule,
		Message:     messageOf(res, in),
	}
	// Rules are shared by many findings; each finding gets its own slices.
	f.Rule.CWE = slices.Clone(in.rule.CWE)
	f.Rule.Tags = slices.Clone(in.rule.Tags)
	f.Severity, f.ToolSeverity = severityOf(res, in)
	if _, ok := finding.ParseSecuritySeverity(res.Properties[propSecuritySeverity]); ok {
		f.Rule.Security = true
	}

	var snippet string
	f.Location, snippet = rc.location(res)
	if !rc.secret && !hasTag(f.Rule.Tags, "secret") && !hasTag(f.Rule.Tags, "secrets") {
		f.Snippet = strings.Join(strings.Fields(snippet), " ")
	} else {
		// The snippet is the secret itself (gitleaks puts the match there):
		// withhold it from every output, wherever else the tool repeats it.
		redact.Register(snippet)
	}
	f.Fix = rc.fix(res, f.Location)
	f.Suppressions = suppressionsOf(res)
	readOwnProperties(&f, res)
	return f
}

// location takes the first location that points into a file. A result with
// none keeps its logical location (a class, a URL) and no path, so that it is
// still a finding.
func (rc *runContext) location(res *resultJSON) (finding.Location, string) {
	var loc finding.Location
	for _, l := range res.Locations {
		if l.PhysicalLocation == nil {
			continue
		}
		p, _ := rc.artifactPath(l.PhysicalLocation.ArtifactLocation)
		if p == "" {
			continue
		}
		loc.Path = p
		setRegion(&loc, l.PhysicalLocation.Region)
		loc.Logical = logicalName(l)
		return loc, string(l.PhysicalLocation.Region.Snippet.Text)
	}

	for _, l := range res.Locations {
		if loc.Logical = logicalName(l); loc.Logical != "" {
			break
		}
		if l.PhysicalLocation != nil {
			if _, other := rc.artifactPath(l.PhysicalLocation.ArtifactLocation); other != "" {
				loc.Logical = other
				break
			}
		}
	}
	return loc, ""
}

// artifactPath resolves an artifact location to a decoded file path, or to a
// non-file URI (second value) such as the URL of a DAST alert.
func (rc *runContext) artifactPath(a artifactLocJSON) (path, other string) {
	uri, base := string(a.URI), string(a.URIBaseID)
	if uri == "" && a.Index.set && a.Index.v >= 0 && a.Index.v < len(rc.rj.Artifacts) {
		art := rc.rj.Artifacts[a.Index.v].Location
		uri, base = string(art.URI), firstNonEmpty(string(art.URIBaseID), base)
	}
	if uri == "" {
		return "", ""
	}
	if !isAbsURI(uri) {
		uri = resolveRelative(uri, base, rc.rj.OriginalURIBaseIDs)
	}
	if p, ok := fileFromURI(uri); ok {
		return p, ""
	}
	return "", uri
}

// setRegion copies a region's lines and columns. A missing endLine means the
// start line, as SARIF defines; a missing endColumn stays 0 (end of line).
func setRegion(loc *finding.Location, r regionJSON) {
	start := r.StartLine.get()
	if start <= 0 {
		return
	}
	loc.StartLine = start
	loc.StartColumn = max(0, r.StartColumn.get())
	loc.EndLine = max(start, r.EndLine.get())
	loc.EndColumn = max(0, r.EndColumn.get())
}

func logicalName(l locationJSON) string {
	for _, ll := range l.LogicalLocations {
		if n := firstNonEmpty(string(ll.FullyQualifiedName), string(ll.Name),
			string(ll.DecoratedName)); n != "" {
			return n
		}
	}
	return ""
}

// fix returns the replacement text of the result's fix when there is exactly
// one replacement, it inserts text, and it replaces the flagged region of the
// flagged file: Finding.Fix is by definition a replacement for that region.
// Other fixes (several edits, deletions, other files) are not kept.
func (rc *runContext) fix(res *resultJSON, loc finding.Location) string {
	if !loc.HasFile() || loc.StartLine == 0 {
		return ""
	}
	var found string
	count := 0
	for _, fx := range res.Fixes {
		for _, ch := range fx.ArtifactChanges {
			for _, rp := range ch.Replacements {
				count++
				if rp.InsertedContent == nil || rp.InsertedContent.Text == nil ||
					rp.DeletedRegion.StartLine.get() != loc.StartLine {
					continue
				}
				if p, _ := rc.artifactPath(ch.ArtifactLocation); p != "" && p != loc.Path {
					continue
				}
				found = string(*rp.InsertedContent.Text)
			}
		}
	}
	if count != 1 {
		return ""
	}
	return found
}

// suppressionsOf keeps the suppressions that are in force: accepted, or with
// no status, which SARIF reads as accepted.
func suppressionsOf(res *resultJSON) []finding.Suppression {
	var out []finding.Suppression
	for _, s := range res.Suppressions {
		status := strings.ToLower(strings.TrimSpace(string(s.Status)))
		if status != "" && status != "accepted" {
			continue
		}
		out = append(out, finding.Suppression{
			Kind:          firstNonEmpty(string(s.Kind), "external"),
			Justification: string(s.Justification),
		})
	}
	return out
}

// packageJSON is the shape of the "secgate/package" result property.
type packageJSON struct {
	Name       string   `json:"name"`
	Version    string   `json:"version,omitempty"`
	Type       string   `json:"type,omitempty"`
	PURL       string   `json:"purl,omitempty"`
	Fixed      string   `json:"fixed,omitempty"`
	Licenses   []string `json:"licenses,omitempty"`
	Advisories []string `json:"advisories,omitempty"`
}

// readOwnProperties reads back what secgate writes into its own log: the
// fingerprint, the tools that reported the finding and the package.
func readOwnProperties(f *finding.Finding, res *resultJSON) {
	f.Fingerprint = string(res.PartialFingerprints[fingerprintKey])
	f.Tools = res.Properties.strings(propTools)

	raw, ok := res.Properties[propPackage].(map[string]any)
	if !ok {
		return
	}
	b, err := json.Marshal(raw)
	var p packageJSON
	if err != nil || json.Unmarshal(b, &p) != nil || p.Name == "" {
		return
	}
	f.Package = &finding.Package{Name: p.Name, Version: p.Version, Type: p.Type, PURL: p.PURL,
		FixedVersion: p.Fixed, Licenses: p.Licenses, Advisories: p.Advisories}
}
