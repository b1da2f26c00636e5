package sariflog

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/secgate/secgate/pkg/finding"
)

// Log is secgate's SARIF output.
type Log struct {
	// Root is the absolute repository root, written as %SRCROOT% in each
	// run's originalUriBaseIds. Symbolic links should already be resolved.
	// Empty leaves originalUriBaseIds out; the uploader then supplies it.
	Root string
	Runs []OutRun
}

// OutRun is one tool's part of the log. Runs with the same tool name and
// category are folded into one, since GitHub rejects a file with two runs of
// the same tool and category.
type OutRun struct {
	Tool    Tool
	Results []Result
	// Successful is written as the invocation's executionSuccessful.
	Successful bool
	// Notifications are written as toolExecutionNotifications: of level
	// error when the run failed, of level warning when it succeeded.
	Notifications []string
	// Category is the automationDetails id, such as "secgate/semgrep/"; empty
	// means "secgate/<tool name>/". It must stay the same from one run of the
	// gate to the next, or GitHub closes and reopens the alerts.
	Category string
}

// Result is one evaluated finding.
type Result struct {
	Finding *finding.Finding
	// Outcome is secgate's policy outcome: one of the Outcome constants, or
	// empty when the policy has not run.
	Outcome string
	// Justification is the reason of a secgate suppression; it is written as
	// an external, accepted suppression when Outcome is OutcomeSuppressed.
	Justification string
	// BaselineState is "", "new", "unchanged", "updated" or "absent".
	BaselineState string
}

// The policy outcomes a Result may carry.
const (
	OutcomeFail       = "fail"
	OutcomeWarn       = "warn"
	OutcomeIgnore     = "ignore"
	OutcomeSuppressed = "suppressed"
)

// Limits from GitHub's SARIF support: longer texts are cut to fit.
const (
	maxRuleName    = 255
	maxDescription = 1024
	maxTags        = 20
)

