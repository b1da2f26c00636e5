// Package policy applies a config's pass/fail policy to normalized findings:
// it gives every finding an outcome (fail, warn, ignore, suppressed) with the
// reason for it, and decides whether the gate passed, blocked, or could not
// decide because a required scanner did not run.
package policy

import (
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// Outcome is what the policy did with one finding.
type Outcome string

// The outcomes a finding can have.
const (
	OutcomeFail       Outcome = "fail"
	OutcomeWarn       Outcome = "warn"
	OutcomeIgnore     Outcome = "ignore"
	OutcomeSuppressed Outcome = "suppressed"
)

// Evaluated is a finding with the policy's verdict on it.
type Evaluated struct {
	Finding finding.Finding
	Outcome Outcome
	// Reason says why, in words a user understands.
	Reason string
	// Suppression is the config suppression that hid the finding, or the
	// expired one that no longer does.
	Suppression *config.Suppression
	// BaselineState is the SARIF baselineState (new, unchanged, updated)
	// when Options.Baseline was given, else empty.
	BaselineState string
}

// Scanner states, as ScannerOutcome.State reports them.
const (
	ScannerOK      = "ok"
	ScannerSkipped = "skipped"
	ScannerFailed  = "failed"
	// ScannerEmpty: the scanner ran cleanly but looked at nothing (no file,
	// no rule, no package), so its silence says nothing about the code.
	ScannerEmpty = "empty"
)

// ScannerOutcome says how one configured scanner's run went.
type ScannerOutcome struct {
	Name     string
	Required bool
	State    string // ScannerOK, ScannerSkipped, ScannerFailed or ScannerEmpty
	Message  string
}

// Status is the gate's decision.
type Status string

// The decisions; exitcode maps them to 0, 1 and 2.
const (
	StatusPassed  Status = "passed"
	StatusBlocked Status = "blocked"
	StatusError   Status = "error"
)

// Decision is the result of applying the policy.
type Decision struct {
	Status Status
	// Findings holds every finding, in a stable order: severity (highest
	// first), then tool, path, line and rule.
	Findings []Evaluated
	// Reasons lists every reason the gate did not pass.
	Reasons []string
	// Warnings are things to fix that do not block: expiring, expired and
	// unused suppressions, optional scanners that did not run.
	Warnings []string
	// Counts holds the number of findings of each severity, over all
	// findings whatever their outcome; every severity has an entry.
	Counts map[finding.Severity]int
	// Blocking is the number of findings whose outcome is fail.
	Blocking int
}

// DefaultMaxListed is how many blocking findings Reasons lists by default.
const DefaultMaxListed = 20

// Options are the inputs to Evaluate that are not data.
type Options struct {
	// Now returns the current time, for suppression expiry; nil means time.Now.
	Now func() time.Time
	// MaxListed caps the blocking findings summarized in Reasons, the rest
	// being counted in one "and N more" line; 0 means DefaultMaxListed.
	MaxListed int
	// Baseline tells old findings from new (newonly.go); nil means every
	// finding counts as the change's own.
	Baseline Baseline
}

// Evaluate applies cfg to findings and to how the scanners ran. A nil cfg means
// the defaults. It never fails: a problem that stops a decision, such as a
// required scanner that did not run, is a Decision with StatusError.
func Evaluate(cfg *config.Config, findings []finding.Finding, scanners []ScannerOutcome,
	opts Options) *Decision {
	if cfg == nil {
		cfg = config.Default()
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	e := &evaluator{c: compile(cfg), now: now().UTC(), base: opts.Baseline}

	d := &Decision{
		Findings: make([]Evaluated, 0, len(findings)),
		Counts:   map[finding.Severity]int{},
	}
	for _, s := range finding.Severities {
		d.Counts[s] = 0
	}
	for _, f := range findings {
		ev := e.evaluate(f)
		d.Findings = append(d.Findings, ev)
		d.Counts[f.Severity]++
	}
	sortFindings(d.Findings)

	e.decide(d, scanners, opts.MaxListed)
	return d
}
