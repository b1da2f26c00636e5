package github

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Limits are code scanning's limits on one upload, held as values so they
// can follow GitHub when it changes them.
type Limits struct {
	Runs            int // runs per file
	ResultsPerRun   int // results per run
	LocationsPerRes int // locations per result
	FlowSteps       int // thread flow locations per result
	GzipBytes       int // the upload after gzip
}

// DefaultLimits are GitHub's documented limits.
var DefaultLimits = Limits{
	Runs:            20,
	ResultsPerRun:   25000,
	LocationsPerRes: 1000,
	FlowSteps:       10000,
	GzipBytes:       10 << 20,
}

// FitOptions say how to make a SARIF log fit.
type FitOptions struct {
	Limits Limits
	// Key is the gate; a run without a category gets "KEY/TOOL/".
	Key string
	// Anchor is the repository file that results without a file are
	// anchored to (line 1); empty leaves them out and lists them.
	Anchor string
}

// Fitted is a SARIF log ready to upload.
type Fitted struct {
	JSON []byte
	Gzip []byte
	// CheckoutURI is the file:// root the log's relative paths are from.
	CheckoutURI string
	// Notes say what was changed or cut to fit, for the summary.
	Notes []string
	// Unlocated lists results that had no file and were left out.
	Unlocated []string
	Anchored  int
}

type object = map[string]any

// FitSARIF makes data acceptable to code scanning: one run per tool and
// category (GitHub rejects a file with two), a category on every run, a file
// location on every result (anchored, or the result left out and listed),
// and the documented limits, cutting in a fixed order until the gzipped log
// fits: thread flows first, then notes, then the least severe results.
func FitSARIF(data []byte, opts FitOptions) (*Fitted, error) {
	log, err := decodeSARIF(data)
	if err != nil {
		return nil, err
	}
	fit := &Fitted{CheckoutURI: checkoutURI(log)}
	runs := foldRuns(runsOf(log), opts.Key, fit)
	for _, run := range runs {
		fitResults(run, opts, fit)
	}
	if len(runs) > opts.Limits.Runs {
		fit.Notes = append(fit.Notes, fmt.Sprintf("%d runs over the limit of %d were left "+
			"out of the upload: %s", len(runs)-opts.Limits.Runs, opts.Limits.Runs,
			strings.Join(runNames(runs[opts.Limits.Runs:]), ", ")))
		runs = runs[:opts.Limits.Runs]
	}
	log["runs"] = toAnys(runs)
	return fit, shrink(log, runs, opts.Limits, fit)
}

func decodeSARIF(data []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var log object
	if err := dec.Decode(&log); err != nil {
		return nil, fmt.Errorf("the SARIF log is not JSON: %w", err)
	}
	if v, _ := log["version"].(string); v != "2.1.0" {
		return nil, fmt.Errorf("the SARIF log has version %q; code scanning takes 2.1.0", v)
	}
	if _, ok := log["runs"].([]any); !ok {
		return nil, fmt.Errorf("the SARIF log has no runs array")
	}
	return log, nil
}

func runsOf(log object) []object {
	var runs []object
	for _, r := range log["runs"].([]any) {
		if run, ok := r.(object); ok {
			runs = append(runs, run)
		}
	}
	return runs
}

// checkoutURI reads the file:// root that %SRCROOT% names, if any.
func checkoutURI(log object) string {
	for _, run := range runsOf(log) {
		bases, _ := run["originalUriBaseIds"].(object)
		src, _ := bases["%SRCROOT%"].(object)
		if uri, _ := src["uri"].(string); strings.HasPrefix(uri, "file://") {
			return uri
		}
	}
	return ""
}

// foldRuns merges runs of the same tool and category into one, with the
// union of their rules and every ruleIndex rewritten to the merged list.
func foldRuns(runs []object, key string, fit *Fitted) []object {
	var out []object
	byKey := map[string]object{}
	for _, run := range runs {
		name := driverName(run)
		cat := category(run, key, name)
		k := name + "\x00" + cat
		first, seen := byKey[k]
		if !seen {
			byKey[k] = run
			reindex(run, nil)
			out = append(out, run)
			continue
		}
		mergeInto(first, run)
		fit.Notes = append(fit.Notes, fmt.Sprintf("two runs of %s with the category %q "+
			"were merged into one, as code scanning requires", name, cat))
	}
	return out
}

func driverName(run object) string {
	tool, _ := run["tool"].(object)
	driver, _ := tool["driver"].(object)
	name, _ := driver["name"].(string)
	return name
}

