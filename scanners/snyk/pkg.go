package snyk

import (
	"net/url"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/sbom"
)

// purlTypes maps Snyk's package managers to package-URL types. Snyk names
// the build tool (yarn, gradle, poetry); the purl names the registry.
var purlTypes = map[string]string{
	"npm": "npm", "yarn": "npm", "pnpm": "npm",
	"maven": "maven", "gradle": "maven", "sbt": "maven",
	"pip": "pypi", "poetry": "pypi", "pipenv": "pypi", "setuptools": "pypi",
	"gomodules": "golang", "golangdep": "golang", "govendor": "golang", "golang": "golang",
	"rubygems": "gem", "bundler": "gem",
	"nuget": "nuget", "paket": "nuget",
	"composer":  "composer",
	"cocoapods": "cocoapods",
	"cargo":     "cargo",
	"hex":       "hex",
	"swift":     "swift",
	"deb":       "deb", "debian": "deb", "ubuntu": "deb",
	"apk": "apk", "alpine": "apk",
	"rpm": "rpm", "rhel": "rpm", "centos": "rpm", "amzn": "rpm", "sles": "rpm",
}

// osTypes are the purl types of operating-system packages, whose purls need
// the distribution as a namespace, which Snyk's JSON does not give.
var osTypes = []string{"deb", "apk", "rpm"}

// ecosystem returns the purl type of a vulnerability's package: from its own
// package manager ("debian:10" in an image), else its project's.
func ecosystem(v *vulnJSON, p *projectJSON) string {
	pm := firstText(v.PackageManager, p.PackageManager)
	pm, _, _ = strings.Cut(strings.ToLower(pm), ":")
	if t, ok := purlTypes[pm]; ok {
		return t
	}
	return pm
}

// pkg describes the vulnerable package: its purl and ecosystem, the version
// that fixes it, and every advisory id the report gives for it, so that the
// same advisory found by another tool under another id can be matched.
func (c projectContext) pkg(v *vulnJSON, name, version string) *finding.Package {
	typ := ecosystem(v, c.p)
	purl := packageURL(typ, name, version)
	p := &finding.Package{
		Name:         name,
		Version:      version,
		Type:         sbom.PackageType(purl, typ),
		PURL:         purl,
		FixedVersion: fixedVersion(v),
		Advisories:   advisories(v),
	}
	if l := v.License.String(); v.isLicense() && l != "" {
		p.Licenses = []string{l}
	}
	return p
}

// advisories lists the CVE and GHSA ids first, then Snyk's own id.
func advisories(v *vulnJSON) []string {
	var out []string
	for _, kind := range []string{"CVE", "GHSA"} {
		for _, id := range v.identifiers(kind) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	if id := v.ID.String(); id != "" && !v.isLicense() && !slices.Contains(out, id) {
		out = append(out, id)
	}
	return out
}

// packageURL builds the purl of a package of a language ecosystem, or ""
// where the purl would need facts the report lacks (an OS distribution) or
// the version is not one (a Go pseudo-version Snyk writes as "#c2843e01d9a2").
func packageURL(typ, name, version string) string {
	if name == "" || version == "" || strings.HasPrefix(version, "#") ||
		slices.Contains(osTypes, typ) {
		return ""
	}
	var segs []string
	switch typ {
	case "npm", "golang", "composer":
		segs = strings.Split(name, "/")
	case "maven":
		segs = strings.Split(name, ":")
	case "pypi":
		segs = []string{strings.ReplaceAll(strings.ToLower(name), "_", "-")}
	case "gem", "nuget", "cargo", "hex", "cocoapods", "swift":
		segs = []string{name}
	default:
		return ""
	}
	for i, s := range segs {
		segs[i] = purlEscape(s)
	}
	return "pkg:" + typ + "/" + strings.Join(segs, "/") + "@" + purlEscape(version)
}

// purlEscape percent-encodes one purl segment; "@" too, which separates the
// version ("@babel/core" is "%40babel/core").
func purlEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "@", "%40")
}

// fixedVersion is the version of the package that fixes the issue: the one
// Snyk calls nearest, else the lowest listed fix above the installed version,
// else the first listed when the versions cannot be compared.
func fixedVersion(v *vulnJSON) string {
	if n := v.NearestFixedInVersion.String(); n != "" {
		return n
	}
	var fixes []string
	for _, f := range v.FixedIn {
		if s := f.String(); s != "" {
			fixes = append(fixes, s)
		}
	}
	return nearestFix(v.Version.String(), fixes)
}

// nearestFix picks, among fixed versions, the lowest one above installed.
// Fix lists hold one version per maintained branch ("2.2.1, 3.0.1, 4.0.3,
// 1.2.3"); the nearest above is the smallest upgrade.
func nearestFix(installed string, fixes []string) string {
	if len(fixes) == 0 {
		return ""
	}
	cur, err := semver.NewVersion(installed)
	if err != nil {
		return fixes[0]
	}
	var best *semver.Version
	bestText := ""
	for _, f := range fixes {
		fv, err := semver.NewVersion(f)
		if err != nil {
			return fixes[0]
		}
		if fv.GreaterThan(cur) && (best == nil || fv.LessThan(best)) {
			best, bestText = fv, f
		}
	}
	if best == nil {
		return fixes[0]
	}
	return bestText
}
