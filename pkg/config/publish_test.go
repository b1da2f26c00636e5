package config

import (
	"strings"
	"testing"
)

func TestPublishKeys(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    Publish
		wantErr string
	}{
		{"defaults", "key: a\n", Publish{Errors: "warn", MaxInlineComments: 30}, ""},
		{"all set", "publish_errors: FAIL\nmax_inline_comments: 5\nupload_sarif: true\n",
			Publish{Errors: "fail", MaxInlineComments: 5, UploadSARIF: true}, ""},
		{"zero turns inline comments off", "max_inline_comments: 0\n",
			Publish{Errors: "warn", MaxInlineComments: 0}, ""},
		{"unknown publish_errors", "publish_errors: ignore\n", Publish{},
			`secgate.yaml:1:17: publish_errors: unknown value "ignore" (want warn or fail)`},
		{"negative cap", "max_inline_comments: -1\n", Publish{},
			"secgate.yaml:1:22: max_inline_comments: -1 is negative"},
		{"cap not a number", "max_inline_comments: many\n", Publish{},
			"max_inline_comments: expected a whole number"},
		{"upload_sarif as a word", "upload_sarif: \"yes\"\n", Publish{},
			"upload_sarif: expected true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), "secgate.yaml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if cfg.Publish != tt.want {
				t.Errorf("Publish: got %+v, want %+v", cfg.Publish, tt.want)
			}
		})
	}
}
