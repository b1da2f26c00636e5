package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/secgate/secgate/pkg/baseline"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/redact"
	"github.com/secgate/secgate/pkg/report"
	"github.com/secgate/secgate/pkg/scan"
)

// reportFlags are the report files a gating command writes; "-" is stdout.
type reportFlags struct {
	SARIF string
	JSON  string
	JUnit string
}

// gateInput is what scan and evaluate hand to the shared gate step.
type gateInput struct {
	Config   *config.Config
	Root     string
	Outcomes []scan.Outcome
	Reports  reportFlags
	// Inputs are files this run read; no report may overwrite them.
	Inputs []string
	// Reference, when set, tells old findings from new (newonly.go); Notes
	// say how it was built.
	Reference *baseline.Reference
	Notes     []string
	// Publish, when set, says where to post the result (publishscan.go).
	Publish *publishFlags
}

// gate normalizes, applies the policy, renders every report and turns the
// decision into the command's error: nil, blocked or undecided.
func gate(f *factory, in gateInput) error {
	// The findings as the scanners reported them are let go as soon as the
	// normalizer has its copy: a large scan is then held about once, not
	// once per stage. Only their count and tools are kept.
	tools := reportedTools(in.Outcomes)
	inputs := normalizeInputs(in.Outcomes)
	for i := range in.Outcomes {
		in.Outcomes[i].ReleaseFindings()
	}
	findings, notes := normalize.Apply(normalize.Options{
		Root:        in.Root,
		SeverityMap: in.Config.SeverityMap,
	}, inputs)

	opts := policy.Options{Now: f.Now}
	cmp := compare(in.Reference, findings, tools)
	if cmp != nil {
		opts.Baseline = cmp
	}
	decision := policy.Evaluate(in.Config, findings, scannerOutcomes(in.Outcomes), opts)

	data := &report.Data{
		Key:      in.Config.Key,
		Version:  f.Version,
		Root:     in.Root,
		Decision: decision,
		Scanners: in.Outcomes,
	}
	for _, n := range notes {
		data.Notes = append(data.Notes, n.Tool+": "+n.Message)
	}
	data.Notes = append(data.Notes, in.Notes...)
	if cmp != nil {
		data.Fixed = cmp.Absent
		data.Notes = append(data.Notes, cmp.Notes...)
		data.Notes = append(data.Notes, "new-only: "+cmp.Summary())
	}

	table := report.Table{Color: f.Color()}
	if err := table.Render(f.IO.ErrOut, data); err != nil {
		return exitcode.Undecide(fmt.Errorf("write the findings table: %w", err))
	}
	stdoutTaken, err := writeReports(f, data, in)
	if err != nil {
		return exitcode.Undecide(err)
	}
	ciOutputs(f, data, in, stdoutTaken)
	return afterGate(f, data, in, verdictError(decision))
}

func writeReports(f *factory, data *report.Data, in gateInput) (bool, error) {
	targets := []struct {
		path string
		r    report.Renderer
	}{
		{firstSet(in.Reports.SARIF, in.Config.Reports.SARIF), report.SARIF{}},
		{firstSet(in.Reports.JSON, in.Config.Reports.JSON), report.JSON{}},
		{in.Reports.JUnit, report.JUnit{}},
	}
	stdoutTaken := false
	for _, t := range targets {
		switch t.path {
		case "":
			continue
		case "-":
			if stdoutTaken {
				return true, errors.New("only one report can go to stdout (-)")
			}
			stdoutTaken = true
			if err := t.r.Render(f.IO.Out, data); err != nil {
				return true, fmt.Errorf("write report to stdout: %w", err)
			}
		default:
			if err := report.WriteFile(t.path, t.r, data, in.Inputs); err != nil {
				return stdoutTaken, err
			}
			f.Logger().Debug("report written", "path", t.path)
		}
	}
	return stdoutTaken, nil
}

func verdictError(d *policy.Decision) error {
	switch d.Status {
	case policy.StatusPassed:
		return nil
	case policy.StatusBlocked:
		return &exitcode.SilentError{Code: exitcode.Blocked}
	}
	return &exitcode.SilentError{Code: exitcode.Undecided}
}

func normalizeInputs(outcomes []scan.Outcome) []normalize.Input {
	var inputs []normalize.Input
	for _, o := range outcomes {
		if o.Result != nil {
			inputs = append(inputs, normalize.Input{BaseDir: o.Result.BaseDir,
				Findings: o.Result.Findings})
		}
	}
	return inputs
}

func scannerOutcomes(outcomes []scan.Outcome) []policy.ScannerOutcome {
	var out []policy.ScannerOutcome
	for _, o := range outcomes {
		out = append(out, policy.ScannerOutcome{
			Name: o.Name, Required: o.Required, State: string(o.State), Message: o.Message,
		})
	}
	return out
}

// loadConfig reads the config; every problem in it is a could-not-decide error.
func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.Load(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, exitcode.Undecide(fmt.Errorf(
				"no config at %s (pass --config, or see examples/secgate.yaml)", path))
		}
		return nil, exitcode.Undecide(err)
	}
	redact.RegisterEnv(os.Getenv, cfg.SecretVars()...)
	return cfg, nil
}

// resolveTarget makes the config's target absolute and checks that it is a
// directory inside the repository root.
func resolveTarget(root, target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("target %s: %w", target, err)
	}
	if !info.IsDir() {
		return "", fmt.Errorf("target %s is not a directory", target)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || filepath.IsAbs(rel) || len(rel) > 2 && rel[:3] == "../" {
		return "", fmt.Errorf("target %s is outside the repository root %s", target, root)
	}
	return abs, nil
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
