package zap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// text is a JSON scalar read as text. ZAP's traditional JSON report writes
// riskcode, confidence, count and the ids as numeric strings ("2"), its API
// writes risk and confidence as words ("Medium"), and other producers of the
// same shape write plain numbers: all three read the same here.
type text string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return fmt.Errorf("expected a string or a number, got %.20s", b)
	default:
		*t = text(b)
	}
	return nil
}

// Risk is ZAP's risk of an alert, 0 (informational) to 3 (high).
type Risk int

// riskWords are the names ZAP gives its risks, lowest first.
var riskWords = []string{"Informational", "Low", "Medium", "High"}

// String returns the word ZAP uses for the risk.
func (r Risk) String() string { return riskWords[r] }

// Severity maps the risk to secgate's scale. ZAP has no critical.
func (r Risk) Severity() finding.Severity {
	return [...]finding.Severity{finding.SeverityInfo, finding.SeverityLow,
		finding.SeverityMedium, finding.SeverityHigh}[r]
}

// parseRisk reads a risk as a number (0-3, in a string or not) or a word in
// any case. riskdesc ("Low (Medium)") is the fallback when riskcode is
// missing: its first word is the risk.
func parseRisk(code, desc string) (Risk, error) {
	v := strings.TrimSpace(code)
	if v == "" {
		v, _, _ = strings.Cut(strings.TrimSpace(desc), " (")
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < len(riskWords) {
		return Risk(n), nil
	}
	for i, w := range riskWords {
		if strings.EqualFold(v, w) || (i == 0 && strings.EqualFold(v, "info")) {
			return Risk(i), nil
		}
	}
	return 0, fmt.Errorf("risk %q is not one of ZAP's (0 to 3, or Informational, Low, "+
		"Medium, High)", v)
}

// Confidence is ZAP's confidence in an alert: 0 means a user or a rule marked
// it a false positive, 4 that a user confirmed it.
type Confidence int

// FalsePositive is the confidence of an alert marked as a false positive.
const FalsePositive Confidence = 0

var confidenceWords = []string{"False Positive", "Low", "Medium", "High", "Confirmed"}

// String returns the word ZAP uses for the confidence.
func (c Confidence) String() string { return confidenceWords[c] }

// parseConfidence reads a confidence as a number (0-4) or a word in any
// case; "User Confirmed" is the report's word for 4. riskdesc carries the
// confidence in brackets when the field itself is missing.
func parseConfidence(v, desc string) (Confidence, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		if _, in, ok := strings.Cut(desc, "("); ok {
			v = strings.TrimSuffix(strings.TrimSpace(in), ")")
		}
	}
	if v == "" {
		// An alert that states no confidence was not marked a false
		// positive, which is all that secgate reads the confidence for;
		// ZAP's own default, medium, stands in.
		return 2, nil
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < len(confidenceWords) {
		return Confidence(n), nil
	}
	norm := strings.ToLower(strings.Join(strings.Fields(v), " "))
	for i, w := range confidenceWords {
		if norm == strings.ToLower(w) {
			return Confidence(i), nil
		}
	}
	switch norm {
	case "user confirmed":
		return 4, nil
	case "falsepositive", "false-positive":
		return FalsePositive, nil
	}
	return 0, fmt.Errorf("confidence %q is not one of ZAP's (0 to 4, or False Positive, "+
		"Low, Medium, High, Confirmed)", v)
}
