// Package baseline tells the findings a change introduces from those that
// were there before. It compares a scan with a reference: a baseline of known
// findings (a SARIF file, or a scan of the merge base), matched on the stable
// fingerprint so moved lines do not matter, and the change's diff, which says
// which lines, hunks or files are the change's own. Each finding gets a SARIF
// baselineState; known findings no longer present are absent: fixed.
package baseline

import (
	"fmt"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// The SARIF baselineState values.
const (
	StateNew       = "new"
	StateUnchanged = "unchanged"
	StateUpdated   = "updated"
	StateAbsent    = "absent"
)

// Reference is what a scan is compared with. Either part may be missing.
type Reference struct {
	// Known are the findings that existed before, with fingerprints; nil
	// means there is no baseline.
	Known []finding.Finding
	// KnownFrom names where Known came from, for reasons ("baseline b.sarif").
	KnownFrom string
	// Tools are the tools whose findings this scan reports. Known findings of
	// other tools are neither matched nor absent: the scan did not look.
	// Nil means every tool.
	Tools map[string]bool

	// Changes is the change's diff; nil means there is none.
	Changes *Changes
	// ChangesFrom names the diff, for reasons ("the diff from 1a2b3c").
	ChangesFrom string
	Scope       config.DiffScope
}

// Comparison is the result of comparing one scan with a Reference.
type Comparison struct {
	states map[string]verdict
	// Absent are known findings the scan no longer reports: fixed.
	Absent []finding.Finding
	// Notes say what limited the comparison.
	Notes []string
}

type verdict struct {
	state, why string
}

// Compare classifies every finding of the scan.
func Compare(ref Reference, current []finding.Finding) *Comparison {
	c := &Comparison{states: make(map[string]verdict, len(current))}
	var m *matcher
	if ref.Known != nil {
		m = newMatcher(ref.Known, ref.Tools)
	}
	for i := range current {
		f := &current[i]
		c.states[key(f)] = classify(ref, m, f)
	}
	if m != nil {
		c.Absent = m.unmatched()
	}
	if ref.Changes != nil {
		c.Notes = append(c.Notes, ref.Changes.Notes...)
	}
	return c
}

// classify decides one finding: matched in the baseline, it existed; not
// matched, it is new unless the diff says it lies outside the change.
func classify(ref Reference, m *matcher, f *finding.Finding) verdict {
	if m != nil {
		if v, ok := m.match(f, ref); ok {
			return v
		}
	}
	if ref.Changes == nil || ref.Scope == config.ScopeAll {
		if m == nil {
			return verdict{StateNew, "there is no baseline to compare with"}
		}
		return verdict{StateNew, "not in " + ref.KnownFrom}
	}

	in, why := ref.Changes.InScope(f, ref.Scope)
	if !in {
		return verdict{StateUnchanged, "outside the change: " + why}
	}
	if m != nil {
		why = "not in " + ref.KnownFrom + ", and " + why
	}
	return verdict{StateNew, why}
}

// State returns a finding's baselineState and the reason for it. A finding
// the comparison never saw is new: it fails closed.
func (c *Comparison) State(f *finding.Finding) (string, string) {
	v, ok := c.states[key(f)]
	if !ok {
		return StateNew, "not part of the comparison"
	}
	return v.state, v.why
}

// Counts returns how many findings have each state, absent ones included.
func (c *Comparison) Counts() map[string]int {
	n := map[string]int{StateNew: 0, StateUnchanged: 0, StateUpdated: 0,
		StateAbsent: len(c.Absent)}
	for _, v := range c.states {
		n[v.state]++
	}
	return n
}

// key identifies a finding of one scan: its fingerprint, unique within a
// normalized scan, else the merge key.
func key(f *finding.Finding) string {
	if f.Fingerprint != "" {
		return "fp:" + f.Fingerprint
	}
	return "key:" + f.Key()
}

// Summary is one line on the comparison for the verdict.
func (c *Comparison) Summary() string {
	n := c.Counts()
	return fmt.Sprintf("%d new, %d unchanged, %d updated, %d fixed", n[StateNew],
		n[StateUnchanged], n[StateUpdated], n[StateAbsent])
}
