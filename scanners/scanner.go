// Package scanners defines the contract between secgate and its scanner adapters.
// Each adapter lives in a package of its own below this one; the table that names
// them all is in package scanners/registry, so that this package, and everything
// that only needs the contract, builds without any adapter's dependencies.
package scanners

import (
	"context"
	"io"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// Scanner is one adapter: it knows how to find its tool, run it and read what
// the tool wrote.
type Scanner interface {
	// Name is the adapter's type name as used in the config ("semgrep").
	Name() string

	// Detect reports whether the tool is available and which version it is.
	// Adapters that need nothing installed (the embedded SBOM) always detect.
	Detect(ctx context.Context, s config.Scanner) Detection

	// Run scans req.Target and returns what the tool found. An error means the
	// scan did not happen or cannot be trusted; "no findings" is a Result with
	// none, never an error, and never an error hidden as no findings.
	Run(ctx context.Context, req Request) (*Result, error)
}

// Detection says whether an adapter's tool can run here.
type Detection struct {
	Installed bool
	Path      string // resolved binary, when there is one
	Version   string
	// Hint tells the user how to install the tool when it is missing.
	Hint string
	// Missing names the tool that is missing when it is not the adapter's
	// own (the sbom adapter's vulnerability matcher); empty means the type's.
	Missing string
}

// Request is everything an adapter needs for one run.
type Request struct {
	// Root is the absolute repository root. Findings are reported relative to it.
	Root string
	// Target is the absolute directory to scan, inside Root.
	Target string
	// Settings is this scanner's section of the config.
	Settings config.Scanner
	// Config is the whole loaded config, for adapters that read policy sections
	// (the SBOM adapter reads licenses and packages).
	Config *config.Config
	// OutDir is an absolute directory for artifacts (an SBOM, the tool's report).
	OutDir string
	// Log receives the tool's own stdout and stderr, for the per-scanner log.
	Log io.Writer
}

// Result is what one adapter run produced.
type Result struct {
	Tool ToolInfo
	// Tools describes further tools whose findings this result carries, as when
	// one imported SARIF file holds runs of several tools.
	Tools    []ToolInfo
	Findings []finding.Finding
	// Released is how many findings there were when the gate let Findings
	// go after normalizing them (scan.Outcome.ReleaseFindings).
	Released int

	// BaseDir is the absolute directory that relative paths in Findings are
	// relative to (often Target). The normalizer rewrites every path to be
	// relative to Request.Root.
	BaseDir string

	// Artifacts are files the run wrote, such as an SBOM.
	Artifacts []string

	Stats Stats
}

// ToolInfo identifies the tool for the SARIF run.
type ToolInfo struct {
	Name           string // lowercase, as findings name it: "semgrep"
	DisplayName    string // as the tool calls itself: "Semgrep OSS"
	Version        string
	InformationURI string
}

// Stats tells whether a scan really looked at something, so that a scan of zero
// files is not mistaken for a clean one.
type Stats struct {
	FilesScanned int
	RulesLoaded  int
	// FilesCounted and RulesCounted say that the adapter knows the counts
	// above. A run that counted zero files or zero rules scanned nothing and
	// is reported as empty, never as clean; an adapter that cannot count (an
	// imported report) leaves these false, and its zero counts mean nothing.
	FilesCounted bool
	RulesCounted bool
	// Notes are short facts worth showing, such as files the tool skipped.
	Notes []string
}

// Parser reads a report that a tool already wrote. Adapters that can import
// reports export one per format; secgate convert and report: use them.
type Parser func(r io.Reader, source string) (*Result, error)
