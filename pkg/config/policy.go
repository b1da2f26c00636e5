package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"

	"github.com/secgate/secgate/pkg/finding"
)

// The policy sections of the file: rules, paths, suppressions and budgets.

func decodeRules(d *decoder, n *yaml.Node, cfg *Config) {
	items, _ := d.list(n, "rules")
	for i, item := range items {
		if r, ok := d.rule(item, fmt.Sprintf("rules[%d]", i)); ok {
			cfg.Rules = append(cfg.Rules, r)
		}
	}
}

func (d *decoder) rule(n *yaml.Node, path string) (RuleAction, bool) {
	item := d.resolve(n)
	fields, ok := d.mapping(item, path)
	if !ok {
		return RuleAction{}, false
	}
	r := RuleAction{Pos: Pos{Line: item.Line, Column: item.Column}}
	for _, f := range d.checkKeys(fields, path, []string{"match", "action", "paths"}) {
		var fieldOK bool
		switch f.key {
		case "match":
			r.Match, fieldOK = d.glob(f.value, path+".match")
		case "action":
			r.Action, fieldOK = d.action(f.value, path+".action")
		case "paths":
			r.Paths, fieldOK = d.globList(f.value, path+".paths")
		}
		ok = ok && fieldOK
	}

	ok = d.require(item, path, "match", r.Match != "", fields) && ok
	ok = d.require(item, path, "action", r.Action != "", fields) && ok
	return r, ok
}

// require reports a missing key, unless the key is present and its value was
// already reported as wrong.
func (d *decoder) require(n *yaml.Node, path, key string, set bool, fields []field) bool {
	if set {
		return true
	}
	if !slices.ContainsFunc(fields, func(f field) bool { return f.key == key }) {
		d.errorf(n, "%s: missing %s", path, key)
	}
	return false
}

func (d *decoder) action(n *yaml.Node, path string) (Action, bool) {
	s, ok := d.text(n, path, "an action (fail, warn or ignore)")
	if !ok {
		return "", false
	}
	switch a := Action(strings.ToLower(s)); a {
	case ActionFail, ActionWarn, ActionIgnore:
		return a, true
	}
	d.errorf(n, "%s: unknown action %q (want fail, warn or ignore)", path, s)
	return "", false
}

func decodePaths(d *decoder, n *yaml.Node, cfg *Config) {
	fields, _ := d.mapping(n, "paths")
	for _, f := range d.checkKeys(fields, "paths", []string{"include", "exclude"}) {
		switch f.key {
		case "include":
			cfg.Paths.Include, _ = d.globList(f.value, "paths.include")
		case "exclude":
			cfg.Paths.Exclude, _ = d.globList(f.value, "paths.exclude")
		}
	}
}

func decodeSuppressions(d *decoder, n *yaml.Node, cfg *Config) {
	items, _ := d.list(n, "suppressions")
	for i, item := range items {
		if s, ok := d.suppression(item, fmt.Sprintf("suppressions[%d]", i)); ok {
			cfg.Suppressions = append(cfg.Suppressions, s)
		}
	}
}

var suppressionKeys = []string{"rule", "fingerprint", "path", "reason", "owner", "expires"}

func (d *decoder) suppression(n *yaml.Node, path string) (Suppression, bool) {
	item := d.resolve(n)
	fields, ok := d.mapping(item, path)
	if !ok {
		return Suppression{}, false
	}
	s := Suppression{Pos: Pos{Line: item.Line, Column: item.Column}}
	for _, f := range d.checkKeys(fields, path, suppressionKeys) {
		ok = d.suppressionField(f, path, &s) && ok
	}

	// A selector that is present but invalid was reported already.
	if !hasAny(fields, "rule", "fingerprint", "path") {
		d.errorf(item, "%s: needs at least one of rule, fingerprint or path", path)
		ok = false
	}
	ok = d.require(item, path, "reason", s.Reason != "", fields) && ok
	ok = d.require(item, path, "owner", s.Owner != "", fields) && ok
	ok = d.require(item, path, "expires", !s.Expires.IsZero(), fields) && ok
	return s, ok
}

func (d *decoder) suppressionField(f field, path string, s *Suppression) bool {
	var ok bool
	at := path + "." + f.key
	switch f.key {
	case "rule":
		s.Rule, ok = d.glob(f.value, at)
	case "fingerprint":
		s.Fingerprint, ok = d.nonEmpty(f.value, at)
	case "path":
		s.Path, ok = d.glob(f.value, at)
	case "reason":
		s.Reason, ok = d.nonEmpty(f.value, at)
	case "owner":
		s.Owner, ok = d.nonEmpty(f.value, at)
	case "expires":
		s.Expires, ok = d.date(f.value, at)
	}
	return ok
}

func hasAny(fields []field, keys ...string) bool {
	return slices.ContainsFunc(fields, func(f field) bool { return slices.Contains(keys, f.key) })
}

// severityKeys are the severity names in the order the docs list them.
func severityKeys() []string {
	keys := make([]string, len(finding.Severities))
	for i, s := range finding.Severities {
		keys[i] = s.String()
	}
	return keys
}

