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
