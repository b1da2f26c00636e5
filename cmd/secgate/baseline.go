package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/baseline"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
	"github.com/secgate/secgate/pkg/scan"
)

// defaultBaselineFile is where a baseline goes when neither --file nor the
// config's baseline names a place.
const defaultBaselineFile = "secgate-baseline.sarif"

type baselineOptions struct {
	f *factory

	ConfigPath string
	File       string
	Only       []string
	OutDir     string
	AddNew     bool
	update     bool
}

func newBaselineCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Record the findings that exist now, so that only new ones block",
		Long: `A baseline is a SARIF file of the findings a branch has today. With new_only
(or --new-only) and --baseline FILE, a finding in the baseline does not block;
a finding is matched by its fingerprint, so moved lines do not matter.

  secgate baseline create   scan and write the baseline (refuses to replace one)
  secgate baseline update   scan again: fixed findings leave the baseline; new
                            ones are added only with --add-new, and counted

Commit the file, and refresh it with update as findings get fixed.`,
	}
	cmd.AddCommand(baselineSub(f, false), baselineSub(f, true))
	return cmd
}

func baselineSub(f *factory, update bool) *cobra.Command {
	opts := &baselineOptions{f: f, update: update}
	use, short := "create", "Scan and write a new baseline file"
	if update {
		use, short = "update", "Scan again and drop fixed findings from the baseline"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBaseline(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml", "policy and scanner config")
	fl.StringVar(&opts.File, "file", "",
		"the baseline file (default: the config's baseline, else "+defaultBaselineFile+")")
	fl.StringSliceVar(&opts.Only, "only", nil, "run only these scanners (by config name)")
	fl.StringVar(&opts.OutDir, "out-dir", ".secgate", "directory for artifacts and scanner logs")
	if update {
		fl.BoolVar(&opts.AddNew, "add-new", false,
			"also add findings the baseline does not have yet (they stop blocking)")
	}
	return cmd
}

func runBaseline(cmd *cobra.Command, opts *baselineOptions) error {
	cfg, err := loadConfig(opts.ConfigPath)
	if err != nil {
		return err
	}
	file := firstSet(opts.File, cfg.NewOnly.Baseline, defaultBaselineFile)
	_, statErr := os.Stat(file)
	exists := statErr == nil
	switch {
	case !opts.update && exists:
		return exitcode.Undecide(fmt.Errorf("%s exists: run secgate baseline update to "+
			"refresh it (create never replaces a baseline)", file))
	case opts.update && !exists:
		return exitcode.Undecide(fmt.Errorf("no baseline at %s: run secgate baseline create", file))
	}

	root, outcomes, err := scanForBaseline(cmd, opts, cfg)
	if err != nil {
		return err
	}
	current, _ := normalize.Apply(normalize.Options{Root: root, SeverityMap: cfg.SeverityMap},
		normalizeInputs(outcomes))

	keep := current
	if opts.update {
		if keep, err = updateBaseline(opts, file, root, current, outcomes); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(opts.f.IO.ErrOut, "baseline %s: %d findings\n", file, len(keep))
	}
	return writeBaseline(file, cfg, keep, outcomes, opts.f.Version)
}

// scanForBaseline runs the scanners on the work tree. Every scanner must run
// cleanly: a baseline missing one tool's findings would make each of them
// look new later (or, on update, look fixed).
func scanForBaseline(cmd *cobra.Command, opts *baselineOptions, cfg *config.Config) (
	string, []scan.Outcome, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return "", nil, exitcode.Undecide(err)
	}
	root := repoRoot(cwd)
	target, err := resolveTarget(root, cfg.Target)
	if err != nil {
		return "", nil, exitcode.Undecide(fmt.Errorf("%s: %w", cfg.File, err))
	}
	outDir, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return "", nil, exitcode.Undecide(err)
	}
	runner := &scan.Runner{Lookup: opts.f.Lookup, Log: opts.f.Logger(),
		Progress: progressPrinter(opts.f)}
	outcomes, err := runner.Run(cmd.Context(), scan.Request{Config: cfg, Root: root,
		Target: target, OutDir: outDir, Only: opts.Only})
	if err != nil {
		return "", nil, exitcode.Undecide(err)
	}
	var bad []error
	for _, o := range outcomes {
		if o.State != scan.StateOK {
			bad = append(bad, fmt.Errorf("scanner %s %s: %s", o.Name, o.State, o.Message))
		}
	}
	if len(bad) > 0 {
		return "", nil, exitcode.Undecide(fmt.Errorf("baseline not written: %w",
			errors.Join(bad...)))
	}
	return root, outcomes, nil
}

// updateBaseline keeps the baseline's findings that are still there, in
// their current form; drops the fixed ones; and adds new ones only when asked.
// Findings of tools this run did not include (--only) stay as they were.
func updateBaseline(opts *baselineOptions, file, root string, current []finding.Finding,
	outcomes []scan.Outcome) ([]finding.Finding, error) {
	known, err := baseline.Load(file, root)
	if err != nil {
		return nil, exitcode.Undecide(err)
	}
	ref := baseline.Reference{Known: known, KnownFrom: "baseline " + file}
	ran := reportedTools(outcomes)
	cmp := compare(&ref, current, ran)

	var keep, added []finding.Finding
	newCount := 0
	for _, f := range current {
		state, _ := cmp.State(&f)
		switch {
		case state != baseline.StateNew:
			keep = append(keep, f)
		case opts.AddNew:
			added = append(added, f)
		default:
			newCount++
		}
	}
	for _, k := range known {
		if !ran[k.Tool] {
			keep = append(keep, k)
		}
	}

	msg := fmt.Sprintf("baseline %s: %d kept, %d removed (fixed)", file, len(keep), len(cmp.Absent))
	if opts.AddNew {
		msg += fmt.Sprintf(", %d new added", len(added))
	} else if newCount > 0 {
		msg += fmt.Sprintf(", %d new not added (they still block; --add-new accepts them)",
			newCount)
	}
	fmt.Fprintln(opts.f.IO.ErrOut, msg)
	return append(keep, added...), nil
}

// writeBaseline writes the findings as secgate SARIF, paths relative and no
// checkout directory, so the file means the same on every machine.
func writeBaseline(file string, cfg *config.Config, findings []finding.Finding,
	outcomes []scan.Outcome, version string) error {
	d := &report.Data{Key: cfg.Key, Version: version, Scanners: outcomes,
		Decision: &policy.Decision{}}
	for _, f := range findings {
		d.Decision.Findings = append(d.Decision.Findings, policy.Evaluated{Finding: f})
	}
	if err := report.WriteFile(file, report.SARIF{}, d, nil); err != nil {
		return exitcode.Undecide(err)
	}
	return nil
}
