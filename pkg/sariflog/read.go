// Package sariflog reads SARIF 2.1.0 logs from any tool, leniently, into
// secgate's finding model, and writes secgate's own SARIF 2.1.0 log in the
// shape GitHub code scanning accepts.
//
// Reading turns artifact URIs into decoded paths (see uri.go): relative URIs
// stay relative (to BaseDir when they use %SRCROOT%), file:// URIs become
// absolute paths, and percent escapes are decoded exactly once here, so the
// normalizer must not decode the paths of findings read by this package again.
package sariflog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/finding"
)

// MaxSize is the largest log, in bytes, that Read accepts: 1 GiB. Reading
// holds the whole log in memory, so the cap bounds what a hostile or runaway
// producer can cost.
const MaxSize int64 = 1 << 30

// Run is one run of a SARIF log: one tool's findings.
type Run struct {
	Tool Tool

	// Findings holds one finding per result, in the log's order, with paths
	// decoded but not yet made repo-relative.
	Findings []finding.Finding

	// BaseDir is the absolute directory that %SRCROOT% names when
	// originalUriBaseIds gives it as a file URI, else "".
	BaseDir string

	// Successful is false when any invocation reports executionSuccessful
	// false; a run without invocations counts as successful.
	Successful bool

	// Errors are the messages of the error-level notifications of every
	// invocation (tool execution and tool configuration notifications).
	Errors []string

	// Warnings say where the log was inconsistent and what the reader did
	// about it, such as a ruleIndex that disagrees with its ruleId.
	Warnings []string
}

// Tool identifies the tool of a run.
type Tool struct {
	// Name is the driver name in lowercase ("semgrep oss"). Logs that secgate
	// wrote carry the original name in the driver property "secgate/tool",
	// which wins.
	Name string
	// DisplayName is the driver name as the tool wrote it.
	DisplayName string
	// Version is the driver's version, else its semanticVersion.
	Version        string
	InformationURI string
}

// Error is a log that could not be read. Line and Column are 1-based and zero
// when the problem has no position.
type Error struct {
	Source string
	Line   int
	Column int
	Msg    string
	Err    error
}

// Error implements the error interface as "source:line:col: message".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Source, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Source, e.Msg)
}

// Unwrap returns the underlying decoding error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Reader reads SARIF logs with settings. The zero value is ready to use.
type Reader struct {
	// MaxSize caps the input in bytes; zero or less means the package MaxSize.
	MaxSize int64
}

// Read reads a SARIF 2.1.0 log with the default settings. Source names the
// input in errors.
func Read(r io.Reader, source string) ([]Run, error) {
	return Reader{}.Read(r, source)
}

// Read reads a SARIF 2.1.0 log. It fails on input that is empty, too large,
// not UTF-8, not JSON, not SARIF or not version 2.1.0; it never reports a
// broken log as a log without findings.
func (rd Reader) Read(r io.Reader, source string) ([]Run, error) {
	data, err := rd.readAll(r, source)
	if err != nil {
		return nil, err
	}

	if err := checkProbe(data, source); err != nil {
		return nil, err
	}

	var doc fullLogJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, decodeError(data, source, err)
	}

	runs := make([]Run, len(doc.Runs))
	for i := range doc.Runs {
		runs[i] = convertRun(&doc.Runs[i])
		if runs[i].Tool.Name == "" && len(runs[i].Findings) > 0 {
			// Policy, severity maps and suppressions name tools; results
			// that name none could be matched by nothing.
			return nil, &Error{Source: source, Msg: fmt.Sprintf("runs[%d].tool.driver.name is "+
				"empty, expected the name of the tool that reported its results", i)}
		}
	}
	return runs, nil
}

// readAll reads the input within the size cap and checks its encoding.
func (rd Reader) readAll(r io.Reader, source string) ([]byte, error) {
	limit := rd.MaxSize
	if limit <= 0 {
		limit = MaxSize
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &Error{Source: source, Msg: "reading failed: " + err.Error(), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &Error{Source: source,
			Msg: fmt.Sprintf("log is larger than the limit of %d bytes", limit)}
	}

	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Source: source, Msg: "empty input, expected a SARIF 2.1.0 JSON log"}
	}
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return nil, &Error{Source: source, Msg: "log is UTF-16, expected UTF-8"}
	}
	if off := invalidUTF8(data); off >= 0 {
		line, col := position(data, off)
		return nil, &Error{Source: source, Line: line, Column: col,
			Msg: "invalid UTF-8, expected a UTF-8 encoded SARIF log"}
	}
	return data, nil
}

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8,
// or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			return off
		}
		off += size
	}
	return -1
}

