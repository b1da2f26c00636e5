package config

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ZAP holds the settings only the zap scanner reads. The scanner gets ZAP's
// findings in exactly one of three ways: Report (import what ZAP wrote in an
// earlier step), Script (run one of ZAP's packaged scan scripts) or Daemon
// (drive a ZAP that is already running through its API).
type ZAP struct {
	// Target is the URL that Script and Daemon scan. It is never defaulted:
	// a DAST scan sends attacks, so secgate only scans what it was told to.
	Target string

	// Script picks zap-baseline.py, zap-full-scan.py or zap-api-scan.py:
	// baseline, full or api.
	Script string
	// APIFormat is the kind of API definition Target is, for script: api
	// (openapi, soap or graphql).
	APIFormat string

	// Daemon is the base URL of a running ZAP's API ("http://zap:8080").
	Daemon string
	// APIKeyEnv names the environment variable that holds the API key. The
	// key itself never goes in the config, on a command line or in a log.
	APIKeyEnv string
	// ActiveScan runs an active scan after the spider and the passive scan.
	ActiveScan bool
	// ActiveScanLimit stops the active scan after this long and keeps what it
	// found so far; zero lets it run until the scanner's timeout.
	ActiveScanLimit time.Duration
	// SpiderLimit stops the spider after this long; zero lets it finish.
	SpiderLimit time.Duration

	// RulesFile is a rules file in the tab-separated form ZAP's scan scripts
	// read (-c). Its actions become rules "zap:<id>" after the config's own
	// rules (see ZAPRules), and its OUTOFSCOPE lines fill OutOfScope.
	RulesFile string
	// Rules are the rules file's lines that set an action, in file order.
	Rules []ZAPRule
	// OutOfScope are the rules file's OUTOFSCOPE lines.
	OutOfScope []ZAPScope
	// RulesPos is where rules_file is written, which the rules made from
	// the file name as their place in the config.
	RulesPos Pos

	// CountFalsePositives makes alerts that ZAP rated confidence 0 (false
	// positive) count like any other. By default they are listed as
	// suppressed by the tool.
	CountFalsePositives bool
}

// ZAPRule is one line of a ZAP rules file that sets what happens to a scan
// rule's alerts.
type ZAPRule struct {
	// ID is ZAP's plugin id, "10021".
	ID string
	// Level is the word the file uses: IGNORE, INFO, WARN, FAIL or PASS.
	Level  string
	Action Action
	Line   int
}

// ZAPScope is an OUTOFSCOPE line: alerts of the listed scan rules ("*" for
// all) on URLs that Pattern matches are out of scope.
type ZAPScope struct {
	IDs     []string
	Pattern *regexp.Regexp
	File    string
	Line    int
}

// InScope reports whether an alert of a scan rule (its plugin id, and its
// alertRef when it is a sub-rule such as 10055-4) on rawURL is in scope, and
// when it is not, the OUTOFSCOPE line that says so.
func (z *ZAP) InScope(pluginID, alertRef, rawURL string) (bool, *ZAPScope) {
	for i := range z.OutOfScope {
		sc := &z.OutOfScope[i]
		named := slices.Contains(sc.IDs, "*") || slices.Contains(sc.IDs, pluginID) ||
			(alertRef != "" && slices.Contains(sc.IDs, alertRef))
		if named && sc.Pattern.MatchString(rawURL) {
			return false, sc
		}
	}
	return true, nil
}

// zapScripts are the packaged scan scripts a zap scanner can run.
var zapScripts = []string{"baseline", "full", "api"}

// zapAPIFormats are the API definition kinds zap-api-scan.py reads (-f).
var zapAPIFormats = []string{"openapi", "soap", "graphql"}

// zapKeys are the keys only the zap scanner has; report, args and env are
// shared with other types and decoded with them.
var zapKeys = []string{"target", "script", "api_format", "daemon", "api_key_env",
	"active_scan", "active_scan_limit", "spider_limit", "rules_file", "count_false_positives"}

// envName is what an environment variable's name may look like.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// zapField reads one of the settings only the zap scanner has.
func (d *decoder) zapField(f field, at string, s *Scanner) bool {
	var ok bool
	z := &s.ZAP
	switch f.key {
	case "target":
		z.Target, ok = d.httpURL(f.value, at)
	case "daemon":
		z.Daemon, ok = d.httpURL(f.value, at)
	case "script":
		z.Script, ok = d.oneOf(f.value, at, "scan script", zapScripts)
	case "api_format":
		z.APIFormat, ok = d.oneOf(f.value, at, "API format", zapAPIFormats)
	case "api_key_env":
		z.APIKeyEnv, ok = d.nonEmpty(f.value, at)
		if ok && !envName.MatchString(z.APIKeyEnv) {
			d.errorf(f.value, "%s: must name an environment variable (the key itself "+
				"never goes in the config)", at)
			z.APIKeyEnv, ok = "", false
		}
	case "active_scan":
		z.ActiveScan, ok = d.boolean(f.value, at)
	case "active_scan_limit":
		z.ActiveScanLimit, ok = d.positiveDuration(f.value, at)
	case "spider_limit":
		z.SpiderLimit, ok = d.positiveDuration(f.value, at)
	case "count_false_positives":
		z.CountFalsePositives, ok = d.boolean(f.value, at)
	case "rules_file":
		ok = d.zapRulesFile(f.value, at, z)
	}
	return ok
}

