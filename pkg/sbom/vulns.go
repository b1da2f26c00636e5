package sbom

import (
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// VulnerabilityFindings turns the vulnerabilities a CycloneDX document carries
// (grype, trivy and OSS Index write them) into findings: one per vulnerability
// and affected package, or one without a package when none is named.
//
// Tool is doc.Tool in lowercase ("sbom" when the document names none), the rule
// id is the vulnerability id, and the severity comes from the first rating
// that states a severity word, else from the first score; a vulnerability with
// neither is info, so that it is listed but does not block by default.
func VulnerabilityFindings(doc *Document) []finding.Finding {
	if doc == nil {
		return nil
	}
	tool := strings.ToLower(strings.TrimSpace(doc.Tool))
	if tool == "" {
		tool = ToolName
	}
	byPURL := map[string]Package{}
	for _, p := range doc.Packages {
		if p.PURL != "" {
			byPURL[p.PURL] = p
		}
	}

	var out []finding.Finding
	for _, v := range doc.Vulnerabilities {
		refs := v.PackageRefs
		if len(refs) == 0 {
			refs = []string{""}
		}
		for _, ref := range refs {
			out = append(out, vulnFinding(tool, v, affected(byPURL, ref)))
		}
	}
	return out
}

// affected finds the package a ref names: by exact purl, then by purl without
// qualifiers ("?package-id=..."), else a package known only by that ref.
func affected(byPURL map[string]Package, ref string) Package {
	if ref == "" {
		return Package{}
	}
	if p, ok := byPURL[ref]; ok {
		return p
	}
	base, _, _ := strings.Cut(ref, "?")
	if p, ok := byPURL[base]; ok {
		return p
	}
	return Package{Name: ref, PURL: ref, Type: typeFromPURL(ref)}
}

func vulnFinding(tool string, v Vulnerability, p Package) finding.Finding {
	sev, stated := vulnSeverity(v)
	f := finding.Finding{
		Tool:         tool,
		Tools:        []string{tool},
		Rule:         finding.Rule{ID: v.ID, Name: v.ID, Description: v.Description, Security: true},
		Severity:     sev,
		ToolSeverity: stated,
		Message:      v.ID,
	}
	if p.Name == "" {
		return f
	}

	f.Message += " in " + describe(p)
	f.Location = packageLocation(p)
	f.Package = &finding.Package{
		Name: p.Name, Version: p.Version, Type: p.Type, PURL: p.PURL,
		Licenses:   append([]string(nil), p.Licenses...),
		Advisories: append([]string{v.ID}, v.Aliases...),
	}
	if len(v.FixedVersions) > 0 {
		f.Package.FixedVersion = v.FixedVersions[0]
		f.Message += "; fixed in " + strings.Join(v.FixedVersions, ", ")
	}
	return f
}

// vulnSeverity maps the stated severity word, falling back to the score, and
// returns what was stated for ToolSeverity.
func vulnSeverity(v Vulnerability) (finding.Severity, string) {
	if s, ok := finding.SeverityFromLabel(v.Severity); ok {
		return s, v.Severity
	}
	if v.Score > 0 {
		return finding.SeverityFromScore(v.Score), strconv.FormatFloat(v.Score, 'f', -1, 64)
	}
	return finding.SeverityInfo, v.Severity
}
