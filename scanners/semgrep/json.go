package semgrep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/wellformed"
	"github.com/secgate/secgate/scanners"
)

// maxReport bounds a report read by ParseJSON or ParseSARIF: 512 MiB, far
// above any real scan, so that a runaway file cannot exhaust memory.
const maxReport = 512 << 20

// report is the part of `semgrep --json` that secgate reads. Fields that
// changed type across Semgrep versions are decoded loosely (see metadata).
type report struct {
	Version *string       `json:"version"`
	Results *[]resultJSON `json:"results"`
	Errors  []errorJSON   `json:"errors"`
	Paths   struct {
		Scanned []string `json:"scanned"`
	} `json:"paths"`
}

type resultJSON struct {
	CheckID string   `json:"check_id"`
	Path    string   `json:"path"`
	Start   position `json:"start"`
	End     position `json:"end"`
	Extra   struct {
		Message   string         `json:"message"`
		Severity  string         `json:"severity"`
		Metadata  map[string]any `json:"metadata"`
		Lines     string         `json:"lines"`
		Fix       *string        `json:"fix"`
		IsIgnored bool           `json:"is_ignored"`
	} `json:"extra"`
}

type position struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

type errorJSON struct {
	Type    json.RawMessage `json:"type"`
	Level   string          `json:"level"`
	Message string          `json:"message"`
	Path    string          `json:"path"`
}

// describe says what went wrong in one line: the error type, where, and the
// first line of the message (semgrep's messages can run to pages).
func (e errorJSON) describe() string {
	msg, _, _ := strings.Cut(strings.TrimSpace(e.Message), "\n")
	kind := errorType(e.Type)
	if e.Path != "" {
		return fmt.Sprintf("%s in %s: %s", kind, e.Path, msg)
	}
	return fmt.Sprintf("%s: %s", kind, msg)
}

// errorType reads the error's type, which semgrep writes as a string or, in
// newer versions, as a list whose first item is the name.
func errorType(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return s
	}
	var list []any
	if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
		if s, ok := list[0].(string); ok {
			return s
		}
	}
	return "error"
}

// ParseJSON reads a report written by `semgrep --json`. Paths in it are taken
// as relative to the working directory, where semgrep was presumably run.
func ParseJSON(r io.Reader, source string) (*scanners.Result, error) {
	data, err := readReport(r, source)
	if err != nil {
		return nil, err
	}
	out, err := decodeJSON(data, source)
	if err != nil {
		return nil, err
	}
	base, err := filepath.Abs(".")
	if err != nil {
		return nil, err
	}
	return out.result(base, nil), nil
}

// readReport reads a whole report within maxReport.
func readReport(r io.Reader, source string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReport+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	if len(data) > maxReport {
		return nil, fmt.Errorf("%s: larger than %d MiB", source, maxReport>>20)
	}
	return data, nil
}

// decodeJSON decodes a semgrep JSON report and checks that it is one.
func decodeJSON(data []byte, source string) (*report, error) {
	if err := wellformed.UTF8(data, source, "a semgrep JSON report"); err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%s: empty file, expected a semgrep JSON report", source)
	}
	if trimmed[0] != '{' {
		return nil, fmt.Errorf("%s: expected a JSON object (a semgrep JSON report), found %q",
			source, firstBytes(trimmed))
	}

	var out report
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: %w", source, wellformed.Describe(trimmed, err))
	}
	if out.Results == nil {
		return nil, fmt.Errorf("%s: %w", source, errNoReport)
	}
	for i, r := range *out.Results {
		if r.CheckID == "" {
			return nil, fmt.Errorf("%s: results[%d] has no check_id", source, i)
		}
	}
	return &out, nil
}