// httpURL reads an absolute http or https URL with a host.
func (d *decoder) httpURL(n *yaml.Node, at string) (string, bool) {
	s, ok := d.nonEmpty(n, at)
	if !ok {
		return "", false
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.errorf(n, "%s: %q is not an http or https URL with a host", at, s)
		return "", false
	}
	return strings.TrimSpace(s), true
}

// oneOf reads a word that must be one of allowed.
func (d *decoder) oneOf(n *yaml.Node, at, what string, allowed []string) (string, bool) {
	s, ok := d.nonEmpty(n, at)
	if ok && !slices.Contains(allowed, s) {
		d.errorf(n, "%s: unknown %s %q (known: %s)", at, what, s, strings.Join(allowed, ", "))
		return "", false
	}
	return s, ok
}

func (d *decoder) positiveDuration(n *yaml.Node, at string) (time.Duration, bool) {
	v, ok := d.duration(n, at)
	if ok && v == 0 {
		d.errorf(n, "%s: must be more than zero", at)
		return 0, false
	}
	return v, ok
}

// checkZAP reports zap settings that do not fit together: exactly one way in,
// a target for every way that scans, and each setting only with the way
// that reads it.
func (d *decoder) checkZAP(at *yaml.Node, path string, fields []field, s Scanner) bool {
	ways := 0
	for _, k := range []string{"report", "script", "daemon"} {
		if hasAny(fields, k) {
			ways++
		}
	}
	switch {
	case ways == 0:
		d.errorf(at, "%s: say how to get ZAP's findings: report (a report ZAP wrote), "+
			"script (baseline, full or api) or daemon (the URL of a running ZAP's API)", path)
		return false
	case ways > 1:
		d.errorf(at, "%s: report, script and daemon are three ways to run ZAP; choose one", path)
		return false
	}

	way := "report"
	if hasAny(fields, "script") {
		way = "script"
	} else if hasAny(fields, "daemon") {
		way = "daemon"
	}
	ok := d.zapOnly(path, fields, way)
	if way != "report" && !hasAny(fields, "target") {
		d.errorf(at, "%s: needs target, the URL to scan; secgate never scans a URL it "+
			"was not given", path)
		ok = false
	}
	return d.checkZAPCombos(at, path, fields, s) && ok
}

// zapOnlyWith names, for each key that only one way reads, that way.
var zapOnlyWith = map[string]string{
	"target": "script or daemon", "api_format": "script", "args": "script", "env": "script",
	"api_key_env": "daemon", "active_scan": "daemon", "active_scan_limit": "daemon",
	"spider_limit": "daemon",
}

func (d *decoder) zapOnly(path string, fields []field, way string) bool {
	ok := true
	for _, f := range fields {
		want, limited := zapOnlyWith[f.key]
		if limited && !strings.Contains(want, way) {
			d.errorf(f.pos, "%s.%s: only makes sense with %s", path, f.key, want)
			ok = false
		}
	}
	return ok
}

// checkZAPCombos checks the settings that depend on each other's values.
func (d *decoder) checkZAPCombos(at *yaml.Node, path string, fields []field, s Scanner) bool {
	z, ok := s.ZAP, true
	if z.Script == "api" && !hasAny(fields, "api_format") {
		d.errorf(at, "%s: script api needs api_format (%s): the kind of definition target is",
			path, strings.Join(zapAPIFormats, ", "))
		ok = false
	}
	if n := fieldValue(fields, "api_format"); n != nil && z.Script != "api" && z.Script != "" {
		d.errorf(n, "%s.api_format: only makes sense with script: api", path)
		ok = false
	}
	if n := fieldValue(fields, "active_scan_limit"); n != nil && !z.ActiveScan {
		d.errorf(n, "%s.active_scan_limit: only makes sense with active_scan: true", path)
		ok = false
	}
	if n := fieldValue(fields, "active_scan_limit"); n != nil && z.ActiveScanLimit >= s.Timeout {
		d.errorf(n, "%s.active_scan_limit: must be shorter than the scanner's timeout (%s), "+
			"which bounds the whole run", path, s.Timeout)
		ok = false
	}
	return ok
}

// addZAPRules appends the actions of every zap scanner's rules file to the
// config's rules. They come after the rules the config itself writes, so that
// secgate.yaml has the last word over an imported file, and a scanner listed
// earlier wins over a later one for the same id.
func addZAPRules(cfg *Config) {
	for _, s := range cfg.Scanners {
		for _, r := range s.ZAP.Rules {
			cfg.Rules = append(cfg.Rules, RuleAction{
				Match: "zap:" + r.ID, Action: r.Action, Pos: s.ZAP.RulesPos,
			})
		}
	}
}

func (d *decoder) zapRulesFile(n *yaml.Node, at string, z *ZAP) bool {
	path, ok := d.nonEmpty(n, at)
	if !ok {
		return false
	}
	rules, scopes, problems := ReadZAPRules(path)
	for _, p := range problems {
		d.errorf(n, "%s: %s", at, p)
	}
	if len(problems) > 0 {
		return false
	}
	z.RulesFile, z.Rules, z.OutOfScope = path, rules, scopes
	z.RulesPos = Pos{Line: n.Line, Column: n.Column}
	return true
}
