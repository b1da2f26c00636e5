package markdown

import (
	"strings"
	"testing"
)

// TestTextDefusesUntrustedText feeds finding text that tries to ping
// people, link, embed, inject HTML or break the layout. Each "bad" string
// must be gone from the output; each "keep" string must still be readable.
func TestTextDefusesUntrustedText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		bad  []string
		keep []string
	}{
		{"mention", "ping @octocat and @org/security-team", []string{"@octocat", "@org"},
			[]string{"octocat"}},
		{"issue reference", "fixes #123 and GH-45 and octo/shop#9",
			[]string{"#123", "GH-45", "shop#9"}, []string{"123"}},
		{"markdown link", "[click](https://evil.example/x)", []string{"[click](", "](https://"}, nil},
		{"image", "![x](https://evil.example/i.png)", []string{"![x]"}, nil},
		{"bare link", "see https://evil.example/login or www.evil.example",
			[]string{"https://", "www.evil"}, []string{"evil"}},
		{"e-mail", "mail admin@example.com", []string{"admin@example"}, nil},
		{"html", `<img src=x onerror=alert(1)><details open>`, []string{"<img", "<details"},
			[]string{"&lt;img"}},
		{"html comment closing our marker", "--> <!-- secgate:summary", []string{"<!--", "-->"}, nil},
		{"code fence", "```\nmalicious", []string{"```"}, nil},
		{"table cell", "a | b", []string{"a | b"}, []string{`a \| b`}},
		{"heading at line start", "# Title\n- item", nil, []string{`\# Title`}},
		{"emphasis", "**bold** _it_", []string{"**bold**"}, nil},
		{"bidi override", "good\u202eevil", []string{"\u202e"}, nil},
		{"new lines", "one\ntwo\r\nthree", []string{"\n"}, []string{"one two three"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in, 0)
			for _, b := range tt.bad {
				if strings.Contains(got, b) {
					t.Errorf("Text(%q) = %q still contains %q", tt.in, got, b)
				}
			}
			for _, k := range tt.keep {
				if !strings.Contains(got, k) {
					t.Errorf("Text(%q) = %q lost %q", tt.in, got, k)
				}
			}
		})
	}
}

func TestTextBlockStart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"- item", `\- item`},
		{"1. first", `1\. first`},
		{"=== heading", `\=== heading`},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Text(tt.in, 0); got != tt.want {
				t.Errorf("Text(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		name, in, want string
		table          bool
	}{
		{"plain", "a.b", "`a.b`", false},
		{"backticks inside", "a`b``c", "```a`b``c```", false},
		{"backtick at the edge", "`x", "`` `x ``", false},
		{"pipe in a table", "a|b", "`a\\|b`", true},
		{"new line", "a\nb", "`a b`", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Code(tt.in, 0)
			if tt.table {
				got = TableCode(tt.in, 0)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTruncateText(t *testing.T) {
	if got := Text(strings.Repeat("a", 50), 10); got != "aaaaaaaaa…" {
		t.Errorf("cut: got %q", got)
	}
}

func TestHelpLink(t *testing.T) {
	tests := []struct {
		in   string
		link bool
	}{
		{"https://semgrep.dev/r/python.sqli", true},
		{"https://cwe.mitre.org/data/definitions/89.html", true},
		{"https://github.com/advisories/GHSA-xxxx", true},
		{"https://github.com/mallory/phish", false},
		{"http://semgrep.dev/r/x", false},
		{"https://evil.example/semgrep.dev", false},
		{"https://user:pw@semgrep.dev/", false},
		{"javascript:alert(1)", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := HelpLink(tt.in); (got != "") != tt.link {
				t.Errorf("HelpLink(%q) = %q, want a link: %v", tt.in, got, tt.link)
			}
		})
	}
}

func TestLinkTargets(t *testing.T) {
	got := Link("x", "https://github.com/o/r/blob/s/a (1).py#L2")
	if want := "[x](https://github.com/o/r/blob/s/a%20%281%29.py#L2)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Link("x", "javascript:alert(1)"); got != "x" {
		t.Errorf("a javascript: target became a link: %q", got)
	}
}
