// Package wellformed checks the bytes of a report before a parser decodes
// them: not empty, UTF-8, syntactically whole JSON. Go's JSON decoder takes
// invalid UTF-8 inside strings without a word (it substitutes U+FFFD) and
// reports syntax errors as byte offsets, so without this check a Latin-1
// report passes with mangled names and a truncated one gives no position.
// Every error names the source, the line and column where that makes sense,
// and what was expected.
package wellformed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Error is a report that is not well formed. Line and Column are 1-based, and
// zero when the problem has no position (an empty file).
type Error struct {
	Source string
	Line   int
	Column int
	Msg    string
}

// Error formats as "source:line:col: msg".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Source, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Source, e.Msg)
}

// JSON checks that data is one whole JSON value in UTF-8 (a leading byte
// order mark is allowed). want says what the file should be, for messages:
// "a Snyk JSON report".
func JSON(data []byte, source, want string) error {
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := Text(body, source, want); err != nil {
		return err
	}

	dec := json.NewDecoder(bytes.NewReader(body))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return syntaxError(data, len(data)-len(body), source, want, err)
	}
	if _, err := dec.Token(); err == nil {
		off := len(data) - len(body) + int(dec.InputOffset())
		return at(data, off, source, "more data after the JSON value, expected "+want)
	}
	return nil
}

// Text checks that data is not blank and is valid UTF-8.
func Text(data []byte, source, want string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return &Error{Source: source, Msg: "empty file, expected " + want}
	}
	return UTF8(data, source, want)
}

// UTF8 checks that data is valid UTF-8, for parsers that already refuse
// empty and malformed input in their own words. UTF-16 is named as such,
// since it is what PowerShell's redirection writes.
func UTF8(data []byte, source, want string) error {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")):
		return &Error{Source: source, Line: 1, Column: 1,
			Msg: "the file is UTF-16, expected " + want + " in UTF-8"}
	case !utf8.Valid(data):
		return at(data, invalidUTF8(data), source, "invalid UTF-8, expected "+want+" in UTF-8")
	}
	return nil
}

func syntaxError(data []byte, skip int, source, want string, err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		// Offset counts the offending byte itself; the position names it.
		return at(data, skip+int(syn.Offset)-1, source,
			fmt.Sprintf("malformed JSON (%v), expected %s", syn, want))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return at(data, len(data), source, "truncated: the JSON ends early, expected "+want)
	}
	return &Error{Source: source, Msg: fmt.Sprintf("malformed JSON (%v), expected %s", err, want)}
}

// at makes an Error at byte offset off of data.
func at(data []byte, off int, source, msg string) error {
	line, col := Position(data, off)
	return &Error{Source: source, Line: line, Column: col, Msg: msg}
}

// Position turns a byte offset into a 1-based line and a 1-based column
// counted in bytes, as editors' "go to" accepts. Offsets outside data are
// clamped.
func Position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// Describe adds the line and column to an error from decoding data with
// encoding/json, so that every parser reports a bad value the same way:
// "line L, column C: <error>". A truncation gets the position of the end.
func Describe(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var off int
	switch {
	case errors.As(err, &syn):
		// Offset counts the byte that was wrong; the column is that byte's,
		// or the one just past the end when the input ended early.
		off = max(int(syn.Offset)-1, 0)
		if int(syn.Offset) >= len(data) {
			off = len(data)
		}
	case errors.As(err, &typ):
		off = int(typ.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := Position(data, len(data))
		return fmt.Errorf("line %d, column %d: truncated: the JSON ends early", line, col)
	default:
		return err
	}
	line, col := Position(data, min(off, len(data)))
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}
