package diff

import (
	"errors"
	"strings"
)

const devNull = "/dev/null"

var errBadQuote = errors.New("malformed quoted path")

// unquote decodes a path git wrote in C style: "a/\303\251t\303\251.txt"
// with octal escapes for bytes outside ASCII (unless core.quotePath=false)
// and backslash escapes for quotes, backslashes and control characters. It
// returns the decoded path and what follows the closing quote.
func unquote(s string) (path, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		return "", s, errBadQuote
	}
	var b []byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return string(b), s[i+1:], nil
		case '\\':
			n, width, ok := unescape(s[i+1:])
			if !ok {
				return "", s, errBadQuote
			}
			b = append(b, n)
			i += width
		default:
			b = append(b, c)
		}
	}
	return "", s, errBadQuote
}

// unescape decodes the escape after a backslash, returning the byte and how
// many characters it used.
func unescape(s string) (byte, int, bool) {
	if s == "" {
		return 0, 0, false
	}
	simple := map[byte]byte{
		'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
		'"': '"', '\\': '\\',
	}
	if c, ok := simple[s[0]]; ok {
		return c, 1, true
	}
	if len(s) < 3 {
		return 0, 0, false
	}
	v := 0
	for _, c := range []byte(s[:3]) {
		if c < '0' || c > '7' {
			return 0, 0, false
		}
		v = v*8 + int(c-'0')
	}
	if v > 255 {
		return 0, 0, false
	}
	return byte(v), 3, true
}

// fileLinePath reads the path of a ---, +++, "rename from" or similar line,
// after its keyword. An unquoted path ends at the first TAB: git appends one
// to paths containing spaces, and diff(1) puts the timestamp after one. A
// path that really holds a TAB is always quoted.
func fileLinePath(s string) (string, error) {
	s = trimCR(s)
	if strings.HasPrefix(s, `"`) {
		p, _, err := unquote(s)
		return p, err
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	return s, nil
}

// stripPrefix removes the a/ or b/ prefix git puts on paths. noPrefix
// diffs (diff.noprefix) have none, and then a path starting with "a/" is a
// real directory name.
func stripPrefix(p, prefix string) string {
	if p == devNull || prefix == "" {
		return p
	}
	return strings.TrimPrefix(p, prefix)
}

// headerPaths splits what follows "diff --git " into the two paths with their
// prefixes. Either half may be quoted. Unquoted, the split is ambiguous when a
// path contains " b/", so it is resolved by choosing the split where both
// halves name the same path, which holds for every change but a rename or a
// copy, and those carry their paths again on "rename from/to" lines that
// take precedence. ok is false when no split is found.
func headerPaths(s string) (oldP, newP string, ok bool) {
	s = trimCR(s)
	if strings.HasPrefix(s, `"`) {
		p, rest, err := unquote(s)
		if err != nil || !strings.HasPrefix(rest, " ") {
			return "", "", false
		}
		q, err := fileLinePath(rest[1:])
		return p, q, err == nil
	}
	if strings.HasSuffix(s, `"`) {
		for i := strings.Index(s, ` "`); i >= 0; {
			if q, rest, err := unquote(s[i+1:]); err == nil && rest == "" {
				return s[:i], q, true
			}
			j := strings.Index(s[i+1:], ` "`)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return splitSymmetric(s)
}

// splitSymmetric finds the space that splits s into "<a>P <b>P" for some
// prefixes and one path P. Failing that, it splits before the first " b/",
// the best guess for a rename whose later lines will correct it.
func splitSymmetric(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			continue
		}
		o, n := s[:i], s[i+1:]
		if samePath(o, n) {
			return o, n, true
		}
	}
	if i := strings.Index(s, " b/"); i > 0 {
		return s[:i], s[i+1:], true
	}
	return "", "", false
}

// samePath reports whether two header halves name one path, allowing for
// the a/ and b/ prefixes or none.
func samePath(o, n string) bool {
	if o == n {
		return true
	}
	return strings.HasPrefix(o, "a/") && strings.HasPrefix(n, "b/") && o[2:] == n[2:]
}
