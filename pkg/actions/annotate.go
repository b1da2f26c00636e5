package actions

import (
	"fmt"

	"github.com/secgate/secgate/pkg/markdown"
	"github.com/secgate/secgate/pkg/policy"
)

// BlockingAnnotations turns the blocking findings into ::error commands, the
// most severe first (the decision's order), at most PerLevel of them; when
// there are more, a last ::notice says how many were left out and where to
// find them, since the runner would drop them silently.
func BlockingAnnotations(d *policy.Decision, where string) []Annotation {
	var out []Annotation
	left := 0
	for _, ev := range d.Findings {
		if ev.Outcome != policy.OutcomeFail {
			continue
		}
		if len(out) == PerLevel {
			left++
			continue
		}
		out = append(out, annotationOf(ev))
	}
	if left > 0 {
		out = append(out, Annotation{Level: "notice", Title: "secgate",
			Message: fmt.Sprintf("%d more blocking findings are not annotated here "+
				"(the runner shows %d per step): see %s", left, PerLevel, where)})
	}
	return out
}

func annotationOf(ev policy.Evaluated) Annotation {
	f := ev.Finding
	l := f.Location
	a := Annotation{
		Level:   "error",
		File:    l.Path,
		Line:    l.StartLine,
		EndLine: l.EndLine,
		Col:     l.StartColumn,
		EndCol:  l.EndColumn,
		Title:   fmt.Sprintf("%s %s (%s)", f.Severity, f.Rule.ID, f.Tool),
		// A message can quote what it flags; a secret must not reach the log.
		Message: markdown.Redact(f.Message),
	}
	if !l.HasFile() && l.Logical != "" {
		a.Message = l.Logical + ": " + a.Message
	}
	if ev.BaselineState != "" {
		a.Message += " [" + ev.BaselineState + "]"
	}
	return a
}
