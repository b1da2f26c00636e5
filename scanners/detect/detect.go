// Package detect recognises the format of a scanner report from its content
// alone, never from its file name: SARIF by its version and $schema (and the
// tool by the run's driver), CycloneDX by bomFormat or its XML namespace, SPDX
// by its version, and the JSON of Syft, Grype, OSV-Scanner, Semgrep, Snyk and
// ZAP by the keys each of them writes. Content that fits no format, or more
// than one, is an error that says so; a guess is how a report that says
// nothing passes for a clean scan.
//
// The package only names formats. The registry maps the names to parsers, so
// that a format detected here before its parser exists is reported as such.
package detect

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The format names, as the registry's format table spells them.
const (
	SARIF           = "sarif"
	SemgrepSARIF    = "semgrep-sarif"
	SnykSARIF       = "snyk-sarif"
	SnykCodeSARIF   = "snyk-code-sarif"
	GrypeSARIF      = "grype-sarif"
	OSVScannerSARIF = "osv-scanner-sarif"
	ZAPSARIF        = "zap-sarif"
	SemgrepJSON     = "semgrep-json"
	SnykJSON        = "snyk-json"
	GrypeJSON       = "grype-json"
	OSVScannerJSON  = "osv-scanner-json"
	SyftJSON        = "syft-json"
	CycloneDXJSON   = "cyclonedx-json"
	CycloneDXXML    = "cyclonedx-xml"
	SPDXJSON        = "spdx-json"
	SPDXTagValue    = "spdx-tag-value"
	ZAPJSON         = "zap-json"
	ZAPXML          = "zap-xml"
)

// Match is a recognised format.
type Match struct {
	// Format is the most specific format that fits ("snyk-sarif").
	Format string
	// General is a broader format that reads the content too ("sarif"), for
	// when no parser of Format exists; "" when there is none.
	General string
	// Evidence says what gave the format away, for messages.
	Evidence string
}

// UnknownError reports content that fits no known format.
type UnknownError struct {
	// Why says what the content is and what was looked for.
	Why string
}

// Error says what the content is and what was looked for.
func (e *UnknownError) Error() string { return "unknown format: " + e.Why }

// AmbiguousError reports content that fits more than one format.
type AmbiguousError struct {
	Candidates []Match
}

// Error names every format the content fits, with what gave each away.
func (e *AmbiguousError) Error() string {
	parts := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		parts[i] = fmt.Sprintf("%s (%s)", c.Format, c.Evidence)
	}
	return "ambiguous format: the content fits " + strings.Join(parts, " and ")
}

// Detect recognises the format of a report. It returns an *UnknownError or an
// *AmbiguousError when it cannot name exactly one.
func Detect(data []byte) (Match, error) {
	text := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	switch {
	case len(text) == 0:
		return Match{}, &UnknownError{Why: "the file is empty"}
	case bytes.HasPrefix(text, []byte("\xff\xfe")) || bytes.HasPrefix(text, []byte("\xfe\xff")):
		return Match{}, &UnknownError{Why: "the file is UTF-16; reports are read as UTF-8"}
	case text[0] == '{' || text[0] == '[':
		return detectJSON(text)
	case string(text) == "null":
		return Match{}, &UnknownError{Why: "the JSON literal null, which no known format writes"}
	case text[0] == '<':
		return detectXML(text)
	case isSPDXTagValue(text):
		return Match{Format: SPDXTagValue, Evidence: "an SPDXVersion tag"}, nil
	}
	return Match{}, &UnknownError{Why: fmt.Sprintf("neither JSON nor XML nor SPDX tag-value "+
		"(it starts with %q)", start(text))}
}

// only returns the one candidate, or the error for none or several.
func only(candidates []Match, none string) (Match, error) {
	switch len(candidates) {
	case 0:
		return Match{}, &UnknownError{Why: none}
	case 1:
		return candidates[0], nil
	}
	return Match{}, &AmbiguousError{Candidates: candidates}
}

// isSPDXTagValue reports whether the first line that is neither blank nor a
// comment is an SPDXVersion tag.
func isSPDXTagValue(text []byte) bool {
	for line := range bytes.Lines(text) {
		l := strings.TrimSpace(string(line))
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		return strings.HasPrefix(l, "SPDXVersion:")
	}
	return false
}

// start returns the first characters of text for a message.
func start(text []byte) string {
	head := text[:min(len(text), 24)]
	// A cut inside a multi-byte character leaves up to three stray bytes.
	for i := 0; i < 3 && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if !utf8.Valid(head) || bytes.ContainsRune(head, 0) {
		return "binary data"
	}
	return string(head)
}