// Write writes log as one SARIF 2.1.0 document. The output is deterministic:
// runs keep their order, results and rules are sorted, and nothing depends on
// the clock, so it can be compared with a golden file.
//
// Each result is built and encoded on its own as it is written, so that the
// log is never held a second time in go-sarif's pointer-rich model.
func Write(w io.Writer, log Log) error {
	root, runs, err := planLog(log)
	if err != nil {
		return err
	}

	bw := bufio.NewWriterSize(w, 1<<16)
	if err := encodeLog(bw, runs, root); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// plannedRun is a run ready to write: its members other than the results,
// and the order in which its results are written.
type plannedRun struct {
	out   OutRun
	shell *sarif.Run
	order []int
	index map[string]int // rule id to its index in the driver's rules
}

// planLog checks the log and plans each run; nothing is written when any
// part of the log is wrong.
func planLog(log Log) (string, []plannedRun, error) {
	root := ""
	if log.Root != "" {
		if !isAbsPath(log.Root) {
			return "", nil, fmt.Errorf("sarif root %q is not an absolute path", log.Root)
		}
		root = strings.TrimSuffix(strings.ReplaceAll(log.Root, `\`, "/"), "/")
	}

	runs, err := foldRuns(log.Runs)
	if err != nil {
		return "", nil, err
	}
	planned := make([]plannedRun, 0, len(runs))
	for _, or := range runs {
		p, err := planRun(or, root)
		if err != nil {
			return "", nil, err
		}
		planned = append(planned, p)
	}
	return root, planned, nil
}

// foldRuns merges runs of the same tool and category, keeping the order in
// which each first appears, and fills in default categories. The caller's
// slices are never written to.
func foldRuns(in []OutRun) ([]OutRun, error) {
	var out []OutRun
	at := map[[2]string]int{}
	for i, r := range in {
		if strings.TrimSpace(r.Tool.Name) == "" {
			return nil, fmt.Errorf("sarif run %d has no tool name", i)
		}
		if r.Category == "" {
			r.Category = "secgate/" + r.Tool.Name + "/"
		}
		key := [2]string{r.Tool.Name, r.Category}
		j, seen := at[key]
		if !seen {
			at[key] = len(out)
			out = append(out, r)
			continue
		}
		// Clip makes append copy rather than write past the caller's length.
		out[j].Results = append(slices.Clip(out[j].Results), r.Results...)
		out[j].Notifications = append(slices.Clip(out[j].Notifications), r.Notifications...)
		out[j].Successful = out[j].Successful && r.Successful
	}
	return out, nil
}

func planRun(or OutRun, root string) (plannedRun, error) {
	for i, r := range or.Results {
		if err := checkResult(r); err != nil {
			return plannedRun{}, fmt.Errorf("sarif run %q, result %d: %w", or.Tool.Name, i, err)
		}
	}
	// Sorting indexes rather than the results spares a copy of the run.
	order := make([]int, len(or.Results))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return compareResults(&or.Results[a], &or.Results[b])
	})

	rules, index := collectRules(or.Results)
	run := sarif.NewRun(*sarif.NewTool(driverOf(or.Tool, rules)))
	if root != "" {
		run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
			"%SRCROOT%": sarif.NewSimpleArtifactLocation(dirURI(root)),
		})
	}
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(or.Category))
	run.AddInvocations(invocationOf(or))
	run.Results = nil // built and written one at a time by encodeRun
	return plannedRun{out: or, shell: run, order: order, index: index}, nil
}

// appendResult appends the k-th result to write.
func (p *plannedRun) appendResult(b []byte, k int, root string) []byte {
	return appendResult(b, &p.out.Results[p.order[k]], p.out.Tool.Name, p.index, root)
}

func checkResult(r Result) error {
	if r.Finding == nil {
		return errors.New("no finding")
	}
	switch r.Outcome {
	case "", OutcomeFail, OutcomeWarn, OutcomeIgnore, OutcomeSuppressed:
	default:
		return fmt.Errorf("unknown outcome %q (want fail, warn, ignore or suppressed)", r.Outcome)
	}
	switch r.BaselineState {
	case "", "new", "unchanged", "updated", "absent":
	default:
		return fmt.Errorf("unknown baseline state %q (want new, unchanged, updated or absent)",
			r.BaselineState)
	}
	return nil
}

// compareResults orders results by place, then rule, then message.
func compareResults(a, b *Result) int {
	la, lb := a.Finding.Location, b.Finding.Location
	return cmp.Or(
		cmp.Compare(la.Path, lb.Path),
		cmp.Compare(la.StartLine, lb.StartLine),
		cmp.Compare(la.StartColumn, lb.StartColumn),
		cmp.Compare(la.EndLine, lb.EndLine),
		cmp.Compare(la.EndColumn, lb.EndColumn),
		cmp.Compare(la.Logical, lb.Logical),
		cmp.Compare(ruleID(a.Finding), ruleID(b.Finding)),
		cmp.Compare(a.Finding.Message, b.Finding.Message),
		cmp.Compare(a.Finding.Fingerprint, b.Finding.Fingerprint),
	)
}

// ruleID is the id a finding's rule is written under; GitHub requires one.
func ruleID(f *finding.Finding) string {
	return firstNonEmpty(f.Rule.ID, unknownRuleID)
}

func driverOf(t Tool, rules []*sarif.ReportingDescriptor) *sarif.ToolComponent {
	d := sarif.NewDriver(firstNonEmpty(t.DisplayName, t.Name))
	if t.Version != "" {
		d.WithVersion(t.Version)
	}
	if isAbsURL(t.InformationURI) {
		d.WithInformationURI(t.InformationURI)
	}
	d.Properties = sarif.Properties{propTool: t.Name}
	d.Rules = rules
	return d
}

func invocationOf(or OutRun) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccess(or.Successful)
	level := "warning"
	if !or.Successful {
		level = "error"
	}
	for _, n := range or.Notifications {
		if strings.TrimSpace(n) == "" {
			continue
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarif.NewNotification().WithLevel(level).WithMessage(sarif.NewTextMessage(n)))
	}
	return inv
}

// isAbsURL reports whether s is an absolute URL, as informationUri and
// helpUri must be.
func isAbsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// isAbsPath reports whether p is an absolute POSIX or Windows path.
func isAbsPath(p string) bool {
	p = strings.ReplaceAll(p, `\`, "/")
	return strings.HasPrefix(p, "/") || isDrive(p)
}
