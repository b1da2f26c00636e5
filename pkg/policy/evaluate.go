package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// evaluator holds one Evaluate call's compiled config and clock.
type evaluator struct {
	c    *compiled
	now  time.Time
	base Baseline
}

// evaluate decides one finding: scope first, then the first matching rule,
// then the severity threshold, and finally suppressions.
func (e *evaluator) evaluate(f finding.Finding) Evaluated {
	ev := Evaluated{Finding: f}
	ev.Outcome, ev.Reason = e.action(&ev.Finding)
	e.suppress(&ev)
	e.applyBaseline(&ev)
	return ev
}

func (e *evaluator) action(f *finding.Finding) (Outcome, string) {
	if f.Location.HasFile() {
		path := f.Location.Path
		if len(e.c.include) > 0 && firstMatch(e.c.include, path) == "" {
			return OutcomeIgnore, fmt.Sprintf("outside the paths in paths.include (%s)",
				joinGlobs(e.c.include))
		}
		if g := firstMatch(e.c.exclude, path); g != "" {
			return OutcomeIgnore, fmt.Sprintf("excluded by paths.exclude %q", g)
		}
	}

	if r := e.c.rules.first(f); r != nil {
		return outcomeOf(r.rule.Action), fmt.Sprintf("rule %q at %s says %s",
			r.rule.Match, e.at(r.rule.Pos), r.rule.Action)
	}

	failOn := e.c.cfg.FailOn
	if f.Severity >= failOn {
		return OutcomeFail, fmt.Sprintf("%s is at or above fail_on (%s)", f.Severity, failOn)
	}
	return OutcomeWarn, fmt.Sprintf("%s is below fail_on (%s)", f.Severity, failOn)
}

// outcomeOf maps a rule's action to an outcome, "" for an unknown action.
func outcomeOf(a config.Action) Outcome {
	switch a {
	case config.ActionFail:
		return OutcomeFail
	case config.ActionWarn:
		return OutcomeWarn
	case config.ActionIgnore:
		return OutcomeIgnore
	}
	return ""
}

// at names a place in the config file, "secgate.yaml:12".
func (e *evaluator) at(p config.Pos) string {
	file := e.c.cfg.File
	if file == "" {
		file = "the config"
	}
	return fmt.Sprintf("%s:%d", file, p.Line)
}

func joinGlobs(globs []pathGlob) string {
	s := make([]string, len(globs))
	for i, g := range globs {
		s[i] = string(g)
	}
	return strings.Join(s, ", ")
}

// suppress applies the suppressions to a finding the gate would act on. The
// first live suppression that matches hides it; an expired one that matches
// does not, and says so. Suppressions that the tool itself reported (an
// in-source comment such as nosemgrep) hide it too, since the tool would not
// have reported the finding at all without being asked to.
func (e *evaluator) suppress(ev *Evaluated) {
	matches := e.c.supps.matching(&ev.Finding)
	if ev.Outcome == OutcomeIgnore {
		for _, cs := range matches {
			cs.matchedIgnored++
		}
		return
	}

	live, expired := e.pick(matches)
	note := ""
	if expired != nil && live == nil {
		ev.Suppression = expired.s
		note = fmt.Sprintf("; the suppression at %s %s", e.at(expired.s.Pos), e.expiredText(expired))
	}
	switch {
	case live != nil:
		ev.Outcome, ev.Suppression = OutcomeSuppressed, live.s
		ev.Reason = fmt.Sprintf("suppressed by %s (owner %s, until %s): %s", e.at(live.s.Pos),
			live.s.Owner, live.s.Expires.Format(time.DateOnly), live.s.Reason)
	case e.honoured(&ev.Finding) != nil:
		ev.Outcome = OutcomeSuppressed
		ev.Reason = toolSuppression(e.honoured(&ev.Finding), ev.Finding.Tool) + note
	case len(ev.Finding.Suppressions) > 0:
		ev.Reason += note + "; " + refusedInline
	default:
		ev.Reason += note
	}
	e.tally(matches, live, ev.Outcome == OutcomeSuppressed)
}

// pick returns the first live and the first expired suppression among matches.
func (e *evaluator) pick(matches []*compiledSuppression) (live, expired *compiledSuppression) {
	for _, cs := range matches {
		isLive := cs.live(e.now)
		if isLive && live == nil {
			live = cs
		}
		if !isLive && expired == nil {
			expired = cs
		}
	}
	return live, expired
}

// tally counts what each matching suppression did, for the warnings about
// unused and expired suppressions.
func (e *evaluator) tally(matches []*compiledSuppression, live *compiledSuppression, hidden bool) {
	for _, cs := range matches {
		switch {
		case cs == live:
			cs.hidden++
		case cs.live(e.now) || hidden:
			cs.matched++
		default:
			cs.exposed++
		}
	}
}

func toolSuppression(s *finding.Suppression, tool string) string {
	where := "by " + tool
	if s.Kind == "inSource" {
		where = "in the source (reported by " + tool + ")"
	}
	if s.Justification == "" {
		return "suppressed " + where
	}
	return fmt.Sprintf("suppressed %s: %s", where, s.Justification)
}