func driverOf(run object) object {
	tool, _ := run["tool"].(object)
	if tool == nil {
		tool = object{}
		run["tool"] = tool
	}
	driver, _ := tool["driver"].(object)
	if driver == nil {
		driver = object{"name": "unknown"}
		tool["driver"] = driver
	}
	return driver
}

// category returns the run's automationDetails category, giving it
// "KEY/TOOL/" when it has none, so that each gate's runs stay apart.
func category(run object, key, tool string) string {
	details, _ := run["automationDetails"].(object)
	id, _ := details["id"].(string)
	if id == "" {
		id = key + "/" + strings.ToLower(tool) + "/"
		run["automationDetails"] = object{"id": id}
	}
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[:i]
	}
	return id
}

func rulesOf(run object) []any {
	rules, _ := driverOf(run)["rules"].([]any)
	return rules
}

func resultsOf(run object) []any {
	results, _ := run["results"].([]any)
	return results
}

// reindex points every result's ruleIndex at the rule with its ruleId in
// run's own rules, adding rules from extra (another run's) as needed.
func reindex(run object, extra []any) {
	rules := rulesOf(run)
	index := map[string]int{}
	for i, r := range rules {
		if id := ruleIDOf(r); id != "" {
			index[id] = i
		}
	}
	for _, r := range extra {
		if id := ruleIDOf(r); id != "" {
			if _, ok := index[id]; !ok {
				index[id] = len(rules)
				rules = append(rules, r)
			}
		}
	}
	if len(rules) > 0 {
		driverOf(run)["rules"] = rules
	}
	for _, res := range resultsOf(run) {
		ro, _ := res.(object)
		if ro == nil {
			continue
		}
		id := resultRuleID(ro, rules)
		if i, ok := index[id]; ok && id != "" {
			ro["ruleIndex"] = i
			ro["ruleId"] = id
		} else {
			delete(ro, "ruleIndex")
		}
	}
}

func mergeInto(dst, src object) {
	srcRules := rulesOf(src)
	// Resolve src's ruleIndex values against src's own rules before moving.
	for _, res := range resultsOf(src) {
		if ro, _ := res.(object); ro != nil {
			if id := resultRuleID(ro, srcRules); id != "" {
				ro["ruleId"] = id
			}
			delete(ro, "ruleIndex")
		}
	}
	dst["results"] = append(resultsOf(dst), resultsOf(src)...)
	reindex(dst, srcRules)
}

func ruleIDOf(r any) string {
	ro, _ := r.(object)
	id, _ := ro["id"].(string)
	return id
}

func resultRuleID(res object, rules []any) string {
	if id, _ := res["ruleId"].(string); id != "" {
		return id
	}
	if n, ok := res["ruleIndex"].(json.Number); ok {
		if i, err := strconv.Atoi(n.String()); err == nil && i >= 0 && i < len(rules) {
			return ruleIDOf(rules[i])
		}
	}
	if rule, _ := res["rule"].(object); rule != nil {
		id, _ := rule["id"].(string)
		return id
	}
	return ""
}

func runNames(runs []object) []string {
	names := make([]string, len(runs))
	for i, r := range runs {
		names[i] = driverName(r)
	}
	return names
}

func toAnys(runs []object) []any {
	out := make([]any, len(runs))
	for i, r := range runs {
		out[i] = r
	}
	return out
}

// severityRank orders results for cutting: the level (error above warning
// above note), then the rule's security-severity.
func severityRank(res object, rules []any) float64 {
	level, _ := res["level"].(string)
	rank := map[string]float64{"error": 30, "warning": 20, "note": 10, "none": 0}[level]
	if level == "" {
		rank = 20
	}
	id := resultRuleID(res, rules)
	for _, r := range rules {
		if ruleIDOf(r) != id {
			continue
		}
		props, _ := r.(object)["properties"].(object)
		if s, ok := props["security-severity"].(string); ok {
			if v, err := strconv.ParseFloat(s, 64); err == nil {
				rank += v
			}
		}
	}
	return rank
}

// sortBySeverity puts the most severe results first, keeping the order of
// equals.
func sortBySeverity(results []any, rules []any) {
	sort.SliceStable(results, func(i, j int) bool {
		a, _ := results[i].(object)
		b, _ := results[j].(object)
		return severityRank(a, rules) > severityRank(b, rules)
	})
}

func gzipJSON(v any) (plain, zipped []byte, err error) {
	plain, err = json.Marshal(v)
	if err != nil {
		return nil, nil, fmt.Errorf("encode the SARIF log: %w", err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(plain); err != nil {
		return nil, nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, nil, err
	}
	return plain, buf.Bytes(), nil
}
