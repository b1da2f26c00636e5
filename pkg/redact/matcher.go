package redact

import (
	"slices"
	"strings"
)

// matcher finds registered values in text in one pass, at a cost per byte
// that does not grow with the number of values. Every match begins with a
// window as long as the shortest value (at most maxWindow bytes) that begins
// some value. A rolling hash of each window of the text is looked up in a bit
// set of the values' first windows; only where the bit is set are the sorted
// values searched, in a few binary searches. A long window keeps ordinary
// text from hitting the bit set where a value merely starts with a word.
//
// strings.Replacer did the same job by walking a trie from every byte, which
// on ordinary text with thousands of values ran at about 50 MB/s.
type matcher struct {
	bits      []uint64
	sorted    []string // ascending
	maxLen    int
	window    int
	outFactor uint32 // hashMult to the power window-1: the leaving byte's weight
}

const (
	maxWindow = 32
	hashBits  = 20 // a 128 KiB bit set: few false hits for 100,000 values
	hashMult  = 0x01000193
)

// newMatcher builds a matcher for values, each at least MinValueLen bytes.
func newMatcher(values []string) *matcher {
	sorted := slices.Sorted(slices.Values(values))
	m := &matcher{bits: make([]uint64, 1<<hashBits/64), sorted: sorted, window: maxWindow}
	for _, v := range sorted {
		m.window = min(m.window, len(v))
		m.maxLen = max(m.maxLen, len(v))
	}
	m.outFactor = 1
	for range m.window - 1 {
		m.outFactor *= hashMult
	}
	for _, v := range sorted {
		m.set(hashOf(v[:m.window]))
	}
	return m
}

// replace returns s with every value replaced by Redacted. Matches are
// taken from the left; where several values begin at the same byte, the
// longest goes whole.
func (m *matcher) replace(s string) string {
	window := m.window
	if len(s) < window || window == 0 {
		return s
	}
	var out strings.Builder
	last := 0
	h := hashOf(s[:window])
	for i := 0; ; {
		if m.has(h) {
			if v := m.valueAt(s, i); v != "" {
				out.WriteString(s[last:i])
				out.WriteString(Redacted)
				i += len(v)
				last = i
				if i+window > len(s) {
					break
				}
				h = hashOf(s[i : i+window])
				continue
			}
		}
		if i+window >= len(s) {
			break
		}
		h = m.roll(h, s[i], s[i+window])
		i++
	}
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// valueAt returns the longest value that s holds at i, or "".
//
// The values that begin t are each a prefix of the next, and all sort before
// t. So the search takes the largest value below t (cut to the longest
// value's length); if it does not begin t, a value that does is no longer
// than what the two have in common, and the search repeats below that.
func (m *matcher) valueAt(s string, i int) string {
	t := s[i:min(len(s), i+m.maxLen)]
	for len(t) >= m.window {
		j, found := slices.BinarySearch(m.sorted, t)
		if found {
			return t
		}
		if j == 0 {
			return ""
		}
		v := m.sorted[j-1]
		if strings.HasPrefix(t, v) {
			return v
		}
		t = t[:commonPrefix(t, v)]
	}
	return ""
}

// heldBack returns the length of the longest end of s that begins a value
// without being one; a whole value there would have been replaced already.
func (m *matcher) heldBack(s string) int {
	for n := min(m.maxLen-1, len(s)); n > 0; n-- {
		tail := s[len(s)-n:]
		i, found := slices.BinarySearch(m.sorted, tail)
		if found {
			i++ // tail is a whole value; a longer one may start with it
		}
		if i < len(m.sorted) && strings.HasPrefix(m.sorted[i], tail) {
			return n
		}
	}
	return 0
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func (m *matcher) set(h uint32) {
	i := bitIndex(h)
	m.bits[i>>6] |= 1 << (i & 63)
}

func (m *matcher) has(h uint32) bool {
	i := bitIndex(h)
	return m.bits[i>>6]&(1<<(i&63)) != 0
}

// bitIndex takes the well-mixed high bits of a multiplicative hash of h.
func bitIndex(h uint32) uint32 { return (h * 0x9e3779b1) >> (32 - hashBits) }

// hashOf hashes one window; roll moves the hash one byte on.
func hashOf(w string) uint32 {
	var h uint32
	for i := range len(w) {
		h = h*hashMult + uint32(w[i])
	}
	return h
}

func (m *matcher) roll(h uint32, out, in byte) uint32 {
	return (h-uint32(out)*m.outFactor)*hashMult + uint32(in)
}
