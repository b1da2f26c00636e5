package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/scanners"
	"github.com/secgate/secgate/scanners/registry"
)

type convertOptions struct {
	f *factory

	From       string
	Output     string
	ConfigPath string
	Files      []string
}

func newConvertCmd(f *factory) *cobra.Command {
	opts := &convertOptions{f: f}
	cmd := &cobra.Command{
		Use:   "convert --from FORMAT FILE...",
		Short: "Turn scanner reports into secgate's normalized SARIF",
		Long: `Read reports that scanners wrote in an earlier step and print one normalized
SARIF 2.1.0 log on stdout: severities on one scale, repo-relative paths,
fingerprints, duplicates merged. No pass/fail policy is applied; with --config,
its severity_map is, and SBOM formats get its licence and package policy.

Formats: ` + strings.Join(registry.FormatNames(), ", "),
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			return runConvert(opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "format of the input files (required)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "-", "write the SARIF here instead of stdout")
	cmd.Flags().StringVarP(&opts.ConfigPath, "config", "c", "",
		"config whose severity_map (and, for SBOMs, licence policy) to apply")
	return cmd
}

func runConvert(opts *convertOptions) error {
	var err error
	format, ok := registry.Formats()[opts.From]
	if !ok {
		return exitcode.Undecide(fmt.Errorf("--from %q: unknown format (known: %s)",
			opts.From, strings.Join(registry.FormatNames(), ", ")))
	}
	parse, cfg := format.Parse, &config.Config{}
	if opts.ConfigPath != "" {
		if cfg, err = loadConfig(opts.ConfigPath); err != nil {
			return err
		}
		if format.WithPolicy != nil {
			parse = format.WithPolicy(cfg)
		}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return exitcode.Undecide(err)
	}
	root := repoRoot(cwd)

	var inputs []normalize.Input
	var outcomes []scan.Outcome
	for _, path := range opts.Files {
		res, err := parseFile(path, parse)
		if err != nil {
			return exitcode.Undecide(err)
		}
		inputs = append(inputs, normalize.Input{BaseDir: res.BaseDir, Findings: res.Findings})
		outcomes = append(outcomes, scan.Outcome{Name: path, Type: res.Tool.Name,
			State: scan.StateOK, Result: res})
	}
	findings, _ := normalize.Apply(normalize.Options{Root: root, SeverityMap: cfg.SeverityMap},
		inputs)

	// Without a policy every finding is reported and none is judged.
	decision := &policy.Decision{Status: policy.StatusPassed}
	for _, fd := range findings {
		decision.Findings = append(decision.Findings, policy.Evaluated{Finding: fd})
	}
	data := &report.Data{Key: "secgate", Version: opts.f.Version, Root: root,
		Decision: decision, Scanners: outcomes}

	if opts.Output == "-" {
		return exitcode.Undecide(report.SARIF{}.Render(opts.f.IO.Out, data))
	}
	return exitcode.Undecide(report.WriteFile(opts.Output, report.SARIF{}, data, opts.Files))
}

// parseFile opens one report and parses it, naming the file in any error.
func parseFile(path string, parse scanners.Parser) (*scanners.Result, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open report: %w", err)
	}
	defer file.Close()
	res, err := parse(file, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return res, nil
}
