// Package iostreams is the one way secgate talks to the terminal: stdout for the
// report a user asked for, stderr for everything else, colour only on a terminal
// and never when NO_COLOR is set.
package iostreams

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IOStreams holds the process's streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY bool
	errTTY bool
	color  bool
}

// System returns the real streams of this process.
func System() *IOStreams {
	errTTY := isTerminal(os.Stderr)
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		outTTY: isTerminal(os.Stdout),
		errTTY: errTTY,
		color:  errTTY && colorAllowed(os.Getenv),
	}
}

// Test returns streams backed by buffers, for tests.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut}, out, errOut
}

// IsStderrTTY reports whether stderr is a terminal, where progress lines may
// redraw themselves.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// ColorEnabled reports whether messages on stderr may use colour.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// SetColorEnabled forces colour on or off, for tests and --no-color.
func (s *IOStreams) SetColorEnabled(on bool) { s.color = on }

// Logger returns a logger writing to stderr: warnings and errors only, unless
// verbose is set.
func (s *IOStreams) Logger(verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(s.ErrOut, &slog.HandlerOptions{Level: level}))
}

// colorAllowed honours the NO_COLOR convention (any non-empty value turns colour
// off) and a dumb terminal.
func colorAllowed(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Clean makes text from scanners safe to print on a terminal: escape
// sequences are removed whole (CSI such as colours and cursor movement, OSC
// such as hyperlinks and window titles, with their payload), other control
// characters dropped, bidirectional overrides dropped, and line breaks made
// spaces, so that a finding's message cannot move the cursor, rewrite
// earlier output, hide a link target or fake a verdict line.
func Clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\x1b' || r == '\u009b' || r == '\u009d':
			size = escapeLen(s[i:])
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			// dropped: BEL, NUL and the other C0 and C1 controls
		case unicode.Is(unicode.Bidi_Control, r):
			// dropped: bidirectional overrides can make text read differently
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// escapeLen returns the length of the escape sequence at the start of s.
// A sequence cut off by the end of s runs to the end: what follows an
// unfinished introducer is not text anyone meant to show.
func escapeLen(s string) int {
	r, n := utf8.DecodeRuneInString(s)
	kind := r
	if r == '\x1b' {
		if len(s) < 2 {
			return len(s)
		}
		switch s[1] {
		case '[':
			kind, n = '\u009b', 2
		case ']', 'P', '_', '^', 'X':
			kind, n = '\u009d', 2
		default:
			return 2 // a two-byte escape such as ESC c (reset)
		}
	}
	if kind == '\u009b' {
		// CSI: parameter and intermediate bytes, then one final byte.
		for i := n; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
			if s[i] < 0x20 || s[i] > 0x7e {
				return i
			}
		}
		return len(s)
	}
	// OSC, DCS and the like: a payload ended by BEL or ST (ESC \ or U+009C).
	for i := n; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
	}
	return len(s)
}
