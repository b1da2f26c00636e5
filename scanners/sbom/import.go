package sbom

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/secgate/secgate/pkg/config"
	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/scanners"
)

// ParseCycloneDXJSON reads a CycloneDX JSON SBOM that another tool wrote and
// returns the vulnerabilities it carries (grype and trivy write them there).
func ParseCycloneDXJSON(r io.Reader, source string) (*scanners.Result, error) {
	return Import(nil, sbomdoc.FormatCycloneDXJSON)(r, source)
}

// ParseSyftJSON reads a Syft JSON SBOM. Syft JSON holds packages and no
// vulnerabilities, so without a policy (see Import) it yields no findings;
// the result's notes say how many packages it listed.
func ParseSyftJSON(r io.Reader, source string) (*scanners.Result, error) {
	return Import(nil, sbomdoc.FormatSyftJSON)(r, source)
}

// Import returns a parser for SBOM documents of the given format. With a
// config, it also applies the config's licence and package policy to the
// document's packages, as a scan with the embedded SBOM scanner would.
// Locations in the document are taken as relative to the working directory.
func Import(cfg *config.Config, format string) scanners.Parser {
	return func(r io.Reader, source string) (*scanners.Result, error) {
		doc, err := sbomdoc.Decode(r, source, format)
		if err != nil {
			return nil, err
		}
		base, err := filepath.Abs(".")
		if err != nil {
			return nil, err
		}

		res := &scanners.Result{
			Tool:     scanners.ToolInfo{Name: sbomdoc.ToolName, DisplayName: doc.Tool},
			BaseDir:  base,
			Findings: sbomdoc.VulnerabilityFindings(doc),
			Stats:    scanners.Stats{FilesScanned: 1},
		}
		if cfg != nil {
			res.Findings = append(res.Findings,
				sbomdoc.Evaluate(doc, cfg.Licenses, cfg.Packages)...)
		}
		res.Stats.Notes = append(res.Stats.Notes, fmt.Sprintf("%s: %d packages, %d vulnerabilities",
			source, len(doc.Packages), len(doc.Vulnerabilities)))
		return res, nil
	}
}

// ParseReport returns a parser for a vulnerability matcher's report: Grype
// JSON or OSV-Scanner JSON (sbomdoc.FormatGrypeJSON, FormatOSVScannerJSON), or
// either, told apart by content, when format is "". Relative locations are
// taken as relative to the working directory.
func ParseReport(format string) scanners.Parser {
	return func(r io.Reader, source string) (*scanners.Result, error) {
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", source, err)
		}
		rep, err := sbomdoc.DecodeReport(data, source, format)
		if err != nil {
			return nil, err
		}
		base, err := filepath.Abs(".")
		if err != nil {
			return nil, err
		}

		info := scanners.ToolInfo{Name: rep.Tool, DisplayName: rep.Tool, Version: rep.Version}
		if m, ok := findMatcher(rep.Tool); ok {
			info.DisplayName, info.InformationURI = m.display, m.url
		}
		return &scanners.Result{
			Tool: info, BaseDir: base, Findings: rep.Findings(),
			Stats: scanners.Stats{Notes: []string{fmt.Sprintf("%s: %d vulnerabilities matched",
				source, len(rep.Matches))}},
		}, nil
	}
}

// ParseSBOM returns a parser for SBOM documents of one format without a
// policy: the vulnerabilities a CycloneDX document carries; other formats
// carry none, so only with a policy (Import) do they give findings.
func ParseSBOM(format string) scanners.Parser {
	return Import(nil, format)
}
