// Package finding holds secgate's normalized model of a security finding: the one
// shape that every scanner adapter produces and that the policy, the reports and
// the publishers consume.
package finding

import "strconv"

// Finding is one problem reported by one or more tools, after normalization.
type Finding struct {
	// Tool is the lowercase name of the tool that reported the finding
	// ("semgrep", "sbom", "gitleaks"). Policy rules match on "tool:rule".
	Tool string `json:"tool"`

	// Tools lists every tool that reported this finding once duplicates are
	// merged; it always contains Tool.
	Tools []string `json:"tools,omitempty"`

	// ToolVersion is the version of the tool that produced the finding, if known.
	ToolVersion string `json:"-"`

	Rule Rule `json:"rule"`

	// Severity is the normalized severity; ToolSeverity is the tool's own word
	// or score, kept for the reader.
	Severity     Severity `json:"severity"`
	ToolSeverity string   `json:"tool_severity,omitempty"`

	Message  string   `json:"message"`
	Location Location `json:"location"`

	// Snippet is the source text of the flagged lines with white space folded,
	// used for fingerprints. Adapters must not put a detected secret here.
	Snippet string `json:"-"`

	// Fingerprint identifies the finding across runs and line shifts; it is set
	// by the normalizer, never by adapters.
	Fingerprint string `json:"fingerprint"`

	Package *Package `json:"package,omitempty"`

	// Fix is a suggested replacement for the flagged region, when the tool has one.
	Fix string `json:"fix,omitempty"`

	// Suppressions are the ones the tool itself reported (in-source comments,
	// tool-side ignores). secgate's own policy suppressions are decided later.
	Suppressions []Suppression `json:"suppressions,omitempty"`
}

// Rule describes the check that produced a finding.
type Rule struct {
	ID          string   `json:"id"`
	Name        string   `json:"name,omitempty"`
	Description string   `json:"description,omitempty"`
	HelpURI     string   `json:"help_uri,omitempty"`
	CWE         []string `json:"cwe,omitempty"` // "CWE-89"
	Tags        []string `json:"tags,omitempty"`

	// Security reports whether the rule is a security check. Non-security rules
	// (licence findings, style) get no security-severity in SARIF.
	Security bool `json:"security"`
}

// Location says where a finding is. A finding may have no file at all (a DAST
// alert, a project-level warning): then Path is empty and Logical says what the
// finding is about.
type Location struct {
	// Path is relative to the repository root, with forward slashes, decoded
	// (no percent escapes). Empty when the finding has no file.
	Path        string `json:"path,omitempty"`
	StartLine   int    `json:"start_line,omitempty"`
	StartColumn int    `json:"start_column,omitempty"`
	EndLine     int    `json:"end_line,omitempty"`
	EndColumn   int    `json:"end_column,omitempty"`

	// Logical names what the finding is about when there is no file, or in
	// addition to it: a URL, a class, a package.
	Logical string `json:"logical,omitempty"`
}

// HasFile reports whether the location points into a file of the repository.
func (l Location) HasFile() bool { return l.Path != "" }

// Package is the dependency a finding is about, for SBOM and dependency scanners.
type Package struct {
	Name         string   `json:"name"`
	Version      string   `json:"version,omitempty"`
	Type         string   `json:"type,omitempty"` // npm, pypi, go-module, ...
	PURL         string   `json:"purl,omitempty"`
	FixedVersion string   `json:"fixed_version,omitempty"`
	Licenses     []string `json:"licenses,omitempty"`
	Advisories   []string `json:"advisories,omitempty"` // CVE and GHSA ids
}

// Suppression records that something has accepted a finding.
type Suppression struct {
	Kind          string `json:"kind"` // "inSource" or "external", as in SARIF
	Justification string `json:"justification,omitempty"`
}

// Key returns the identity used when merging duplicates before fingerprints
// exist: same tool, rule, place and message.
func (f *Finding) Key() string {
	l := f.Location
	return f.Tool + "\x00" + f.Rule.ID + "\x00" + l.Path + "\x00" + l.Logical + "\x00" +
		strconv.Itoa(l.StartLine) + ":" + strconv.Itoa(l.StartColumn) + "-" + strconv.Itoa(l.EndLine) + ":" +
		strconv.Itoa(l.EndColumn) + "\x00" + f.Message
}
