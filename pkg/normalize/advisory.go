package normalize

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// mergeAdvisories folds a dependency finding into an earlier one from other
// tools when both are about the same package and version and share an
// advisory id. The ids come from the reports themselves: a finding's rule id
// and its package's advisories, which adapters fill with the aliases the tool
// gave (Grype's related vulnerabilities, OSV-Scanner's groups, CycloneDX
// references), so a CVE from one tool meets its GHSA from another.
//
// Two findings of one tool are never folded, as in mergeAcrossTools. A
// finding that names a file is folded only into one naming the same file or
// none: the same package installed twice is two findings. Sharing is checked
// pairwise, never by chains of aliases, so one tool's odd alias cannot pull
// unrelated advisories together. It returns how many findings of each tool
// were folded into each other tool's.
func mergeAdvisories(items []*item) ([]*item, map[[2]string]int) {
	groups := make(map[string][]*item)
	merged := make(map[[2]string]int)
	out := items[:0]
	for _, it := range items {
		key, ok := packageKey(it.f.Package)
		if !ok || len(advisoryIDs(&it.f)) == 0 {
			out = append(out, it)
			continue
		}
		if dst := sameAdvisory(groups[key], it); dst != nil {
			merged[[2]string{it.f.Tool, dst.f.Tool}]++
			absorbAdvisory(&dst.f, &it.f)
			continue
		}
		groups[key] = append(groups[key], it)
		out = append(out, it)
	}
	return out, merged
}

// sameAdvisory returns the first finding in group that shares an advisory id
// with it, sits in a compatible file, and that none of its tools reported.
func sameAdvisory(group []*item, it *item) *item {
	ids := advisoryIDs(&it.f)
	for _, g := range group {
		if otherTools([]*item{g}, it.f.Tools) == nil {
			continue
		}
		p, q := g.f.Location.Path, it.f.Location.Path
		if p != "" && q != "" && p != q {
			continue
		}
		if slices.ContainsFunc(advisoryIDs(&g.f), func(id string) bool {
			return slices.Contains(ids, id)
		}) {
			return g
		}
	}
	return nil
}

// absorbAdvisory folds src into dst as absorb does, and also keeps every
// advisory id, a fixed version and purl dst lacked, and src's file when dst
// has none (a match on an image names no file; one on a lock file does).
func absorbAdvisory(dst, src *finding.Finding) {
	absorb(dst, src)
	if dst.Location.Path == "" && src.Location.Path != "" {
		dst.Location.Path = src.Location.Path
		dst.Location.StartLine = src.Location.StartLine
	}
	if src.Package == nil || dst.Package == src.Package {
		return
	}
	p := *dst.Package
	p.Advisories = unionKeepOrder(p.Advisories, src.Package.Advisories)
	fill(&p.FixedVersion, src.Package.FixedVersion)
	fill(&p.PURL, src.Package.PURL)
	fill(&p.Type, src.Package.Type)
	dst.Package = &p
}

// unionKeepOrder appends to a (in a new slice) the ids of b it lacks, so the
// surviving finding's own id stays first.
func unionKeepOrder(a, b []string) []string {
	out := slices.Clone(a)
	for _, id := range b {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// advisoryPattern matches the ids that name an advisory rather than a tool's
// own rule: CVE, GHSA, and the OSV databases' prefixes (PYSEC, GO, RUSTSEC,
// DSA, ...), which all have the form PREFIX-rest.
var advisoryPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9:._-]*$`)

// advisoryIDs returns a finding's advisory ids in upper case: its package's
// advisories and its rule id when that looks like one.
func advisoryIDs(f *finding.Finding) []string {
	var ids []string
	add := func(id string) {
		id = strings.ToUpper(strings.TrimSpace(id))
		if id != "" && advisoryPattern.MatchString(id) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if f.Package != nil {
		for _, a := range f.Package.Advisories {
			add(a)
		}
	}
	if f.Package != nil && len(f.Package.Advisories) > 0 {
		add(f.Rule.ID)
	}
	return ids
}

// packageKey identifies a package across tools: its ecosystem, full name and
// version. Tools spell these differently (Grype names a Maven artifact
// "log4j-core", OSV-Scanner "org.apache.logging.log4j:log4j-core"), so the
// purl decides when there is one.
func packageKey(p *finding.Package) (string, bool) {
	if p == nil {
		return "", false
	}
	typ, name, version := purlParts(p.PURL)
	if name == "" {
		typ, name = ecosystem(p.Type), p.Name
	}
	if p.Version != "" {
		version = p.Version
	}
	if name == "" || version == "" {
		return "", false
	}
	if typ == "pypi" {
		name = pep503.ReplaceAllString(name, "-")
	}
	return fmt.Sprintf("%s\x00%s\x00%s", typ, strings.ToLower(name), version), true
}

var pep503 = regexp.MustCompile(`[-_.]+`)

// purlParts reads "pkg:type/namespace/name@version?qualifiers#subpath". The
// name includes the namespace where it is part of the name (npm scopes, Go
// module paths, Maven groups as "group:artifact"); distributions' namespaces
// ("debian", "alpine") are not.
func purlParts(purl string) (typ, name, version string) {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return "", "", ""
	}
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	typ, rest, ok = strings.Cut(strings.TrimLeft(rest, "/"), "/")
	if !ok {
		return "", "", ""
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest, version = rest[:at], unescape(rest[at+1:])
	}
	typ = ecosystem(typ)
	ns, base := "", rest
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		ns, base = rest[:i], rest[i+1:]
	}
	switch {
	case ns == "" || distroTypes[typ]:
		name = base
	case typ == "maven":
		name = ns + ":" + base
	default:
		name = ns + "/" + base
	}
	return typ, unescape(name), version
}

// distroTypes are the purl types whose namespace is the distribution.
var distroTypes = map[string]bool{"deb": true, "rpm": true, "apk": true, "alpm": true}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// ecosystems maps the names tools give an ecosystem to one word.
var ecosystems = map[string]string{
	"golang": "go", "go-module": "go", "gomodules": "go",
	"python": "pypi", "pip": "pypi", "poetry": "pypi",
	"java": "maven", "java-archive": "maven", "gradle": "maven",
	"rust-crate": "cargo", "crates.io": "cargo",
	"rubygems": "gem", "php-composer": "composer", "packagist": "composer",
	"dotnet": "nuget", "yarn": "npm", "pnpm": "npm",
}

func ecosystem(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if e, ok := ecosystems[t]; ok {
		return e
	}
	return t
}
