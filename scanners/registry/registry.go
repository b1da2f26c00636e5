// Package registry is the one table of secgate's scanner adapters and of the
// report formats it can import. Adding an adapter means adding a line here;
// nothing registers itself behind the reader's back.
package registry

import (
	"sort"

	"github.com/secgate/secgate/pkg/config"
	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/scanners"
	"github.com/secgate/secgate/scanners/command"
	"github.com/secgate/secgate/scanners/sarif"
	"github.com/secgate/secgate/scanners/sbom"
	"github.com/secgate/secgate/scanners/semgrep"
	"github.com/secgate/secgate/scanners/snyk"
	"github.com/secgate/secgate/scanners/zap"
)

// Adapters returns a fresh instance of every adapter, keyed by type name.
func Adapters() map[string]scanners.Scanner {
	return map[string]scanners.Scanner{
		"semgrep": semgrep.New(),
		"sbom":    sbom.New(),
		"sarif":   sarif.New(),
		"snyk":    snyk.New(),
		"command": command.New(parsers()),
		"zap":     zap.New(),
	}
}

// Lookup finds an adapter by type name, ready to read a scanner's `report:`
// instead of running its tool (see withReports).
func Lookup(typ string) (scanners.Scanner, bool) {
	s, ok := Adapters()[typ]
	if !ok {
		return nil, false
	}
	return withReports(s), true
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
		{Name: "cyclonedx-xml", Description: "CycloneDX XML SBOM: its vulnerabilities, " +
			"and the licence policy with --config",
			Parse:      sbom.ParseSBOM(sbomdoc.FormatCycloneDXXML),
			WithPolicy: sbomPolicy(sbomdoc.FormatCycloneDXXML)},
		{Name: "spdx-json", Description: "SPDX 2.x JSON SBOM: the licence policy with --config",
			Parse:      sbom.ParseSBOM(sbomdoc.FormatSPDXJSON),
			WithPolicy: sbomPolicy(sbomdoc.FormatSPDXJSON)},
		{Name: "grype-json", Description: "Grype JSON (grype -o json)",
			Parse: sbom.ParseReport(sbomdoc.FormatGrypeJSON)},
		{Name: "osv-scanner-json", Description: "OSV-Scanner JSON (osv-scanner --format json)",
			Parse: sbom.ParseReport(sbomdoc.FormatOSVScannerJSON)},
		{Name: "snyk-json", Description: "Snyk JSON (snyk test, container test or iac test " +
			"--json; an array with --all-projects)", Parse: snyk.ParseJSON},
		{Name: "snyk-sarif", Description: "Snyk SARIF (snyk test, container test or iac test " +
			"--sarif)", Parse: snyk.ParseSARIF},
		{Name: "snyk-code-sarif", Description: "Snyk Code SARIF (snyk code test --sarif or " +
			"--json)", Parse: snyk.ParseCodeSARIF},
		{Name: "zap-json", Description: "OWASP ZAP traditional JSON report (zap-baseline.py -J; " +
			"with --config, its rules file's OUTOFSCOPE lines)", Parse: zap.ParseJSON,
			WithPolicy: zap.ImportJSON},
		{Name: "zap-xml", Description: "OWASP ZAP traditional XML report (zap-baseline.py -x; " +
			"with --config, its rules file's OUTOFSCOPE lines)", Parse: zap.ParseXML,
			WithPolicy: zap.ImportXML},
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

// parsers maps every format name to its parser, for the command adapter,
// which reads whatever format its config names; SBOM formats get the
// config's licence and package policy, as with secgate convert --config.
func parsers() map[string]command.ParserFor {
	m := map[string]command.ParserFor{}
	for name, f := range Formats() {
		if f.WithPolicy != nil {
			m[name] = f.WithPolicy
			continue
		}
		parse := f.Parse
		m[name] = func(*config.Config) scanners.Parser { return parse }
	}
	return m
}
