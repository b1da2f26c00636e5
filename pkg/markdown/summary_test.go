package markdown

import (
	"fmt"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
)

// manyFindings makes n blocking findings with long messages, as a noisy
// scanner on a big change produces (known failure 18).
func manyFindings(n int, msg string) *report.Data {
	dec := &policy.Decision{Status: policy.StatusBlocked, Counts: map[finding.Severity]int{}}
	for i := 0; i < n; i++ {
		f := finding.Finding{Tool: "semgrep", Severity: finding.SeverityHigh,
			Rule:        finding.Rule{ID: fmt.Sprintf("rules.long.rule.id.number.%d", i)},
			Message:     msg,
			Fingerprint: fmt.Sprintf("%032x", i),
			Location:    finding.Location{Path: fmt.Sprintf("src/module%d/file.py", i), StartLine: i + 1}}
		dec.Findings = append(dec.Findings, policy.Evaluated{Finding: f, Outcome: policy.OutcomeFail})
		dec.Counts[f.Severity]++
		dec.Blocking++
	}
	return &report.Data{Key: "secgate", Version: "test", Decision: dec}
}

func TestSummaryStaysUnderTheLimit(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		msg   string
		limit int
		cut   bool
	}{
		{"few findings fit", 5, "short message", 0, false},
		{"400 long findings", 400, strings.Repeat("a long rule description ", 20), 0, true},
		{"astral characters count twice", 400, strings.Repeat("🔥 fire ", 60), 0, true},
		{"check run limit", 400, strings.Repeat("x", 300), 65535, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summary{Marker: "<!-- secgate:summary key=secgate -->", Limit: tt.limit,
				FileURL: func(p string, l int) string {
					return fmt.Sprintf("https://github.com/o/r/blob/%s/%s#L%d",
						strings.Repeat("1", 40), p, l)
				}}
			out := s.String(manyFindings(tt.n, tt.msg))
			limit := tt.limit
			if limit == 0 {
				limit = MaxBody
			}
			if n := Len(out); n > limit {
				t.Errorf("summary is %d characters, over %d", n, limit)
			}
			if !strings.HasPrefix(out, s.Marker+"\n") {
				t.Errorf("summary does not start with the marker")
			}
			if got := strings.Contains(out, "more findings not listed here"); got != tt.cut {
				t.Errorf("cut line present: %v, want %v", got, tt.cut)
			}
			if !strings.Contains(out, "<sub>secgate test</sub>") {
				t.Errorf("the footer was lost")
			}
		})
	}
}

func TestSummaryVerdictsAndSections(t *testing.T) {
	tests := []struct {
		status policy.Status
		want   string
	}{
		{policy.StatusPassed, "✅ passed"},
		{policy.StatusBlocked, "❌ blocked"},
		{policy.StatusError, "⚠️ could not decide"},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			d := manyFindings(2, "m")
			d.Decision.Status = tt.status
			d.Decision.Reasons = []string{"required scanner semgrep failed",
				"semgrep:x high at a.py:1", "3 medium findings exceed the budget of 1 (max.medium)"}
			d.Decision.Warnings = []string{"suppression at secgate.yaml:9 expired on 2026-01-01"}
			s := Summary{Problems: []string{"check run: refused"},
				Folded: []string{"Not commented inline: 2 outside the diff."},
				New:    func(e policy.Evaluated) bool { return e.Finding.Location.StartLine == 1 }}
			out := s.String(d)
			for _, want := range []string{tt.want, "required scanner semgrep failed",
				"(max.medium)", "expired on 2026", "check run: refused", "outside the diff",
				"1 new in this change", "| new |", "| existing |"} {
				if !strings.Contains(out, want) {
					t.Errorf("summary lacks %q", want)
				}
			}
			if strings.Contains(out, "semgrep:x high at a.py:1") {
				t.Errorf("a per-finding reason is repeated outside the findings table")
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("é", 70000)
	got := Truncate(long, MaxBody)
	if Len(got) > MaxBody || !strings.Contains(got, "truncated") {
		t.Errorf("Truncate: %d characters, marker present %v", Len(got),
			strings.Contains(got, "truncated"))
	}
	if Truncate("short", MaxBody) != "short" {
		t.Errorf("a short body was changed")
	}
}
