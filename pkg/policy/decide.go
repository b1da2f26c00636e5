package policy

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/secgate/secgate/pkg/finding"
)

// decide fills in the status, reasons and warnings once every finding has
// its outcome.
func (e *evaluator) decide(d *Decision, scanners []ScannerOutcome, maxListed int) {
	var problems []string
	for _, p := range e.c.problems {
		problems = append(problems, "config: "+p)
	}
	scannerErrors, scannerWarnings := scannerReasons(scanners)
	problems = append(problems, scannerErrors...)

	var blocking []string
	for _, ev := range d.Findings {
		if ev.Outcome == OutcomeFail {
			blocking = append(blocking, summary(&ev.Finding))
		}
	}
	d.Blocking = len(blocking)
	budgets := e.budgets(d.Findings)

	d.Reasons = slices.Concat(problems, capList(blocking, maxListed), budgets)
	d.Warnings = slices.Concat(scannerWarnings, e.suppressionWarnings())
	switch {
	case len(problems) > 0:
		d.Status = StatusError
	case len(blocking) > 0 || len(budgets) > 0:
		d.Status = StatusBlocked
	default:
		d.Status = StatusPassed
	}
}

// scannerReasons turns scanners that did not run cleanly into reasons (for a
// required scanner, the gate cannot decide without it) and warnings.
func scannerReasons(scanners []ScannerOutcome) (errs, warnings []string) {
	for _, s := range scanners {
		var what string
		switch s.State {
		case ScannerOK:
			continue
		case ScannerSkipped:
			what = "was skipped"
		case ScannerFailed:
			what = "failed"
		case ScannerEmpty:
			// A scan of nothing is not a clean scan: like a scanner that did
			// not run, it leaves a required scanner's verdict unknown.
			what = "scanned nothing"
		default:
			// An unknown state is treated as a failure: the gate fails closed.
			what = fmt.Sprintf("reported the unknown state %q", s.State)
		}
		if s.Message != "" {
			what += ": " + s.Message
		}
		if s.Required {
			errs = append(errs, fmt.Sprintf("required scanner %s %s", s.Name, what))
		} else {
			warnings = append(warnings, fmt.Sprintf("optional scanner %s %s", s.Name, what))
		}
	}
	return errs, warnings
}

// budgets checks the max counts. Findings the gate acts on (fail or warn)
// count; ignored and suppressed ones do not.
func (e *evaluator) budgets(findings []Evaluated) []string {
	counts := map[finding.Severity]int{}
	for _, ev := range findings {
		if e.budgeted(ev) {
			counts[ev.Finding.Severity]++
		}
	}
	var out []string
	for _, s := range finding.Severities {
		limit, set := e.c.cfg.Max[s]
		if n := counts[s]; set && n > limit {
			verb := "exceed"
			if n == 1 {
				verb = "exceeds"
			}
			out = append(out, fmt.Sprintf("%s %s the budget of %d (max.%s)",
				plural(n, s.String()+" finding"), verb, limit, s))
		}
	}
	return out
}

// summary names a blocking finding in one line:
// "semgrep:python.sql-injection high at app/db.py:12".
func summary(f *finding.Finding) string {
	s := fmt.Sprintf("%s:%s %s", f.Tool, f.Rule.ID, f.Severity)
	switch l := f.Location; {
	case l.HasFile() && l.StartLine > 0:
		s += " at " + l.Path + ":" + strconv.Itoa(l.StartLine)
	case l.HasFile():
		s += " at " + l.Path
	case l.Logical != "":
		s += " at " + l.Logical
	}
	return s
}

// capList keeps the first max items and counts the rest in a last line.
func capList(items []string, max int) []string {
	if max <= 0 {
		max = DefaultMaxListed
	}
	if len(items) <= max {
		return items
	}
	rest, noun := len(items)-max, "findings"
	if rest == 1 {
		noun = "finding"
	}
	return append(items[:max:max], fmt.Sprintf("and %d more blocking %s", rest, noun))
}

// sortFindings orders findings by severity, highest first, then tool, path,
// line and rule; column, message and fingerprint break the remaining ties so
// that the order does not depend on the order scanners finished in.
func sortFindings(evs []Evaluated) {
	// An Evaluated is a few hundred bytes; sorting indexes and then moving
	// each element once costs far less than moving them at every swap.
	order := make([]int, len(evs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		x, y := &evs[i].Finding, &evs[j].Finding
		return cmp.Or(
			cmp.Compare(y.Severity, x.Severity),
			cmp.Compare(x.Tool, y.Tool),
			cmp.Compare(x.Location.Path, y.Location.Path),
			cmp.Compare(x.Location.StartLine, y.Location.StartLine),
			cmp.Compare(x.Rule.ID, y.Rule.ID),
			cmp.Compare(x.Location.StartColumn, y.Location.StartColumn),
			cmp.Compare(x.Message, y.Message),
			cmp.Compare(x.Fingerprint, y.Fingerprint),
		)
	})
	permute(evs, order)
}

// permute puts evs[order[k]] at k for every k, following each cycle of the
// permutation so that every element moves once. It consumes order.
func permute[E any](evs []E, order []int) {
	for start := range order {
		if order[start] < 0 {
			continue
		}
		held := evs[start]
		j := start
		for {
			k := order[j]
			order[j] = -1
			if k == start {
				evs[j] = held
				break
			}
			evs[j] = evs[k]
			j = k
		}
	}
}
