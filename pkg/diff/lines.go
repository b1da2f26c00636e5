package diff

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// lineReader hands out the lines of a diff one at a time, without the line
// ending, with one line of push-back. It reads with bufio.Reader rather than
// bufio.Scanner because a minified file yields diff lines far longer than a
// Scanner's token limit.
type lineReader struct {
	r      *bufio.Reader
	n      int // number of the line last returned, 1-based
	held   string
	isHeld bool
	err    error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64*1024)}
}

// next returns the next line and true, or "" and false at the end of input
// or after a read error (see failed).
func (lr *lineReader) next() (string, bool) {
	if lr.isHeld {
		lr.isHeld = false
		lr.n++
		return lr.held, true
	}
	if lr.err != nil {
		return "", false
	}
	s, err := lr.r.ReadString('\n')
	if err != nil {
		lr.err = err
		if s == "" {
			return "", false
		}
	}
	lr.n++
	s = strings.TrimSuffix(s, "\n")
	return s, true
}

// back pushes the line last returned back, so the next call returns it again.
func (lr *lineReader) back(s string) {
	lr.held, lr.isHeld = s, true
	lr.n--
}

// peek returns the next line without consuming it.
func (lr *lineReader) peek() (string, bool) {
	s, ok := lr.next()
	if ok {
		lr.back(s)
	}
	return s, ok
}

// failed returns the read error that ended the input, if it was not EOF.
func (lr *lineReader) failed() error {
	if lr.err != nil && !errors.Is(lr.err, io.EOF) {
		return fmt.Errorf("read diff: %w", lr.err)
	}
	return nil
}

// errorf makes an error naming the line last returned.
func (lr *lineReader) errorf(format string, args ...any) error {
	return fmt.Errorf("diff line %d: %s", lr.n, fmt.Sprintf(format, args...))
}

// trimCR drops the carriage return a diff saved with CRLF endings leaves on
// its header lines. Body lines keep theirs: it is file content.
func trimCR(s string) string { return strings.TrimSuffix(s, "\r") }
