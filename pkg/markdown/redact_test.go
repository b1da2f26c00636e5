package markdown

import (
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, secret string
	}{
		{"AWS key", "key AKIAIOSFODNN7EXAMPLE found", "AKIAIOSFODNN7EXAMPLE"},
		{"GitHub token", "token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghij"},
		{"fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "github_pat_11"},
		{"Slack token", "xoxb-123456789012-abcdefghijkl", "xoxb-1234"},
		{"private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "MIIEow"},
		{"password assignment", `password = "hunter2hunter2"`, "hunter2"},
		{"api key assignment", "API_KEY: s3cr3tv4lue", "s3cr3tv4lue"},
		{"URL credentials", "https://bob:pa55word@git.example/repo", "pa55word"},
		{"high entropy", "value Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo9Kq", "Zm9vYmFy"},
		{"JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N", "eyJhbGci"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Redact(tt.in)
			if strings.Contains(got, tt.secret) || !strings.Contains(got, Redacted) {
				t.Errorf("Redact(%q) = %q", tt.in, got)
			}
		})
	}
}

func TestRedactKeepsOrdinaryText(t *testing.T) {
	tests := []string{
		"Detected MD5 hash algorithm which is considered insecure.",
		"commit 1111111111111111111111111111111111111111 fixed it",
		"python.flask.security.dangerous-template-string.dangerous-template-string",
		"src/main/java/com/example/service/UserAccountRepository.java",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			if got := Redact(in); got != in {
				t.Errorf("Redact(%q) = %q, want it unchanged", in, got)
			}
		})
	}
}

// TestMessageOfSecretFinding: a secret scanner's message may quote the
// secret in a shape no pattern knows; for such findings every token-like
// word with letters and digits goes.
func TestMessageOfSecretFinding(t *testing.T) {
	f := finding.Finding{Tool: "gitleaks", Rule: finding.Rule{ID: "generic-api-key"},
		Message: "generic-api-key has detected secret for file config.py: tok3nV4lu3x9"}
	got := Message(f)
	if strings.Contains(got, "tok3nV4lu3x9") {
		t.Errorf("secret finding message kept the value: %q", got)
	}
	if !strings.Contains(got, "has detected secret for file") {
		t.Errorf("secret finding message lost its words: %q", got)
	}

	plain := finding.Finding{Tool: "semgrep", Message: "uses md5 in line 12 of v2 code"}
	if got := Message(plain); got != plain.Message {
		t.Errorf("ordinary message changed: %q", got)
	}
}
