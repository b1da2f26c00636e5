package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/secgate/secgate/pkg/finding"
)

// nodeBudget caps how many YAML nodes one file may expand to. Aliases can make
// a small file expand enormously ("billion laughs"); a config that big is an
// attack or a mistake, not a policy.
const nodeBudget = 100_000

// decoder walks a YAML node tree against secgate's schema, collecting every
// problem instead of stopping at the first.
type decoder struct {
	file  string
	diags []Diagnostic
	nodes int
}

// field is one key and its value in a mapping.
type field struct {
	key   string
	pos   *yaml.Node // the key node, where "unknown key" points
	value *yaml.Node
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	diag := Diagnostic{File: d.file, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		diag.Line, diag.Column = n.Line, n.Column
	}
	d.diags = append(d.diags, diag)
}

// resolve follows an alias to the node it names and charges the node budget.
// It returns nil once the budget is spent, which stops the walk there.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.nodes++
	if d.nodes == nodeBudget {
		d.errorf(n, "the file expands to more than %d YAML nodes (check its aliases)", nodeBudget)
	}
	if d.nodes >= nodeBudget {
		return nil
	}
	return n
}

// isNull reports whether a value was left empty ("key:" or "key: ~").
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names a node's kind the way a user would say it.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!bool", "!!int", "!!float":
		return n.Value
	}
	return fmt.Sprintf("%q", n.Value)
}

// mapping returns the fields of a mapping in file order, reporting duplicate
// keys. An empty value counts as an empty mapping.
func (d *decoder) mapping(n *yaml.Node, path string) ([]field, bool) {
	if n = d.resolve(n); n == nil {
		return nil, false
	}
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping, got %s", path, describe(n))
		return nil, false
	}
	seen := map[string]*yaml.Node{}
	var fields []field
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%skeys must be plain words, got %s", prefix(path), describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, "%sduplicate key %q (first at line %d)", prefix(path), k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		fields = append(fields, field{key: k.Value, pos: k, value: v})
	}
	return fields, true
}

// checkKeys reports every field whose key is not in allowed, with the list of
// keys that are allowed there and the nearest one when it looks like a typo.
func (d *decoder) checkKeys(fields []field, path string, allowed []string) []field {
	var known []field
	for _, f := range fields {
		if slices.Contains(allowed, f.key) {
			known = append(known, f)
			continue
		}
		if f.key == "<<" {
			d.errorf(f.pos, "%smerge keys (<<) are not supported; write the keys out", prefix(path))
			continue
		}
		msg := fmt.Sprintf("%sunknown key %q (allowed: %s)", prefix(path), f.key,
			strings.Join(allowed, ", "))
		if near := nearest(f.key, allowed); near != "" {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
		d.errorf(f.pos, "%s", msg)
	}
	return known
}

// prefix starts a message about the setting at path; the top level has none.
func prefix(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

// str reads a scalar as text. Numbers are accepted as their text because
// values such as versions ("1.2") look like numbers to YAML.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	return d.text(n, path, "a string")
}

// text reads a scalar as text; want says what the setting expects, for the
// message when it is something else.
func (d *decoder) text(n *yaml.Node, path, want string) (string, bool) {
	if n = d.resolve(n); n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" || n.ShortTag() == "!!bool" {
		d.errorf(n, "%s: expected %s, got %s", path, want, describe(n))
		return "", false
	}
	return n.Value, true
}

// nonEmpty reads a string that must not be blank.
func (d *decoder) nonEmpty(n *yaml.Node, path string) (string, bool) {
	s, ok := d.str(n, path)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(n, "%s: must not be empty", path)
		return "", false
	}
	return s, ok
}

// strList reads a list of strings; an empty value is an empty list.
func (d *decoder) strList(n *yaml.Node, path string) ([]string, bool) {
	if n = d.resolve(n); n == nil {
		return nil, false
	}
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		hint := ""
		if n.Kind == yaml.ScalarNode {
			hint = fmt.Sprintf(" (write [%s] for a single item)", n.Value)
		}
		d.errorf(n, "%s: expected a list of strings, got %s%s", path, describe(n), hint)
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for i, item := range n.Content {
		s, itemOK := d.nonEmpty(item, fmt.Sprintf("%s[%d]", path, i))
		ok = ok && itemOK
		out = append(out, s)
	}
	return out, ok
}

