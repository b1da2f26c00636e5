package sbom

import (
	"encoding/json"
	"strconv"
	"strings"
)

// osvScannerJSON names the parts of `osv-scanner --format json` that the gate
// reads. Each package lists its OSV records and the groups OSV-Scanner formed
// of records that are one advisory under several ids.
type osvScannerJSON struct {
	Results []struct {
		Source struct {
			Path string `json:"path"`
			Type string `json:"type"`
		} `json:"source"`
		Packages []osvPackage `json:"packages"`
	} `json:"results"`
}

type osvPackage struct {
	Package struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		Ecosystem string `json:"ecosystem"`
	} `json:"package"`
	Vulnerabilities []osvRecord `json:"vulnerabilities"`
	Groups          []osvGroup  `json:"groups"`
}

type osvGroup struct {
	IDs         []string `json:"ids"`
	Aliases     []string `json:"aliases"`
	MaxSeverity string   `json:"max_severity"`
}

type osvRecord struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases"`
	Summary  string   `json:"summary"`
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
			PURL      string `json:"purl"`
		} `json:"package"`
		Ranges []struct {
			Events []map[string]string `json:"events"`
		} `json:"ranges"`
	} `json:"affected"`
	DatabaseSpecific struct {
		Severity string `json:"severity"`
	} `json:"database_specific"`
}

// decodeOSVScannerJSON reads an OSV-Scanner JSON report: one match per package
// and group of records, so that a GHSA and the PYSEC record of the same flaw
// are one finding with both ids, as OSV-Scanner itself counts them.
//
// The location is the scanned lock file; a scanned SBOM is no manifest, so
// packages from one name no file (the SBOM adapter places them by purl).
func decodeOSVScannerJSON(data []byte, source string) (*Report, error) {
	if err := requireKey(data, source, "results", "OSV-Scanner"); err != nil {
		return nil, err
	}
	var doc osvScannerJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(source, data, err)
	}

	rep := &Report{Format: FormatOSVScannerJSON, Tool: "osv-scanner"}
	for _, res := range doc.Results {
		var file string
		if !strings.EqualFold(res.Source.Type, "sbom") {
			file = res.Source.Path
		}
		for _, p := range res.Packages {
			rep.Matches = append(rep.Matches, osvMatches(p, file)...)
		}
	}
	return rep, nil
}

func osvMatches(p osvPackage, file string) []Match {
	pkg := osvPackageOf(p)
	if file != "" {
		pkg.Locations = []string{file}
	}
	byID := make(map[string]osvRecord, len(p.Vulnerabilities))
	for _, r := range p.Vulnerabilities {
		byID[r.ID] = r
	}

	var out []Match
	for _, g := range osvGroups(p) {
		v := Vulnerability{ID: g.IDs[0]}
		for _, id := range append(append([]string{}, g.IDs...), g.Aliases...) {
			v.Aliases = appendAlias(v.Aliases, v.ID, id)
		}
		if s, err := strconv.ParseFloat(strings.TrimSpace(g.MaxSeverity), 64); err == nil {
			v.Score = s
		}
		for _, id := range g.IDs {
			addOSVRecord(&v, byID[id], pkg.Name)
		}
		out = append(out, Match{Vulnerability: v, Package: pkg})
	}
	return out
}

// osvGroups returns the package's groups, or one group per record for reports
// written before OSV-Scanner grouped aliases.
func osvGroups(p osvPackage) []osvGroup {
	var groups []osvGroup
	for _, g := range p.Groups {
		if len(g.IDs) > 0 {
			groups = append(groups, g)
		}
	}
	if len(groups) > 0 {
		return groups
	}
	for _, r := range p.Vulnerabilities {
		groups = append(groups, osvGroup{IDs: []string{r.ID}, Aliases: r.Aliases})
	}
	return groups
}

// addOSVRecord takes from one record of a group its aliases, the severity word
// its database states (GitHub's "MODERATE"), its summary and the versions
// that fix the package.
func addOSVRecord(v *Vulnerability, r osvRecord, name string) {
	for _, a := range r.Aliases {
		v.Aliases = appendAlias(v.Aliases, v.ID, a)
	}
	v.Severity = firstWord(v.Severity, r.DatabaseSpecific.Severity)
	v.Description = firstWord(v.Description, r.Summary)
	for _, a := range r.Affected {
		if !strings.EqualFold(a.Package.Name, name) {
			continue
		}
		for _, rg := range a.Ranges {
			for _, e := range rg.Events {
				v.FixedVersions = appendUnique(v.FixedVersions, e["fixed"])
			}
		}
	}
}

// osvPackageOf builds the package with a purl made from its OSV ecosystem,
// since OSV-Scanner reports name, version and ecosystem but no purl.
func osvPackageOf(p osvPackage) Package {
	name, version := p.Package.Name, p.Package.Version
	purl := osvPURL(p.Package.Ecosystem, name, version)
	return Package{
		Name: name, Version: version, PURL: purl,
		Type: PackageType(purl, p.Package.Ecosystem),
	}
}

// osvPURLTypes maps OSV ecosystem names (before any ":release" suffix, as in
// "Debian:12") to purl types and, for distributions, the purl namespace.
var osvPURLTypes = map[string][2]string{
	"npm":         {"npm", ""},
	"pypi":        {"pypi", ""},
	"go":          {"golang", ""},
	"maven":       {"maven", ""},
	"crates.io":   {"cargo", ""},
	"rubygems":    {"gem", ""},
	"nuget":       {"nuget", ""},
	"packagist":   {"composer", ""},
	"pub":         {"pub", ""},
	"hex":         {"hex", ""},
	"cran":        {"cran", ""},
	"conancenter": {"conan", ""},
	"debian":      {"deb", "debian"},
	"ubuntu":      {"deb", "ubuntu"},
	"alpine":      {"apk", "alpine"},
}

// osvPURL writes a purl for an OSV package, "" for an ecosystem it does not
// know. Maven's "group:artifact" becomes "group/artifact".
func osvPURL(ecosystem, name, version string) string {
	eco, _, _ := strings.Cut(ecosystem, ":")
	t, ok := osvPURLTypes[strings.ToLower(strings.TrimSpace(eco))]
	if !ok || name == "" {
		return ""
	}
	if t[0] == "maven" {
		name = strings.Replace(name, ":", "/", 1)
	}
	purl := "pkg:" + t[0] + "/"
	if t[1] != "" {
		purl += t[1] + "/"
	}
	purl += name
	if version != "" {
		purl += "@" + version
	}
	return purl
}
