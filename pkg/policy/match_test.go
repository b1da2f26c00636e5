package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
)

func TestRuleMatcher(t *testing.T) {
	tests := []struct {
		pattern, tool, rule string
		want                bool
	}{
		{"semgrep:*", "semgrep", "anything.at/all", true},
		{"semgrep:*", "codeql", "x", false},
		{"*", "codeql", "js/xss", true},
		{"**", "semgrep", "a/b.c", true},
		{"semgrep:*.sql-injection*", "semgrep", "python.django.security.sql-injection-db", true},
		{"semgrep:*.sql-injection*", "semgrep", "sql-injection", false},
		{"G10?", "gosec", "G104", true},
		{"G10?", "gosec", "G1044", false},
		{"[!a]bc", "t", "xbc", true},
		{"[!a]bc", "t", "abc", false},
		{"x[.-]y", "t", "x-y", true},
		{"x[.-]y", "t", "x_y", false},
		{"{py,js}.*", "t", "js.xss", true},
		{"{py,js}.*", "t", "go.xss", false},
		{`a\*b`, "t", "a*b", true},
		{`a\*b`, "t", "axb", false},
		{"été*", "t", "été-rule", true},
		{"a.b", "t", "aXb", false}, // '.' is literal, not "any character"
		{"semgrep:sqli", "semgrep", "sqli", true},
		{"semgrep:sqli", "semgrep", "sqli2", false},
		{"sqli", "semgrep", "sqli", true},
		{"*:sqli", "anytool", "sqli", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s vs %s:%s", tt.pattern, tt.tool, tt.rule), func(t *testing.T) {
			m, err := newRuleMatcher(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.match(tt.tool, tt.rule); got != tt.want {
				t.Errorf("got %v, want %v (regexp %s)", got, tt.want, globToRegexp(tt.pattern))
			}
		})
	}
}

// Rules without wildcards are found through the index, so a finding is only
// tried against its own exact rules and the wildcard ones, however many
// exact rules the config holds.
func TestRuleIndexCandidates(t *testing.T) {
	var b strings.Builder
	b.WriteString("rules:\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "  - {match: 'semgrep:rule-%d', action: warn}\n", i)
	}
	b.WriteString("  - {match: 'rule-7', action: fail}\n")
	b.WriteString("  - {match: 'semgrep:*', action: ignore}\n")
	b.WriteString("  - {match: 'codeql:rule-7', action: fail}\n")
	cfg := parse(t, b.String())
	c := compile(cfg)

	tests := []struct {
		tool, rule string
		want       []int
	}{
		{"semgrep", "rule-7", []int{7, 1000, 1001}},
		{"codeql", "rule-7", []int{1000, 1001, 1002}},
		{"gosec", "G104", []int{1001}},
	}
	for _, tt := range tests {
		t.Run(tt.tool+":"+tt.rule, func(t *testing.T) {
			f := fnd(tt.tool, tt.rule, high, "a.go", 1)
			if got := c.rules.candidates(&f); !slices.Equal(got, tt.want) {
				t.Errorf("candidates: got %v, want %v", got, tt.want)
			}
		})
	}
}

// Suppressions by fingerprint and by exact rule are looked up the same way;
// only wildcard and path-only suppressions are tried for every finding.
func TestSuppressionIndexCandidates(t *testing.T) {
	cfg := config.Default()
	for i := range 500 {
		cfg.Suppressions = append(cfg.Suppressions, config.Suppression{
			Fingerprint: fmt.Sprintf("fp%d", i), Reason: "r", Owner: "o",
		})
	}
	cfg.Suppressions = append(cfg.Suppressions,
		config.Suppression{Rule: "semgrep:x", Reason: "r"},  // 500
		config.Suppression{Rule: "semgrep:y", Reason: "r"},  // 501
		config.Suppression{Rule: "y", Reason: "r"},          // 502
		config.Suppression{Rule: "semgrep:y*", Reason: "r"}, // 503
		config.Suppression{Path: "a.go", Reason: "r"},       // 504
	)
	c := compile(cfg)

	f := withFingerprint(fnd("semgrep", "y", high, "a.go", 1), "fp42")
	got := c.supps.candidates(&f)
	if want := []int{42, 501, 502, 503, 504}; !slices.Equal(got, want) {
		t.Errorf("candidates: got %v, want %v", got, want)
	}
	matched := c.supps.matching(&f)
	if len(matched) != 5 || matched[0].s.Fingerprint != "fp42" {
		t.Errorf("matching: got %d suppressions, want fp42 and the four others", len(matched))
	}
}
