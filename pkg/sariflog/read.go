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
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// MaxSize is the largest log, in bytes, that Read accepts: 1 GiB. Reading
// streams, but the findings of a log are held, so the cap bounds what a
// hostile or runaway producer can cost.
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
//
// The log is decoded as a stream, one result at a time, so that what reading
// holds is the findings rather than the text of the log. An input that can
// seek (a file) is read only once on success and again on failure, to place
// the error; any other input is first read into memory.
func (rd Reader) Read(r io.Reader, source string) ([]Run, error) {
	limit := rd.MaxSize
	if limit <= 0 {
		limit = MaxSize
	}
	in, err := openInput(r, source, limit)
	if err != nil {
		return nil, err
	}

	runs, err := decodeLog(in)
	if err != nil {
		return nil, in.describe(err)
	}
	return runs, nil
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
