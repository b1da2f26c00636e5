package config

import (
	"slices"
	"strings"
	"testing"
)

func TestSecretsAndInlineSuppressions(t *testing.T) {
	zap := "scanners:\n  dast:\n    type: zap\n    daemon: http://127.0.0.1:8080\n    target: http://127.0.0.1:8081\n" +
		"    api_key_env: MY_ZAP_KEY\n"
	tests := []struct {
		name, yaml  string
		wantVars    []string
		wantInline  bool
		errContains string
	}{
		{"defaults", "fail_on: high\n", nil, false, ""},
		{"secrets list", "secrets: [DB_PASSWORD, DEPLOY_KEY]\n",
			[]string{"DB_PASSWORD", "DEPLOY_KEY"}, false, ""},
		{"zap key is secret", zap, []string{"MY_ZAP_KEY"}, false, ""},
		{"inline allowed", "allow_inline_suppressions: true\n", nil, true, ""},
		{"bad name", "secrets: [\"not a name\"]\n", nil, false, "x.yaml:1:11: secrets[0]"},
		{"not a list", "secrets: TOKEN\n", nil, false, "write [TOKEN]"},
		{"inline not bool", "allow_inline_suppressions: yes please\n", nil, false,
			"allow_inline_suppressions: expected true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), "x.yaml")
			if tt.errContains != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errContains) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.errContains)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := cfg.SecretVars(); !slices.Equal(got, tt.wantVars) {
				t.Errorf("SecretVars: got %v, want %v", got, tt.wantVars)
			}
			if cfg.AllowInlineSuppressions != tt.wantInline {
				t.Errorf("AllowInlineSuppressions: got %v, want %v",
					cfg.AllowInlineSuppressions, tt.wantInline)
			}
		})
	}
}
