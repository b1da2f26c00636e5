// Package config loads and validates secgate.yaml: which scanners run, on what,
// and the pass/fail policy applied to what they find.
package config

import (
	"time"

	"github.com/secgate/secgate/pkg/finding"
)

// Config is a loaded and validated secgate.yaml. Relative paths in it are
// resolved against the working directory by the caller, which is the repository
// root in CI and in the hook.
type Config struct {
	// File is the path the config was read from, for messages.
	File string

	// Key names this gate, so that two gates in one repository keep separate
	// PR comments and check runs. Default "secgate".
	Key string

	// Target is the directory the scanners look at. Default ".".
	Target string

	// FailOn blocks on findings at or above this severity. Default high.
	FailOn finding.Severity

	Rules        []RuleAction
	Paths        Paths
	Suppressions []Suppression

	// WarnBefore is how long before expiry a suppression is reported as expiring.
	// Default 14 days.
	WarnBefore time.Duration

	// Max holds count budgets: more than Max[s] findings of severity s block.
	Max map[finding.Severity]int

	Licenses Licenses
	Packages Packages

	// Scanners in the order the file lists them.
	Scanners []Scanner

	// SeverityMap overrides adapters' severity mapping: tool name, then the
	// tool's own severity word in lowercase, to secgate's severity.
	SeverityMap map[string]map[string]finding.Severity

	Reports Reports

	// NewOnly is the new-only gating of newonly.go: new_only, diff_scope,
	// baseline and base_scan.
	NewOnly NewOnly
	// Hook configures the pre-push hook (hook.go).
	Hook Hook
	// Publish says how results go to a pull request (publish.go).
	Publish Publish
	// Limits bounds the size of what secgate reads (limits.go).
	Limits Limits
	// Secrets names environment variables whose values secgate withholds
	// from everything it writes (secrets.go).
	Secrets []string
	// AllowInlineSuppressions lets suppressions written in the scanned code
	// (nosemgrep and the like) hide findings (secrets.go). Default false.
	AllowInlineSuppressions bool
}

// Pos is a place in the config file, for diagnostics.
type Pos struct {
	Line   int
	Column int
}

// Action is what the policy does with a matching finding.
type Action string

// The actions a rule may take.
const (
	ActionFail   Action = "fail"
	ActionWarn   Action = "warn"
	ActionIgnore Action = "ignore"
)

// RuleAction overrides fail_on for the findings whose "tool:rule" matches.
type RuleAction struct {
	// Match is a glob over "tool:rule-id" ("semgrep:*.sql-injection*"); a pattern
	// without a colon matches the rule id of any tool. '*' matches any run of
	// characters, dots and slashes included.
	Match  string
	Action Action
	// Paths limits the rule to findings in these path globs, when set.
	Paths []string
	Pos   Pos
}

// Paths scopes the policy to parts of the repository.
type Paths struct {
	// Include, when set, keeps only findings whose path matches one of these
	// globs (doublestar syntax); findings without a file are always kept.
	Include []string
	// Exclude drops findings whose path matches one of these globs from the
	// gate; they stay in the reports with the action "ignore".
	Exclude []string
}

// Suppression accepts findings for a while, with a reason and an owner. At least
// one of Rule, Fingerprint and Path must be set; all that are set must match.
type Suppression struct {
	Rule        string // glob over "tool:rule-id", as in RuleAction.Match
	Fingerprint string
	Path        string // glob over the finding's path
	Reason      string
	Owner       string
	Expires     time.Time // a date; the suppression holds through that whole day (UTC)
	Pos         Pos
}

// Licenses is the licence policy the SBOM adapter applies to every package.
type Licenses struct {
	// Deny lists SPDX ids that block; Allow, when set, blocks every other licence.
	Deny  []string
	Allow []string
	// Severity of a licence finding. Default high.
	Severity finding.Severity
}

// Packages bans dependencies by name and version range.
type Packages struct {
	Deny []PackageBan
	// Severity of a banned-package finding. Default high.
	Severity finding.Severity
}

// PackageBan names a package that must not be used, optionally only in a
// version range ("<4.17.21", ">=1.0.0, <1.2.3"); an empty range bans every version.
type PackageBan struct {
	Name     string
	Type     string // ecosystem: npm, pypi, go-module, ...; empty matches any
	Versions string
	Reason   string
	Pos      Pos
}

// Scanner is one entry of the scanners section. The map key is its Name; Type
// picks the adapter and defaults to Name, so "semgrep: {...}" needs no type.
type Scanner struct {
	Name string
	Type string

	// Required makes a missing or failed scanner leave the gate unable to decide.
	// Default true: the gate fails closed.
	Required bool

	// Timeout bounds one run. Default 10 minutes.
	Timeout time.Duration

	// Config lists Semgrep rule files, directories or registry ids.
	Config []string
	// Args are extra arguments passed to the tool as they are.
	Args []string

	// Files are SARIF files (globs) that the sarif adapter imports.
	Files []string
	// Command runs a tool that writes SARIF, as an argument list (no shell).
	Command []string
	// Output is where Command writes its SARIF; empty means its stdout.
	Output string

	// Formats are the SBOM documents to write: cyclonedx-json (default), spdx-json.
	Formats []string

	// Env lists the environment variables the tool may see, beyond a minimal
	// set (PATH, HOME, TMPDIR, LANG). Everything else is withheld.
	Env []string

	// Product picks what the snyk scanner tests: test (open-source
	// dependencies, the default), code, container or iac.
	Product string
	// Image is the container image the snyk container product tests.
	Image string
	// AllProjects makes snyk test every manifest it finds (--all-projects).
	AllProjects bool
	// Report is a report the tool wrote in an earlier step, read instead of
	// running the tool; any type may have one. ReportFormat names its format;
	// empty means: recognise it from the content.
	Report       string
	ReportFormat string

	// Vulnerabilities picks the matcher the sbom scanner runs on its SBOM:
	// none (the default), auto, grype or osv-scanner.
	Vulnerabilities string
	// Input is an SBOM produced elsewhere that the sbom scanner reads
	// instead of generating one.
	Input string

	// Format is the report format a command scanner's tool writes: sarif or
	// any format name secgate convert knows.
	Format string
	// Dir is the working directory of a command scanner's tool, relative to
	// the repository root; it must stay inside it. Default: the target.
	Dir string

	// ZAP holds the settings only the zap scanner reads (see zap.go).
	ZAP ZAP

	Pos Pos
}

// Reports names the report files a scan writes by default; flags override them.
type Reports struct {
	SARIF string
	JSON  string
}
