package sariflog

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// unknownRuleID names the rule of a result that gives no rule at all, so
// that every finding can still be matched by policy as "tool:unknown-rule".
const unknownRuleID = "unknown-rule"

// ruleTable finds the rules of one run by reference and caches their
// conversion to the model.
type ruleTable struct {
	// comps holds the rules of the driver first, then of each extension, in
	// the order of tool.extensions, so that a toolComponent index i is comps[i+1].
	comps [][]ruleJSON
	byID  map[string]*ruleJSON
	infos map[string]*ruleInfo
}

// ruleInfo is a rule converted once for all the results that use it.
type ruleInfo struct {
	rule     finding.Rule
	level    string // defaultConfiguration.level
	sev      finding.Severity
	hasSev   bool   // security-severity was present and readable
	rawSev   string // security-severity as written
	messages map[string]messageJSON
}

func newRuleTable(rj *runJSON) *ruleTable {
	t := &ruleTable{
		comps: [][]ruleJSON{rj.Tool.Driver.Rules},
		byID:  map[string]*ruleJSON{},
		infos: map[string]*ruleInfo{},
	}
	for _, ext := range rj.Tool.Extensions {
		t.comps = append(t.comps, ext.Rules)
	}
	// The driver comes first and the first rule of an id wins, so that a
	// duplicate in an extension cannot hide the driver's own rule.
	for c := range t.comps {
		for i := range t.comps[c] {
			r := &t.comps[c][i]
			if _, dup := t.byID[string(r.ID)]; !dup && r.ID != "" {
				t.byID[string(r.ID)] = r
			}
		}
	}
	return t
}

// at returns the rule at an index of a component, or nil when out of range.
func (t *ruleTable) at(comp, idx number) *ruleJSON {
	c := 0
	if comp.set {
		c = comp.v + 1
	}
	if !idx.set || c < 0 || c >= len(t.comps) || idx.v < 0 || idx.v >= len(t.comps[c]) {
		return nil
	}
	return &t.comps[c][idx.v]
}

// find looks a rule up by id. A hierarchical id ("CA2101/sub") falls back to
// its parents, as SARIF §3.27.5 allows.
func (t *ruleTable) find(id string) *ruleJSON {
	for {
		if r, ok := t.byID[id]; ok {
			return r
		}
		i := strings.LastIndexByte(id, '/')
		if i <= 0 {
			return nil
		}
		id = id[:i]
	}
}

// lookup resolves the rule a result refers to. The ruleId is trusted over
// the ruleIndex; a disagreement or a bad index comes back as a warning.
func (t *ruleTable) lookup(res *resultJSON) (id string, rule *ruleJSON, warn string) {
	id = firstNonEmpty(string(res.RuleID), string(res.Rule.ID))
	idx := res.RuleIndex
	if !idx.set {
		idx = res.Rule.Index
	}
	byIndex := t.at(res.Rule.ToolComponent.Index, idx)

	if id != "" {
		if byIndex != nil && string(byIndex.ID) == id {
			return id, byIndex, ""
		}
		if idx.set {
			warn = badIndex(idx.v, byIndex, id)
		}
		return id, t.find(id), warn
	}
	if byIndex != nil && byIndex.ID != "" {
		return string(byIndex.ID), byIndex, ""
	}
	if r := t.fromMessage(string(res.Message.Text)); r != nil {
		return string(r.ID), r, fmt.Sprintf("no ruleId; took rule %q from the message", r.ID)
	}
	return unknownRuleID, nil, fmt.Sprintf("no ruleId and no usable ruleIndex; using %q", unknownRuleID)
}

func badIndex(idx int, byIndex *ruleJSON, id string) string {
	if byIndex == nil {
		return fmt.Sprintf("ruleIndex %d is out of range; using ruleId %q", idx, id)
	}
	return fmt.Sprintf("ruleIndex %d names rule %q, not ruleId %q; using ruleId",
		idx, byIndex.ID, id)
}

// fromMessage finds the rule whose id starts the message: some tools (gitleaks
// 7) give no ruleId and write "AWS Access Key secret detected". The longest
// matching id wins so that "AWS" does not shadow "AWS Secret Key".
func (t *ruleTable) fromMessage(msg string) *ruleJSON {
	var best *ruleJSON
	for id, r := range t.byID {
		if (msg == id || strings.HasPrefix(msg, id+" ")) && (best == nil || len(id) > len(best.ID)) {
			best = r
		}
	}
	return best
}