func firstBytes(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

// result converts the report. Paths are relative to base; prefixes are the
// rule-file prefixes to strip from check ids.
func (rep *report) result(base string, prefixes []string) *scanners.Result {
	res := &scanners.Result{
		Tool: scanners.ToolInfo{
			Name: "semgrep", DisplayName: "Semgrep",
			InformationURI: "https://semgrep.dev",
		},
		BaseDir: base,
		// A report without paths.scanned (older semgrep) cannot say it scanned
		// nothing, so only one that lists the files vouches for the count.
		Stats: scanners.Stats{FilesScanned: len(rep.Paths.Scanned),
			FilesCounted: rep.Paths.Scanned != nil},
	}
	if rep.Version != nil {
		res.Tool.Version = *rep.Version
	}
	for _, r := range *rep.Results {
		res.Findings = append(res.Findings, r.finding(res.Tool.Version, prefixes))
	}
	for _, e := range rep.Errors {
		res.Stats.Notes = append(res.Stats.Notes, "semgrep: "+e.describe())
	}
	return res
}

// finding converts one result.
func (r resultJSON) finding(version string, prefixes []string) finding.Finding {
	id := stripPrefix(r.CheckID, prefixes)
	meta := metadata(r.Extra.Metadata)
	sev := severity(r.Extra.Severity)

	f := finding.Finding{
		Tool:         "semgrep",
		ToolVersion:  version,
		Severity:     sev,
		ToolSeverity: r.Extra.Severity,
		Message:      strings.TrimSpace(r.Extra.Message),
		Rule: finding.Rule{
			ID:          id,
			Name:        id[strings.LastIndex(id, ".")+1:],
			Description: firstSentence(r.Extra.Message),
			HelpURI:     meta.helpURI(),
			CWE:         meta.cwe(),
			Tags:        meta.tags(),
			Security:    meta.security(),
		},
		Location: finding.Location{
			Path:      r.Path,
			StartLine: r.Start.Line, StartColumn: r.Start.Col,
			EndLine: r.End.Line, EndColumn: r.End.Col,
		},
		Snippet: snippet(r.Extra.Lines),
	}
	if r.Extra.Fix != nil {
		f.Fix = *r.Extra.Fix
	}
	if r.Extra.IsIgnored {
		f.Suppressions = []finding.Suppression{{Kind: "inSource",
			Justification: "nosemgrep comment in the source"}}
	}
	return f
}

// firstSentence shortens a finding's message into a description of its rule.
// Semgrep's JSON has no rule descriptions, and the message, with its
// metavariables filled in, is the closest thing to one.
func firstSentence(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	if i := strings.Index(msg, ". "); i > 0 {
		return msg[:i+1]
	}
	return msg
}

// snippet keeps the matched lines unless semgrep withheld them: without a
// login, recent versions write "requires login" instead, which would make
// every finding of a rule share one fingerprint. Empty lets the normalizer read
// the lines from the file itself.
func snippet(lines string) string {
	if strings.TrimSpace(lines) == "requires login" {
		return ""
	}
	return lines
}

// metadata is a rule's metadata block, whose fields are strings in some rules
// and lists in others.
type metadata map[string]any

func (m metadata) strings(key string) []string {
	switch v := m[key].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

var cweID = regexp.MustCompile(`(?i)^\s*CWE-(\d+)`)

// cwe returns the rule's CWE ids ("CWE-89") without their titles.
func (m metadata) cwe() []string {
	var out []string
	for _, c := range m.strings("cwe") {
		if g := cweID.FindStringSubmatch(c); g != nil {
			out = append(out, "CWE-"+g[1])
		}
	}
	return out
}

// helpURI prefers the rule's own page, then its first reference.
func (m metadata) helpURI() string {
	for _, key := range []string{"source", "shortlink"} {
		if s := m.strings(key); len(s) > 0 && strings.HasPrefix(s[0], "http") {
			return s[0]
		}
	}
	for _, ref := range m.strings("references") {
		if strings.HasPrefix(ref, "http") {
			return ref
		}
	}
	return ""
}

func (m metadata) tags() []string {
	var tags []string
	for _, o := range m.strings("owasp") {
		tags = append(tags, "owasp:"+strings.TrimSpace(o))
	}
	if c := m.strings("confidence"); len(c) > 0 {
		tags = append(tags, "confidence:"+strings.ToLower(c[0]))
	}
	return tags
}

// security tells security rules from correctness and style ones. Rules without
// a category count as security rules when they name a CWE or OWASP entry, and
// otherwise too, since a gate runs them for security; only a category that says
// otherwise ("correctness", "best-practice") makes a rule a non-security one.
func (m metadata) security() bool {
	cat := m.strings("category")
	if len(cat) == 0 {
		return true
	}
	return strings.EqualFold(cat[0], "security") || len(m.cwe()) > 0
}
