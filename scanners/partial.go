package scanners

import (
	"fmt"
	"strings"
)

// PartialError reports a scan that ran for some of its parts and failed for
// others, such as `snyk test --all-projects` resolving two manifests of three.
// Result holds what the parts that ran found, so that those findings are still
// reported; the scan as a whole counts as failed, so a gate that requires the
// scanner cannot pass on the parts that were never tested.
type PartialError struct {
	// Tool names the tool in the message ("snyk").
	Tool string
	// Result is what the parts that ran produced; never nil.
	Result *Result
	// Failed describes each part that did not run: the part, then why.
	Failed []Failure
	// Total is how many parts there were, when the tool says; zero if unknown.
	Total int
	// Noun names one part in the message ("project"); empty means "part".
	Noun string
}

// Failure is one part of a scan that did not run.
type Failure struct {
	Target string // a manifest, a file, an image
	Reason string
}

// Error lists every failed part, so the message alone says what was not
// tested.
func (e *PartialError) Error() string {
	parts := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		parts[i] = f.String()
	}
	of := ""
	if e.Total > 0 {
		of = fmt.Sprintf(" of %d", e.Total)
	}
	noun := e.Noun
	if noun == "" {
		noun = "part"
	}
	if len(e.Failed) > 1 || e.Total > 1 {
		noun += "s"
	}
	return fmt.Sprintf("%s could not test %d%s %s: %s", e.Tool, len(e.Failed), of, noun,
		strings.Join(parts, "; "))
}

// String renders a failure as "target: reason".
func (f Failure) String() string {
	if f.Target == "" {
		return f.Reason
	}
	return f.Target + ": " + f.Reason
}