// checkProbe checks that the document is a SARIF 2.1.0 log before anything
// is decoded into the model, so that a wrong document gets an error about
// what it is rather than about the first field that fails to decode. It walks
// only the top level and stops as soon as it knows the version and the kind
// of "runs", which is at once in logs that put "version" first; syntax errors
// further on are reported by the full decode.
func checkProbe(data []byte, source string) error {
	probe, err := probeTop(data)
	if err != nil {
		// The decoder's errors lack what json.Unmarshal's carry (the offset
		// of a truncation); on this error path alone, the whole document is
		// parsed again for the precise one.
		var full logJSON
		if uerr := json.Unmarshal(data, &full); uerr != nil {
			err = uerr
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field == "" {
			return &Error{Source: source, Msg: fmt.Sprintf(
				"not a SARIF log: the document is %s, expected an object", jsonKind(data))}
		}
		return decodeError(data, source, err)
	}

	var version string
	hasVersion := len(probe.Version) > 0 && json.Unmarshal(probe.Version, &version) == nil
	switch {
	case !probe.Runs.set && len(probe.Version) == 0:
		return &Error{Source: source, Msg: `not a SARIF log: no "version" and no "runs"`}
	case !probe.Runs.set:
		return &Error{Source: source, Msg: fmt.Sprintf(
			`not a SARIF log: no "runs" (version %s)`, probe.Version)}
	case probe.Runs.kind == 'n':
		return &Error{Source: source, Msg: `"runs" is null: the producer reports that it could not run`}
	case probe.Runs.kind != '[':
		return &Error{Source: source, Msg: fmt.Sprintf(`"runs" is %s, expected an array`,
			kindName(probe.Runs.kind))}
	case len(probe.Version) == 0:
		return &Error{Source: source, Msg: `no "version", expected "2.1.0"`}
	case !hasVersion || version != "2.1.0":
		return &Error{Source: source, Msg: fmt.Sprintf(
			`SARIF version %s is not supported, expected "2.1.0"`, probe.Version)}
	}
	return nil
}

// probeTop reads the top-level members of a log up to the point where both
// "version" and the start of "runs" are known. Its errors are those of
// json.Unmarshal into logJSON, so decodeError can place them.
func probeTop(data []byte) (logJSON, error) {
	var probe logJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return probe, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return probe, &json.UnmarshalTypeError{Value: jsonKind(data), Type: reflect.TypeOf(probe)}
	}
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return probe, err
		}
		switch key, _ := keyTok.(string); key {
		case "version":
			err = dec.Decode(&probe.Version)
		case "runs":
			if len(probe.Version) > 0 {
				probe.Runs = presence{set: true, kind: nextByte(data, dec.InputOffset())}
				return probe, nil
			}
			err = dec.Decode(&probe.Runs)
		default:
			err = dec.Decode(&presence{})
		}
		if err != nil {
			return probe, err
		}
	}
	_, err = dec.Token()
	return probe, err
}

// nextByte returns the first byte after off that is not white space or the
// colon between a key and its value.
func nextByte(data []byte, off int64) byte {
	for i := int(off); i < len(data); i++ {
		switch data[i] {
		case ' ', '\t', '\n', '\r', ':':
			continue
		}
		return data[i]
	}
	return 0
}

// decodeError turns a JSON decoding error into an Error with a position.
func decodeError(data []byte, source string, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := position(data, int(syn.Offset)-1)
		return &Error{Source: source, Line: line, Column: col,
			Msg: "malformed JSON: " + syn.Error(), Err: err}
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		line, col := position(data, valueStart(data, int(typeErr.Offset)))
		return &Error{Source: source, Line: line, Column: col, Err: err, Msg: fmt.Sprintf(
			"%s is a JSON %s, expected %s", typeErr.Field, typeErr.Value, goKindName(typeErr.Type))}
	}
	return &Error{Source: source, Msg: "cannot decode: " + err.Error(), Err: err}
}

// valueStart finds where the value a type error is about begins. The
// decoder reports the offset just past an opening '[' or '{', or just past
// the end of a string, number or literal.
func valueStart(data []byte, off int) int {
	off = max(1, min(off, len(data)))
	i := off - 1
	switch c := data[i]; {
	case c == '{' || c == '[':
		return i
	case c == '"':
		for j := i - 1; j >= 0; j-- {
			if data[j] == '"' && !escaped(data, j) {
				return j
			}
		}
		return i
	}
	for i > 0 && !bytes.ContainsAny(data[i-1:i], ",:[{ \t\r\n") {
		i--
	}
	return i
}

// escaped reports whether the byte at i is preceded by an odd number of
// backslashes.
func escaped(data []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// position converts a byte offset into a 1-based line and a 1-based column
// counted in characters.
func position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[lineStart:])
}

// jsonKind names the kind of the document's top-level value.
func jsonKind(data []byte) string {
	t := bytes.TrimSpace(data)
	return kindName(t[0])
}

func kindName(first byte) string {
	switch first {
	case '[':
		return "an array"
	case '{':
		return "an object"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

func goKindName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
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

// convertRun turns one decoded run into the model.
func convertRun(rj *runJSON) Run {
	d := rj.Tool.Driver
	run := Run{
		Tool: Tool{
			Name:           strings.ToLower(strings.TrimSpace(string(d.Name))),
			DisplayName:    string(d.Name),
			Version:        firstNonEmpty(string(d.Version), string(d.SemanticVersion)),
			InformationURI: string(d.InformationURI),
		},
		BaseDir:    baseDir(rj.OriginalURIBaseIDs),
		Successful: true,
	}
	if own := d.Properties.str(propTool); own != "" {
		run.Tool.Name = own
	}
	readInvocations(&run, rj.Invocations)

	rc := newRunContext(rj, &run)
	run.Findings = make([]finding.Finding, 0, len(rj.Results))
	for i := range rj.Results {
		run.Findings = append(run.Findings, rc.convertResult(i, &rj.Results[i]))
	}
	return run
}

// readInvocations records whether the tool says it succeeded and its errors.
func readInvocations(run *Run, invs []invocationJSON) {
	for _, inv := range invs {
		if inv.ExecutionSuccessful != nil && !*inv.ExecutionSuccessful {
			run.Successful = false
		}
		notes := slices.Concat(inv.ToolExecutionNotifications, inv.ToolConfigurationNotifications)
		for _, n := range notes {
			if !strings.EqualFold(string(n.Level), "error") {
				continue
			}
			msg := firstNonEmpty(string(n.Message.Text), string(n.Message.Markdown),
				string(n.Descriptor.ID), "error notification without a message")
			run.Errors = append(run.Errors, msg)
		}
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
