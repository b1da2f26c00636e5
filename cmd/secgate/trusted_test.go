package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// suppressedSARIF holds one high finding that the code under review has
// suppressed with an in-source comment.
const suppressedSARIF = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"semgrep",
 "rules":[{"id":"sqli","properties":{"security-severity":"8.0"}}]}},
 "results":[{"ruleId":"sqli","level":"error","message":{"text":"SQL built from input"},
  "locations":[{"physicalLocation":{"artifactLocation":{"uri":"app.py"},
   "region":{"startLine":3}}}],
  "suppressions":[{"kind":"inSource","justification":"nosemgrep"}]}]}]}`

// TestTrustedConfig: a change that weakens its own config (here: allows the
// inline suppression it adds) passes when the working tree's config is used,
// and is blocked when --trusted-config reads the base branch's.
func TestTrustedConfig(t *testing.T) {
	repo := t.TempDir()
	git(t, repo, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(repo, "secgate.yaml"), "fail_on: high\n")
	writeFile(t, filepath.Join(repo, "app.py"), "import db\n\ndb.run(q)  # nosemgrep\n")
	git(t, repo, "add", ".")
	git(t, repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")
	git(t, repo, "checkout", "-q", "-b", "feature")
	writeFile(t, filepath.Join(repo, "secgate.yaml"),
		"fail_on: high\nallow_inline_suppressions: true\n")
	sarifPath := filepath.Join(t.TempDir(), "scan.sarif")
	writeFile(t, sarifPath, suppressedSARIF)

	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"working tree config", nil, 0, ""},
		{"trusted base config", []string{"--trusted-config", "main"}, 1,
			"the policy is main:secgate.yaml (--trusted-config); " +
				"the working-tree copy differs and is not used"},
		{"same as the working tree", []string{"--trusted-config", "HEAD"}, 1,
			"the working-tree copy differs"},
		{"unknown ref", []string{"--trusted-config", "origin/nope"}, 2,
			"origin/nope is not a commit here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"evaluate", "--config", "secgate.yaml"}, tt.args...)
			res := secgate(t, repo, nil, append(args, sarifPath)...)
			if res.code != tt.code || !strings.Contains(res.stderr, tt.inStderr) {
				t.Errorf("got exit %d, want %d with %q in stderr:\n%s",
					res.code, tt.code, tt.inStderr, res.stderr)
			}
		})
	}

	// Once the feature's config is committed, HEAD's copy is the working tree's.
	git(t, repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q",
		"-am", "weaken")
	res := secgate(t, repo, nil, "evaluate", "--config", "secgate.yaml",
		"--trusted-config", "HEAD", sarifPath)
	if res.code != 0 || !strings.Contains(res.stderr, "the working-tree copy is the same") {
		t.Errorf("HEAD config: got exit %d, want 0\n%s", res.code, res.stderr)
	}
}
