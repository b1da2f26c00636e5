package policy

import (
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// parse loads a config from YAML text through the real loader, named
// secgate.yaml so that reasons quote that name.
func parse(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), "secgate.yaml")
	if err != nil {
		t.Fatalf("config:\n%v", err)
	}
	return cfg
}

// fnd builds a finding; path "" means a finding without a file.
func fnd(tool, rule string, sev finding.Severity, path string, line int) finding.Finding {
	return finding.Finding{
		Tool:     tool,
		Rule:     finding.Rule{ID: rule},
		Severity: sev,
		Message:  rule,
		Location: finding.Location{Path: path, StartLine: line},
	}
}

// clock returns a Now func fixed at a UTC time written "2006-01-02 15:04:05".
func clock(t *testing.T, s string) func() time.Time {
	t.Helper()
	at, err := time.Parse(time.DateTime, s)
	if err != nil {
		t.Fatal(err)
	}
	return func() time.Time { return at }
}

const (
	high   = finding.SeverityHigh
	medium = finding.SeverityMedium
	low    = finding.SeverityLow
	info   = finding.SeverityInfo
	crit   = finding.SeverityCritical
)

func withFingerprint(f finding.Finding, fp string) finding.Finding {
	f.Fingerprint = fp
	return f
}

func withToolSuppression(f finding.Finding, kind, why string) finding.Finding {
	f.Suppressions = []finding.Suppression{{Kind: kind, Justification: why}}
	return f
}

