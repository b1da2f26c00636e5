package config

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// maxZAPRulesSize bounds a ZAP rules file. Real ones list a few hundred scan
// rules in a few kilobytes.
const maxZAPRulesSize = 1 << 20

// zapLevels maps the levels of a ZAP rules file to secgate's actions. ZAP's
// scan scripts report INFO alerts without failing or warning, and do not
// report IGNORE and PASS alerts at all; secgate's ignore keeps such findings
// in the reports, with the outcome ignore, and counts them for nothing.
var zapLevels = map[string]Action{
	"FAIL":   ActionFail,
	"WARN":   ActionWarn,
	"INFO":   ActionIgnore,
	"IGNORE": ActionIgnore,
	"PASS":   ActionIgnore,
}

const zapOutOfScope = "OUTOFSCOPE"

var (
	zapPluginID = regexp.MustCompile(`^[0-9]+$`)
	zapSubRule  = regexp.MustCompile(`^[0-9]+-[0-9]+$`)
)

// ReadZAPRules reads a rules file in the form ZAP's scan scripts take with -c:
// one rule a line, "id<TAB>level<TAB>name", where level is IGNORE, INFO, WARN,
// FAIL or PASS, or "ids<TAB>OUTOFSCOPE<TAB>url-regex"; lines starting with #
// are comments. Every problem is returned, each naming the file and line,
// since ZAP itself refuses such a file (its scripts exit 3).
func ReadZAPRules(path string) ([]ZAPRule, []ZAPScope, []string) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, []string{err.Error()}
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, maxZAPRulesSize+1))
	if err != nil {
		return nil, nil, []string{fmt.Sprintf("read %s: %v", path, err)}
	}
	if len(data) > maxZAPRulesSize {
		return nil, nil, []string{fmt.Sprintf("%s is larger than %d bytes, which no ZAP "+
			"rules file is", path, maxZAPRulesSize)}
	}
	return ParseZAPRules(data, path)
}

// ParseZAPRules parses the contents of a ZAP rules file; file names it in
// problems and in the scopes it returns. When a line names an id that an
// earlier line named, the later line's level wins, as in ZAP.
func ParseZAPRules(data []byte, file string) ([]ZAPRule, []ZAPScope, []string) {
	p := &zapRulesParser{file: file, seen: map[string]int{}}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for i, line := range strings.Split(string(data), "\n") {
		p.line(i+1, strings.TrimRight(line, " \t\r"))
	}
	return p.rules, p.scopes, p.problems
}

type zapRulesParser struct {
	file     string
	rules    []ZAPRule
	scopes   []ZAPScope
	problems []string
	seen     map[string]int // id -> index in rules
}

func (p *zapRulesParser) problem(line int, format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf("%s:%d: ", p.file, line)+
		fmt.Sprintf(format, args...))
}

func (p *zapRulesParser) line(n int, text string) {
	if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
		return
	}
	fields := strings.SplitN(text, "\t", 3)
	if len(fields) < 3 {
		p.malformed(n, text)
		return
	}

	ids, level, rest := strings.Split(fields[0], ","), fields[1], fields[2]
	if level == zapOutOfScope {
		p.scope(n, ids, rest)
		return
	}
	action, known := zapLevels[level]
	if !known {
		p.problem(n, "unknown level %q (ZAP's levels, in capitals: IGNORE, INFO, WARN, "+
			"FAIL, PASS, OUTOFSCOPE)", level)
		return
	}
	for _, id := range ids {
		if p.ruleID(n, id, false) {
			p.add(ZAPRule{ID: id, Level: level, Action: action, Line: n})
		}
	}
}

// malformed explains a line without three tab-separated fields. Spaces
// where the tabs belong are the usual cause: an editor or a copy from a web
// page turned the tabs into spaces.
func (p *zapRulesParser) malformed(n int, text string) {
	if strings.Contains(text, " ") && strings.Count(text, "\t") < 2 {
		p.problem(n, "the fields are separated by spaces; a ZAP rules file needs a tab "+
			"between id, level and name (id<TAB>level<TAB>name)")
		return
	}
	p.problem(n, "expected id<TAB>level<TAB>name, got %q", shorten(text, 60))
}

// ruleID checks one id; OUTOFSCOPE lines may also name sub-rules and "*".
func (p *zapRulesParser) ruleID(n int, id string, scope bool) bool {
	switch {
	case zapPluginID.MatchString(id):
		return true
	case scope && (id == "*" || zapSubRule.MatchString(id)):
		return true
	case zapSubRule.MatchString(id):
		base, _, _ := strings.Cut(id, "-")
		p.problem(n, "%s is a sub-rule id; secgate reports ZAP alerts under their scan rule "+
			"id, so write %s, which covers all of that rule's alerts", id, base)
	case id == "*":
		p.problem(n, "* only works with OUTOFSCOPE; name the scan rule id")
	default:
		p.problem(n, "%q is not a ZAP scan rule id (digits, such as 10021)", shorten(id, 40))
	}
	return false
}

// add records a rule; a later line for the same id replaces the earlier
// one's level but keeps its place.
func (p *zapRulesParser) add(r ZAPRule) {
	if i, dup := p.seen[r.ID]; dup {
		p.rules[i] = r
		return
	}
	p.seen[r.ID] = len(p.rules)
	p.rules = append(p.rules, r)
}

// scope reads an OUTOFSCOPE line. ZAP matches the regex at the start of the
// alert's URL (Python's re.match), so the pattern is anchored there too.
func (p *zapRulesParser) scope(n int, ids []string, pattern string) {
	ok := true
	for _, id := range ids {
		ok = p.ruleID(n, id, true) && ok
	}
	re, err := regexp.Compile(`^(?:` + pattern + `)`)
	if err != nil {
		p.problem(n, "OUTOFSCOPE pattern %q does not compile: %v (secgate reads it as a Go "+
			"regular expression, which has no lookarounds or backreferences)",
			shorten(pattern, 60), err)
		return
	}
	if ok {
		p.scopes = append(p.scopes, ZAPScope{IDs: ids, Pattern: re, File: p.file, Line: n})
	}
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
