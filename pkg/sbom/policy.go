package sbom

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// The rule ids of the policy findings, as policy rules match them ("sbom:license-denied").
const (
	RuleLicenseDenied     = "license-denied"
	RuleLicenseNotAllowed = "license-not-allowed"
	RuleLicenseUnknown    = "license-unknown"
	RulePackageBanned     = "package-banned"
)

// ToolName is the Tool of every policy finding.
const ToolName = "sbom"

// Evaluate applies the licence and package policy to every package of doc.
//
// Licences: a package's licence entries are combined with AND, because an SBOM
// lists every licence found for a package and cannot say whether they were a
// choice; each entry may itself be an SPDX expression, whose OR and AND are
// honoured (see licenseExpr.denied and allowed). A package with a denied
// licence gets one license-denied finding; otherwise, when Allow is set, a
// package whose licences cannot be satisfied from Allow gets one
// license-not-allowed finding, and a package that states no licence at all
// gets one license-unknown finding at low severity (or lic.Severity if that is
// lower), so that it is listed without blocking by default; a policy rule on
// "sbom:license-unknown" can make it block. Without Allow, a missing licence is
// not a finding.
//
// Packages: see banMatches. Severities come from lic.Severity and pk.Severity
// as given; config.Load fills their default (high).
func Evaluate(doc *Document, lic config.Licenses, pk config.Packages) []finding.Finding {
	if doc == nil {
		return nil
	}
	deny, allow := newLicenseSet(lic.Deny), newLicenseSet(lic.Allow)
	bans := compileBans(pk.Deny)

	var out []finding.Finding
	seen := map[string]bool{}
	add := func(f finding.Finding) {
		if k := f.Key(); !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}

	for _, p := range doc.Packages {
		if f, ok := licenseFinding(p, lic, deny, allow); ok {
			add(f)
		}
		for _, b := range bans {
			if hit, note := b.matches(p); hit {
				add(banFinding(p, b, note, pk.Severity))
			}
		}
	}
	return out
}

func licenseFinding(p Package, lic config.Licenses, deny, allow licenseSet) (finding.Finding, bool) {
	expr := packageLicense(p)
	if expr == nil {
		if len(allow) == 0 {
			return finding.Finding{}, false
		}
		sev := min(lic.Severity, finding.SeverityLow)
		return policyFinding(p, RuleLicenseUnknown, sev, false,
			fmt.Sprintf("%s states no licence, and only allowed licences may be used", describe(p))), true
	}

	text := strings.Join(p.Licenses, " AND ")
	if len(deny) > 0 && expr.denied(deny) {
		ids := expr.leaves(deny.has)
		return policyFinding(p, RuleLicenseDenied, lic.Severity, false,
			fmt.Sprintf("%s is licensed %q: %s denied", describe(p), text, listWords(ids))), true
	}
	if len(allow) > 0 && !expr.allowed(allow) {
		ids := expr.leaves(func(l *licenseExpr) bool { return !allow.has(l) })
		return policyFinding(p, RuleLicenseNotAllowed, lic.Severity, false,
			fmt.Sprintf("%s is licensed %q: %s not in the allowed licences",
				describe(p), text, listWords(ids))), true
	}
	return finding.Finding{}, false
}

// packageLicense combines a package's licence entries with AND; nil when it has none.
func packageLicense(p Package) *licenseExpr {
	var kids []*licenseExpr
	for _, l := range p.Licenses {
		if strings.TrimSpace(l) != "" {
			kids = append(kids, parseLicense(l))
		}
	}
	switch len(kids) {
	case 0:
		return nil
	case 1:
		return kids[0]
	}
	return &licenseExpr{op: "AND", kids: kids}
}

// listWords joins licence ids for a message: "AGPL-3.0-only is",
// "GPL-2.0-only and GPL-3.0-only are".
func listWords(ids []string) string {
	switch len(ids) {
	case 0:
		return "a licence is"
	case 1:
		return ids[0] + " is"
	}
	return strings.Join(ids[:len(ids)-1], ", ") + " and " + ids[len(ids)-1] + " are"
}

