package report

import (
	"io"

	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/sariflog"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/scanners"
)

// SARIF renders the merged SARIF 2.1.0 log: one run per tool, every finding in
// it, suppressed ones marked as such rather than dropped.
type SARIF struct{}

var _ Renderer = SARIF{}

// Render implements Renderer.
func (SARIF) Render(w io.Writer, d *Data) error {
	return sariflog.Write(w, BuildLog(d))
}

// BuildLog groups the evaluated findings into one run per tool, in tool order.
// A tool that ran and found nothing still gets its (empty) run, so consumers
// such as code scanning can close alerts it no longer reports.
func BuildLog(d *Data) sariflog.Log {
	tools := d.Tools()
	byTool := make(map[string][]sariflog.Result)
	// Results point at the decision's findings rather than copy them: a
	// large scan is then held once while its log is written.
	for i := range d.Decision.Findings {
		e := &d.Decision.Findings[i]
		byTool[e.Finding.Tool] = append(byTool[e.Finding.Tool], sariflog.Result{
			Finding:       &e.Finding,
			Outcome:       string(e.Outcome),
			Justification: justification(*e),
			BaselineState: e.BaselineState,
		})
	}
	for i := range d.Fixed {
		f := &d.Fixed[i]
		byTool[f.Tool] = append(byTool[f.Tool], sariflog.Result{Finding: f,
			BaselineState: "absent"})
		if _, ok := tools[f.Tool]; !ok {
			tools[f.Tool] = scanners.ToolInfo{Name: f.Tool}
		}
	}
	failed := failedTools(d.Scanners)
	for name := range failed {
		if _, ok := tools[name]; !ok {
			tools[name] = scanners.ToolInfo{Name: name}
		}
	}

	log := sariflog.Log{Root: d.Root}
	for _, name := range toolNames(tools) {
		t := tools[name]
		log.Runs = append(log.Runs, sariflog.OutRun{
			Tool:          sariflog.Tool(t),
			Results:       byTool[name],
			Successful:    failed[name] == "",
			Notifications: notifications(failed[name]),
			Category:      d.Key + "/" + name + "/",
		})
	}
	return log
}

func justification(e policy.Evaluated) string {
	if e.Outcome != policy.OutcomeSuppressed {
		return ""
	}
	if e.Suppression != nil && e.Suppression.Reason != "" {
		return e.Suppression.Reason
	}
	return e.Reason
}

// failedTools maps a scanner's tool name to its failure message. A failed
// scanner has no result and so no tool name of its own; its type stands in.
func failedTools(outcomes []scan.Outcome) map[string]string {
	failed := make(map[string]string)
	for _, o := range outcomes {
		if o.State == scan.StateFailed {
			failed[o.Type] = o.Message
		}
	}
	return failed
}

func notifications(msg string) []string {
	if msg == "" {
		return nil
	}
	return []string{msg}
}
