package sbom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/wellformed"
)

// The vulnerability report formats this package reads: what a matcher such as
// Grype or OSV-Scanner wrote after matching an SBOM's packages to advisories.
const (
	FormatGrypeJSON      = "grype-json"
	FormatOSVScannerJSON = "osv-scanner-json"
)

// Report is a vulnerability matcher's report: which advisories it matched to
// which packages.
type Report struct {
	// Format is FormatGrypeJSON or FormatOSVScannerJSON.
	Format string
	// Tool is the matcher's lowercase name ("grype", "osv-scanner"); Version
	// its version when the report states one.
	Tool    string
	Version string
	Matches []Match
}

// Match is one advisory matched to one package.
type Match struct {
	Vulnerability Vulnerability
	Package       Package
}

// Findings turns every match into a finding; see VulnerabilityFindings for the
// rule id, message and severity, which are the same for SBOM vulnerabilities.
func (r *Report) Findings() []finding.Finding {
	if r == nil {
		return nil
	}
	out := make([]finding.Finding, 0, len(r.Matches))
	for _, m := range r.Matches {
		out = append(out, vulnFinding(r.Tool, m.Vulnerability, m.Package))
	}
	return out
}

// DecodeReport reads a Grype or OSV-Scanner JSON report. An empty format means:
// tell the two apart from the content (Grype's top-level "matches", OSV-Scanner's
// "results"), never from the file name.
func DecodeReport(data []byte, source, format string) (*Report, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%sempty report: expected Grype or OSV-Scanner JSON",
			prefixed(source))
	}
	if err := wellformed.UTF8(data, source, "a Grype or OSV-Scanner JSON report"); err != nil {
		return nil, err
	}
	if format == "" {
		var err error
		if format, err = detectReport(data, source); err != nil {
			return nil, err
		}
	}
	var rep *Report
	var err error
	switch format {
	case FormatGrypeJSON:
		rep, err = decodeGrypeJSON(data, source)
	case FormatOSVScannerJSON:
		rep, err = decodeOSVScannerJSON(data, source)
	default:
		return nil, fmt.Errorf("%s: unknown vulnerability report format %q (want %s or %s)",
			source, format, FormatGrypeJSON, FormatOSVScannerJSON)
	}
	if err != nil {
		return nil, err
	}
	for i, m := range rep.Matches {
		if m.Vulnerability.ID == "" {
			return nil, fmt.Errorf("%s: match %d (package %q) has no vulnerability id, "+
				"expected an advisory id such as GHSA-35jh-r3h4-6jhm", source, i+1, m.Package.Name)
		}
	}
	return rep, nil
}

// DetectReport recognises a Grype or an OSV-Scanner JSON report by its keys.
func DetectReport(data []byte) (string, error) {
	return detectReport(data, "")
}

// detectReport is DetectReport with the source named in its errors.
func detectReport(data []byte, source string) (string, error) {
	text := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(text) == 0 {
		return "", fmt.Errorf("%sempty report: expected Grype or OSV-Scanner JSON",
			prefixed(source))
	}
	var probe struct {
		Matches    json.RawMessage `json:"matches"`
		Descriptor *struct {
			Name string `json:"name"`
		} `json:"descriptor"`
		Results json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(text, &probe); err != nil {
		return "", jsonError(source, text, err)
	}
	switch {
	case probe.Matches != nil:
		return FormatGrypeJSON, nil
	case probe.Results != nil && probe.Descriptor == nil:
		return FormatOSVScannerJSON, nil
	}
	return "", fmt.Errorf("%sJSON is neither a Grype report (matches) "+
		"nor an OSV-Scanner report (results)", prefixed(source))
}

// prefixed starts a message with "source: " when there is a source.
func prefixed(source string) string {
	if source == "" {
		return ""
	}
	return source + ": "
}

// requireKey fails when a report lacks the key that holds its matches: an
// empty object is not a report that found nothing.
func requireKey(data []byte, source, key, tool string) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return jsonError(source, data, err)
	}
	if _, ok := keys[key]; !ok {
		return fmt.Errorf("%s: not a %s JSON report: no %q key", source, tool, key)
	}
	return nil
}

// firstWord returns the first non-empty, trimmed string.
func firstWord(words ...string) string {
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			return w
		}
	}
	return ""
}
