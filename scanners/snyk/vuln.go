package snyk

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// maxPathsShown bounds the dependency paths a message spells out; the rest
// are counted.
const maxPathsShown = 1

// maxUpgradesShown bounds the distinct upgrades a message lists.
const maxUpgradesShown = 3

// issue is one vulnerability in one version of one package, with every
// dependency path that pulls it in. Snyk's JSON repeats the vulnerability
// once per path; secgate reports it once, because it is one thing to fix.
type issue struct {
	v     *vulnJSON // the first entry; the others differ only in their paths
	paths [][]string
	// upgrades are the distinct direct-dependency upgrades that fix it
	// ("express@2.5.11 to express@3.0.0").
	upgrades []string
}

// groupIssues folds the per-path entries into issues, in the order their
// first entries appear.
func groupIssues(entries []vulnJSON) []*issue {
	var out []*issue
	byKey := map[string]*issue{}
	for i := range entries {
		v := &entries[i]
		k := v.ID.String() + "\x00" + v.packageName() + "\x00" + v.Version.String()
		is, ok := byKey[k]
		if !ok {
			is = &issue{v: v}
			byKey[k] = is
			out = append(out, is)
		}
		is.paths = append(is.paths, v.path())
		if up := v.upgrade(); up != "" && !slices.Contains(is.upgrades, up) {
			is.upgrades = append(is.upgrades, up)
		}
	}
	return out
}

// packageName is the vulnerable package. In a container image Snyk's name is
// "source/binary" (zlib/zlib1g) while packageName is the source package that
// the advisory is about.
func (v *vulnJSON) packageName() string {
	return firstText(v.PackageName, v.Name)
}

func (v *vulnJSON) path() []string {
	out := make([]string, 0, len(v.From))
	for _, f := range v.From {
		out = append(out, f.String())
	}
	return out
}

// upgrade describes the upgrade of a direct dependency that fixes this path:
// upgradePath holds, at each position of the path, the version to move to,
// with false where nothing changes. The first change is the one to make.
func (v *vulnJSON) upgrade() string {
	if !v.IsUpgradable {
		return ""
	}
	for i, to := range v.UpgradePath {
		if i == 0 || to.String() == "" {
			continue
		}
		if i < len(v.From) && v.From[i].String() != to.String() {
			return v.From[i].String() + " to " + to.String()
		}
		return to.String()
	}
	return ""
}

// severityWord is Snyk's word for the issue. severityWithCritical is preferred:
// reports from before Snyk had "critical" cap severity at high and carry the
// real word there.
func (v *vulnJSON) severityWord() string {
	return strings.ToLower(firstText(v.SeverityWithCritical, v.Severity))
}

// isLicense reports a licence issue rather than a vulnerability.
func (v *vulnJSON) isLicense() bool {
	return strings.EqualFold(v.Type.String(), "license")
}

// vulnFinding converts one issue of a dependency or image scan.
func (c projectContext) vulnFinding(is *issue, sup []finding.Suppression) finding.Finding {
	v := is.v
	name, version := v.packageName(), v.Version.String()
	sev, word := severity(v.severityWord())

	f := finding.Finding{
		Tool:         toolName,
		Severity:     sev,
		ToolSeverity: word,
		Rule: finding.Rule{
			ID:          v.ID.String(),
			Name:        v.Title.String(),
			Description: fmt.Sprintf("%s in %s", v.Title.String(), name),
			HelpURI:     helpURI(v),
			CWE:         cweIDs(v.identifiers("CWE")),
			Tags:        []string{c.productTag(), ecosystem(v, c.p)},
			Security:    !v.isLicense(),
		},
		Message:      c.vulnMessage(is),
		Location:     finding.Location{Path: c.manifest(), Logical: c.logical(name, version)},
		Package:      c.pkg(v, name, version),
		Suppressions: sup,
	}
	f.Rule.Tags = slices.DeleteFunc(f.Rule.Tags, func(t string) bool { return t == "" })
	return f
}

// logical names what the finding is about beside its file: the package, and
// inside an image the application's file too. The image name is left out:
// it changes with every tag, and findings must keep their identity.
func (c projectContext) logical(name, version string) string {
	at := name + "@" + version
	if c.image.isContainer() && c.p != c.image {
		if t := c.p.TargetFile.String(); t != "" {
			return t + " " + at
		}
	}
	return at
}

