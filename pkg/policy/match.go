package policy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// ruleMatcher matches a "tool:rule" pattern. Unlike a path glob, '*' here
// crosses '.' and '/', because rule ids use both as separators
// ("python.lang.security.sql", "js/sql-injection") and users expect
// "semgrep:*sql*" to find them all.
type ruleMatcher struct {
	pattern string
	// anyTool is set for a pattern without ':', which matches the rule id of
	// every tool.
	anyTool bool
	// exact patterns have no wildcards; they compare as strings and go in the
	// index of exact ids.
	exact bool
	re    *regexp.Regexp
}

func newRuleMatcher(pattern string) (*ruleMatcher, error) {
	if !doublestar.ValidatePattern(pattern) {
		return nil, fmt.Errorf("%q is not a valid glob pattern", pattern)
	}
	m := &ruleMatcher{
		pattern: pattern,
		anyTool: !strings.Contains(pattern, ":"),
		exact:   !strings.ContainsAny(pattern, `*?[{\`),
	}
	if m.exact {
		return m, nil
	}
	re, err := regexp.Compile(globToRegexp(pattern))
	if err != nil {
		return nil, fmt.Errorf("compile pattern %q: %w", pattern, err)
	}
	m.re = re
	return m, nil
}

// subject is the string the pattern is matched against for a finding.
func (m *ruleMatcher) subject(tool, rule string) string {
	if m.anyTool {
		return rule
	}
	return tool + ":" + rule
}

func (m *ruleMatcher) match(tool, rule string) bool {
	if m.exact {
		// Compared in parts: building "tool:rule" for every finding and
		// rule is most of the cost of a large policy.
		if m.anyTool {
			return rule == m.pattern
		}
		p := m.pattern
		return len(p) == len(tool)+1+len(rule) && p[len(tool)] == ':' &&
			p[:len(tool)] == tool && p[len(tool)+1:] == rule
	}
	return m.re.MatchString(m.subject(tool, rule))
}

// globToRegexp translates a doublestar pattern, already validated, into an
// anchored regular expression in which '*' and '**' match any run of
// characters. Classes ([a-z], [!x]), alternatives ({a,b}) and escapes keep
// their glob meaning.
func globToRegexp(pattern string) string {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	runes := []rune(pattern)
	braces := 0
	for i := 0; i < len(runes); i++ {
		switch c := runes[i]; {
		case c == '\\' && i+1 < len(runes):
			i++
			b.WriteString(regexp.QuoteMeta(string(runes[i])))
		case c == '*':
			for i+1 < len(runes) && runes[i+1] == '*' {
				i++
			}
			b.WriteString(`.*`)
		case c == '?':
			b.WriteString(`.`)
		case c == '[':
			i = writeClass(&b, runes, i)
		case c == '{':
			braces++
			b.WriteString(`(?:`)
		case c == '}' && braces > 0:
			braces--
			b.WriteString(`)`)
		case c == ',' && braces > 0:
			b.WriteString(`|`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	return b.String()
}

// writeClass writes the character class that starts at runes[start] and
// returns the index of its closing ']'.
func writeClass(b *strings.Builder, runes []rune, start int) int {
	i := start + 1
	b.WriteString(`[`)
	if i < len(runes) && (runes[i] == '!' || runes[i] == '^') {
		b.WriteString(`^`)
		i++
	}
	for ; i < len(runes) && runes[i] != ']'; i++ {
		c := runes[i]
		if c == '\\' && i+1 < len(runes) {
			i++
			c = runes[i]
		} else if c == '-' {
			b.WriteRune(c)
			continue
		}
		if c < 128 && !isAlnum(c) {
			b.WriteRune('\\') // RE2 takes any escaped punctuation literally
		}
		b.WriteRune(c)
	}
	b.WriteString(`]`)
	return i
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// pathGlob is a validated doublestar pattern over repository paths.
type pathGlob string

func newPathGlob(pattern string) (pathGlob, error) {
	if !doublestar.ValidatePattern(pattern) {
		return "", fmt.Errorf("%q is not a valid glob pattern", pattern)
	}
	return pathGlob(pattern), nil
}

func (g pathGlob) match(path string) bool {
	// The pattern was validated, so the only error, ErrBadPattern, cannot occur.
	ok, _ := doublestar.Match(string(g), path)
	return ok
}

// firstMatch returns the first of globs that matches path, or "".
func firstMatch(globs []pathGlob, path string) pathGlob {
	for _, g := range globs {
		if g.match(path) {
			return g
		}
	}
	return ""
}
