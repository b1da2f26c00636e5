package main

import (
	"bytes"
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
	// MaxReportBytes overrides the config's limits.max_report_bytes.
	MaxReportBytes string
}

func newConvertCmd(f *factory) *cobra.Command {
	opts := &convertOptions{f: f}
	cmd := &cobra.Command{
		Use:   "convert [--from FORMAT] FILE...",
		Short: "Turn scanner reports into secgate's normalized SARIF",
		Long: `Read reports that scanners wrote in an earlier step and print one normalized
SARIF 2.1.0 log on stdout: severities on one scale, repo-relative paths,
fingerprints, duplicates merged. No pass/fail policy is applied; with --config,
its severity_map is, and SBOM formats get its licence and package policy.

Without --from, each file's format is recognised from its content, never from
its name; content that fits no format, or several, is an error that names the
file and the candidates.

Formats: ` + strings.Join(registry.FormatNames(), ", "),
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			return runConvert(opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "",
		"format of the input files (default: recognised from each file's content)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "-", "write the SARIF here instead of stdout")
	cmd.Flags().StringVarP(&opts.ConfigPath, "config", "c", "",
		"config whose severity_map (and, for SBOMs, licence policy) to apply")
	registerReportLimit(cmd, &opts.MaxReportBytes)
	return cmd
}

func runConvert(opts *convertOptions) error {
	cfg, err := convertSettings(opts)
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
	root := repoRoot(cwd)

	var inputs []normalize.Input
	var outcomes []scan.Outcome
	for _, path := range opts.Files {
		res, err := convertFile(path, opts.From, cfg, limit)
		if err != nil {
			return exitcode.Undecide(err)
		}
		inputs = append(inputs, normalize.Input{BaseDir: res.BaseDir, Findings: res.Findings})
		outcomes = append(outcomes, scan.Outcome{Name: path, Type: res.Tool.Name,
			State: scan.StateOK, Result: res})
	}
	norm := normalize.Options{Root: root}
	if cfg != nil {
		norm.SeverityMap = cfg.SeverityMap
	}
	findings, _ := normalize.Apply(norm, inputs)

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

// convertSettings checks --from and loads the config, when one is given; nil
// without one.
func convertSettings(opts *convertOptions) (*config.Config, error) {
	if opts.From != "" {
		if _, ok := registry.Formats()[opts.From]; !ok {
			return nil, exitcode.Undecide(fmt.Errorf("--from %q: unknown format (known: %s)",
				opts.From, strings.Join(registry.FormatNames(), ", ")))
		}
	}
	if opts.ConfigPath == "" {
		return nil, nil
	}
	return loadConfig(opts.ConfigPath)
}

// convertFile reads one report in the format named, or when none is, in the
// format recognised from its content, and parses it with the config's policy
// when the format has one. Errors name the file.
func convertFile(path, from string, cfg *config.Config, limit int64) (*scanners.Result, error) {
	if format, ok := registry.Formats()[from]; ok {
		return parseFile(path, parserOf(format, cfg), limit)
	}

	// Telling the format from the content takes all of it.
	data, err := readReport(path, limit)
	if err != nil {
		return nil, err
	}
	format, _, err := registry.DetectFormat(data, path)
	if err != nil {
		return nil, fmt.Errorf("%w; name the format with --from", err)
	}
	res, err := parserOf(format, cfg)(bytes.NewReader(data), path)
	if err != nil {
		return nil, inFile(path, err)
	}
	return res, nil
}

// parserOf returns the format's parser, with the config's policy when the
// format has one and a config is given.
func parserOf(format registry.Format, cfg *config.Config) scanners.Parser {
	if cfg != nil && format.WithPolicy != nil {
		return format.WithPolicy(cfg)
	}
	return format.Parse
}

// parseFile parses one report within limit bytes, naming the file in any
// error. The parser gets the file itself, so that one that streams (SARIF)
// never holds the report's text.
func parseFile(path string, parse scanners.Parser, limit int64) (*scanners.Result, error) {
	file, err := openReport(path, limit)
	if err != nil {
		return nil, err
	}
	defer file.Close()

	res, err := parse(file, path)
	if err != nil {
		return nil, inFile(path, err)
	}
	return res, nil
}
