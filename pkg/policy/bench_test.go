package policy

import (
	"fmt"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// benchFindings makes n findings over 50 rules of 5 tools and 500 files.
func benchFindings(n int) []finding.Finding {
	fs := make([]finding.Finding, n)
	for i := range fs {
		fs[i] = finding.Finding{
			Tool:     fmt.Sprintf("tool%d", i%5),
			Rule:     finding.Rule{ID: fmt.Sprintf("rule.%d", i%50)},
			Severity: finding.Severity(i % 5),
			Message:  "m",
			Location: finding.Location{Path: fmt.Sprintf("src/m%d/f%d.go", i%50, i%500),
				StartLine: i%300 + 1},
			Fingerprint: fmt.Sprintf("%032x", i),
		}
	}
	return fs
}

// benchConfig has n exact per-rule actions (the common case), four wildcard
// rules, path excludes and n/10 suppressions.
func benchConfig(n int) *config.Config {
	cfg := config.Default()
	for i := range n {
		cfg.Rules = append(cfg.Rules, config.RuleAction{
			Match: fmt.Sprintf("tool%d:rule.%d", i%5, i), Action: config.ActionWarn})
	}
	for _, m := range []string{"*sql*", "semgrep:*.xss", "tool1:rule.4*", "gitleaks:*"} {
		cfg.Rules = append(cfg.Rules, config.RuleAction{Match: m, Action: config.ActionFail})
	}
	cfg.Paths.Exclude = []string{"vendor/**", "**/testdata/**", "src/m7/**"}
	for i := range n / 10 {
		cfg.Suppressions = append(cfg.Suppressions, config.Suppression{
			Rule: fmt.Sprintf("tool%d:rule.%d", i%5, i), Path: "src/m3/**", Reason: "r",
			Owner: "o", Expires: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	return cfg
}

// BenchmarkEvaluate shows that the cost per finding does not grow with the
// number of rules: exact rules are looked up by id, globs compiled once.
func BenchmarkEvaluate(b *testing.B) {
	findings := benchFindings(10000)
	for _, rules := range []int{10, 100, 2000} {
		b.Run(fmt.Sprintf("rules=%d", rules), func(b *testing.B) {
			cfg := benchConfig(rules)
			b.ReportAllocs()
			for b.Loop() {
				d := Evaluate(cfg, findings, nil, Options{})
				if len(d.Findings) != len(findings) {
					b.Fatal("findings lost")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(findings)),
				"ns/finding")
		})
	}
}
