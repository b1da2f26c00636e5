package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/scan"
)

type scanOptions struct {
	f *factory

	ConfigPath string
	Only       []string
	Reports    reportFlags
	OutDir     string
	Jobs       int
	NewOnly    newOnlyFlags
	Shard      string
	Publish    publishFlags
	// TrustedRef is --trusted-config: read the config from git (trusted.go).
	TrustedRef string
	// Lock is --lock and --allow-unpinned (lock.go).
	Lock lockFlags
}

func newScanCmd(f *factory) *cobra.Command {
	opts := &scanOptions{f: f}
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Run the configured scanners and gate what they find",
		Long: `Run every scanner the config names, in parallel, normalize the findings,
apply the policy, print the findings table and the verdict on stderr, and write
the reports asked for. A report file of "-" goes to stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runScan(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml", "policy and scanner config")
	fl.StringSliceVar(&opts.Only, "only", nil, "run only these scanners (by config name)")
	fl.StringVar(&opts.Reports.SARIF, "sarif", "", "write the merged SARIF log here")
	fl.StringVar(&opts.Reports.JSON, "json", "", "write the JSON report here")
	fl.StringVar(&opts.OutDir, "out-dir", ".secgate",
		"directory for artifacts (SBOMs) and scanner logs")
	fl.IntVar(&opts.Jobs, "jobs", 0, "scanners to run at once (default: the CPU count)")
	fl.StringVar(&opts.Reports.JUnit, "junit", "", "write a JUnit XML report here")
	fl.StringVar(&opts.Shard, "shard", "",
		"scan only slice I of N of the files (I/N); gate the merged result with evaluate")
	opts.NewOnly.register(fl)
	addScanPublishFlags(fl, &opts.Publish)
	addTrustedConfigFlag(fl, &opts.TrustedRef)
	opts.Lock.register(fl)
	return cmd
}

func runScan(cmd *cobra.Command, opts *scanOptions) error {
	cfg, err := loadGateConfig(cmd.Context(), opts.f, opts.ConfigPath, opts.TrustedRef)
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return exitcode.Undecide(err)
	}
	root := repoRoot(cwd)
	target, err := resolveTarget(root, cfg.Target)
	if err != nil {
		return exitcode.Undecide(fmt.Errorf("%s: %w", cfg.File, err))
	}
	outDir, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return exitcode.Undecide(err)
	}

	verify, err := opts.Lock.verifier(cmd.Context(), opts.f, cmd.Flags().Changed("lock"),
		opts.TrustedRef)
	if err != nil {
		return err
	}
	runner := &scan.Runner{
		Lookup:   opts.f.Lookup,
		Jobs:     opts.Jobs,
		Log:      opts.f.Logger(),
		Progress: progressPrinter(opts.f),
		Verify:   verify,
	}
	if opts.Shard != "" {
		return runShard(cmd, opts, cfg, runner, root, target, outDir)
	}
	ref, notes, err := newOnlyReference(cmd, opts, cfg, runner, root, target)
	if err != nil {
		return err
	}
	outcomes, err := runner.Run(cmd.Context(), scan.Request{
		Config: cfg, Root: root, Target: target, OutDir: outDir, Only: opts.Only,
	})
	if err != nil {
		return exitcode.Undecide(err)
	}
	if cmd.Context().Err() != nil {
		fmt.Fprintln(opts.f.IO.ErrOut, "secgate: interrupted; reporting what finished")
	}

	return gate(opts.f, gateInput{
		Config:    cfg,
		Root:      root,
		Outcomes:  outcomes,
		Reports:   opts.Reports,
		Inputs:    []string{opts.ConfigPath},
		Reference: ref,
		Notes:     notes,
		Publish:   opts.publish(cmd),
	})
}

// progressPrinter tells, on stderr, as each scanner starts and ends: on a
// terminal, where someone is watching, always; elsewhere (a CI log) only with
// -v, since the findings table lists every scanner anyway. Lines are plain,
// one per event, because scanners run in parallel and finish in any order.
func progressPrinter(f *factory) func(string, scan.State, time.Duration) {
	if !f.Verbose && !f.IO.IsStderrTTY() {
		return nil
	}
	var mu sync.Mutex
	return func(name string, state scan.State, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if state == "" {
			fmt.Fprintf(f.IO.ErrOut, "running %s\n", name)
			return
		}
		fmt.Fprintf(f.IO.ErrOut, "%s: %s in %s\n", name, state, d.Round(10*time.Millisecond))
	}
}
