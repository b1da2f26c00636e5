package sariflog

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// readTestdata reads one of this package's synthetic logs in testdata/.
func readTestdata(t *testing.T, name string) Run {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	runs := readString(t, string(data))
	if len(runs) != 1 {
		t.Fatalf("runs: got %d, want 1", len(runs))
	}
	return runs[0]
}

// Known failure 1: results without a physical location are kept.
func TestReadResultsWithoutFile(t *testing.T) {
	run := readTestdata(t, "kf1-no-locations.sarif")
	tests := []struct {
		name    string
		path    string
		line    int
		logical string
	}{
		{"empty locations", "", 0, ""},
		{"logical location only", "", 0, "Acme.Billing"},
		{"no locations member", "", 0, ""},
		{"logical name only", "", 0, "Billing"},
		{"URL is not a file", "", 0, "https://app.example/login"},
		{"file and logical", "src/Billing.cs", 4, "Acme.Billing.Pay"},
	}
	if len(run.Findings) != len(tests) {
		t.Fatalf("findings: got %d, want %d", len(run.Findings), len(tests))
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := run.Findings[i].Location
			if l.Path != tc.path || l.StartLine != tc.line || l.Logical != tc.logical {
				t.Errorf("location: got %+v, want path %q line %d logical %q",
					l, tc.path, tc.line, tc.logical)
			}
		})
	}
}

// Known failure 2: security-severity in every shape tools write it.
func TestReadSecuritySeverity(t *testing.T) {
	run := readTestdata(t, "kf2-security-severity.sarif")
	tests := []struct {
		rule     string
		sev      finding.Severity
		raw      string
		security bool
	}{
		{"lic-gpl", finding.SeverityLow, "note", false}, // "undefined": absent, default level
		{"xss", finding.SeverityMedium, "MEDIUM", true}, // label word beats level error
		{"cve-a", finding.SeverityHigh, "error", false}, // null: absent, result level
		{"cve-b", finding.SeverityHigh, "7.5", true},    // JSON number beats level note
		{"zero", finding.SeverityInfo, "0.0", true},     // zero is "none", not error
		{"empty", finding.SeverityMedium, "", false},    // "": absent, SARIF default
		{"crit", finding.SeverityCritical, "9.8", true}, // numeric string
		{"word-low", finding.SeverityLow, "low", true},  // lowercase label
		{"garbage", finding.SeverityLow, "note", false}, // unknown word: absent
		{"tagged", finding.SeverityMedium, "", true},    // "security" tag, any case
	}
	for i, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			f := run.Findings[i]
			if f.Rule.ID != tc.rule {
				t.Fatalf("rule: got %q, want %q", f.Rule.ID, tc.rule)
			}
			if f.Severity != tc.sev || f.ToolSeverity != tc.raw || f.Rule.Security != tc.security {
				t.Errorf("got %v %q security=%v, want %v %q security=%v",
					f.Severity, f.ToolSeverity, f.Rule.Security, tc.sev, tc.raw, tc.security)
			}
		})
	}
	if got := run.Findings[1].Rule.CWE; !slices.Equal(got, []string{"CWE-79"}) {
		t.Errorf("xss cwe: got %v, want [CWE-79]", got)
	}
}

func TestReadLevelPrecedence(t *testing.T) {
	rules := `{"id":"E","defaultConfiguration":{"level":"error"}},
		{"id":"N","defaultConfiguration":{"level":"note"}},
		{"id":"S","defaultConfiguration":{"level":"note"},"properties":{"security-severity":"9.5"}}`
	tests := []struct {
		name   string
		result string
		want   finding.Severity
	}{
		{"rule default", `{"ruleId":"E","message":{"text":"m"}}`, finding.SeverityHigh},
		{"result level wins", `{"ruleId":"E","level":"note","message":{"text":"m"}}`, finding.SeverityLow},
		{"level none", `{"ruleId":"N","level":"none","message":{"text":"m"}}`, finding.SeverityInfo},
		{"no level anywhere", `{"ruleId":"X","message":{"text":"m"}}`, finding.SeverityMedium},
		{"security-severity wins", `{"ruleId":"S","level":"note","message":{"text":"m"}}`,
			finding.SeverityCritical},
		{"result security-severity", `{"ruleId":"E","message":{"text":"m"},
			"properties":{"security-severity":"2.0"}}`, finding.SeverityLow},
		{"kind pass", `{"ruleId":"S","kind":"pass","level":"none","message":{"text":"m"}}`,
			finding.SeverityInfo},
		{"own severity", `{"ruleId":"S","message":{"text":"m"},
			"properties":{"secgate/severity":"medium"}}`, finding.SeverityMedium},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := readString(t, oneRun(rules, tc.result))[0].Findings[0]
			if f.Severity != tc.want {
				t.Errorf("severity: got %v, want %v", f.Severity, tc.want)
			}
		})
	}
}

