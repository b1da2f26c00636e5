package policy

import (
	"github.com/secgate/secgate/pkg/finding"
)

// Baseline says whether the change under review introduces a finding. The
// baseline package implements it by comparing with a baseline file, a scan
// of the merge base, or the change's diff.
type Baseline interface {
	// State returns the SARIF baselineState (new, unchanged or updated) and
	// the reason for it in words.
	State(f *finding.Finding) (state, why string)
}

// stateNew is the baselineState of a finding the change introduces.
const stateNew = "new"

// applyBaseline records the finding's baselineState and, when the config
// gates on new findings only, turns a failure that existed before the change
// into a warning: it stays in every report, but the change did not cause it.
func (e *evaluator) applyBaseline(ev *Evaluated) {
	if e.base == nil {
		return
	}
	state, why := e.base.State(&ev.Finding)
	ev.BaselineState = state
	if !e.c.cfg.NewOnly.Enabled || state == stateNew {
		return
	}
	if ev.Outcome == OutcomeFail {
		ev.Outcome = OutcomeWarn
		ev.Reason = "not new (" + why + "), so it does not block: " + ev.Reason
	}
}

// budgeted reports whether a finding counts against the max budgets: those
// the gate acts on, and under new_only only the new ones, since a budget
// the old findings already exceed would block every change.
func (e *evaluator) budgeted(ev Evaluated) bool {
	if ev.Outcome != OutcomeFail && ev.Outcome != OutcomeWarn {
		return false
	}
	if e.base != nil && e.c.cfg.NewOnly.Enabled {
		return ev.BaselineState == stateNew
	}
	return true
}
