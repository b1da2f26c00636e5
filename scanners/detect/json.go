package detect

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/wellformed"
)

// object is a JSON object's members, undecoded. Keys are matched exactly:
// encoding/json would match struct fields regardless of case, and Trivy's
// "Results" is not Semgrep's "results".
type object map[string]json.RawMessage

// objectRule recognises one format in a JSON object.
type objectRule func(o object) (Match, bool)

// objectRules are tried all; more than one match is ambiguous.
var objectRules = []objectRule{
	sarifLog, cycloneDXJSON, spdxJSON, syftJSON, grypeJSON,
	osvScannerJSON, semgrepJSON, snykObject, zapJSON,
}

func detectJSON(text []byte) (Match, error) {
	if text[0] == '[' {
		return detectArray(text)
	}
	var o object
	if err := json.Unmarshal(text, &o); err != nil {
		return Match{}, &UnknownError{Why: malformedJSON(text, err)}
	}
	var candidates []Match
	for _, rule := range objectRules {
		if m, ok := rule(o); ok {
			candidates = append(candidates, m)
		}
	}
	return only(candidates, "a JSON object without the keys any known format writes "+
		"(its keys: "+keyList(o)+")")
}

// detectArray recognises the one array format: Snyk's --all-projects output,
// one result per project. Other tools write arrays too (gitleaks, ESLint), so
// every element must be a Snyk result.
func detectArray(text []byte) (Match, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(text, &list); err != nil {
		return Match{}, &UnknownError{Why: malformedJSON(text, err)}
	}
	if len(list) == 0 {
		return Match{}, &UnknownError{Why: "an empty JSON array, which says nothing of its format"}
	}
	for i, raw := range list {
		var o object
		if json.Unmarshal(raw, &o) != nil {
			return Match{}, &UnknownError{Why: fmt.Sprintf("a JSON array whose element %d "+
				"is not an object", i+1)}
		}
		if _, ok := snykObject(o); !ok {
			return Match{}, &UnknownError{Why: fmt.Sprintf("a JSON array whose element %d "+
				"is not a Snyk result (its keys: %s)", i+1, keyList(o))}
		}
	}
	return Match{Format: SnykJSON, Evidence: fmt.Sprintf("an array of %d Snyk project results",
		len(list))}, nil
}

// sarifLog recognises SARIF by its runs and a 2.x version or a SARIF
// $schema, and names the tool's own SARIF format when every run is one
// tool's. A version other than 2.1.0 is still SARIF: the reader then says
// which version it found.
func sarifLog(o object) (Match, bool) {
	version, schema := o.str("version"), o.str("$schema")
	if !o.has("runs") ||
		(!strings.HasPrefix(version, "2.") && !strings.Contains(strings.ToLower(schema), "sarif")) {
		return Match{}, false
	}
	var runs []struct {
		Tool struct {
			Driver struct {
				Name string `json:"name"`
			} `json:"driver"`
		} `json:"tool"`
	}
	_ = json.Unmarshal(o["runs"], &runs)

	format, tool := "", ""
	for i, r := range runs {
		f := sarifTool(r.Tool.Driver.Name)
		if i > 0 && f != format {
			format = ""
			break
		}
		format, tool = f, r.Tool.Driver.Name
	}
	evidence := "SARIF " + firstOf(version, "(no version)")
	if format == "" {
		return Match{Format: SARIF, Evidence: evidence}, true
	}
	return Match{Format: format, General: SARIF, Evidence: evidence + " from " + tool}, true
}

// sarifTools maps driver names, in lowercase, to the tool's SARIF format.
var sarifTools = []struct {
	names  []string
	format string
}{
	{[]string{"semgrep", "semgrep oss", "semgrep pro"}, SemgrepSARIF},
	{[]string{"snyk open source", "snyk container", "snyk iac"}, SnykSARIF},
	{[]string{"snykcode", "snyk code"}, SnykCodeSARIF},
	{[]string{"grype"}, GrypeSARIF},
	{[]string{"osv-scanner", "osv scanner"}, OSVScannerSARIF},
	{[]string{"zap", "owasp zap"}, ZAPSARIF},
}

func sarifTool(driver string) string {
	d := strings.ToLower(strings.TrimSpace(driver))
	for _, t := range sarifTools {
		if slices.Contains(t.names, d) {
			return t.format
		}
	}
	return ""
}

func cycloneDXJSON(o object) (Match, bool) {
	if !strings.EqualFold(o.str("bomFormat"), "CycloneDX") {
		return Match{}, false
	}
	return Match{Format: CycloneDXJSON,
		Evidence: "bomFormat CycloneDX, specVersion " + firstOf(o.str("specVersion"), "unstated")}, true
}

func spdxJSON(o object) (Match, bool) {
	v := o.str("spdxVersion")
	if !strings.HasPrefix(v, "SPDX-") {
		return Match{}, false
	}
	return Match{Format: SPDXJSON, Evidence: "spdxVersion " + v}, true
}

