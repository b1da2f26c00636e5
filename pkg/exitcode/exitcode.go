// Package exitcode maps secgate's outcomes to process exit codes in one place, so
// that a policy violation is never confused with the tool breaking.
package exitcode

import "errors"

// The exit codes secgate documents. Every command uses these and no others.
const (
	// Passed: the gate ran and nothing blocks.
	Passed = 0
	// Blocked: the gate ran and the policy blocks the change.
	Blocked = 1
	// Undecided: the gate could not decide: bad config, unreadable or malformed
	// input, a required scanner that is missing or failed, a bad flag.
	Undecided = 2
)

// BlockedError reports that the policy blocked. Its message is the verdict line.
type BlockedError struct{ Summary string }

func (e *BlockedError) Error() string { return e.Summary }

// UndecidedError wraps the reason the gate could not decide.
type UndecidedError struct{ Err error }

func (e *UndecidedError) Error() string { return e.Err.Error() }

// Unwrap gives the underlying reason.
func (e *UndecidedError) Unwrap() error { return e.Err }

// Undecide marks err as a could-not-decide outcome. It returns nil for nil.
func Undecide(err error) error {
	if err == nil {
		return nil
	}
	return &UndecidedError{Err: err}
}

// SilentError is an outcome already shown to the user: main exits with its code
// and prints nothing more.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return "exit status" }

// Code returns the exit code for an error returned by a command. Anything that
// is not a known outcome is a failure to decide: secgate fails closed.
func Code(err error) int {
	if err == nil {
		return Passed
	}
	var silent *SilentError
	if errors.As(err, &silent) {
		return silent.Code
	}
	var blocked *BlockedError
	if errors.As(err, &blocked) {
		return Blocked
	}
	return Undecided
}
