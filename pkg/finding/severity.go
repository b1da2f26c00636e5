package finding

import (
	"fmt"
	"strconv"
	"strings"
)

// Severity is secgate's single severity scale. Every adapter maps its tool's own
// words or scores onto it; the policy and every report speak only this scale.
type Severity int

// The scale, lowest first, so that severities compare with < and >.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// Severities lists the scale from the most to the least severe, the order reports use.
var Severities = []Severity{
	SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo,
}

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lowercase name used in configs and reports.
func (s Severity) String() string {
	if s < SeverityInfo || s > SeverityCritical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads one of secgate's own severity names, in any case.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(strings.TrimSpace(name), n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)",
		name, strings.Join(severityNames[:], ", "))
}

// MarshalText and UnmarshalText let severities appear by name in JSON reports.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Score is the representative CVSS-like number written as SARIF
// security-severity for a severity. Each value sits inside GitHub's band for the
// severity (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9), so a
// round trip through GitHub keeps the severity. Info has no score: it is not a
// security alert.
func (s Severity) Score() (float64, bool) {
	switch s {
	case SeverityCritical:
		return 9.5, true
	case SeverityHigh:
		return 8.0, true
	case SeverityMedium:
		return 5.5, true
	case SeverityLow:
		return 2.0, true
	}
	return 0, false
}

// SeverityFromScore maps a CVSS-like score to the scale using GitHub's bands.
// A score of zero or less means "none", which secgate calls info.
func SeverityFromScore(score float64) Severity {
	switch {
	case score >= 9.0:
		return SeverityCritical
	case score >= 7.0:
		return SeverityHigh
	case score >= 4.0:
		return SeverityMedium
	case score > 0:
		return SeverityLow
	}
	return SeverityInfo
}

// Level is the SARIF result level that goes with a severity.
func (s Severity) Level() string {
	switch s {
	case SeverityCritical, SeverityHigh:
		return "error"
	case SeverityMedium:
		return "warning"
	}
	return "note"
}

// SeverityFromLevel maps a SARIF level (error, warning, note, none) to the scale.
// An empty level is SARIF's default, warning.
func SeverityFromLevel(level string) Severity {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "error":
		return SeverityHigh
	case "note":
		return SeverityLow
	case "none":
		return SeverityInfo
	}
	return SeverityMedium
}

// labelWords maps the severity words that tools write (and that some tools put
// where a number belongs, see docs/severity.md) to the scale.
var labelWords = map[string]Severity{
	"critical":      SeverityCritical,
	"blocker":       SeverityCritical,
	"high":          SeverityHigh,
	"error":         SeverityHigh,
	"major":         SeverityHigh,
	"medium":        SeverityMedium,
	"moderate":      SeverityMedium,
	"warning":       SeverityMedium,
	"warn":          SeverityMedium,
	"low":           SeverityLow,
	"minor":         SeverityLow,
	"note":          SeverityLow,
	"info":          SeverityInfo,
	"informational": SeverityInfo,
	"information":   SeverityInfo,
	"negligible":    SeverityInfo,
	"none":          SeverityInfo,
	"unknown":       SeverityInfo,
}

// SeverityFromLabel maps a tool's severity word, in any case, to the scale.
// It reports false for a word it does not know, so callers can fall back.
func SeverityFromLabel(word string) (Severity, bool) {
	s, ok := labelWords[strings.ToLower(strings.TrimSpace(word))]
	return s, ok
}

// ParseSecuritySeverity reads a SARIF security-severity value leniently: a numeric
// string, a JSON number, or a label word. JSON null, "undefined", "" and anything
// unrecognised report false, meaning "absent", so no garbage passes through.
func ParseSecuritySeverity(v any) (Severity, bool) {
	switch x := v.(type) {
	case float64:
		return SeverityFromScore(x), x >= 0 && x <= 10
	case int:
		return SeverityFromScore(float64(x)), x >= 0 && x <= 10
	case string:
		t := strings.TrimSpace(x)
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return SeverityFromScore(f), f >= 0 && f <= 10
		}
		if strings.EqualFold(t, "undefined") || strings.EqualFold(t, "null") {
			return 0, false
		}
		return SeverityFromLabel(t)
	}
	return 0, false
}
