package semgrep

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/testenv"
)

// TestBundledRules runs `semgrep --test` on rules/semgrep: every rule's test
// file marks the lines it must match (ruleid:) and must not match (ok:), and
// semgrep fails when a rule disagrees with its marks.
func TestBundledRules(t *testing.T) {
	bin := testenv.Semgrep(t)
	rules := filepath.Join(testenv.RepoRoot(t), "rules", "semgrep")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	cmd := exec.CommandContext(ctx, bin, "--test", "--metrics=off", "--disable-version-check", rules)
	cmd.Env = append(cmd.Environ(), "SEMGREP_SEND_METRICS=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("semgrep --test %s: %v\n%s", rules, err, out)
	}
	if !strings.Contains(string(out), "All tests passed") {
		t.Errorf("semgrep --test did not report all tests passed:\n%s", out)
	}
}
