package sariflog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// input is a log being read. It can seek, so that an error found deep in a
// large log can be placed by reading the log again up to the error's offset,
// instead of by holding all of it while decoding.
type input struct {
	rs     io.ReadSeeker
	source string
	start  int64 // where the JSON text begins in rs, after any byte order mark
	limit  int64
	n      int64 // bytes handed to the decoder so far
}

// errTooLarge stops the decoder when the input passes the size limit.
var errTooLarge = errors.New("log is larger than the size limit")

// openInput checks the start of the input and readies it for decoding. An
// input that cannot seek (a pipe) is read into memory, within the limit.
func openInput(r io.Reader, source string, limit int64) (*input, error) {
	in := &input{source: source, limit: limit}
	if rs, ok := r.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			in.rs, in.start = rs, start
		}
	}
	if in.rs == nil {
		data, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err != nil {
			return nil, in.errorf("reading failed: %v", err)
		}
		in.rs = bytes.NewReader(data)
	}

	var head [4]byte
	n, err := io.ReadFull(in.rs, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, in.errorf("reading failed: %v", err)
	}
	switch h := head[:n]; {
	case bytes.HasPrefix(h, []byte("\xef\xbb\xbf")):
		in.start += 3
	case bytes.HasPrefix(h, []byte("\xff\xfe\x00\x00")) || bytes.HasPrefix(h, []byte("\x00\x00\xfe\xff")):
		return nil, in.errorf("log is UTF-32, expected UTF-8")
	case bytes.HasPrefix(h, []byte("\xff\xfe")) || bytes.HasPrefix(h, []byte("\xfe\xff")):
		return nil, in.errorf("log is UTF-16, expected UTF-8")
	}
	if _, err := in.rs.Seek(in.start, io.SeekStart); err != nil {
		return nil, in.errorf("reading failed: %v", err)
	}
	return in, nil
}

// Read implements io.Reader for the decoder, enforcing the size limit.
func (in *input) Read(p []byte) (int, error) {
	if in.n > in.limit {
		return 0, errTooLarge
	}
	n, err := in.rs.Read(p)
	in.n += int64(n)
	if in.n > in.limit {
		return n, errTooLarge
	}
	return n, err
}

func (in *input) errorf(format string, args ...any) *Error {
	return &Error{Source: in.source, Msg: fmt.Sprintf(format, args...)}
}

// errorAt is an Error at a byte offset of the JSON text.
func (in *input) errorAt(off int64, msg string, err error) *Error {
	line, col := in.position(off)
	return &Error{Source: in.source, Line: line, Column: col, Msg: msg, Err: err}
}

// describe turns an error from decoding into an Error that says where and
// what in the user's terms: a line and column, the member's place in the log
// ("runs[0].results") and the JSON kinds involved.
func (in *input) describe(err error) error {
	var own *Error
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &own):
		return own
	case errors.Is(err, errTooLarge):
		return in.errorf("log is larger than the limit of %d bytes", in.limit)
	case errors.Is(err, errEmpty):
		return in.errorf("empty input, expected a SARIF 2.1.0 JSON log")
	case errors.As(err, &syn) && in.invalidUTF8At(syn.ByteOffset):
		return in.errorAt(syn.ByteOffset, "invalid UTF-8, expected a UTF-8 encoded SARIF log", err)
	case errors.As(err, &syn) && errors.Is(syn.Err, io.ErrUnexpectedEOF):
		// Point at the last character, where the log stops.
		return in.errorAt(max(0, syn.ByteOffset-1), "malformed JSON: "+syntaxMessage(syn), err)
	case errors.As(err, &syn):
		return in.errorAt(syn.ByteOffset, "malformed JSON: "+syntaxMessage(syn), err)
	case errors.As(err, &sem):
		return in.errorAt(sem.ByteOffset, semanticMessage(sem), err)
	}
	return in.errorf("cannot decode: %v", err)
}

// errEmpty is an input with nothing but white space.
var errEmpty = errors.New("empty input")

func syntaxMessage(syn *jsontext.SyntacticError) string {
	msg := syn.Err.Error()
	if errors.Is(syn.Err, io.ErrUnexpectedEOF) {
		msg = "the log ends before the JSON text does"
	}
	if p := memberPath(syn.JSONPointer); p != "" {
		msg += " (in " + p + ")"
	}
	return msg
}

func semanticMessage(sem *json.SemanticError) string {
	path := firstNonEmpty(memberPath(sem.JSONPointer), "the document")
	if sem.JSONKind != 0 && sem.GoType != nil {
		return fmt.Sprintf("%s is a JSON %s, expected %s", path, jsonKindNoun(sem.JSONKind),
			goKindName(sem.GoType))
	}
	if sem.Err != nil {
		return fmt.Sprintf("cannot decode %s: %v", path, sem.Err)
	}
	return "cannot decode " + path
}

// memberPath renders a JSON pointer the way the SARIF specification names
// members: "/runs/0/results/3" becomes "runs[0].results[3]".
func memberPath(ptr jsontext.Pointer) string {
	var b strings.Builder
	for tok := range ptr.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// invalidUTF8At reports whether the bytes at off are not valid UTF-8.
func (in *input) invalidUTF8At(off int64) bool {
	var b [utf8.UTFMax]byte
	if _, err := in.rs.Seek(in.start+off, io.SeekStart); err != nil {
		return false
	}
	n, _ := io.ReadFull(in.rs, b[:])
	r, size := utf8.DecodeRune(b[:n])
	return n > 0 && r == utf8.RuneError && size <= 1
}

// position converts a byte offset of the JSON text into a 1-based line and
// a 1-based column counted in characters, by reading the input again up to
// the offset. It gives 0, 0 when the input cannot be read again.
func (in *input) position(off int64) (line, col int) {
	if _, err := in.rs.Seek(in.start, io.SeekStart); err != nil {
		return 0, 0
	}
	r := io.LimitReader(in.rs, max(off, 0))
	buf := make([]byte, 1<<16)
	line, col = 1, 1
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			// The text before the offset is valid UTF-8, so counting the
			// bytes that start a character counts characters.
			switch {
			case c == '\n':
				line, col = line+1, 1
			case utf8.RuneStart(c):
				col++
			}
		}
		if err != nil {
			return line, col
		}
	}
}

// jsonKindName names a kind of JSON value with its article: "an array".
func jsonKindName(k jsontext.Kind) string {
	noun := jsonKindNoun(k)
	if noun == "array" || noun == "object" {
		return "an " + noun
	}
	if noun == "null" {
		return noun
	}
	return "a " + noun
}

func jsonKindNoun(k jsontext.Kind) string {
	switch k {
	case '[':
		return "array"
	case '{':
		return "object"
	case '"':
		return "string"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	}
	return "number"
}

func goKindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Pointer:
		return goKindName(t.Elem())
	}
	return "a number"
}
