// Package doctor checks that the installed scanners still find what they
// must: it runs each one on the known-vulnerable sample bundled with secgate
// (rules/samples) and compares what it found with what the sample holds, so
// that a scanner upgrade that silently stops finding things is caught before
// it lets a real change through.
package doctor

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/rules"
)

// State is how one check ended.
type State string

// The states of a check. Missing and Failed are the ones that matter: the
// scanner is installed and no longer does its job.
const (
	StatePassed  State = "passed"
	StateMissing State = "missing"
	StateFailed  State = "failed"
	StateSkipped State = "skipped"
)

// Result is one check's outcome.
type Result struct {
	Check   Check
	State   State
	Version string
	// Found counts the expectations met; Missing lists the others.
	Found   int
	Missing []Expectation
	// Message says why a check failed or was skipped.
	Message string
}

// Options configure a run.
type Options struct {
	// Lookup finds adapters, as for secgate scan.
	Lookup scan.Lookup
	// Dir is a scratch directory the sample is copied into.
	Dir string
	// Tune, when set, adapts a check's scanner settings to this machine (the
	// environment a matcher needs for its database), from the user's config.
	Tune func(config.Scanner) config.Scanner
}

// Run copies the sample into opts.Dir and runs every check on it. Checks run
// one after another: a doctor is not in a hurry, and the tools' logs stay
// apart in opts.Dir/out/logs.
func Run(ctx context.Context, opts Options, checks []Check) ([]Result, error) {
	root, err := unpack(opts.Dir)
	if err != nil {
		return nil, err
	}
	cfg := samplePolicy()
	for _, c := range checks {
		s := c.Settings(root)
		if opts.Tune != nil {
			s = opts.Tune(s)
		}
		cfg.Scanners = append(cfg.Scanners, s)
	}

	runner := &scan.Runner{Lookup: opts.Lookup, Jobs: 1}
	outcomes, err := runner.Run(ctx, scan.Request{
		Config: cfg, Root: root, Target: filepath.Join(root, "samples"),
		OutDir: filepath.Join(opts.Dir, "out"),
	})
	if err != nil {
		return nil, err
	}

	results := make([]Result, len(checks))
	for i, c := range checks {
		results[i] = judge(c, outcomes[i], root)
	}
	return results, nil
}

// unpack writes the embedded sample and rules under dir: samples/ and semgrep/.
func unpack(dir string) (string, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("doctor directory: %w", err)
	}
	for _, src := range []fs.FS{rules.Samples, rules.Semgrep} {
		if err := copyFS(src, root); err != nil {
			return "", fmt.Errorf("unpack the sample: %w", err)
		}
	}
	return root, nil
}

func copyFS(src fs.FS, dst string) error {
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// judge compares one scanner's outcome with what its check expects.
func judge(c Check, o scan.Outcome, root string) Result {
	r := Result{Check: c, Version: o.Detection.Version}
	switch o.State {
	case scan.StateSkipped:
		r.State, r.Message = StateSkipped, o.Message
		return r
	case scan.StateFailed, scan.StateEmpty:
		r.State, r.Message = StateFailed, fmt.Sprintf("%s: %s", o.State, o.Message)
		return r
	}

	var found []finding.Finding
	if o.Result != nil {
		found, _ = normalize.Apply(normalize.Options{Root: filepath.Join(root, "samples")},
			[]normalize.Input{{BaseDir: o.Result.BaseDir, Findings: o.Result.Findings}})
	}
	for _, e := range c.Expect {
		if slices.ContainsFunc(found, e.matches) {
			r.Found++
		} else {
			r.Missing = append(r.Missing, e)
		}
	}
	r.State = StatePassed
	if len(r.Missing) > 0 {
		r.State = StateMissing
	}
	return r
}

// Expectation is one finding a scanner must report on the sample.
type Expectation struct {
	Tool string
	// Rule is the rule id; Advisory, when set, may stand in for it: a
	// matcher may name the advisory by its CVE or by its GHSA.
	Rule     string
	Advisory string
	Path     string
}

func (e Expectation) matches(f finding.Finding) bool {
	if f.Tool != e.Tool || f.Location.Path != e.Path {
		return false
	}
	if f.Rule.ID == e.Rule {
		return true
	}
	return e.Advisory != "" && f.Package != nil && slices.ContainsFunc(f.Package.Advisories,
		func(a string) bool { return strings.EqualFold(a, e.Advisory) })
}

// String names the expectation: "semgrep:secgate.python.sql-injection in app/x.py".
func (e Expectation) String() string {
	s := e.Tool + ":" + e.Rule
	if e.Advisory != "" {
		s += " (" + e.Advisory + ")"
	}
	return s + " in " + e.Path
}

// Failed reports whether any result means a scanner no longer does its job.
func Failed(results []Result) bool {
	return slices.ContainsFunc(results, func(r Result) bool {
		return r.State == StateMissing || r.State == StateFailed
	})
}
