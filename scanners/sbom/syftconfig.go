package sbom

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/cataloging"
	"github.com/anchore/syft/syft/cataloging/pkgcataloging"
	"github.com/anchore/syft/syft/pkg"
	"github.com/anchore/syft/syft/pkg/cataloger/cpp"
	"github.com/anchore/syft/syft/pkg/cataloger/golang"
	"github.com/anchore/syft/syft/pkg/cataloger/java"
	"github.com/anchore/syft/syft/pkg/cataloger/javascript"
	"github.com/anchore/syft/syft/pkg/cataloger/python"
	syftsbom "github.com/anchore/syft/syft/sbom"

	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/scanners"
)

// createConfig is Syft's default directory cataloging with every network use
// turned off explicitly, so that a later Syft default cannot turn one on:
//   - Go: no licence downloads from the module proxy, and no go/packages
//     analysis (it runs the go tool, which may download modules); licences are
//     read from the local module cache only.
//   - JavaScript, Python: no npm / PyPI registry lookups for missing licences.
//   - Java: no Maven Central requests for parent POMs, no ~/.m2 reads.
//   - C/C++: no git clones of vcpkg registries.
//
// The sbom-cataloger is removed: it reads SBOM files found in the target as if
// they were installed packages, which in a repository means test fixtures.
func (s *Scanner) createConfig(version string) *syft.CreateSBOMConfig {
	golangCfg := golang.DefaultCatalogerConfig().
		WithSearchRemoteLicenses(false).
		WithUsePackagesLib(false).
		WithSearchLocalModCacheLicenses(true).
		WithLocalModCacheDir(s.GoModCacheDir)

	javaCfg := java.DefaultArchiveCatalogerConfig().WithUseNetwork(false)
	javaCfg.UseMavenLocalRepository = false

	pkgs := pkgcataloging.DefaultConfig().
		WithGolangConfig(golangCfg).
		WithJavaArchiveConfig(javaCfg).
		WithJavascriptConfig(javascript.DefaultCatalogerConfig().WithSearchRemoteLicenses(false)).
		WithPythonConfig(python.DefaultCatalogerConfig().WithSearchRemoteLicenses(false)).
		WithCppConfig(cpp.DefaultCatalogerConfig().WithVcpkgAllowGitClone(false))

	return syft.DefaultCreateSBOMConfig().
		WithTool("syft", version).
		WithPackagesConfig(pkgs).
		WithCatalogerSelection(cataloging.NewSelectionRequest().WithRemovals("sbom-cataloger"))
}

// toDocument converts Syft's model straight into pkg/sbom's, rather than
// decoding the file just written: the SPDX output has no place for a package's
// manifest path, so findings would lose their file whenever only spdx-json is
// asked for, and Syft's model marks which location is the primary evidence.
func toDocument(bom *syftsbom.SBOM) *sbomdoc.Document {
	doc := &sbomdoc.Document{
		Format:      sbomdoc.FormatSyftJSON,
		Tool:        bom.Descriptor.Name,
		SpecVersion: "",
	}
	for _, p := range bom.Artifacts.Packages.Sorted() {
		doc.Packages = append(doc.Packages, sbomdoc.Package{
			Name:      p.Name,
			Version:   p.Version,
			Type:      sbomdoc.PackageType(p.PURL, string(p.Type)),
			PURL:      p.PURL,
			Licenses:  licenses(p),
			Locations: locations(p),
		})
	}
	return doc
}

func licenses(p pkg.Package) []string {
	var out []string
	for _, l := range p.Licenses.ToSlice() {
		v := strings.TrimSpace(l.SPDXExpression)
		if v == "" {
			v = strings.TrimSpace(l.Value)
		}
		if v != "" && !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// locations lists the files a package was found in, primary evidence first,
// relative to the target: a directory source gives paths from its root with a
// leading slash ("/web/package-lock.json").
func locations(p pkg.Package) []string {
	var primary, other []string
	for _, l := range p.Locations.ToSlice() {
		path := strings.TrimPrefix(l.RealPath, "/")
		if path == "" {
			continue
		}
		if l.Annotations[pkg.EvidenceAnnotationKey] == pkg.PrimaryEvidenceAnnotation {
			primary = appendNew(primary, path)
		} else {
			other = appendNew(other, path)
		}
	}
	for _, o := range other {
		primary = appendNew(primary, o)
	}
	return primary
}

func appendNew(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

// logSummary writes which catalogers ran and what they found to the scanner's
// log, read from the configuration audit trail Syft puts in the SBOM.
func logSummary(req scanners.Request, bom *syftsbom.SBOM, doc *sbomdoc.Document) {
	if req.Log == nil {
		return
	}
	fmt.Fprintf(req.Log, "syft %s: %d packages in %s\n",
		bom.Descriptor.Version, len(doc.Packages), req.Target)
	if used := catalogersUsed(bom); len(used) > 0 {
		fmt.Fprintf(req.Log, "syft catalogers: %s\n", strings.Join(used, ", "))
	}
}

// catalogersUsed reads the "catalogers.used" list of Syft's audit trail. The
// trail's type is not exported, so it is read through its JSON form.
func catalogersUsed(bom *syftsbom.SBOM) []string {
	raw, err := json.Marshal(bom.Descriptor.Configuration)
	if err != nil {
		return nil
	}
	var trail struct {
		Catalogers struct {
			Used []string `json:"used"`
		} `json:"catalogers"`
	}
	if json.Unmarshal(raw, &trail) != nil {
		return nil
	}
	sort.Strings(trail.Catalogers.Used)
	return trail.Catalogers.Used
}
