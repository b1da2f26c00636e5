// Package sbom is the SBOM adapter: it generates an SBOM of the target directory
// with Syft, linked into secgate as a library (this is the only package that
// imports Syft), writes it in the formats the config asks for, and applies the
// licence and package policy of package pkg/sbom to the packages found.
package sbom

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/format/cyclonedxjson"
	"github.com/anchore/syft/syft/format/spdxjson"
	"github.com/anchore/syft/syft/format/syftjson"
	syftsbom "github.com/anchore/syft/syft/sbom"
	"github.com/anchore/syft/syft/source"
	"github.com/anchore/syft/syft/source/directorysource"

	// Syft's RPM cataloger (rpmdb.sqlite) and Nix cataloger open databases
	// through database/sql with the driver name "sqlite" and register no driver
	// themselves; syft's own main and examples import this pure-Go one.
	_ "modernc.org/sqlite"

	"github.com/secgate/secgate/pkg/config"
	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// syftModule is the module path whose version Detect reports.
const syftModule = "github.com/anchore/syft"

// syftModuleVersion is the Syft version in go.mod, reported when the binary's
// build information does not list Syft (a stripped binary). It must be kept in
// sync with go.mod by hand; TestSyftVersionMatchesGoMod fails when it is not.
const syftModuleVersion = "v1.57.2"

// The SBOM files Run writes, one per format, into Request.OutDir.
var outputFiles = map[string]string{
	sbomdoc.FormatCycloneDXJSON: "sbom.cdx.json",
	sbomdoc.FormatSPDXJSON:      "sbom.spdx.json",
	sbomdoc.FormatSyftJSON:      "sbom.syft.json",
}

// Scanner is the SBOM adapter. Its fields are settings for tests and callers;
// New gives the defaults.
type Scanner struct {
	// GoModCacheDir is where Go module licences are read from (syft looks in the
	// module cache, never on the network). Empty: $GOPATH/pkg/mod or ~/go/pkg/mod.
	GoModCacheDir string

	// Exec runs a vulnerability matcher and LookPath finds one; nil means
	// toolexec.Run and exec.LookPath. Tests replace them.
	Exec     func(ctx context.Context, c toolexec.Cmd) (*toolexec.Result, error)
	LookPath func(file string) (string, error)

	// readBuildInfo reads the running binary's module versions.
	readBuildInfo func() (*debug.BuildInfo, bool)
}

var (
	_ scanners.Scanner      = (*Scanner)(nil)
	_ scanners.ReportReader = (*Scanner)(nil)
)

// New returns the SBOM adapter with its defaults.
func New() *Scanner {
	return &Scanner{readBuildInfo: debug.ReadBuildInfo, Exec: toolexec.Run,
		LookPath: exec.LookPath}
}

// Name is the adapter's type name in the config.
func (s *Scanner) Name() string { return "sbom" }

// ReadsReport tells the registry that this adapter reads `report:` itself:
// for the sbom scanner it is a vulnerability matcher's report, imported
// beside the SBOM, whose packages the licence policy still needs.
func (s *Scanner) ReadsReport() bool { return true }

// Detect reports the adapter installed, since Syft is linked in, unless the
// config names a vulnerability matcher that is missing. The version is
// Syft's, and the matcher's after it.
func (s *Scanner) Detect(ctx context.Context, cfg config.Scanner) scanners.Detection {
	d := scanners.Detection{Installed: true, Version: s.syftVersion()}
	m, path, err := s.pickMatcher(cfg.Vulnerabilities)
	if err != nil {
		d.Installed = false
		d.Hint = fmt.Sprintf("%v; set scanners.%s.vulnerabilities: none to go without",
			err, cfg.Name)
		if found, ok := findMatcher(cfg.Vulnerabilities); ok {
			d.Missing = found.name
			d.Hint = fmt.Sprintf("%s, or set scanners.%s.vulnerabilities: none",
				found.hint, cfg.Name)
		}
		return d
	}
	if m.name != "" {
		d.Path = path
		d.Version += "; " + m.name + " " + s.toolVersion(ctx, path)
	}
	return d
}

// syftVersion reads Syft's version from the build information, falling back to
// the go.mod version. Test binaries list their dependencies too, but a binary
// built with -trimpath and stripped of its build info does not.
func (s *Scanner) syftVersion() string {
	read := s.readBuildInfo
	if read == nil {
		read = debug.ReadBuildInfo
	}
	if info, ok := read(); ok {
		for _, d := range info.Deps {
			if d.Path != syftModule {
				continue
			}
			if d.Replace != nil && d.Replace.Version != "" {
				return d.Replace.Version
			}
			if d.Version != "" && d.Version != "(devel)" {
				return d.Version
			}
		}
	}
	return syftModuleVersion
}

// Run gets the SBOM (generated from req.Target, or read from the input the
// config names), applies the licence and package policy to its packages, and
// matches them against known vulnerabilities when the config asks for it.
func (s *Scanner) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	m, bin, err := s.pickMatcher(req.Settings.Vulnerabilities)
	if err != nil {
		return nil, err
	}
	var src *sbomSource
	if req.Settings.Input != "" {
		src, err = readInput(req)
	} else {
		src, err = s.generate(ctx, req)
	}
	if err != nil {
		return nil, err
	}

	res := src.res
	var lic config.Licenses
	var pk config.Packages
	if req.Config != nil {
		lic, pk = req.Config.Licenses, req.Config.Packages
	}
	// An SBOM read from input may carry vulnerabilities of its own (Grype and
	// Trivy write them into CycloneDX); a generated one carries none.
	res.Findings = append(sbomdoc.VulnerabilityFindings(src.doc),
		sbomdoc.Evaluate(src.doc, lic, pk)...)

	rep, err := s.vulnerabilities(ctx, req, m, bin, src)
	if err != nil {
		return nil, err
	}
	addReport(res, rep, src.doc)
	return res, nil
}