// Known failure 3: only a complete fix with a single replacement is kept.
func TestReadFixes(t *testing.T) {
	run := readTestdata(t, "kf3-fixes.sarif")
	want := map[string]string{
		"no-print":      "log.info(x)",
		"empty-changes": "",
		"two-edits":     "",
		"deletion":      "",
		"other-file":    "",
		"other-line":    "",
		"null-changes":  "",
	}
	if len(run.Findings) != len(want) {
		t.Fatalf("findings: got %d, want %d", len(run.Findings), len(want))
	}
	for _, f := range run.Findings {
		t.Run(f.Rule.ID, func(t *testing.T) {
			if f.Fix != want[f.Rule.ID] {
				t.Errorf("fix: got %q, want %q", f.Fix, want[f.Rule.ID])
			}
		})
	}
}

// Known failure 4: bad or disagreeing ruleIndex values.
func TestReadRuleIndex(t *testing.T) {
	run := readTestdata(t, "kf4-rule-index.sarif")
	tests := []struct {
		name string
		id   string
		desc string
		sev  finding.Severity
	}{
		{"index names another rule", "G304", "file inclusion", finding.SeverityMedium},
		{"negative index, unknown id", "G999", "", finding.SeverityMedium},
		{"index out of range", "G302", "file permissions", finding.SeverityMedium},
		{"index only", "G304", "file inclusion", finding.SeverityMedium},
		{"extension by reference", "X1", "from an extension", finding.SeverityCritical},
		{"extension by id", "X1", "from an extension", finding.SeverityCritical},
		{"hierarchical id", "G302/sub", "file permissions", finding.SeverityMedium},
		{"index as a string", "G304", "file inclusion", finding.SeverityMedium},
		{"nothing usable", unknownRuleID, "", finding.SeverityMedium},
	}
	if len(run.Findings) != len(tests) {
		t.Fatalf("findings: got %d, want %d", len(run.Findings), len(tests))
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run.Findings[i].Rule
			if r.ID != tc.id || r.Description != tc.desc || run.Findings[i].Severity != tc.sev {
				t.Errorf("got %q %q %v, want %q %q %v", r.ID, r.Description,
					run.Findings[i].Severity, tc.id, tc.desc, tc.sev)
			}
		})
	}
	wantWarnings := []string{"result 0:", "result 1:", "result 2:", "result 8:"}
	if len(run.Warnings) != len(wantWarnings) {
		t.Fatalf("warnings: got %q, want %d", run.Warnings, len(wantWarnings))
	}
	for i, w := range wantWarnings {
		if !strings.HasPrefix(run.Warnings[i], w) {
			t.Errorf("warning %d: got %q, want prefix %q", i, run.Warnings[i], w)
		}
	}
}