// ban is a PackageBan with its version range parsed once.
type ban struct {
	config.PackageBan
	constraint *semver.Constraints
	badRange   error
}

func compileBans(list []config.PackageBan) []ban {
	out := make([]ban, 0, len(list))
	for _, b := range list {
		c := ban{PackageBan: b}
		if strings.TrimSpace(b.Versions) != "" {
			c.constraint, c.badRange = semver.NewConstraint(b.Versions)
		}
		out = append(out, c)
	}
	return out
}

// matches reports whether a ban applies to p, and a note when it applies only
// because the versions could not be compared. Names compare case-insensitively
// (pypi names also with PEP 503 folding of "-", "_" and "."); a ban's Type, when
// set, must name the package's ecosystem (aliases as in normalizeType).
//
// A version that semver cannot parse (a Debian epoch "2:8.39-13", a Python
// "1.0.post1", a missing version), or a range that does not parse, is treated as
// matching: the gate fails closed, and the message says why, so the fix is a
// suppression or a better range rather than a ban that silently never fires.
func (b ban) matches(p Package) (bool, string) {
	if !sameName(b.Name, p.Name, p.Type) {
		return false, ""
	}
	if b.Type != "" && normalizeType(b.Type) != p.Type {
		return false, ""
	}
	if strings.TrimSpace(b.Versions) == "" {
		return true, ""
	}
	if b.badRange != nil {
		return true, fmt.Sprintf("the range %q is not a valid semver range (%v), so the ban "+
			"applies to every version", b.Versions, b.badRange)
	}
	v, err := semver.NewVersion(p.Version)
	if err != nil {
		return true, fmt.Sprintf("version %q cannot be compared with %q, so the ban applies",
			p.Version, b.Versions)
	}
	return b.constraint.Check(v), ""
}

var pep503 = regexp.MustCompile(`[-_.]+`)

func sameName(want, got, typ string) bool {
	if typ == "pypi" {
		want = pep503.ReplaceAllString(want, "-")
		got = pep503.ReplaceAllString(got, "-")
	}
	return strings.EqualFold(strings.TrimSpace(want), got)
}

func banFinding(p Package, b ban, note string, sev finding.Severity) finding.Finding {
	msg := describe(p) + " is a banned package"
	if b.Versions != "" {
		msg += fmt.Sprintf(" (banned versions %s)", b.Versions)
	}
	if b.Reason != "" {
		msg += ": " + b.Reason
	}
	if note != "" {
		msg += "; " + note
	}
	return policyFinding(p, RulePackageBanned, sev, true, msg)
}

var ruleNames = map[string]string{
	RuleLicenseDenied:     "Denied licence",
	RuleLicenseNotAllowed: "Licence not in the allow list",
	RuleLicenseUnknown:    "Unknown licence",
	RulePackageBanned:     "Banned package",
}

func policyFinding(p Package, rule string, sev finding.Severity, security bool, msg string) finding.Finding {
	return finding.Finding{
		Tool:     ToolName,
		Tools:    []string{ToolName},
		Rule:     finding.Rule{ID: rule, Name: ruleNames[rule], Security: security},
		Severity: sev,
		Message:  msg,
		Location: packageLocation(p),
		Package: &finding.Package{
			Name: p.Name, Version: p.Version, Type: p.Type, PURL: p.PURL,
			Licenses: append([]string(nil), p.Licenses...),
		},
	}
}

// packageLocation points at the first manifest declaring the package, and names
// the package by purl (or name@version when it has none) as the logical location.
func packageLocation(p Package) finding.Location {
	loc := finding.Location{Logical: p.PURL}
	if loc.Logical == "" {
		loc.Logical = nameVersion(p)
	}
	if len(p.Locations) > 0 {
		loc.Path = p.Locations[0]
	}
	return loc
}

// describe names a package in messages: "lodash@4.17.20 (npm)".
func describe(p Package) string {
	s := nameVersion(p)
	if p.Type != "" {
		s += " (" + p.Type + ")"
	}
	return s
}

func nameVersion(p Package) string {
	if p.Version == "" {
		return p.Name
	}
	return p.Name + "@" + p.Version
}
