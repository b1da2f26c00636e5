package normalize

import (
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/redact"
)

// TestSecretFindingsWithheld: a secret finding keeps its place, but no part
// of it that secgate writes holds the value, and its fingerprint does not
// depend on the value (two different secrets at one place fingerprint alike).
func TestSecretFindingsWithheld(t *testing.T) {
	t.Cleanup(redact.Reset)
	tests := []struct {
		name string
		f    finding.Finding
	}{
		{"semgrep rule with CWE-798", finding.Finding{Tool: "semgrep",
			Rule:    finding.Rule{ID: "hardcoded-key", CWE: []string{"CWE-798"}},
			Message: "Hard-coded key \"%s\""}},
		{"gitleaks", finding.Finding{Tool: "gitleaks", Rule: finding.Rule{ID: "generic-api-key"},
			Message: "generic-api-key has detected secret %s"}},
		{"rule tagged secret", finding.Finding{Tool: "trivy", Rule: finding.Rule{ID: "x",
			Tags: []string{"secrets"}}, Message: "found %s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			var prints []string
			for _, secret := range []string{"Zq7Wp3Kd9Lm2Xv8R", "Hb4Tn6Ys1Qe5Uc0J"} {
				writeFile(t, root, "app/settings.py", "KEY = \""+secret+"\"\n")
				f := tt.f
				f.Message = strings.ReplaceAll(f.Message, "%s", secret)
				f.Rule.Description = f.Message
				f.Snippet, f.Fix = "KEY = \""+secret+"\"", "KEY = os.environ['"+secret+"']"
				f.Location = finding.Location{Path: "app/settings.py", StartLine: 1}

				out, _ := Apply(Options{Root: root},
					[]Input{{BaseDir: root, Findings: []finding.Finding{f}}})
				got := out[0]
				for what, text := range map[string]string{"message": got.Message,
					"description": got.Rule.Description, "snippet": got.Snippet, "fix": got.Fix} {
					if strings.Contains(text, secret) {
						t.Errorf("%s holds the secret: %q", what, text)
					}
				}
				if got.Location.Path != "app/settings.py" || got.Location.StartLine != 1 {
					t.Errorf("location: got %+v, want app/settings.py:1", got.Location)
				}
				if v := redact.Values("x " + f.Snippet); strings.Contains(v, secret) {
					t.Errorf("the quoted text was not registered for redaction: %q", v)
				}
				prints = append(prints, got.Fingerprint)
			}
			if prints[0] != prints[1] {
				t.Errorf("fingerprint depends on the secret: %v", prints)
			}
		})
	}
}