// Known failure 5: URIs in raw and encoded forms, file URIs and base ids.
func TestReadURIs(t *testing.T) {
	run := readTestdata(t, "kf5-uris.sarif")
	want := map[string]string{
		"raw space":          "src/Access Tokens/main.tf",
		"drive as host":      "C:/work/app/Program.cs",
		"hash":               "docs/a#b.md",
		"bad escape":         "reports/100% done.yaml",
		"backslashes":        "src/win/Path.cs",
		"encoded space":      "src/Access Tokens/main.tf",
		"literal percent-20": "a%20b.txt",
		"drive path":         "C:/work/app/Program.cs",
		"file uri escape":    "/home/ci/repo/x y.go",
		"srcroot":            "main.go",
		"relative chain":     "src/a.go",
		"two-level chain":    "tests/unit/t_test.go",
		"artifact index":     "src/by/index.go",
		"undefined base":     "b.go",
		"unc":                "//server/share/c.go",
		"non-ascii":          "café/€.txt",
		"bare drive":         "C:/src/foo.txt",
	}
	if len(run.Findings) != len(want) {
		t.Fatalf("findings: got %d, want %d", len(run.Findings), len(want))
	}
	for _, f := range run.Findings {
		t.Run(f.Message, func(t *testing.T) {
			if f.Location.Path != want[f.Message] {
				t.Errorf("path: got %q, want %q", f.Location.Path, want[f.Message])
			}
		})
	}
	if run.BaseDir != "/home/ci/repo" {
		t.Errorf("base dir: got %q, want /home/ci/repo", run.BaseDir)
	}
}

func TestReadCWEForms(t *testing.T) {
	tests := []struct {
		name  string
		props string
		want  []string
	}{
		{"plain", `{"tags":["CWE-89"]}`, []string{"CWE-89"}},
		{"lowercase padded", `{"tags":["cwe-089"]}`, []string{"CWE-89"}},
		{"codeql path", `{"tags":["security","external/cwe/cwe-089"]}`, []string{"CWE-89"}},
		{"with title", `{"tags":["CWE-79: Improper Neutralization of Input"]}`, []string{"CWE-79"}},
		{"property list", `{"cwe":["CWE-319","CWE-79"]}`, []string{"CWE-319", "CWE-79"}},
		{"property number", `{"cwe":22}`, []string{"CWE-22"}},
		{"duplicates", `{"tags":["CWE-22","external/cwe/cwe-022"]}`, []string{"CWE-22"}},
		{"not a cwe", `{"tags":["OWASP-A05:2021","cwes-are-great"]}`, nil},
		{"tags not a list", `{"tags":"CWE-78"}`, []string{"CWE-78"}},
		{"properties not an object", `"CWE-1"`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rules := `{"id":"R","properties":` + tc.props + `}`
			f := readString(t, oneRun(rules, `{"ruleId":"R","message":{"text":"m"}}`))[0].Findings[0]
			if !slices.Equal(f.Rule.CWE, tc.want) {
				t.Errorf("cwe: got %v, want %v", f.Rule.CWE, tc.want)
			}
		})
	}

	rel := `{"id":"R","relationships":[{"target":{"id":"703","toolComponent":{"name":"CWE"}}},
		{"target":{"id":"A1","toolComponent":{"name":"OWASP"}}}]}`
	f := readString(t, oneRun(rel, `{"ruleId":"R","message":{"text":"m"}}`))[0].Findings[0]
	if !slices.Equal(f.Rule.CWE, []string{"CWE-703"}) {
		t.Errorf("relationship cwe: got %v, want [CWE-703]", f.Rule.CWE)
	}
}