// syftJSON recognises Syft's own JSON: artifacts, with Syft's schema URL or
// a descriptor naming syft (unit-test goldens carry no schema block).
func syftJSON(o object) (Match, bool) {
	if !o.has("artifacts") {
		return Match{}, false
	}
	var schema struct {
		URL string `json:"url"`
	}
	_ = json.Unmarshal(o["schema"], &schema)
	switch {
	case strings.Contains(schema.URL, "anchore/syft"):
		return Match{Format: SyftJSON, Evidence: "artifacts and Syft's schema URL"}, true
	case o.descriptor() == "syft":
		return Match{Format: SyftJSON, Evidence: "artifacts and a syft descriptor"}, true
	}
	return Match{}, false
}

func grypeJSON(o object) (Match, bool) {
	if !o.isArray("matches") || o.descriptor() != "grype" {
		return Match{}, false
	}
	return Match{Format: GrypeJSON, Evidence: "matches and a grype descriptor"}, true
}

// osvScannerJSON recognises OSV-Scanner's results, each a scanned source with
// its packages. With no results at all, only a file holding nothing else
// counts: Semgrep writes results too.
func osvScannerJSON(o object) (Match, bool) {
	results, ok := o.elements("results")
	switch {
	case !ok:
		return Match{}, false
	case len(results) == 0:
		if o.onlyKeys("results", "experimental_config") {
			return Match{Format: OSVScannerJSON, Evidence: "an empty results list alone"}, true
		}
		return Match{}, false
	case results[0].has("source") && results[0].has("packages"):
		return Match{Format: OSVScannerJSON, Evidence: "results of sources with packages"}, true
	}
	return Match{}, false
}

// semgrepKeys are the top-level keys Semgrep writes.
var semgrepKeys = []string{
	"results", "errors", "paths", "version", "time", "explanations",
	"interfile_languages_used", "skipped_rules", "engine_requested", "rules_by_engine",
	"subprojects", "subproject_stats", "mcp_scan_results",
}

// semgrepJSON recognises Semgrep's results by their check_id. Without
// results, an errors list and only Semgrep's keys are required, so that
// Bandit's report (results, errors, metrics) is not taken for Semgrep's.
func semgrepJSON(o object) (Match, bool) {
	results, ok := o.elements("results")
	switch {
	case !ok:
		return Match{}, false
	case len(results) > 0 && results[0].has("check_id"):
		return Match{Format: SemgrepJSON, Evidence: "results with check_id"}, true
	case len(results) == 0 && o.isArray("errors") && o.onlyKeys(semgrepKeys...):
		return Match{Format: SemgrepJSON, Evidence: "empty results and Semgrep's errors list"}, true
	}
	return Match{}, false
}

// snykObject recognises one result of snyk test, container test or iac test,
// or the error Snyk writes in its place. CycloneDX has vulnerabilities too,
// but never Snyk's packageManager or ok.
func snykObject(o object) (Match, bool) {
	switch {
	case o.isArray("infrastructureAsCodeIssues"):
		return Match{Format: SnykJSON, Evidence: "infrastructureAsCodeIssues (Snyk IaC)"}, true
	case o.isArray("vulnerabilities") && (o.has("packageManager") || o.has("ok")) &&
		!o.has("bomFormat"):
		return Match{Format: SnykJSON, Evidence: "vulnerabilities with Snyk's packageManager " +
			"and ok"}, true
	case string(o["ok"]) == "false" && o.str("error") != "":
		return Match{Format: SnykJSON, Evidence: "Snyk's error result (ok false, error)"}, true
	}
	return Match{}, false
}

// zapJSON recognises ZAP's traditional JSON report: its sites under "site"
// and the report's attributes, written with XML's "@".
func zapJSON(o object) (Match, bool) {
	if !o.has("site") || !(o.has("@programName") || o.has("@version") || o.has("@generated")) {
		return Match{}, false
	}
	return Match{Format: ZAPJSON, Evidence: "site and @version (ZAP's traditional JSON)"}, true
}

func (o object) has(key string) bool {
	v, ok := o[key]
	return ok && string(v) != "null"
}

// str returns a string member, or "" when it is missing or not a string.
func (o object) str(key string) string {
	var s string
	if json.Unmarshal(o[key], &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

func (o object) isArray(key string) bool {
	v := strings.TrimSpace(string(o[key]))
	return strings.HasPrefix(v, "[")
}

// elements decodes an array member whose items are objects; false when the
// member is missing or not such an array.
func (o object) elements(key string) ([]object, bool) {
	if !o.isArray(key) {
		return nil, false
	}
	var list []object
	if json.Unmarshal(o[key], &list) != nil {
		return nil, false
	}
	return list, true
}

// descriptor returns the lowercase descriptor.name of Anchore's tools.
func (o object) descriptor() string {
	var d struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(o["descriptor"], &d)
	return strings.ToLower(strings.TrimSpace(d.Name))
}

// onlyKeys reports whether every key of o is among keys.
func (o object) onlyKeys(keys ...string) bool {
	for k := range o {
		if !slices.Contains(keys, k) {
			return false
		}
	}
	return true
}

func keyList(o object) string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > 8 {
		keys = append(keys[:8], "...")
	}
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// malformedJSON says what is wrong with JSON that does not decode and where,
// as a line and column of the content after leading white space.
func malformedJSON(text []byte, err error) string {
	off := len(text)
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		off = int(syn.Offset) - 1 // Offset counts the offending byte
	}
	line, col := wellformed.Position(text, off)
	return fmt.Sprintf("malformed JSON at line %d, column %d: %v", line, col, err)
}