// sbomSource is the SBOM a run works on, generated or read.
type sbomSource struct {
	doc *sbomdoc.Document
	res *scanners.Result
	// sbomFor returns a file holding the SBOM in a form the matcher reads.
	sbomFor func(m matcher) (string, error)
}

// generate catalogs req.Target with Syft and writes the SBOM files.
func (s *Scanner) generate(ctx context.Context, req scanners.Request) (*sbomSource, error) {
	formats, err := outputFormats(req.Settings.Formats)
	if err != nil {
		return nil, err
	}

	version := s.syftVersion()
	bom, err := s.catalog(ctx, req, version)
	if err != nil {
		return nil, err
	}

	res := &scanners.Result{
		Tool: scanners.ToolInfo{
			Name: "sbom", DisplayName: "Syft", Version: version,
			InformationURI: "https://github.com/anchore/syft",
		},
		BaseDir: req.Target,
	}
	for _, f := range formats {
		path, err := writeSBOM(bom, f, req.OutDir)
		if err != nil {
			return nil, err
		}
		res.Artifacts = append(res.Artifacts, path)
	}

	doc := toDocument(bom)
	res.Stats = stats(doc, req.Target)
	logSummary(req, bom, doc)
	return &sbomSource{doc: doc, res: res, sbomFor: func(m matcher) (string, error) {
		want := filepath.Join(req.OutDir, outputFiles[m.input])
		if slices.Contains(res.Artifacts, want) {
			return want, nil
		}
		return writeSBOM(bom, m.input, req.OutDir)
	}}, nil
}

// outputFormats checks the configured formats; none means cyclonedx-json.
func outputFormats(list []string) ([]string, error) {
	if len(list) == 0 {
		return []string{sbomdoc.FormatCycloneDXJSON}, nil
	}
	var out []string
	for _, f := range list {
		name := strings.ToLower(strings.TrimSpace(f))
		if _, ok := outputFiles[name]; !ok {
			return nil, fmt.Errorf("sbom format %q is not supported (want %s or %s)",
				f, sbomdoc.FormatCycloneDXJSON, sbomdoc.FormatSPDXJSON)
		}
		if !contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// catalog runs Syft over the target directory.
func (s *Scanner) catalog(ctx context.Context, req scanners.Request, version string) (*syftsbom.SBOM, error) {
	if req.Target == "" {
		return nil, fmt.Errorf("sbom: no target directory")
	}
	info, err := os.Stat(req.Target)
	if err != nil {
		return nil, fmt.Errorf("sbom target: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("sbom target %s is not a directory", req.Target)
	}

	src, err := directorysource.New(directorysource.Config{
		Path:    req.Target,
		Base:    req.Target,
		Exclude: source.ExcludeConfig{Paths: exclusions(req.Target, req.OutDir)},
	})
	if err != nil {
		return nil, fmt.Errorf("open %s for syft: %w", req.Target, err)
	}
	defer src.Close()

	bom, err := syft.CreateSBOM(ctx, src, s.createConfig(version))
	if err != nil {
		return nil, fmt.Errorf("syft catalog %s: %w", req.Target, err)
	}
	return bom, nil
}

// exclusions keeps Syft out of .git and out of secgate's own output directory,
// where an SBOM from an earlier run would otherwise be read back in.
func exclusions(target, outDir string) []string {
	out := []string{"**/.git"}
	if outDir == "" {
		return out
	}
	rel, err := filepath.Rel(target, outDir)
	if err == nil && rel != "." && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
		out = append(out, "./"+filepath.ToSlash(rel))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeSBOM encodes the SBOM in one format into outDir.
func writeSBOM(bom *syftsbom.SBOM, format, outDir string) (string, error) {
	enc, err := encoder(format)
	if err != nil {
		return "", fmt.Errorf("sbom encoder %s: %w", format, err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", fmt.Errorf("sbom output dir: %w", err)
	}

	path := filepath.Join(outDir, outputFiles[format])
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("write sbom: %w", err)
	}
	if err := enc.Encode(f, *bom); err != nil {
		f.Close()
		return "", fmt.Errorf("encode %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

func encoder(format string) (syftsbom.FormatEncoder, error) {
	if format == sbomdoc.FormatSyftJSON {
		return syftjson.NewFormatEncoder(), nil
	}
	if format == sbomdoc.FormatSPDXJSON {
		cfg := spdxjson.DefaultEncoderConfig()
		cfg.Pretty = true
		return spdxjson.NewFormatEncoderWithConfig(cfg)
	}
	cfg := cyclonedxjson.DefaultEncoderConfig()
	cfg.Pretty = true
	return cyclonedxjson.NewFormatEncoderWithConfig(cfg)
}

// stats counts the distinct manifest and lock files packages came from, so a
// scan that found nothing to read is told apart from a clean one.
func stats(doc *sbomdoc.Document, target string) scanners.Stats {
	files := map[string]bool{}
	for _, p := range doc.Packages {
		for _, l := range p.Locations {
			files[l] = true
		}
	}
	st := scanners.Stats{FilesScanned: len(files), FilesCounted: true}
	if len(doc.Packages) == 0 {
		st.Notes = append(st.Notes, fmt.Sprintf("syft found no packages in %s: no manifest or "+
			"lock file it knows, so the licence and package policy checked nothing", target))
	}
	return st
}
