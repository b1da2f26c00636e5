package github

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestGitDiff reads the change from a real repository: a file edited in the
// middle, a renamed file with a path that has a space, and a binary file.
func TestGitDiff(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	var lines []string
	for i := 1; i <= 30; i++ {
		lines = append(lines, "line")
	}
	write(t, dir, "app.py", strings.Join(lines, "\n")+"\n")
	write(t, dir, "old name.txt", "a\nb\nc\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-qm", "base")
	base := gitRun(t, dir, "rev-parse", "HEAD")

	lines[14] = "changed"
	write(t, dir, "app.py", strings.Join(lines, "\n")+"\n")
	gitRun(t, dir, "mv", "old name.txt", "new name.txt")
	write(t, dir, "logo.png", "\x89PNG\x00\x01\x02")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-qm", "change")
	head := gitRun(t, dir, "rev-parse", "HEAD")

	files, err := GitDiff{Dir: dir, Base: base, Head: head}.Files(context.Background())
	if err != nil {
		t.Fatalf("Files: %v", err)
	}
	byPath := map[string]int{}
	for i, f := range files {
		byPath[f.Path()] = i
	}
	app := files[byPath["app.py"]]
	if !app.AddedLine(15) || !app.CommentableRight(12) || app.CommentableRight(25) {
		t.Errorf("app.py hunks: %+v", app.Hunks)
	}
	if i, ok := byPath["new name.txt"]; !ok || !files[i].Renamed {
		t.Errorf("rename not seen: %v", byPath)
	}
	if i, ok := byPath["logo.png"]; !ok || !files[i].Binary {
		t.Errorf("binary file not marked: %v", byPath)
	}

	_, err = GitDiff{Dir: dir, Base: strings.Repeat("0", 40), Head: head}.Files(context.Background())
	if err == nil || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("a missing base: %v", err)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