// TestEvaluateOutcome checks the outcome and reason of a single finding under
// each part of the policy, and the precedence between the parts.
func TestEvaluateOutcome(t *testing.T) {
	const supp = `
suppressions:
  - fingerprint: fp1
    reason: input is validated upstream
    owner: alice
    expires: 2026-03-31
`
	const suppressedByAlice = "suppressed by secgate.yaml:3 (owner alice, until 2026-03-31): " +
		"input is validated upstream"
	tests := []struct {
		name     string
		yaml     string
		finding  finding.Finding
		now      string
		want     Outcome
		reason   string
		suppLine int // line of the Suppression set on the result; 0 for none
	}{
		{
			name: "high fails at the default threshold", yaml: "key: g",
			finding: fnd("semgrep", "sqli", high, "app/db.py", 12),
			want:    OutcomeFail, reason: "high is at or above fail_on (high)",
		},
		{
			name: "medium warns at the default threshold", yaml: "key: g",
			finding: fnd("semgrep", "md5", medium, "app/db.py", 3),
			want:    OutcomeWarn, reason: "medium is below fail_on (high)",
		},
		{
			name: "fail_on lowers the threshold", yaml: "fail_on: medium",
			finding: fnd("semgrep", "md5", medium, "app/db.py", 3),
			want:    OutcomeFail, reason: "medium is at or above fail_on (medium)",
		},
		{
			name: "outside paths.include is ignored", yaml: "paths: {include: [src/**, lib/**]}",
			finding: fnd("semgrep", "sqli", crit, "docs/x.py", 1),
			want:    OutcomeIgnore, reason: "outside the paths in paths.include (src/**, lib/**)",
		},
		{
			name: "finding without a file is always in scope", yaml: "paths: {include: [src/**]}",
			finding: fnd("zap", "10038", high, "", 0),
			want:    OutcomeFail, reason: "high is at or above fail_on (high)",
		},
		{
			name:    "paths.exclude ignores and names the pattern",
			yaml:    "paths: {exclude: [vendor/**, '**/testdata/**']}",
			finding: fnd("semgrep", "sqli", high, "pkg/a/testdata/x.go", 1),
			want:    OutcomeIgnore, reason: `excluded by paths.exclude "**/testdata/**"`,
		},
		{
			name:    "exclude beats a rule that says fail",
			yaml:    "paths: {exclude: [vendor/**]}\nrules: [{match: 'semgrep:*', action: fail}]",
			finding: fnd("semgrep", "sqli", low, "vendor/lib.go", 1),
			want:    OutcomeIgnore, reason: `excluded by paths.exclude "vendor/**"`,
		},
		{
			name:    "exact tool:rule ignores a high finding",
			yaml:    "rules:\n  - match: semgrep:sqli\n    action: ignore",
			finding: fnd("semgrep", "sqli", high, "app/db.py", 1),
			want:    OutcomeIgnore, reason: `rule "semgrep:sqli" at secgate.yaml:2 says ignore`,
		},
		{
			name:    "tool:rule does not match another tool",
			yaml:    "rules: [{match: 'semgrep:sqli', action: ignore}]",
			finding: fnd("codeql", "sqli", high, "app/db.py", 1),
			want:    OutcomeFail, reason: "high is at or above fail_on (high)",
		},
		{
			name:    "a pattern without a colon matches any tool",
			yaml:    "rules: [{match: G104, action: ignore}]",
			finding: fnd("gosec", "G104", high, "main.go", 1),
			want:    OutcomeIgnore, reason: `rule "G104" at secgate.yaml:1 says ignore`,
		},
		{
			name:    "star crosses dots",
			yaml:    "rules: [{match: 'semgrep:*sql*', action: warn}]",
			finding: fnd("semgrep", "python.lang.security.audit.formatted-sql-query", crit, "a.py", 1),
			want:    OutcomeWarn, reason: `rule "semgrep:*sql*" at secgate.yaml:1 says warn`,
		},
		{
			name:    "star crosses slashes",
			yaml:    "rules: [{match: 'codeql:js/*', action: warn}]",
			finding: fnd("codeql", "js/sql-injection", crit, "a.js", 1),
			want:    OutcomeWarn, reason: `rule "codeql:js/*" at secgate.yaml:1 says warn`,
		},
		{
			name: "first matching rule wins",
			yaml: "rules:\n  - {match: 'semgrep:x*', action: warn}\n" +
				"  - {match: 'semgrep:x-y', action: fail}",
			finding: fnd("semgrep", "x-y", low, "a.py", 1),
			want:    OutcomeWarn, reason: `rule "semgrep:x*" at secgate.yaml:2 says warn`,
		},
		{
			name:    "an exact rule listed first wins over a later wildcard",
			yaml:    "rules:\n  - {match: 'x-y', action: fail}\n  - {match: '*', action: ignore}",
			finding: fnd("semgrep", "x-y", low, "a.py", 1),
			want:    OutcomeFail, reason: `rule "x-y" at secgate.yaml:2 says fail`,
		},
		{
			name:    "a rule with paths applies inside them",
			yaml:    "rules: [{match: 'gitleaks:*', action: fail, paths: [src/**]}]",
			finding: fnd("gitleaks", "aws-key", low, "src/conf.go", 4),
			want:    OutcomeFail, reason: `rule "gitleaks:*" at secgate.yaml:1 says fail`,
		},
		{
			name:    "a rule with paths does not apply elsewhere",
			yaml:    "rules: [{match: 'gitleaks:*', action: fail, paths: [src/**]}]",
			finding: fnd("gitleaks", "aws-key", low, "docs/README.md", 4),
			want:    OutcomeWarn, reason: "low is below fail_on (high)",
		},
		{
			name:    "a rule with paths does not apply to a finding without a file",
			yaml:    "rules: [{match: '*', action: ignore, paths: ['**']}]",
			finding: fnd("zap", "10038", high, "", 0),
			want:    OutcomeFail, reason: "high is at or above fail_on (high)",
		},
		{
			name:    "alternatives and classes in a rule pattern",
			yaml:    "rules: [{match: 'semgrep:{py,js}.rule[0-9]', action: ignore}]",
			finding: fnd("semgrep", "js.rule7", high, "a.js", 1),
			want:    OutcomeIgnore, reason: `rule "semgrep:{py,js}.rule[0-9]" at secgate.yaml:1 says ignore`,
		},
		{
			name: "a live suppression hides a failing finding", yaml: supp,
			finding: withFingerprint(fnd("semgrep", "sqli", high, "app/db.py", 1), "fp1"),
			now:     "2026-03-10 12:00:00", want: OutcomeSuppressed,
			reason:   suppressedByAlice,
			suppLine: 3,
		},
		{
			name: "a suppression hides a warning too", yaml: supp,
			finding: withFingerprint(fnd("semgrep", "md5", low, "app/db.py", 1), "fp1"),
			now:     "2026-03-10 12:00:00", want: OutcomeSuppressed,
			reason:   suppressedByAlice,
			suppLine: 3,
		},
		{
			name: "a suppression holds through the last second of its day", yaml: supp,
			finding: withFingerprint(fnd("semgrep", "sqli", high, "app/db.py", 1), "fp1"),
			now:     "2026-03-31 23:59:59", want: OutcomeSuppressed,
			reason:   suppressedByAlice,
			suppLine: 3,
		},
		{
			name: "an expired suppression no longer hides, and says so", yaml: supp,
			finding: withFingerprint(fnd("semgrep", "sqli", high, "app/db.py", 1), "fp1"),
			now:     "2026-04-01 00:00:00", want: OutcomeFail,
			reason: "high is at or above fail_on (high); " +
				"the suppression at secgate.yaml:3 expired on 2026-03-31",
			suppLine: 3,
		},
		{
			name: "a fingerprint must match exactly", yaml: supp,
			finding: withFingerprint(fnd("semgrep", "sqli", high, "app/db.py", 1), "fp10"),
			now:     "2026-03-10 12:00:00", want: OutcomeFail, reason: "high is at or above fail_on (high)",
		},
		{
			name: "every field of a suppression must match",
			yaml: `
suppressions:
  - fingerprint: fp1
    rule: "semgrep:other"
    reason: r
    owner: o
    expires: 2030-01-01`,
			finding: withFingerprint(fnd("semgrep", "sqli", high, "app/db.py", 1), "fp1"),
			now:     "2026-03-10 12:00:00", want: OutcomeFail, reason: "high is at or above fail_on (high)",
		},
		{
			name: "rule and path suppression",
			yaml: `
suppressions:
  - rule: "*sqli*"
    path: "app/**"
    reason: r
    owner: o
    expires: 2030-01-01`,
			finding: fnd("semgrep", "py.sqli", high, "app/db/x.py", 1),
			now:     "2026-03-10 12:00:00", want: OutcomeSuppressed,
			reason: "suppressed by secgate.yaml:3 (owner o, until 2030-01-01): r", suppLine: 3,
		},
		{
			name:    "a path suppression does not match a finding without a file",
			yaml:    "suppressions: [{path: '**', reason: r, owner: o, expires: 2030-01-01}]",
			finding: fnd("zap", "10038", high, "", 0),
			now:     "2026-03-10 12:00:00", want: OutcomeFail, reason: "high is at or above fail_on (high)",
		},
		{
			name: "a suppression leaves an ignored finding ignored",
			yaml: "paths: {exclude: [vendor/**]}\n" +
				"suppressions: [{path: '**', reason: r, owner: o, expires: 2030-01-01}]",
			finding: fnd("semgrep", "sqli", high, "vendor/x.go", 1),
			now:     "2026-03-10 12:00:00", want: OutcomeIgnore,
			reason: `excluded by paths.exclude "vendor/**"`,
		},
		{
			name: "a suppression applies after a rule", yaml: "rules: [{match: '*', action: fail}]\n" + supp,
			finding: withFingerprint(fnd("semgrep", "x", info, "a.py", 1), "fp1"),
			now:     "2026-03-10 12:00:00", want: OutcomeSuppressed,
			reason: "suppressed by secgate.yaml:4 (owner alice, until 2026-03-31): " +
				"input is validated upstream",
			suppLine: 4,
		},
		{
			name:    "an in-source suppression hides the finding when the config allows it",
			yaml:    "allow_inline_suppressions: true",
			finding: withToolSuppression(fnd("semgrep", "sqli", high, "a.py", 1), "inSource", "reviewed"),
			want:    OutcomeSuppressed, reason: "suppressed in the source (reported by semgrep): reviewed",
		},
		{
			name: "an in-source suppression is refused by default", yaml: "key: g",
			finding: withToolSuppression(fnd("semgrep", "sqli", high, "a.py", 1), "inSource", "reviewed"),
			want:    OutcomeFail,
			reason: "high is at or above fail_on (high); an in-source suppression was not " +
				"honoured (allow_inline_suppressions is false)",
		},
		{
			name: "a tool-side suppression without justification", yaml: "key: g",
			finding: withToolSuppression(fnd("codeql", "js/xss", high, "a.js", 1), "external", ""),
			want:    OutcomeSuppressed, reason: "suppressed by codeql",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{}
			if tt.now != "" {
				opts.Now = clock(t, tt.now)
			}
			d := Evaluate(parse(t, tt.yaml), []finding.Finding{tt.finding}, nil, opts)
			if len(d.Findings) != 1 {
				t.Fatalf("findings: got %d, want 1", len(d.Findings))
			}
			got := d.Findings[0]
			if got.Outcome != tt.want {
				t.Errorf("outcome: got %s, want %s", got.Outcome, tt.want)
			}
			if got.Reason != tt.reason {
				t.Errorf("reason:\ngot  %q\nwant %q", got.Reason, tt.reason)
			}
			gotLine := 0
			if got.Suppression != nil {
				gotLine = got.Suppression.Pos.Line
			}
			if gotLine != tt.suppLine {
				t.Errorf("suppression line: got %d, want %d", gotLine, tt.suppLine)
			}
		})
	}
}
