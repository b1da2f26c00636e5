package iostreams

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text stays", "SQL injection in db.py", "SQL injection in db.py"},
		{"ANSI colour dropped", "\x1b[31mred\x1b[0m", "red"},
		{"cursor movement cannot rewrite lines", "ok\x1b[2K\rPASSED", "ok PASSED"},
		{"CSI with private parameters", "a\x1b[?25lb\x1b[1;31;40mc", "abc"},
		{"C1 CSI dropped", "a\u009b31mb", "ab"},
		{"OSC 8 hyperlink keeps the text, not the target",
			"\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"OSC title ended by BEL", "a\x1b]0;PASSED\x07b", "ab"},
		{"C1 OSC ended by C1 ST", "a\u009d0;t\u009cb", "ab"},
		{"unterminated OSC runs to the end", "a\x1b]8;;https://x", "a"},
		{"two-byte escape", "a\x1bcb", "ab"},
		{"ESC at the end", "a\x1b", "a"},
		{"BEL and NUL dropped", "a\x07b\x00c", "abc"},
		{"bidi isolates dropped", "a\u2066b\u2069c\u200fd", "abcd"},
		{"invalid UTF-8 shown as replacement", "a\xffb", "a\ufffdb"},
		{"newlines folded", "line1\nline2", "line1 line2"},
		{"bidi override dropped", "abc\u202edef", "abcdef"},
		{"unicode kept", "été ✓", "été ✓"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestColorAllowed(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"default on", map[string]string{}, true},
		{"NO_COLOR set", map[string]string{"NO_COLOR": "1"}, false},
		{"dumb terminal", map[string]string{"TERM": "dumb"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := colorAllowed(func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("colorAllowed: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTestStreamsAreNotTerminals(t *testing.T) {
	s, _, _ := Test()
	if s.IsStderrTTY() || s.ColorEnabled() {
		t.Errorf("test streams: got tty=%v color=%v, want both false", s.IsStderrTTY(), s.ColorEnabled())
	}
}
