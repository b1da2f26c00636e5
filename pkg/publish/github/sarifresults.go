package github

import (
	"fmt"
	"strings"
)

// fitResults anchors or drops results without a file, trims locations and
// flows past the limits, and keeps the most severe results when a run has
// too many.
func fitResults(run object, opts FitOptions, fit *Fitted) {
	name := driverName(run)
	rules := rulesOf(run)
	var kept []any
	for _, r := range resultsOf(run) {
		res, _ := r.(object)
		if res == nil {
			continue
		}
		if !hasFileLocation(res) {
			if opts.Anchor == "" {
				fit.Unlocated = append(fit.Unlocated, unlocatedName(name, res, rules))
				continue
			}
			anchor(res, opts.Anchor)
			fit.Anchored++
		}
		trimLocations(res, opts.Limits)
		kept = append(kept, res)
	}

	if over := len(kept) - opts.Limits.ResultsPerRun; over > 0 {
		sortBySeverity(kept, rules)
		kept = kept[:opts.Limits.ResultsPerRun]
		fit.Notes = append(fit.Notes, fmt.Sprintf("%s: the %d least severe results were "+
			"left out of the upload (code scanning takes %d per run)", name, over,
			opts.Limits.ResultsPerRun))
	}
	if kept == nil {
		kept = []any{}
	}
	run["results"] = kept
}

// hasFileLocation reports whether the first location, the only one code
// scanning reads, names a file.
func hasFileLocation(res object) bool {
	locs, _ := res["locations"].([]any)
	if len(locs) == 0 {
		return false
	}
	loc, _ := locs[0].(object)
	phys, _ := loc["physicalLocation"].(object)
	art, _ := phys["artifactLocation"].(object)
	uri, _ := art["uri"].(string)
	return strings.TrimSpace(uri) != ""
}

// anchor gives a result without a file the anchor file's first line, and
// keeps what it was about as a logical location.
func anchor(res object, path string) {
	loc := object{}
	if locs, _ := res["locations"].([]any); len(locs) > 0 {
		if first, ok := locs[0].(object); ok {
			loc = first
		}
	}
	loc["physicalLocation"] = object{
		"artifactLocation": object{"uri": path},
		"region":           object{"startLine": 1},
	}
	res["locations"] = []any{loc}
}

func unlocatedName(tool string, res object, rules []any) string {
	name := tool + ":" + resultRuleID(res, rules)
	if locs, _ := res["locations"].([]any); len(locs) > 0 {
		loc, _ := locs[0].(object)
		if logical, _ := loc["logicalLocations"].([]any); len(logical) > 0 {
			l, _ := logical[0].(object)
			if n, _ := l["fullyQualifiedName"].(string); n != "" {
				return name + " (" + n + ")"
			}
			if n, _ := l["name"].(string); n != "" {
				return name + " (" + n + ")"
			}
		}
	}
	return name
}

func trimLocations(res object, lim Limits) {
	if locs, _ := res["locations"].([]any); len(locs) > lim.LocationsPerRes {
		res["locations"] = locs[:lim.LocationsPerRes]
	}
	if flowSteps(res) > lim.FlowSteps {
		delete(res, "codeFlows")
	}
}

func flowSteps(res object) int {
	n := 0
	flows, _ := res["codeFlows"].([]any)
	for _, f := range flows {
		fo, _ := f.(object)
		threads, _ := fo["threadFlows"].([]any)
		for _, t := range threads {
			to, _ := t.(object)
			locs, _ := to["locations"].([]any)
			n += len(locs)
		}
	}
	return n
}

// shrink encodes the log and, while the gzipped size is over the limit, cuts
// in a fixed order: flows and related locations, then note-level results,
// then half of each run's results, least severe first.
func shrink(log object, runs []object, lim Limits, fit *Fitted) error {
	steps := []struct {
		note string
		cut  func() bool
	}{
		{"code flows and related locations were left out", func() bool {
			return dropFlows(runs)
		}},
		{"note-level results were left out", func() bool { return dropNotes(runs) }},
	}
	for i := 0; ; i++ {
		plain, zipped, err := gzipJSON(log)
		if err != nil {
			return err
		}
		if len(zipped) <= lim.GzipBytes {
			fit.JSON, fit.Gzip = plain, zipped
			return nil
		}
		switch {
		case i < len(steps):
			if steps[i].cut() {
				fit.Notes = append(fit.Notes, "to fit the upload size limit, "+steps[i].note)
			}
		case !halve(runs):
			return fmt.Errorf("the SARIF log is %d bytes after gzip, over the limit of %d, "+
				"even without results", len(zipped), lim.GzipBytes)
		default:
			fit.Notes = append(fit.Notes, "to fit the upload size limit, the least severe "+
				"half of the results was left out")
		}
	}
}

func dropFlows(runs []object) bool {
	cut := false
	for _, run := range runs {
		for _, r := range resultsOf(run) {
			res, _ := r.(object)
			for _, k := range []string{"codeFlows", "relatedLocations", "stacks"} {
				if _, ok := res[k]; ok {
					delete(res, k)
					cut = true
				}
			}
		}
	}
	return cut
}

func dropNotes(runs []object) bool {
	cut := false
	for _, run := range runs {
		var kept []any
		for _, r := range resultsOf(run) {
			res, _ := r.(object)
			if l, _ := res["level"].(string); l == "note" || l == "none" {
				cut = true
				continue
			}
			kept = append(kept, r)
		}
		if kept == nil {
			kept = []any{}
		}
		run["results"] = kept
	}
	return cut
}

func halve(runs []object) bool {
	cut := false
	for _, run := range runs {
		results := resultsOf(run)
		if len(results) == 0 {
			continue
		}
		sortBySeverity(results, rulesOf(run))
		run["results"] = results[:len(results)/2]
		cut = true
	}
	return cut
}
