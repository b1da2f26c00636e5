package github

import (
	"regexp"
	"strings"
)

// Comment states carried in the hidden marker of an inline comment.
const (
	stateOpen  = "open"
	stateFixed = "fixed"
)

var findingMarkerRE = regexp.MustCompile(
	`^<!-- secgate:finding key=(\S+) fp=(\S+) state=(open|fixed) -->`)

// summaryMarker is the first line of a gate's summary comment.
func summaryMarker(key string) string {
	return "<!-- secgate:summary key=" + markerWord(key) + " -->"
}

// findingMarker is the first line of an inline comment: whose gate it is,
// which finding, and whether the finding is still there.
func findingMarker(key, fingerprint, state string) string {
	return "<!-- secgate:finding key=" + markerWord(key) + " fp=" + markerWord(fingerprint) +
		" state=" + state + " -->"
}

// parseFindingMarker reads the marker on the first line of body.
func parseFindingMarker(body string) (key, fingerprint, state string, ok bool) {
	first, _, _ := strings.Cut(body, "\n")
	m := findingMarkerRE.FindStringSubmatch(strings.TrimSpace(first))
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// hasSummaryMarker reports whether body starts with the summary marker of key.
func hasSummaryMarker(body, key string) bool {
	first, _, _ := strings.Cut(body, "\n")
	return strings.TrimSpace(first) == summaryMarker(key)
}

// markerWord keeps a value safe inside an HTML comment and one token long:
// a config key comes from a file the change itself may edit.
func markerWord(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '.', r == '_', r == '/', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	// "--" may not appear inside an HTML comment.
	out := b.String()
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-_")
	}
	return out
}
