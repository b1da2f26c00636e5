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
	NewOnly    newOnlyFlags
	// MaxReportBytes overrides the config's limits.max_report_bytes.
	MaxReportBytes string
	// TrustedRef is --trusted-config: read the config from git (trusted.go).
	TrustedRef string
}

func newEvaluateCmd(f *factory) *cobra.Command {
	opts := &evaluateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "evaluate FILE.sarif...",
		Short: "Apply the policy to SARIF that already exists",
		Long: `Read SARIF logs written earlier (by secgate convert, secgate scan or any tool),
apply the config's policy, and exit with the decision. No scanner runs.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			return runEvaluate(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml", "policy config")
	fl.StringVar(&opts.Reports.SARIF, "sarif", "", "write the evaluated SARIF log here")
	fl.StringVar(&opts.Reports.JSON, "json", "", "write the JSON report here")
	fl.StringVar(&opts.Reports.JUnit, "junit", "", "write a JUnit XML report here")
	opts.NewOnly.register(fl)
	registerReportLimit(cmd, &opts.MaxReportBytes)
	addTrustedConfigFlag(fl, &opts.TrustedRef)
	return cmd
}

func runEvaluate(cmd *cobra.Command, opts *evaluateOptions) error {
	cfg, err := loadGateConfig(cmd.Context(), opts.f, opts.ConfigPath, opts.TrustedRef)
	if err != nil {
		return err
	}
	limit, err := reportLimit(opts.MaxReportBytes, cfg)
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return exitcode.Undecide(err)
	}

	var outcomes []scan.Outcome
	for _, path := range opts.Files {
		res, err := parseFile(path, sarif.Parse, limit)
		if err != nil {
			return exitcode.Undecide(err)
		}
		// Each input file stands for a scanner that ran and was read; it is
		// required, since a file that was asked for cannot be optional.
		outcomes = append(outcomes, scan.Outcome{
			Name: path, Type: res.Tool.Name, Required: true, State: scan.StateOK, Result: res,
		})
	}

	// No scanner runs here, so the merge base cannot be scanned: base_scan
	// is off and only a baseline file or the diff tell old from new.
	no, err := opts.NewOnly.resolve(cmd, cfg)
	if err != nil {
		return err
	}
	root := repoRoot(cwd)
	ref, notes, err := no.reference(cmd.Context(), root, nil)
	if err != nil {
		return err
	}

	return gate(opts.f, gateInput{
		Config:    cfg,
		Root:      root,
		Outcomes:  outcomes,
		Reports:   opts.Reports,
		Inputs:    append([]string{opts.ConfigPath}, opts.Files...),
		Reference: ref,
		Notes:     notes,
	})
}
