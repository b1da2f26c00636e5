package markdown

import (
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/redact"
)

// Redacted replaces a secret wherever secgate shows finding text.
const Redacted = redact.Redacted

// Redact removes credentials from s; see redact.Text, which it is, so that
// PR comments redact exactly what every other output does.
func Redact(s string) string { return redact.Text(s) }

// IsSecret reports whether a finding is about a detected secret; see
// redact.IsSecret.
func IsSecret(f finding.Finding) bool { return redact.IsSecret(&f) }

// Message returns the text to show for a finding's message; see
// redact.Message.
func Message(f finding.Finding) string { return redact.Message(&f) }