// vulnMessage says what, where, how it got there and how to fix it.
func (c projectContext) vulnMessage(is *issue) string {
	v := is.v
	var b strings.Builder
	fmt.Fprintf(&b, "%s in %s@%s (%s)", v.Title.String(), v.packageName(),
		v.Version.String(), v.ID.String())
	if c.image.isContainer() {
		fmt.Fprintf(&b, " in image %s", c.image.Path.String())
	}
	if v.isLicense() && v.License.String() != "" {
		fmt.Fprintf(&b, ", licence %s", v.License.String())
	}
	b.WriteString(". ")
	if len(is.paths) > 0 && len(is.paths[0]) > 0 {
		b.WriteString("Introduced through " + pathList(is.paths) + ". ")
	}
	b.WriteString(fixText(is, c.p.pin(v.ID.String())))
	return b.String()
}

// pathList spells out the first dependency paths and counts the others.
func pathList(paths [][]string) string {
	var shown []string
	for _, p := range paths[:min(len(paths), maxPathsShown)] {
		shown = append(shown, strings.Join(p, " > "))
	}
	s := strings.Join(shown, "; ")
	if rest := len(paths) - len(shown); rest == 1 {
		s += " and 1 other path"
	} else if rest > 1 {
		s += fmt.Sprintf(" and %d other paths", rest)
	}
	return s
}

// fixText says whether and how the issue can be fixed: an upgrade of a direct
// dependency, a pin, a Snyk patch, a fixed version, or none.
func fixText(is *issue, pin string) string {
	v := is.v
	fixed := fixedVersion(v)
	switch {
	case len(is.upgrades) > 0:
		ups := is.upgrades[:min(len(is.upgrades), maxUpgradesShown)]
		s := "Fix: upgrade " + strings.Join(ups, ", ")
		if rest := len(is.upgrades) - len(ups); rest > 0 {
			s += fmt.Sprintf(" and %d more", rest)
		}
		return s + "."
	case pin != "":
		return "Fix: pin " + pin + "."
	case v.IsPatchable:
		return "Fix: a Snyk patch is available; no upgrade fixes it yet."
	case fixed != "":
		return fmt.Sprintf("Fixed in %s %s.", v.packageName(), fixed)
	}
	return "No fix is available yet."
}

// pin returns Snyk's pin advice for an issue ("django@1.6.1 to django@1.6.3"),
// or "".
func (p *projectJSON) pin(id string) string {
	for from, pin := range p.Remediation.Pin {
		for _, v := range pin.Vulns {
			if v.String() == id {
				return from + " to " + pin.UpgradeTo.String()
			}
		}
	}
	return ""
}

// helpURI is Snyk's page for the advisory. Licence issues have no page.
func helpURI(v *vulnJSON) string {
	if v.isLicense() || v.ID.String() == "" {
		return ""
	}
	return "https://security.snyk.io/vuln/" + v.ID.String()
}

// severities maps Snyk's words; Snyk has exactly these four.
var severities = map[string]finding.Severity{
	"critical": finding.SeverityCritical,
	"high":     finding.SeverityHigh,
	"medium":   finding.SeverityMedium,
	"low":      finding.SeverityLow,
}

// severity maps a Snyk severity word, returned in lowercase beside it. A word
// Snyk has not used before is taken as medium rather than info, so that an
// unfamiliar issue cannot quietly pass a gate set at medium; docs/severity.md
// says so, and severity_map can override it.
func severity(word string) (finding.Severity, string) {
	word = strings.ToLower(strings.TrimSpace(word))
	if s, ok := severities[word]; ok {
		return s, word
	}
	return finding.SeverityMedium, word
}

var cweID = regexp.MustCompile(`(?i)^CWE-0*([1-9][0-9]*)$`)

// cweIDs normalizes CWE ids to "CWE-<n>", dropping what is not one.
func cweIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		m := cweID.FindStringSubmatch(strings.TrimSpace(id))
		if m != nil && !slices.Contains(out, "CWE-"+m[1]) {
			out = append(out, "CWE-"+m[1])
		}
	}
	return out
}
