package markdown

import (
	"strings"
	"unicode/utf16"
)

// budget builds text up to a limit in characters. GitHub counts a body's
// length in characters; counting UTF-16 units, as JavaScript does, is never
// less than counting code points, so the result fits either way.
type budget struct {
	b     strings.Builder
	n     int
	limit int
}

// Len counts s in UTF-16 units.
func Len(s string) int {
	return len(utf16.Encode([]rune(s)))
}

// try adds s if it fits and reports whether it did.
func (b *budget) try(s string) bool {
	n := Len(s)
	if b.n+n > b.limit {
		return false
	}
	b.b.WriteString(s)
	b.n += n
	return true
}

// must adds s, cut to what is left of the limit.
func (b *budget) must(s string) {
	if b.try(s) {
		return
	}
	left := b.limit - b.n
	for left > 0 && len(s) > 0 {
		rs := []rune(s)
		s = string(rs[:min(len(rs), left)])
		if b.try(s) {
			return
		}
		left--
	}
}

func (b *budget) String() string { return b.b.String() }

// Truncate cuts s to at most limit characters (UTF-16 units), ending with a
// line that says it was cut. It is for bodies built elsewhere.
func Truncate(s string, limit int) string {
	if Len(s) <= limit {
		return s
	}
	const tail = "\n\n… truncated to fit GitHub's size limit; see the check run or the " +
		"SARIF artifact.\n"
	b := &budget{limit: limit - Len(tail)}
	b.must(s)
	return b.String() + tail
}