func TestReadSuppressions(t *testing.T) {
	tests := []struct {
		name string
		sups string
		want []finding.Suppression
	}{
		{"no status", `[{"kind":"inSource"}]`, []finding.Suppression{{Kind: "inSource"}}},
		{"accepted", `[{"kind":"external","status":"accepted","justification":"ok"}]`,
			[]finding.Suppression{{Kind: "external", Justification: "ok"}}},
		{"under review", `[{"kind":"external","status":"underReview"}]`, nil},
		{"rejected", `[{"kind":"inSource","status":"rejected"}]`, nil},
		{"mixed", `[{"kind":"inSource","status":"rejected"},{"kind":"external","status":"Accepted"}]`,
			[]finding.Suppression{{Kind: "external"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := `{"ruleId":"R","message":{"text":"m"},"suppressions":` + tc.sups + `}`
			got := readString(t, oneRun("", res))[0].Findings[0].Suppressions
			if !slices.Equal(got, tc.want) {
				t.Errorf("suppressions: got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadMessagesAndSnippets(t *testing.T) {
	rules := `{"id":"R","shortDescription":{"text":"Rule text"},
		"messageStrings":{"default":{"text":"{0} flows into {1}"}}}`
	tests := []struct {
		name    string
		result  string
		msg     string
		snippet string
	}{
		{"text", `{"ruleId":"R","message":{"text":"hello"}}`, "hello", ""},
		{"markdown only", `{"ruleId":"R","message":{"markdown":"**hi**"}}`, "**hi**", ""},
		{"message string", `{"ruleId":"R","message":{"id":"default","arguments":["input","sink"]}}`,
			"input flows into sink", ""},
		{"empty falls back to rule", `{"ruleId":"R","message":{}}`, "Rule text", ""},
		{"snippet folded", `{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{
			"artifactLocation":{"uri":"a.py"},"region":{"startLine":1,
			"snippet":{"text":"  x =\n\t  y  "}}}}]}`, "m", "x = y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := readString(t, oneRun(rules, tc.result))[0].Findings[0]
			if f.Message != tc.msg || f.Snippet != tc.snippet {
				t.Errorf("got %q %q, want %q %q", f.Message, f.Snippet, tc.msg, tc.snippet)
			}
		})
	}
}

func TestReadRunFacts(t *testing.T) {
	doc := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep OSS",
		"semanticVersion":"1.2.3","informationUri":"https://semgrep.dev"}},
		"invocations":[{"executionSuccessful":true,"toolExecutionNotifications":[
			{"level":"error","message":{"text":"boom"}},{"level":"warning","message":{"text":"meh"}}]},
			{"executionSuccessful":false}],
		"results":[]}]}`
	run := readString(t, doc)[0]
	tests := []struct {
		name      string
		got, want any
	}{
		{"name lowercased", run.Tool.Name, "semgrep oss"},
		{"display name", run.Tool.DisplayName, "Semgrep OSS"},
		{"semantic version", run.Tool.Version, "1.2.3"},
		{"information uri", run.Tool.InformationURI, "https://semgrep.dev"},
		{"one failed invocation fails the run", run.Successful, false},
		{"error notifications only", strings.Join(run.Errors, "|"), "boom"},
		{"no findings is not nil", run.Findings != nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestReadLenientLeaves(t *testing.T) {
	// Odd types in leaves must not sink the file.
	doc := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"odd","version":2,
		"rules":[{"id":"R","name":{"text":"x"},"properties":[1,2]}]}},
		"results":[{"ruleId":"R","level":7,"message":{"text":"m"},"properties":"x",
		"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},
		"region":{"startLine":"12","startColumn":3.0,"endLine":"x"}}}]}]}]}`
	run := readString(t, doc)[0]
	f := run.Findings[0]
	if run.Tool.Version != "2" || f.Location.StartLine != 12 || f.Location.StartColumn != 3 ||
		f.Location.EndLine != 12 || f.Rule.Name != "" {
		t.Errorf("got version %q location %+v name %q", run.Tool.Version, f.Location, f.Rule.Name)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		line     int
		column   int
		contains string
	}{
		{"empty", "", 0, 0, "empty input"},
		{"white space only", " \n\t ", 0, 0, "empty input"},
		{"malformed", "{\"version\":\"2.1.0\",\n \"runs\": [}\n", 2, 11, "malformed JSON"},
		{"truncated", "{\"version\":\"2.1.0\",\"runs\":[", 1, 27, "malformed JSON"},
		{"not UTF-8", "{\"version\":\"2.1.0\",\n\"runs\":[\"\xff\"]}", 2, 10, "invalid UTF-8"},
		{"UTF-16", "\xff\xfe{\x00}\x00", 0, 0, "UTF-16"},
		{"UTF-32", "\xff\xfe\x00\x00{\x00\x00\x00", 0, 0, "UTF-32"},
		{"runs twice, in another case", "{\"version\":\"2.1.0\",\"runs\":[],\n\"Runs\":[]}", 2, 7,
			`"runs" appears twice`},
		{"version twice", `{"version":"2.1.0","version":"2.1.0","runs":[]}`, 1, 29,
			`"version" appears twice`},
		{"old version", `{"version":"2.0.0","runs":[]}`, 0, 0, `SARIF version "2.0.0"`},
		{"version as number", `{"version":2.1,"runs":[]}`, 0, 0, "SARIF version 2.1 is not supported"},
		{"no version", `{"runs":[]}`, 0, 0, `no "version"`},
		{"other JSON", `{"version":"1.69.0","results":[]}`, 0, 0, `no "runs" (version "1.69.0")`},
		{"unrelated object", `{"a":1}`, 0, 0, `no "version" and no "runs"`},
		{"top-level array", `[{"version":"2.1.0"}]`, 0, 0, "the document is an array"},
		{"runs null", `{"version":"2.1.0","runs":null}`, 0, 0, "could not run"},
		{"runs object", `{"version":"2.1.0","runs":{}}`, 0, 0, `"runs" is an object`},
		{"results wrong type", "{\"version\":\"2.1.0\",\"runs\":[\n{\"results\":\"no\\\"ne\"}]}", 2, 12,
			"runs[0].results is a JSON string, expected an array"},
		{"tool wrong type", "{\"version\":\"2.1.0\",\"runs\":[\n{\"tool\":[1]}]}", 2, 9,
			"runs[0].tool is a JSON array, expected an object"},
		{"rules wrong type", "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"rules\":42}}}]}",
			1, 55, "runs[0].tool.driver.rules is a JSON number, expected an array"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.input), "in.sarif")
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.contains)
			}
			if !strings.Contains(err.Error(), tc.contains) || !strings.HasPrefix(err.Error(), "in.sarif:") {
				t.Errorf("error %q: want it to start with the source and contain %q", err, tc.contains)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Line != tc.line || e.Column != tc.column {
				t.Errorf("position: got %d:%d, want %d:%d", e.Line, e.Column, tc.line, tc.column)
			}
		})
	}
}

