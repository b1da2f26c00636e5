package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/baseline"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/scan"
)

// newOnlyReference resolves the new-only settings of a scan and builds its
// reference; base_scan runs the same scanners on the merge base's files.
func newOnlyReference(cmd *cobra.Command, opts *scanOptions, cfg *config.Config,
	runner *scan.Runner, root, target string) (*baseline.Reference, []string, error) {
	no, err := opts.NewOnly.resolve(cmd, cfg)
	if err != nil {
		return nil, nil, err
	}
	relTarget, err := filepath.Rel(root, target)
	if err != nil {
		return nil, nil, exitcode.Undecide(err)
	}
	return no.reference(cmd.Context(), root, scanCommit(runner, cfg, relTarget, opts.Only))
}

// runShard scans one slice of the files and writes the reports asked for. It
// does not gate: a slice cannot know the whole verdict, so it exits 0 even
// with blocking findings, and `secgate merge` then `secgate evaluate` gate the
// merged result once. A scanner that fails still exits 2, so a broken shard
// fails its job where the cause is easiest to find.
func runShard(cmd *cobra.Command, opts *scanOptions, cfg *config.Config, runner *scan.Runner,
	root, target, outDir string) error {
	sh, err := parseShard(opts.Shard)
	if err != nil {
		return exitcode.Undecide(err)
	}
	tree, treeTarget, n, err := sh.prepare(cmd.Context(), root, target)
	if err != nil {
		return exitcode.Undecide(fmt.Errorf("prepare shard %s: %w", opts.Shard, err))
	}
	defer os.RemoveAll(tree)
	fmt.Fprintf(opts.f.IO.ErrOut, "shard %d/%d: %d files\n", sh.I, sh.N, n)
	if cmd.Flags().Changed("new-only") || opts.NewOnly.Baseline != "" || opts.NewOnly.Base != "" {
		fmt.Fprintln(opts.f.IO.ErrOut, "shard: new-only settings apply when secgate evaluate "+
			"gates the merged result; this slice is reported as it is")
	}

	outcomes, err := runner.Run(cmd.Context(), scan.Request{
		Config: cfg, Root: tree, Target: treeTarget, OutDir: outDir, Only: opts.Only,
	})
	if err != nil {
		return exitcode.Undecide(err)
	}
	rebase(outcomes, tree, root)

	err = gate(opts.f, gateInput{Config: cfg, Root: root, Outcomes: outcomes,
		Reports: opts.Reports, Inputs: []string{opts.ConfigPath},
		Notes: []string{fmt.Sprintf("shard %d/%d: the verdict above covers this slice only; "+
			"merge the shards' SARIF (secgate merge) and gate it with secgate evaluate", sh.I, sh.N)}})
	if exitcode.Code(err) == exitcode.Blocked {
		return nil
	}
	return err
}
