package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

func TestSuppressionWarnings(t *testing.T) {
	// One suppression per case, on line 3, expiring at the end of 2026-03-31.
	one := func(match, extra string) string {
		return "warn_before: 14d\n" + extra + "suppressions:\n  - " + match +
			"\n    reason: accepted\n    owner: alice\n    expires: 2026-03-31\n"
	}
	sqli := withFingerprint(fnd("semgrep", "sqli", high, "app/db.py", 12), "fp1")
	const name = "suppression at secgate.yaml:3 (fingerprint fp1, owner alice)"

	tests := []struct {
		name     string
		yaml     string
		findings []finding.Finding
		now      string
		want     []string
	}{
		{
			name: "a live suppression far from expiry gives no warning",
			yaml: one("fingerprint: fp1", ""), findings: []finding.Finding{sqli},
			now: "2026-03-01 00:00:00", want: nil,
		},
		{
			name: "just outside warn_before", yaml: one("fingerprint: fp1", ""),
			findings: []finding.Finding{sqli}, now: "2026-03-17 23:59:59", want: nil,
		},
		{
			name: "exactly warn_before before the end", yaml: one("fingerprint: fp1", ""),
			findings: []finding.Finding{sqli}, now: "2026-03-18 00:00:00",
			want: []string{name + " expires on 2026-03-31 (in 13 days)"},
		},
		{
			name: "one day left", yaml: one("fingerprint: fp1", ""),
			findings: []finding.Finding{sqli}, now: "2026-03-30 08:00:00",
			want: []string{name + " expires on 2026-03-31 (in 1 day)"},
		},
		{
			name: "last day", yaml: one("fingerprint: fp1", ""),
			findings: []finding.Finding{sqli}, now: "2026-03-31 23:59:59",
			want: []string{name + " expires on 2026-03-31 (today)"},
		},
		{
			name: "warn_before 0 gives no expiring warning", yaml: strings.Replace(
				one("fingerprint: fp1", ""), "14d", "0d", 1),
			findings: []finding.Finding{sqli}, now: "2026-03-31 12:00:00", want: nil,
		},
		{
			name: "expired and matching findings", yaml: one("fingerprint: fp1", ""),
			findings: []finding.Finding{sqli, sqli}, now: "2026-04-01 00:00:00",
			want: []string{name + " expired on 2026-03-31 and no longer hides 2 findings; " +
				"renew or remove it"},
		},
		{
			name: "expired and matching nothing", yaml: one("fingerprint: fp1", ""),
			findings: nil, now: "2026-05-01 00:00:00",
			want: []string{name + " expired on 2026-03-31; remove it"},
		},
		{
			name: "unused", yaml: one("fingerprint: fp1", ""),
			findings: []finding.Finding{withFingerprint(sqli, "fp2")}, now: "2026-03-01 00:00:00",
			want: []string{name + " is unused: it matches no finding; remove it or correct it"},
		},
		{
			name: "unused and expiring", yaml: one("fingerprint: fp1", ""),
			findings: nil, now: "2026-03-25 00:00:00",
			want: []string{
				name + " is unused: it matches no finding; remove it or correct it",
				name + " expires on 2026-03-31 (in 6 days)",
			},
		},
		{
			name:     "matches only ignored findings",
			yaml:     one("fingerprint: fp1", "paths: {exclude: [app/**]}\n"),
			findings: []finding.Finding{sqli}, now: "2026-03-01 00:00:00",
			want: []string{"suppression at secgate.yaml:4 (fingerprint fp1, owner alice) is unused: " +
				"it matches only findings that are ignored anyway"},
		},
		{
			name: "a second suppression of the same finding is not unused",
			yaml: one("fingerprint: fp1", "") +
				"  - rule: 'semgrep:sqli'\n    reason: r\n    owner: bob\n    expires: 2027-01-01\n",
			findings: []finding.Finding{sqli}, now: "2026-03-01 00:00:00", want: nil,
		},
		{
			name: "an expired suppression behind a live one hides nothing it used to",
			yaml: one("rule: 'semgrep:*'", "") +
				"  - fingerprint: fp1\n    reason: r\n    owner: bob\n    expires: 2027-01-01\n",
			findings: []finding.Finding{sqli}, now: "2026-04-02 00:00:00",
			want: []string{"suppression at secgate.yaml:3 (rule semgrep:*, owner alice) expired on " +
				"2026-03-31; remove it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(parse(t, tt.yaml), tt.findings, nil, Options{Now: clock(t, tt.now)})
			if !slices.Equal(d.Warnings, tt.want) {
				t.Errorf("warnings:\ngot  %q\nwant %q", d.Warnings, tt.want)
			}
		})
	}
}

// An expired suppression must not change the decision: the finding it used
// to hide blocks again, and the next day of a live one still passes.
func TestSuppressionExpiryDecides(t *testing.T) {
	yaml := "suppressions: [{rule: 'semgrep:sqli', reason: r, owner: o, expires: 2026-02-28}]"
	findings := []finding.Finding{fnd("semgrep", "sqli", high, "app/db.py", 12)}
	tests := []struct {
		now  string
		want Status
	}{
		{"2026-02-27 23:59:59", StatusPassed},
		{"2026-02-28 00:00:00", StatusPassed},
		{"2026-02-28 23:59:59", StatusPassed},
		{"2026-03-01 00:00:00", StatusBlocked},
		{"2027-01-01 00:00:00", StatusBlocked},
	}
	for _, tt := range tests {
		t.Run(tt.now, func(t *testing.T) {
			d := Evaluate(parse(t, yaml), findings, nil, Options{Now: clock(t, tt.now)})
			if d.Status != tt.want {
				t.Errorf("status: got %s, want %s (reasons %q)", d.Status, tt.want, d.Reasons)
			}
		})
	}
}