// list returns the items of a sequence; an empty value is an empty list.
func (d *decoder) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	if n = d.resolve(n); n == nil {
		return nil, false
	}
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: expected a list, got %s", path, describe(n))
		return nil, false
	}
	return n.Content, true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	if n = d.resolve(n); n == nil {
		return false, false
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.errorf(n, "%s: expected true or false, got %s", path, describe(n))
		return false, false
	}
	return b, true
}

func (d *decoder) integer(n *yaml.Node, path string) (int, bool) {
	if n = d.resolve(n); n == nil {
		return 0, false
	}
	var i int
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
		d.errorf(n, "%s: expected a whole number, got %s", path, describe(n))
		return 0, false
	}
	return i, true
}

// daysPattern is the "Nd" form of a duration, which Go's parser lacks.
var daysPattern = regexp.MustCompile(`^(\d+)d$`)

// duration reads a Go duration ("90m", "1h30m") or a number of days ("14d").
// Negative durations make no sense for any setting and are refused.
func (d *decoder) duration(n *yaml.Node, path string) (time.Duration, bool) {
	s, ok := d.text(n, path, "a duration such as 14d or 90m")
	if !ok {
		return 0, false
	}
	s = strings.TrimSpace(s)
	if m := daysPattern.FindStringSubmatch(s); m != nil {
		days, err := strconv.Atoi(m[1])
		if err == nil && days <= 100_000 {
			return time.Duration(days) * 24 * time.Hour, true
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		d.errorf(n, "%s: %q is not a duration (write e.g. 14d, 36h or 90m)", path, s)
		return 0, false
	}
	if v < 0 {
		d.errorf(n, "%s: duration %q must not be negative", path, s)
		return 0, false
	}
	return v, true
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// date reads a calendar date written YYYY-MM-DD, as midnight UTC.
func (d *decoder) date(n *yaml.Node, path string) (time.Time, bool) {
	s, ok := d.text(n, path, "a date (YYYY-MM-DD)")
	if !ok {
		return time.Time{}, false
	}
	if !datePattern.MatchString(s) {
		d.errorf(n, "%s: %q is not a date; write YYYY-MM-DD", path, s)
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		d.errorf(n, "%s: %q is not a real date", path, s)
		return time.Time{}, false
	}
	return t, true
}

func (d *decoder) severity(n *yaml.Node, path string) (finding.Severity, bool) {
	s, ok := d.text(n, path, "a severity")
	if !ok {
		return 0, false
	}
	sev, err := finding.ParseSeverity(s)
	if err != nil {
		d.errorf(n, "%s: %v", path, err)
		return 0, false
	}
	return sev, true
}

// glob reads a doublestar pattern and checks its syntax now, so that a bad
// pattern is a config error rather than a rule that silently never matches.
func (d *decoder) glob(n *yaml.Node, path string) (string, bool) {
	s, ok := d.nonEmpty(n, path)
	if !ok {
		return "", false
	}
	if !doublestar.ValidatePattern(s) {
		d.errorf(n, "%s: %q is not a valid glob pattern", path, s)
		return "", false
	}
	return s, true
}

// globList reads a list of doublestar patterns.
func (d *decoder) globList(n *yaml.Node, path string) ([]string, bool) {
	items, ok := d.list(n, path)
	out := make([]string, 0, len(items))
	for i, item := range items {
		g, itemOK := d.glob(item, fmt.Sprintf("%s[%d]", path, i))
		ok = ok && itemOK
		out = append(out, g)
	}
	return out, ok
}

// nearest returns the allowed word closest to a misspelt one, if it is close
// enough to be a likely typo.
func nearest(word string, allowed []string) string {
	best, bestDist := "", 3
	for _, a := range allowed {
		if dist := editDistance(word, a); dist < bestDist {
			best, bestDist = a, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
