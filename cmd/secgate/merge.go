package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/report"
	"github.com/secgate/secgate/pkg/sariflog"
)

type mergeOptions struct {
	f *factory

	Files  []string
	Output string
}

func newMergeCmd(f *factory) *cobra.Command {
	opts := &mergeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "merge FILE.sarif...",
		Short: "Combine the SARIF logs of scan shards into one",
		Long: `Combine the SARIF logs that "secgate scan --shard I/N" wrote, one per shard,
into one log with one run per tool; gate it with "secgate evaluate". A finding
that two shards both report (one without a file, such as a package) is kept
once. A run that says its tool failed stays failed, so evaluate cannot pass
a merge with a broken shard.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			return runMerge(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "-", "write the merged SARIF here")
	return cmd
}

func runMerge(opts *mergeOptions) error {
	merged := map[string]*sariflog.OutRun{}
	var order []string
	seen := map[string]bool{}
	for _, path := range opts.Files {
		runs, err := readSARIFFile(path)
		if err != nil {
			return exitcode.Undecide(err)
		}
		for i, run := range runs {
			if run.Tool.Name == "" {
				if len(run.Findings) == 0 && run.Successful && len(run.Errors) == 0 {
					continue // an empty run ("runs": [null]) says nothing
				}
				return exitcode.Undecide(fmt.Errorf("%s: run %d names no tool, so its "+
					"result cannot be merged with any other", path, i))
			}
			out, ok := merged[run.Tool.Name]
			if !ok {
				out = &sariflog.OutRun{Tool: run.Tool, Successful: true}
				merged[run.Tool.Name] = out
				order = append(order, run.Tool.Name)
			}
			out.Successful = out.Successful && run.Successful
			out.Notifications = append(out.Notifications, run.Errors...)
			for i := range run.Findings {
				f := &run.Findings[i]
				k := run.Tool.Name + "\x00" + f.Fingerprint
				if f.Fingerprint == "" {
					k = f.Key()
				}
				if !seen[k] {
					seen[k] = true
					out.Results = append(out.Results, sariflog.Result{Finding: f})
				}
			}
		}
	}

	log := sariflog.Log{}
	for _, name := range order {
		log.Runs = append(log.Runs, *merged[name])
	}
	if opts.Output == "-" {
		return exitcode.Undecide(sariflog.Write(opts.f.IO.Out, log))
	}
	return exitcode.Undecide(report.WriteLog(opts.Output, log, opts.Files))
}

func readSARIFFile(path string) ([]sariflog.Run, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return sariflog.Read(fh, path)
}
