package normalize

import (
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/redact"
)

// withholdSecret strips what a secret finding would leak and keeps its
// place. The text the tool quoted (gitleaks puts the match in the region's
// snippet) is registered with package redact, so that it is withheld from
// every report, log and comment even where some other text repeats it; then
// the snippet and the fix go, and the message is redacted. The fingerprint
// of a secret finding never hashes the flagged text (see content).
func withholdSecret(f *finding.Finding) {
	redact.Register(f.Snippet, f.Fix)
	f.Snippet = ""
	f.Fix = ""
	f.Message = redact.Message(f)
	f.Rule.Description = redact.Quoted(f.Rule.Description)
}