func TestReadSizeLimit(t *testing.T) {
	doc := `{"version":"2.1.0","runs":[]}`
	tests := []struct {
		name    string
		max     int64
		wantErr bool
	}{
		{"within", int64(len(doc)), false},
		{"one byte over", int64(len(doc)) - 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Reader{MaxSize: tc.max}.Read(strings.NewReader(doc), "big.sarif")
			if (err != nil) != tc.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "larger than the limit") {
				t.Errorf("error %q does not say what the limit is", err)
			}
		})
	}
	if MaxSize != 1<<30 {
		t.Errorf("MaxSize: got %d, want 1 GiB", MaxSize)
	}
}

func TestReadEmptyRuns(t *testing.T) {
	runs := readString(t, "\xef\xbb\xbf"+`{"version":"2.1.0","runs":[]}`)
	if len(runs) != 0 {
		t.Errorf("runs: got %d, want 0", len(runs))
	}
}

func TestReadMemberNamesInAnyCase(t *testing.T) {
	// Tools are not always careful with case; the names still match.
	doc := `{"version":"2.1.0","runs":[{"Tool":{"Driver":{"Name":"odd"}},
		"Results":[{"RuleID":"R","Message":{"Text":"m"}}]}]}`
	run := readString(t, doc)[0]
	if run.Tool.Name != "odd" || len(run.Findings) != 1 || run.Findings[0].Rule.ID != "R" ||
		run.Findings[0].Message != "m" {
		t.Errorf("got tool %q findings %+v", run.Tool.Name, run.Findings)
	}
}

func TestReadMembersTwice(t *testing.T) {
	// A member named twice inside a result: the last wins, as encoding/json
	// has it. The members the reader walks itself may appear once only.
	run := readString(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
		"results":[{"ruleId":"A","ruleId":"B","message":{"text":"m"}}]}]}`)[0]
	if run.Findings[0].Rule.ID != "B" {
		t.Errorf("rule: got %q, want B", run.Findings[0].Rule.ID)
	}

	for _, doc := range []string{
		`{"version":"2.1.0","runs":[],"runs":[]}`,
		`{"version":"2.1.0","runs":[],"RUNS":[{"tool":{"driver":{"name":"t"}},"results":[{}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[],"results":[]}]}`,
	} {
		if _, err := Read(strings.NewReader(doc), "in.sarif"); err == nil ||
			!strings.Contains(err.Error(), "two") && !strings.Contains(err.Error(), "twice") {
			t.Errorf("%s: got error %v, want one about a member given twice", doc, err)
		}
	}
}
