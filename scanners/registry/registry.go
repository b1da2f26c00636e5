// Package registry is the one table of secgate's scanner adapters and of the
// report formats it can import. Adding an adapter means adding a line here;
// nothing registers itself behind the reader's back.
package registry

import (
	"sort"

	"github.com/secgate/secgate/pkg/config"
	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/scanners"
	"github.com/secgate/secgate/scanners/sarif"
	"github.com/secgate/secgate/scanners/sbom"
	"github.com/secgate/secgate/scanners/semgrep"
)

// Adapters returns a fresh instance of every adapter, keyed by type name.
func Adapters() map[string]scanners.Scanner {
	return map[string]scanners.Scanner{
		"semgrep": semgrep.New(),
		"sbom":    sbom.New(),
		"sarif":   sarif.New(),
	}
}

// Lookup finds an adapter by type name.
func Lookup(typ string) (scanners.Scanner, bool) {
	s, ok := Adapters()[typ]
	return s, ok
}

// Format is a report format secgate can import.
type Format struct {
	Name        string
	Description string
	Parse       scanners.Parser
	// WithPolicy, when set, returns a parser that also applies the config's
	// policy sections that belong to the format (an SBOM's licences).
	WithPolicy func(cfg *config.Config) scanners.Parser
}

// Formats lists the importable report formats by name.
func Formats() map[string]Format {
	list := []Format{
		{Name: "semgrep-json", Description: "Semgrep JSON (semgrep --json)",
			Parse: semgrep.ParseJSON},
		{Name: "semgrep-sarif", Description: "Semgrep SARIF (semgrep --sarif)",
			Parse: semgrep.ParseSARIF},
		{Name: "sarif", Description: "any SARIF 2.1.0 log", Parse: sarif.Parse},
		{Name: "cyclonedx-json", Description: "CycloneDX JSON SBOM: its vulnerabilities, " +
			"and the licence policy with --config", Parse: sbom.ParseCycloneDXJSON,
			WithPolicy: sbomPolicy(sbomdoc.FormatCycloneDXJSON)},
		{Name: "syft-json", Description: "Syft JSON SBOM: the licence policy with --config",
			Parse: sbom.ParseSyftJSON, WithPolicy: sbomPolicy(sbomdoc.FormatSyftJSON)},
	}
	m := make(map[string]Format, len(list))
	for _, f := range list {
		m[f.Name] = f
	}
	return m
}

func sbomPolicy(format string) func(*config.Config) scanners.Parser {
	return func(cfg *config.Config) scanners.Parser { return sbom.Import(cfg, format) }
}

// FormatNames returns the names of Formats, sorted, for help and errors.
func FormatNames() []string {
	var names []string
	for n := range Formats() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
