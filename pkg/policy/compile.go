package policy

import (
	"fmt"
	"slices"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// compiled is a config turned into matchers once per Evaluate, so the cost per
// finding does not include parsing any pattern.
type compiled struct {
	cfg     *config.Config
	include []pathGlob
	exclude []pathGlob
	rules   ruleIndex
	supps   suppressionIndex
	// problems are patterns that do not compile. Load refuses them, so they
	// only come from configs built in code; the gate cannot decide with them.
	problems []string
}

func compile(cfg *config.Config) *compiled {
	c := &compiled{cfg: cfg}
	c.include = c.globs(cfg.Paths.Include, "paths.include")
	c.exclude = c.globs(cfg.Paths.Exclude, "paths.exclude")
	c.rules = c.ruleIndex(cfg.Rules)
	c.supps = c.suppressionIndex(cfg.Suppressions)
	return c
}

func (c *compiled) globs(patterns []string, where string) []pathGlob {
	out := make([]pathGlob, 0, len(patterns))
	for _, p := range patterns {
		g, err := newPathGlob(p)
		if err != nil {
			c.problems = append(c.problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		out = append(out, g)
	}
	return out
}

// compiledRule is one rules entry ready to match.
type compiledRule struct {
	rule  *config.RuleAction
	match *ruleMatcher
	paths []pathGlob
}

// ruleIndex finds the first rule that matches a finding. Rules without
// wildcards, the common case, are looked up by exact id; only the wildcard
// rules are tried one by one.
type ruleIndex struct {
	rules    []compiledRule
	byFullID map[string][]int // "tool:rule" -> rule positions, ascending
	byRuleID map[string][]int // "rule" (patterns without a tool) -> positions
	wildcard []int
}

func (c *compiled) ruleIndex(rules []config.RuleAction) ruleIndex {
	x := ruleIndex{byFullID: map[string][]int{}, byRuleID: map[string][]int{}}
	for i := range rules {
		r := &rules[i]
		m, err := newRuleMatcher(r.Match)
		if err != nil {
			c.problems = append(c.problems, fmt.Sprintf("rules[%d].match: %v", i, err))
			continue
		}
		if outcomeOf(r.Action) == "" {
			c.problems = append(c.problems, fmt.Sprintf("rules[%d].action: unknown action %q", i, r.Action))
			continue
		}
		pos := len(x.rules)
		x.rules = append(x.rules, compiledRule{
			rule: r, match: m, paths: c.globs(r.Paths, fmt.Sprintf("rules[%d].paths", i)),
		})
		x.add(m, pos)
	}
	return x
}

func (x *ruleIndex) add(m *ruleMatcher, pos int) {
	switch {
	case !m.exact:
		x.wildcard = append(x.wildcard, pos)
	case m.anyTool:
		x.byRuleID[m.pattern] = append(x.byRuleID[m.pattern], pos)
	default:
		x.byFullID[m.pattern] = append(x.byFullID[m.pattern], pos)
	}
}

// first returns the first rule, in file order, that matches f, or nil.
func (x *ruleIndex) first(f *finding.Finding) *compiledRule {
	for _, pos := range x.candidates(f) {
		r := &x.rules[pos]
		if !r.match.match(f.Tool, f.Rule.ID) {
			continue
		}
		if len(r.paths) > 0 && (!f.Location.HasFile() || firstMatch(r.paths, f.Location.Path) == "") {
			continue
		}
		return r
	}
	return nil
}

// candidates are the positions, ascending, of the rules that may match f:
// those indexed under its exact id and every wildcard rule.
func (x *ruleIndex) candidates(f *finding.Finding) []int {
	return mergeSorted(x.byFullID[f.Tool+":"+f.Rule.ID], x.byRuleID[f.Rule.ID], x.wildcard)
}

// mergeSorted merges ascending lists of positions into one ascending list. The
// lists are disjoint, since each position sits in one list only.
func mergeSorted(lists ...[]int) []int {
	var out []int
	nonEmpty := 0
	for _, l := range lists {
		if len(l) > 0 {
			nonEmpty++
			out = l
		}
	}
	if nonEmpty <= 1 {
		return out // no copy needed, and none for the common case
	}
	out = nil
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return out
}
