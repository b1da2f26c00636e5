package semgrep

import (
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// severities maps the words Semgrep writes in extra.severity. Semgrep's
// classic words are ERROR, WARNING and INFO; newer rules use CRITICAL, HIGH,
// MEDIUM, LOW and INFO, and Semgrep itself treats the classic ones as HIGH,
// MEDIUM and LOW. INVENTORY and EXPERIMENT mark rules that report facts, not
// problems. The table is written out in docs/severity.md; severity_map in the
// config overrides it.
var severities = map[string]finding.Severity{
	"critical":   finding.SeverityCritical,
	"high":       finding.SeverityHigh,
	"error":      finding.SeverityHigh,
	"medium":     finding.SeverityMedium,
	"warning":    finding.SeverityMedium,
	"low":        finding.SeverityLow,
	"info":       finding.SeverityLow,
	"inventory":  finding.SeverityInfo,
	"experiment": finding.SeverityInfo,
}

// severity maps a Semgrep severity word. An unknown or missing word is taken
// as medium, Semgrep's own default (WARNING), rather than dropped to info, so
// that an unfamiliar rule cannot quietly pass a gate set at medium.
func severity(word string) finding.Severity {
	if s, ok := severities[strings.ToLower(strings.TrimSpace(word))]; ok {
		return s
	}
	return finding.SeverityMedium
}
