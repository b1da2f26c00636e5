package policy

import "github.com/secgate/secgate/pkg/finding"

// refusedInline is added to the reason of a finding whose only suppression
// was written in the code under review and the config does not allow that.
const refusedInline = "an in-source suppression was not honoured " +
	"(allow_inline_suppressions is false)"

// honoured returns the first suppression the tool reported that the policy
// accepts, or nil. A suppression of kind inSource (a nosemgrep comment) was
// written in the code under review, so it counts only when the config sets
// allow_inline_suppressions: otherwise the change being gated could silence
// its own findings. Tool-side ones (kind external) come from the tool's
// own configuration and are accepted.
func (e *evaluator) honoured(f *finding.Finding) *finding.Suppression {
	for i := range f.Suppressions {
		s := &f.Suppressions[i]
		if s.Kind != "inSource" || e.c.cfg.AllowInlineSuppressions {
			return s
		}
	}
	return nil
}
