package report

import (
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/scanners"
)

// The findings of sampleData, one per outcome and of four severities.
var (
	// secretFinding is suppressed in the config.
	secretFinding = finding.Finding{
		Tool:     "gitleaks",
		Rule:     finding.Rule{ID: "aws-access-token", Security: true},
		Severity: finding.SeverityCritical,
		Message:  "AWS access key in source",
		Location: finding.Location{Path: "config/settings.py", StartLine: 3, StartColumn: 12},
		// Fingerprints are set by the normalizer; these stand in for them.
		Fingerprint: "fp-secret",
	}
	// sqliFinding fails the gate.
	sqliFinding = finding.Finding{
		Tool:  "semgrep",
		Tools: []string{"semgrep"},
		Rule: finding.Rule{ID: "python.lang.security.audit.formatted-sql-query",
			CWE: []string{"CWE-89"}, Security: true},
		Severity:     finding.SeverityHigh,
		ToolSeverity: "ERROR",
		Message:      "SQL query built with string formatting",
		Location: finding.Location{Path: "src/db.py", StartLine: 12, StartColumn: 5,
			EndLine: 12, EndColumn: 40},
		Fingerprint: "fp-sqli",
	}
	// licenseFinding has no file, only the package it is about.
	licenseFinding = finding.Finding{
		Tool:     "sbom",
		Rule:     finding.Rule{ID: "license-denied"},
		Severity: finding.SeverityMedium,
		Message:  "lodash is licensed GPL-3.0-only, which the policy denies",
		Location: finding.Location{Logical: "pkg:npm/lodash@4.17.20"},
		Package: &finding.Package{Name: "lodash", Version: "4.17.20", Type: "npm",
			PURL: "pkg:npm/lodash@4.17.20", Licenses: []string{"GPL-3.0-only"}},
		Fingerprint: "fp-license",
	}
	// debugFinding was reported by two tools and merged.
	debugFinding = finding.Finding{
		Tool:        "semgrep",
		Tools:       []string{"gitleaks", "semgrep"},
		Rule:        finding.Rule{ID: "python.flask.security.audit.debug-enabled"},
		Severity:    finding.SeverityLow,
		Message:     "Flask runs with debug=True",
		Location:    finding.Location{Path: "src/app.py", StartLine: 40},
		Fingerprint: "fp-debug",
	}
)

const sqliReason = "semgrep:python.lang.security.audit.formatted-sql-query high at src/db.py:12"

// sampleData is a blocked gate as the policy leaves it: findings in the
// policy's order (severity first), one blocking, one suppressed, one optional
// scanner that failed and one scanner that found nothing.
func sampleData() *Data {
	suppression := &config.Suppression{
		Rule:    "gitleaks:aws-access-token",
		Reason:  "test key, revoked on 2024-03-01",
		Owner:   "alice@example.com",
		Expires: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC),
	}
	decision := &policy.Decision{
		Status: policy.StatusBlocked,
		Findings: []policy.Evaluated{
			{Finding: secretFinding, Outcome: policy.OutcomeSuppressed,
				Reason: "suppressed until 2027-06-30", Suppression: suppression},
			{Finding: sqliFinding, Outcome: policy.OutcomeFail,
				Reason: "high is at or above fail_on"},
			{Finding: licenseFinding, Outcome: policy.OutcomeWarn, Reason: "rule sbom:* says warn"},
			{Finding: debugFinding, Outcome: policy.OutcomeIgnore, Reason: "rule says ignore"},
		},
		Reasons:  []string{sqliReason},
		Warnings: []string{"optional scanner trivy failed: trivy exited 2"},
		Counts: map[finding.Severity]int{
			finding.SeverityCritical: 1, finding.SeverityHigh: 1, finding.SeverityMedium: 1,
			finding.SeverityLow: 1, finding.SeverityInfo: 0,
		},
		Blocking: 1,
	}
	return &Data{
		Key:      "web-app",
		Version:  "1.2.3",
		Root:     "/work/repo",
		Decision: decision,
		Scanners: sampleScanners(),
		Notes:    []string{"semgrep: /etc/passwd lies outside the repository"},
	}
}

func sampleScanners() []scan.Outcome {
	return []scan.Outcome{
		{Name: "semgrep", Type: "semgrep", Required: true, State: scan.StateOK,
			Detection: scanners.Detection{Installed: true, Version: "1.69.0"},
			Result: &scanners.Result{
				Tool: scanners.ToolInfo{Name: "semgrep", DisplayName: "Semgrep OSS",
					Version: "1.69.0"},
				Findings: []finding.Finding{sqliFinding, debugFinding},
			},
			Duration: 1500 * time.Millisecond, LogPath: "/work/repo/.secgate/logs/semgrep.log"},
		{Name: "secrets", Type: "sarif", Required: true, State: scan.StateOK,
			Detection: scanners.Detection{Installed: true},
			Result: &scanners.Result{
				Tool: scanners.ToolInfo{Name: "gitleaks", DisplayName: "gitleaks",
					Version: "8.18.0"},
				Findings: []finding.Finding{secretFinding},
			},
			Duration: 250 * time.Millisecond},
		{Name: "sbom", Type: "sbom", Required: true, State: scan.StateOK,
			Detection: scanners.Detection{Installed: true},
			Result: &scanners.Result{Tool: scanners.ToolInfo{Name: "sbom"},
				Findings: []finding.Finding{licenseFinding}},
			Duration: 2 * time.Second},
		{Name: "bandit", Type: "sarif", Required: true, State: scan.StateOK,
			Detection: scanners.Detection{Installed: true},
			Result:    &scanners.Result{Tool: scanners.ToolInfo{Name: "bandit", Version: "1.8.6"}},
			Duration:  300 * time.Millisecond},
		{Name: "trivy", Type: "sarif", Required: false, State: scan.StateFailed,
			Message: "trivy exited 2", Duration: 3 * time.Second},
	}
}

// emptyData is a gate that ran nothing and found nothing.
func emptyData() *Data {
	return &Data{
		Key: "web-app", Version: "1.2.3", Root: "/work/repo",
		Decision: &policy.Decision{Status: policy.StatusPassed,
			Counts: map[finding.Severity]int{}},
	}
}