func decodeMax(d *decoder, n *yaml.Node, cfg *Config) {
	fields, _ := d.mapping(n, "max")
	for _, f := range d.checkKeys(fields, "max", severityKeys()) {
		at := "max." + f.key
		v, ok := d.integer(f.value, at)
		if !ok {
			continue
		}
		if v < 0 {
			d.errorf(f.value, "%s: must be 0 or more, got %d", at, v)
			continue
		}
		sev, _ := finding.ParseSeverity(f.key)
		cfg.Max[sev] = v
	}
}

func decodeLicenses(d *decoder, n *yaml.Node, cfg *Config) {
	fields, _ := d.mapping(n, "licenses")
	for _, f := range d.checkKeys(fields, "licenses", []string{"deny", "allow", "severity"}) {
		switch f.key {
		case "deny":
			cfg.Licenses.Deny, _ = d.strList(f.value, "licenses.deny")
		case "allow":
			cfg.Licenses.Allow, _ = d.strList(f.value, "licenses.allow")
		case "severity":
			if s, ok := d.severity(f.value, "licenses.severity"); ok {
				cfg.Licenses.Severity = s
			}
		}
	}

	// A licence both allowed and denied is a contradiction the user must resolve;
	// picking one silently would hide it.
	for _, id := range cfg.Licenses.Deny {
		same := func(a string) bool { return strings.EqualFold(a, id) }
		if slices.ContainsFunc(cfg.Licenses.Allow, same) {
			d.errorf(n, "licenses: %q is both allowed and denied", id)
		}
	}
}

func decodePackages(d *decoder, n *yaml.Node, cfg *Config) {
	fields, _ := d.mapping(n, "packages")
	for _, f := range d.checkKeys(fields, "packages", []string{"deny", "severity"}) {
		switch f.key {
		case "deny":
			items, _ := d.list(f.value, "packages.deny")
			for i, item := range items {
				if ban, ok := d.packageBan(item, fmt.Sprintf("packages.deny[%d]", i)); ok {
					cfg.Packages.Deny = append(cfg.Packages.Deny, ban)
				}
			}
		case "severity":
			if s, ok := d.severity(f.value, "packages.severity"); ok {
				cfg.Packages.Severity = s
			}
		}
	}
}

func (d *decoder) packageBan(n *yaml.Node, path string) (PackageBan, bool) {
	item := d.resolve(n)
	fields, ok := d.mapping(item, path)
	if !ok {
		return PackageBan{}, false
	}
	ban := PackageBan{Pos: Pos{Line: item.Line, Column: item.Column}}
	for _, f := range d.checkKeys(fields, path, []string{"name", "type", "versions", "reason"}) {
		var fieldOK bool
		at := path + "." + f.key
		switch f.key {
		case "name":
			ban.Name, fieldOK = d.nonEmpty(f.value, at)
		case "type":
			ban.Type, fieldOK = d.nonEmpty(f.value, at)
		case "versions":
			ban.Versions, fieldOK = d.versionRange(f.value, at)
		case "reason":
			ban.Reason, fieldOK = d.str(f.value, at)
		}
		ok = ok && fieldOK
	}
	ok = d.require(item, path, "name", ban.Name != "", fields) && ok
	return ban, ok
}

// versionRange checks a range with the same library the SBOM policy matches
// with, so that what loads here also evaluates there.
func (d *decoder) versionRange(n *yaml.Node, path string) (string, bool) {
	s, ok := d.nonEmpty(n, path)
	if !ok {
		return "", false
	}
	if _, err := semver.NewConstraint(s); err != nil {
		d.errorf(n, "%s: %q is not a version range (%v)", path, s, err)
		return "", false
	}
	return s, true
}

func decodeSeverityMap(d *decoder, n *yaml.Node, cfg *Config) {
	tools, _ := d.mapping(n, "severity_map")
	for _, tool := range tools {
		path := "severity_map." + tool.key
		words, _ := d.mapping(tool.value, path)
		name := strings.ToLower(tool.key)
		if cfg.SeverityMap[name] == nil {
			cfg.SeverityMap[name] = map[string]finding.Severity{}
		}
		for _, w := range words {
			d.severityWord(w, path, cfg.SeverityMap[name])
		}
	}
}

// severityWord adds one tool word to a tool's map. Words are compared in
// lowercase, so two spellings of one word are a duplicate.
func (d *decoder) severityWord(w field, path string, dst map[string]finding.Severity) {
	word := strings.ToLower(w.key)
	if _, dup := dst[word]; dup {
		d.errorf(w.pos, "%s: %q is mapped twice (words are compared in lowercase)", path, w.key)
		return
	}
	if sev, ok := d.severity(w.value, path+"."+w.key); ok {
		dst[word] = sev
	}
}

func decodeReports(d *decoder, n *yaml.Node, cfg *Config) {
	fields, _ := d.mapping(n, "reports")
	for _, f := range d.checkKeys(fields, "reports", []string{"sarif", "json"}) {
		switch f.key {
		case "sarif":
			setStr(d, f.value, "reports.sarif", &cfg.Reports.SARIF)
		case "json":
			setStr(d, f.value, "reports.json", &cfg.Reports.JSON)
		}
	}
}
