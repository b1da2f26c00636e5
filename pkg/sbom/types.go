package sbom

import "strings"

// typeAliases maps the ecosystem names that purls, Syft and users write to one
// name each, so that a ban on "golang" matches a Syft "go-module" package and a
// ban on "python" matches a "pypi" purl. Names not listed stand for themselves.
var typeAliases = map[string]string{
	"golang":       "go-module",
	"go":           "go-module",
	"python":       "pypi",
	"java-archive": "maven",
	"java":         "maven",
	"rust-crate":   "cargo",
	"php-composer": "composer",
	"dotnet":       "nuget",
	"alpine":       "apk", // the purl type older syft versions wrote for apk packages
}

// normalizeType returns the one name of an ecosystem, in lowercase.
func normalizeType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if alias, ok := typeAliases[t]; ok {
		return alias
	}
	return t
}

// typeFromPURL reads the type of a package URL ("pkg:npm/lodash@4.17.21" is
// npm), normalised; it returns "" for anything that is not a purl.
func typeFromPURL(purl string) string {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return ""
	}
	rest = strings.TrimLeft(rest, "/")
	t, _, found := strings.Cut(rest, "/")
	if !found || t == "" {
		return ""
	}
	return normalizeType(t)
}

// PackageType returns the ecosystem of a package the way Package.Type holds it:
// from the purl when there is one, else the tool's own type name normalised
// (Syft's "python" is pypi, "java-archive" is maven).
func PackageType(purl, toolType string) string {
	if t := typeFromPURL(purl); t != "" {
		return t
	}
	return normalizeType(toolType)
}
