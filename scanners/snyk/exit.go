package snyk

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// exitMeanings is Snyk's exit-code table, the same for every product. Only
// 2 and 3 are failures; 1 is the normal end of a scan that found issues.
// Which issues, the report says: the code is never read for findings.
var exitMeanings = map[int]string{
	0: "no issues found",
	1: "issues found",
	2: "the test failed",
	3: "no supported project found",
}

// readRun turns a finished snyk process into a result, an error, or a
// partial error that keeps the findings of the projects that were tested.
func readRun(prod product, res *toolexec.Result, base string) (*scanners.Result, error) {
	meaning, known := exitMeanings[res.ExitCode]
	if !known {
		return nil, fmt.Errorf("snyk %s exited %d, which Snyk does not document (stderr: %s)",
			prod.name, res.ExitCode, res.StderrTail)
	}
	source := "snyk " + prod.name + " output"
	out := bytes.TrimSpace(res.Stdout)
	var rep *report
	var readErr error
	if len(out) > 0 {
		rep, readErr = parseReport(out, source, base, nil)
	}

	switch {
	case res.ExitCode == 2:
		return nil, failed(prod, res, rep)
	case res.ExitCode == 3:
		return nil, nothingToTest(prod, res, rep, base)
	case len(out) == 0:
		return nil, fmt.Errorf("snyk %s exited %d (%s) without writing a report (stderr: %s)",
			prod.name, res.ExitCode, meaning, res.StderrTail)
	case readErr != nil:
		return nil, fmt.Errorf("snyk %s exited %d (%s) but its report cannot be read: %w",
			prod.name, res.ExitCode, meaning, readErr)
	}
	return checkAgainstExit(prod, res.ExitCode, rep)
}

// checkAgainstExit compares the report with what the exit code claims. A
// report without an issue after exit 1 was not read in full, or not
// written in full: either way it cannot be trusted to say "clean".
func checkAgainstExit(prod product, code int, rep *report) (*scanners.Result, error) {
	open := 0
	for _, f := range rep.result.Findings {
		if len(f.Suppressions) == 0 {
			open++
		}
	}
	switch {
	case code == 1 && open == 0 && len(rep.failures) == 0:
		return nil, fmt.Errorf("snyk %s exited 1 (issues found) but its report holds none "+
			"that secgate can read; the report cannot be trusted", prod.name)
	case code == 0 && open > 0:
		rep.result.Stats.Notes = append(rep.result.Stats.Notes, fmt.Sprintf(
			"snyk %s exited 0 (no issues) yet its report lists %d; secgate goes by the report",
			prod.name, open))
	}
	return rep.outcome()
}

// failed explains exit 2 with the errors in the report, else with stderr.
// Findings of projects that were tested are kept in a partial error.
func failed(prod product, res *toolexec.Result, rep *report) error {
	why := res.StderrTail
	if rep != nil && len(rep.failures) > 0 {
		msgs := make([]string, len(rep.failures))
		for i, f := range rep.failures {
			msgs[i] = f.String()
		}
		why = strings.Join(msgs, "; ")
	}
	if why == "" {
		why = "snyk gave no reason"
	}
	msg := fmt.Sprintf("snyk %s failed (exit 2): %s%s", prod.name, why, authHint(why))
	if rep != nil && len(rep.result.Findings) > 0 {
		failures := append(rep.failures, scanners.Failure{Reason: msg})
		return &scanners.PartialError{Tool: toolName, Result: rep.result, Failed: failures,
			Total: rep.projects, Noun: "project"}
	}
	return fmt.Errorf("%s", msg)
}

// nothingToTest explains exit 3: Snyk found nothing it can test, which is
// not a clean result. The likely causes are named.
func nothingToTest(prod product, res *toolexec.Result, rep *report, target string) error {
	why := res.StderrTail
	if rep != nil && len(rep.failures) > 0 {
		why = rep.failures[0].Reason
	}
	hint := "point target at the project"
	if prod.name == "test" {
		hint += ", or add --all-projects (all_projects: true) or --file=MANIFEST to args"
	}
	return fmt.Errorf("snyk %s found no supported project in %s (exit 3): %s; %s",
		prod.name, target, strings.TrimSpace(why), hint)
}

// authHint adds how to authenticate when Snyk says authentication failed.
func authHint(msg string) string {
	m := strings.ToLower(msg)
	if strings.Contains(m, "auth") || strings.Contains(m, "401") || strings.Contains(m, "token") {
		return "; set SNYK_TOKEN in the environment secgate runs in"
	}
	return ""
}
