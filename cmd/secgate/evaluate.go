package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/scanners/sarif"
)

type evaluateOptions struct {
	f *factory

	ConfigPath string
	Files      []string
	Reports    reportFlags
}

func newEvaluateCmd(f *factory) *cobra.Command {
	opts := &evaluateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "evaluate FILE.sarif...",
		Short: "Apply the policy to SARIF that already exists",
		Long: `Read SARIF logs written earlier (by secgate convert, secgate scan or any tool),
apply the config's policy, and exit with the decision. No scanner runs.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			return runEvaluate(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml", "policy config")
	fl.StringVar(&opts.Reports.SARIF, "sarif", "", "write the evaluated SARIF log here")
	fl.StringVar(&opts.Reports.JSON, "json", "", "write the JSON report here")
	return cmd
}

func runEvaluate(opts *evaluateOptions) error {
	cfg, err := loadConfig(opts.ConfigPath)
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return exitcode.Undecide(err)
	}

	var outcomes []scan.Outcome
	for _, path := range opts.Files {
		res, err := parseFile(path, sarif.Parse)
		if err != nil {
			return exitcode.Undecide(err)
		}
		// Each input file stands for a scanner that ran and was read; it is
		// required, since a file that was asked for cannot be optional.
		outcomes = append(outcomes, scan.Outcome{
			Name: path, Type: res.Tool.Name, Required: true, State: scan.StateOK, Result: res,
		})
	}

	return gate(opts.f, gateInput{
		Config:   cfg,
		Root:     repoRoot(cwd),
		Outcomes: outcomes,
		Reports:  opts.Reports,
		Inputs:   append([]string{opts.ConfigPath}, opts.Files...),
	})
}
