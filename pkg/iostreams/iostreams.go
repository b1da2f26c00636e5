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

// Clean makes text from scanners safe to print on a terminal: control
// characters, escape sequences included, are dropped, and line breaks become
// spaces, so that a finding's message cannot move the cursor, rewrite earlier
// output or fake a verdict line.
func Clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			// dropped: ESC, BEL, C1 controls such as CSI (U+009B)
		case unicode.Is(unicode.Bidi_Control, r):
			// dropped: bidirectional overrides can make text read differently
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
