package iostreams

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text stays", "SQL injection in db.py", "SQL injection in db.py"},
		{"ANSI colour dropped", "\x1b[31mred\x1b[0m", "[31mred[0m"},
		{"cursor movement cannot rewrite lines", "ok\x1b[2K\rPASSED", "ok[2K PASSED"},
		{"C1 CSI dropped", "a\u009b31mb", "a31mb"},
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