// info converts a rule once. A nil rule gives a minimal rule with only its id.
func (t *ruleTable) info(id string, r *ruleJSON) *ruleInfo {
	if in, ok := t.infos[id]; ok {
		return in
	}
	in := &ruleInfo{rule: finding.Rule{ID: id}}
	if r != nil {
		in = convertRule(id, r)
	}
	t.infos[id] = in
	return in
}

func convertRule(id string, r *ruleJSON) *ruleInfo {
	in := &ruleInfo{
		rule: finding.Rule{
			ID:   id,
			Name: string(r.Name),
			Description: firstNonEmpty(string(r.ShortDescription.Text),
				string(r.FullDescription.Text), string(r.ShortDescription.Markdown),
				string(r.FullDescription.Markdown), string(r.Help.Text)),
			HelpURI: string(r.HelpURI),
			Tags:    r.Properties.strings("tags"),
		},
		level:    string(r.DefaultConfiguration.Level),
		messages: r.MessageStrings,
	}
	if raw, ok := r.Properties[propSecuritySeverity]; ok {
		in.sev, in.hasSev = finding.ParseSecuritySeverity(raw)
		in.rawSev = rawText(raw)
	}
	in.rule.CWE = ruleCWEs(r)
	// Snyk Code marks security rules with a category rather than a tag.
	in.rule.Security = in.hasSev || hasTag(in.rule.Tags, "security") ||
		hasTag(r.Properties.strings("categories"), "security")
	return in
}

// rawText renders a property value as the tool wrote it.
func rawText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func hasTag(tags []string, want string) bool {
	return slices.ContainsFunc(tags, func(t string) bool {
		return strings.EqualFold(strings.TrimSpace(t), want)
	})
}

// cweRe finds CWE ids in the forms tools use: "CWE-89", "cwe-089",
// "external/cwe/cwe-089", "CWE-79: Improper Neutralization", "CWE 22".
var cweRe = regexp.MustCompile(`(?i)\bcwe[-_: ]?0*([0-9]+)\b`)

// ruleCWEs collects the CWE ids of a rule from its tags, a "cwe" property
// and relationships to a CWE taxonomy, as "CWE-<n>" without leading zeros.
func ruleCWEs(r *ruleJSON) []string {
	var out []string
	add := func(s string) {
		for _, m := range cweRe.FindAllStringSubmatch(s, -1) {
			if id := "CWE-" + m[1]; !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	for _, tag := range r.Properties.strings("tags") {
		add(tag)
	}
	for _, key := range []string{"cwe", "CWE", "cwes"} {
		for _, v := range r.Properties.strings(key) {
			add(v)
		}
		if n, ok := r.Properties[key].(float64); ok {
			add("CWE-" + strconv.Itoa(int(n)))
		}
	}
	for _, rel := range r.Relationships {
		if strings.EqualFold(string(rel.Target.ToolComponent.Name), "CWE") {
			add("CWE-" + string(rel.Target.ID))
		}
	}
	return out
}

// severityOf decides a result's severity and reports the raw value used. The
// order: secgate's own severity (in logs it wrote), a result's
// security-severity, the rule's security-severity, then the level, where the
// result's level beats the rule's default and an absent level is SARIF's
// default, warning. A result of kind pass or notApplicable is info.
func severityOf(res *resultJSON, in *ruleInfo) (finding.Severity, string) {
	if own := res.Properties.str(propSeverity); own != "" {
		if s, err := finding.ParseSeverity(own); err == nil {
			return s, own
		}
	}
	switch strings.ToLower(string(res.Kind)) {
	case "pass", "notapplicable":
		return finding.SeverityInfo, string(res.Kind)
	}
	if raw, ok := res.Properties[propSecuritySeverity]; ok {
		if s, ok := finding.ParseSecuritySeverity(raw); ok {
			return s, rawText(raw)
		}
	}
	if in.hasSev {
		return in.sev, in.rawSev
	}
	level := firstNonEmpty(string(res.Level), in.level)
	return finding.SeverityFromLevel(level), level
}

// messageOf returns the result's message text, expanding a message string
// reference, and falls back to the rule's description or id so that no
// finding is without a message.
func messageOf(res *resultJSON, in *ruleInfo) string {
	m := res.Message
	if msg := firstNonEmpty(string(m.Text), string(m.Markdown)); msg != "" {
		return msg
	}
	if tmpl, ok := in.messages[string(m.ID)]; ok && m.ID != "" {
		msg := firstNonEmpty(string(tmpl.Text), string(tmpl.Markdown))
		for i, arg := range m.Arguments {
			msg = strings.ReplaceAll(msg, "{"+strconv.Itoa(i)+"}", string(arg))
		}
		if msg != "" {
			return msg
		}
	}
	return firstNonEmpty(in.rule.Description, in.rule.Name, in.rule.ID)
}
