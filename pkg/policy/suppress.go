package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// day is one calendar day; suppressions expire at the end of a UTC day.
const day = 24 * time.Hour

// compiledSuppression is one suppressions entry ready to match, with what it
// did during this evaluation.
type compiledSuppression struct {
	s    *config.Suppression
	rule *ruleMatcher // nil when the suppression names no rule
	path pathGlob     // "" when it names no path
	// end is the first instant the suppression no longer holds: midnight UTC
	// after its expiry date. A suppression without a date never holds.
	end time.Time

	hidden         int // findings it suppressed
	matched        int // findings it matched that something else decided
	exposed        int // findings it matched but no longer hides, being expired
	matchedIgnored int // findings it matched that were ignored anyway
}

func (cs *compiledSuppression) live(now time.Time) bool {
	return !cs.s.Expires.IsZero() && now.Before(cs.end)
}

func (cs *compiledSuppression) matches(f *finding.Finding) bool {
	s := cs.s
	if s.Fingerprint != "" && s.Fingerprint != f.Fingerprint {
		return false
	}
	if cs.rule != nil && !cs.rule.match(f.Tool, f.Rule.ID) {
		return false
	}
	if cs.path != "" && (!f.Location.HasFile() || !cs.path.match(f.Location.Path)) {
		return false
	}
	return true
}

// suppressionIndex finds the suppressions that match a finding. Suppressions
// by fingerprint, which a baseline may hold by the hundred, are looked up by
// it; only the others are tried one by one.
type suppressionIndex struct {
	all           []*compiledSuppression
	byFingerprint map[string][]int
	// byFullID and byRuleID hold suppressions whose rule has no wildcard,
	// keyed as ruleIndex keys them, so that a long list of per-rule
	// suppressions costs a lookup per finding, not a match per suppression.
	byFullID map[string][]int
	byRuleID map[string][]int
	others   []int
}

func (c *compiled) suppressionIndex(supps []config.Suppression) suppressionIndex {
	x := suppressionIndex{byFingerprint: map[string][]int{},
		byFullID: map[string][]int{}, byRuleID: map[string][]int{}}
	for i := range supps {
		cs, err := compileSuppression(&supps[i])
		if err != nil {
			c.problems = append(c.problems, fmt.Sprintf("suppressions[%d]: %v", i, err))
			continue
		}
		pos := len(x.all)
		x.all = append(x.all, cs)
		switch r := cs.rule; {
		case cs.s.Fingerprint != "":
			x.byFingerprint[cs.s.Fingerprint] = append(x.byFingerprint[cs.s.Fingerprint], pos)
		case r != nil && r.exact && r.anyTool:
			x.byRuleID[r.pattern] = append(x.byRuleID[r.pattern], pos)
		case r != nil && r.exact:
			x.byFullID[r.pattern] = append(x.byFullID[r.pattern], pos)
		default:
			x.others = append(x.others, pos)
		}
	}
	return x
}

func compileSuppression(s *config.Suppression) (*compiledSuppression, error) {
	if s.Rule == "" && s.Fingerprint == "" && s.Path == "" {
		return nil, fmt.Errorf("names no rule, fingerprint or path, so it would hide everything")
	}
	cs := &compiledSuppression{s: s}
	if !s.Expires.IsZero() {
		y, m, d := s.Expires.Date()
		cs.end = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(day)
	}
	if s.Rule != "" {
		m, err := newRuleMatcher(s.Rule)
		if err != nil {
			return nil, fmt.Errorf("rule: %w", err)
		}
		cs.rule = m
	}
	if s.Path != "" {
		g, err := newPathGlob(s.Path)
		if err != nil {
			return nil, fmt.Errorf("path: %w", err)
		}
		cs.path = g
	}
	return cs, nil
}

// matching returns every suppression that matches f, in file order.
// candidates returns, in file order, the positions of the suppressions that
// may match f: those indexed under its fingerprint or rule, and the others.
func (x *suppressionIndex) candidates(f *finding.Finding) []int {
	return mergeSorted(x.byFingerprint[f.Fingerprint], x.byFullID[f.Tool+":"+f.Rule.ID],
		x.byRuleID[f.Rule.ID], x.others)
}

func (x *suppressionIndex) matching(f *finding.Finding) []*compiledSuppression {
	var out []*compiledSuppression
	for _, pos := range x.candidates(f) {
		if cs := x.all[pos]; cs.matches(f) {
			out = append(out, cs)
		}
	}
	return out
}

// expiredText says when a suppression stopped holding.
func (e *evaluator) expiredText(cs *compiledSuppression) string {
	if cs.s.Expires.IsZero() {
		return "has no expiry date, so it does not apply"
	}
	return "expired on " + cs.s.Expires.Format(time.DateOnly)
}

// suppressionWarnings reports, in file order, every suppression that has
// expired, expires soon, or did nothing.
func (e *evaluator) suppressionWarnings() []string {
	var out []string
	for _, cs := range e.c.supps.all {
		name := e.describe(cs)
		switch {
		case !cs.live(e.now) && cs.exposed > 0:
			out = append(out, fmt.Sprintf("%s %s and no longer hides %s; renew or remove it",
				name, e.expiredText(cs), plural(cs.exposed, "finding")))
		case !cs.live(e.now):
			out = append(out, fmt.Sprintf("%s %s; remove it", name, e.expiredText(cs)))
		case cs.hidden+cs.matched == 0 && cs.matchedIgnored > 0:
			out = append(out, fmt.Sprintf("%s is unused: it matches only findings that are "+
				"ignored anyway", name))
		case cs.hidden+cs.matched == 0:
			out = append(out, fmt.Sprintf("%s is unused: it matches no finding; remove it or "+
				"correct it", name))
		}
		if w := e.expiringWarning(cs, name); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// expiringWarning warns about a live suppression that ends within warn_before.
func (e *evaluator) expiringWarning(cs *compiledSuppression, name string) string {
	if !cs.live(e.now) || cs.end.Sub(e.now) > e.c.cfg.WarnBefore {
		return ""
	}
	today := e.now.Truncate(day)
	days := int(cs.end.Add(-day).Sub(today) / day)
	when := "today"
	if days > 0 {
		when = "in " + plural(days, "day")
	}
	return fmt.Sprintf("%s expires on %s (%s)", name, cs.s.Expires.Format(time.DateOnly), when)
}

// describe names a suppression by its place in the file, what it matches and
// who owns it.
func (e *evaluator) describe(cs *compiledSuppression) string {
	s := cs.s
	var what []string
	if s.Rule != "" {
		what = append(what, "rule "+s.Rule)
	}
	if s.Fingerprint != "" {
		what = append(what, "fingerprint "+s.Fingerprint)
	}
	if s.Path != "" {
		what = append(what, "path "+s.Path)
	}
	if s.Owner != "" {
		what = append(what, "owner "+s.Owner)
	}
	return fmt.Sprintf("suppression at %s (%s)", e.at(s.Pos), strings.Join(what, ", "))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
