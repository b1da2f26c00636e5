package semgrep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/scanners"
)

// TestNosemgrepFollowsThePolicy runs the real semgrep on code whose only
// finding carries a nosemgrep comment: by default the finding is reported,
// since the code under review may not silence itself; when the config
// allows inline suppressions, semgrep honours the comment.
func TestNosemgrepFollowsThePolicy(t *testing.T) {
	s := realScanner(t)
	target := t.TempDir()
	rule := "rules:\n- id: os-system\n  languages: [python]\n  severity: ERROR\n" +
		"  message: shell command from input\n  pattern: os.system(...)\n"
	files := map[string]string{
		"rule.yaml": rule,
		"app.py":    "import os\nos.system(input())  # nosemgrep\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(target, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name  string
		allow bool
		want  int
	}{
		{"default: the comment is not honoured", false, 1},
		{"allowed: semgrep drops the finding", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			var log bytes.Buffer
			res, err := s.Run(ctx, scanners.Request{Root: target, Target: target,
				Settings: config.Scanner{Name: "semgrep", Config: []string{filepath.Join(target, "rule.yaml")}},
				Config:   &config.Config{AllowInlineSuppressions: tt.allow},
				Log:      &log, OutDir: t.TempDir()})
			if err != nil {
				t.Fatalf("run: %v\n%s", err, log.String())
			}
			if got := len(res.Findings); got != tt.want {
				t.Errorf("findings: got %d, want %d", got, tt.want)
			}
		})
	}
}
