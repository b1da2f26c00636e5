// Package markdown writes GitHub-flavoured Markdown from text that secgate
// does not control: finding messages, rule ids and paths come from scanners
// and from the change under review, so they are escaped before they reach a
// pull request. Escaped text cannot mention people or teams, reference issues,
// form links, images or HTML, or break out of a table cell or code span, and
// detected secrets are redacted first. The package also renders the PR
// summary comment within GitHub's size limit.
package markdown

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwsp is a zero-width space. GitHub finds @mentions, #references and bare
// links in the rendered text, after Markdown escapes are gone, so a backslash
// does not stop them; a zero-width space inside the pattern does.
const zwsp = "\u200b"

// punctuation lists the ASCII characters that can start Markdown syntax in
// the middle of a line: emphasis, links and images, code, tables, math,
// strikethrough, headings. Each gets a backslash, which CommonMark allows
// before any ASCII punctuation. Block markers (-, +, =, 1.) only count at
// the start of a line; blockStart handles those.
const punctuation = "\\`*_{}[]#!|~$"

// listItem matches an ordered list marker at the start of text.
var listItem = regexp.MustCompile(`^(\d{1,9})([.)])`)

// Text makes s safe to show inline: on one line, with HTML and Markdown
// escaped, mentions, references and bare links defused, and cut to max runes
// (0 means no limit) with an ellipsis. Secrets are redacted first.
func Text(s string, max int) string {
	s = truncate(singleLine(Redact(s)), max)
	s = defuse(s)

	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r < utf8.RuneSelf && strings.ContainsRune(punctuation, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return blockStart(b.String())
}

// blockStart escapes what would make text that starts a line a list item,
// a thematic break or a heading underline.
func blockStart(s string) string {
	if s != "" && strings.ContainsRune("-+=", rune(s[0])) {
		return "\\" + s
	}
	return listItem.ReplaceAllString(s, "$1\\$2")
}

// Code puts s in an inline code span that s cannot close: the fence is one
// backtick longer than the longest run inside. Code spans show mentions and
// links as plain text. Secrets are redacted first.
func Code(s string, max int) string {
	return codeSpan(s, max, false)
}

// TableCode is Code for a table cell, where a bare "|" would end the cell
// even inside a code span.
func TableCode(s string, max int) string {
	return codeSpan(s, max, true)
}

func codeSpan(s string, max int, inTable bool) string {
	s = truncate(singleLine(Redact(s)), max)
	if s == "" {
		return ""
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// Link writes a link whose target secgate built itself (a blob URL, a run
// URL). The text is escaped; a target that is not http(s) gives the text alone.
func Link(text, target string) string {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return text
	}
	return "[" + text + "](" + escapeURL(u.String()) + ")"
}

// escapeURL percent-encodes what could end a Markdown link destination.
func escapeURL(s string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C",
		">", "%3E", "\"", "%22", "`", "%60").Replace(s)
}

// singleLine turns control characters and line breaks into spaces, drops
// bidirectional overrides (which can make text read differently from what
// it is) and folds runs of white space.
func singleLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case isBidiControl(r) || r == utf8.RuneError:
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), " ")
}

func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// defuse breaks the patterns GitHub turns into notifications or links:
// @user and @org/team, #123 and GH-123 references, scheme:// and www. links,
// and e-mail addresses (which contain @).
func defuse(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		b.WriteRune(r)
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case r == '@' && isWordRune(next):
			b.WriteString(zwsp)
		case r == '#' && unicode.IsDigit(next):
			b.WriteString(zwsp)
		case r == '-' && unicode.IsDigit(next) && i >= 2 &&
			strings.EqualFold(string(rs[i-2:i]), "gh"):
			b.WriteString(zwsp)
		case r == ':' && next == '/':
			b.WriteString(zwsp)
		case (r == 'w' || r == 'W') && next == '.' && i >= 2 &&
			strings.EqualFold(string(rs[i-2:i]), "ww"):
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_'
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// truncate cuts s to max runes, the last being an ellipsis; 0 means no limit.
func truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)
	return strings.TrimRight(string(rs[:max-1]), " ") + "…"
}

// helpHosts are the documentation sites a rule's help link may point to. A
// rule's metadata comes from rule files that a change may edit, so a link
// anywhere else is left out rather than shown.
var helpHosts = []string{
	"semgrep.dev", "cwe.mitre.org", "owasp.org", "nvd.nist.gov", "osv.dev",
	"docs.github.com", "codeql.github.com", "snyk.io", "aquasec.com",
	"pkg.go.dev", "rules.sonarsource.com", "learn.microsoft.com", "cve.org",
}

// HelpLink writes a "rule documentation" link to uri when it is an https URL
// on a known documentation site (or a GitHub advisory), else nothing.
func HelpLink(uri string) string {
	u, err := url.Parse(strings.TrimSpace(uri))
	if err != nil || u.Scheme != "https" || u.User != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	ok := host == "github.com" && strings.HasPrefix(u.Path, "/advisories/")
	for _, h := range helpHosts {
		ok = ok || host == h || strings.HasSuffix(host, "."+h)
	}
	if !ok {
		return ""
	}
	return Link("rule documentation", u.String())
}
