package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/secgate/secgate/pkg/actions"
	"github.com/secgate/secgate/pkg/baseline"
	"github.com/secgate/secgate/pkg/ci"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/markdown"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
)

// ciOutputs tells the CI system what the gate decided, when secgate runs in
// one it knows. In GitHub Actions that is: masks for the tokens scanners
// were given, an error annotation per blocking finding (within the runner's
// limits), the Markdown job summary and the step outputs. None of it changes
// the verdict: a summary that cannot be written is a warning on stderr.
func ciOutputs(f *factory, data *report.Data, in gateInput, stdoutTaken bool) {
	c, err := ci.Detect(ci.OSEnv())
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "warning: %v\n", err)
	}
	if c.Provider != ci.ProviderActions {
		return
	}
	// Workflow commands go to stdout unless a report is written there.
	cmds := f.IO.Out
	if stdoutTaken {
		cmds = f.IO.ErrOut
	}
	maskScannerEnv(cmds, in)
	for _, a := range actions.BlockingAnnotations(data.Decision, "the job summary") {
		fmt.Fprintln(cmds, a.String())
	}

	summary := markdown.Summary{Links: markdown.Links{Run: c.RunURL}}
	if hasBaseline(data) {
		summary.New = func(e policy.Evaluated) bool { return e.BaselineState == baseline.StateNew }
	}
	text := summary.String(data) + fixedLine(data)
	if err := actions.AppendSummary(os.Getenv("GITHUB_STEP_SUMMARY"), text); err != nil {
		fmt.Fprintf(f.IO.ErrOut, "warning: job summary: %v\n", err)
	}
	if err := actions.WriteOutputs(os.Getenv("GITHUB_OUTPUT"), stepOutputs(data, in)); err != nil {
		fmt.Fprintf(f.IO.ErrOut, "warning: step outputs: %v\n", err)
	}
}

// maskScannerEnv masks the values of the variables the config passes to
// scanners (tokens such as SNYK_TOKEN), so no later log line shows them.
func maskScannerEnv(w io.Writer, in gateInput) {
	for _, s := range in.Config.Scanners {
		for _, name := range s.Env {
			if cmd, ok := actions.Mask(os.Getenv(name)); ok {
				fmt.Fprintln(w, cmd)
			}
		}
	}
}

func hasBaseline(data *report.Data) bool {
	for _, e := range data.Decision.Findings {
		if e.BaselineState != "" {
			return true
		}
	}
	return data.Fixed != nil
}

func fixedLine(data *report.Data) string {
	if len(data.Fixed) == 0 {
		return ""
	}
	return fmt.Sprintf("\n%d finding(s) of the baseline are gone: fixed.\n", len(data.Fixed))
}

// stepOutputs are the outputs the action declares: verdict, counts, sarif.
func stepOutputs(data *report.Data, in gateInput) []actions.Output {
	d := data.Decision
	counts := map[string]int{"blocking": d.Blocking, "total": len(d.Findings),
		"fixed": len(data.Fixed)}
	for _, s := range finding.Severities {
		counts[s.String()] = d.Counts[s]
	}
	newCount := 0
	for _, e := range d.Findings {
		if e.BaselineState == baseline.StateNew {
			newCount++
		}
	}
	counts["new"] = newCount
	js, _ := json.Marshal(counts)

	sarif := firstSet(in.Reports.SARIF, in.Config.Reports.SARIF)
	if sarif != "" && sarif != "-" {
		if abs, err := filepath.Abs(sarif); err == nil {
			sarif = abs
		}
	}
	if sarif == "-" {
		sarif = ""
	}
	return []actions.Output{
		{Name: "verdict", Value: string(d.Status)},
		{Name: "counts", Value: string(js)},
		{Name: "blocking", Value: fmt.Sprint(d.Blocking)},
		{Name: "sarif", Value: sarif},
	}
}
