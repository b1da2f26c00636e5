// Package gittest builds real git repositories in temporary directories for
// tests: files, commits, branches, bare remotes and shallow clones, all made by
// the real git binary with a config isolated from the machine's.
package gittest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// Repo is a repository made for one test.
type Repo struct {
	T   testing.TB
	Dir string
	Git string
}

// Env is the environment every command of a test repository runs with: no
// global or system config, a fixed identity and dates, and no prompts.
func Env() []string {
	return append(os.Environ(),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z")
}

// Isolate points the test process's own git calls at the same isolated
// config, so code under test that runs git sees what the fixtures see.
func Isolate(t testing.TB) {
	t.Helper()
	for _, kv := range Env()[len(os.Environ()):] {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// Init makes a repository with branch main in a new temp directory.
func Init(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{T: t, Dir: t.TempDir(), Git: testenv.Tool(t, "git", "SECGATE_GIT")}
	r.Run("init", "-q", "-b", "main")
	return r
}

// Run runs git in the repository and returns its trimmed stdout.
func (r *Repo) Run(args ...string) string {
	r.T.Helper()
	return RunIn(r.T, r.Git, r.Dir, args...)
}

// RunIn runs git in dir and returns its trimmed stdout, failing the test on error.
func RunIn(t testing.TB, gitBin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(gitBin, args...)
	cmd.Dir = dir
	cmd.Env = Env()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// Write writes files (path with slashes -> content), making directories.
func (r *Repo) Write(files map[string]string) {
	r.T.Helper()
	for name, content := range files {
		p := filepath.Join(r.Dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.T.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.T.Fatal(err)
		}
	}
}

// Commit writes files, stages everything and commits; it returns the commit id.
func (r *Repo) Commit(msg string, files map[string]string) string {
	r.T.Helper()
	r.Write(files)
	r.Run("add", "-A")
	r.Run("commit", "-q", "--allow-empty", "-m", msg)
	return r.Run("rev-parse", "HEAD")
}

// Bare makes a bare clone of the repository in a new temp directory, adds it
// as remote "origin" and returns its path.
func (r *Repo) Bare() string {
	r.T.Helper()
	dir := filepath.Join(r.T.TempDir(), "remote.git")
	RunIn(r.T, r.Git, r.Dir, "clone", "-q", "--bare", r.Dir, dir)
	r.Run("remote", "add", "origin", dir)
	r.Run("fetch", "-q", "origin")
	return dir
}

// Clone clones url into a new temp directory with extra clone arguments
// (such as "--depth=1").
func Clone(t testing.TB, url string, args ...string) *Repo {
	t.Helper()
	r := &Repo{T: t, Dir: filepath.Join(t.TempDir(), "clone"),
		Git: testenv.Tool(t, "git", "SECGATE_GIT")}
	all := append([]string{"clone", "-q"}, args...)
	RunIn(t, r.Git, filepath.Dir(r.Dir), append(all, url, r.Dir)...)
	return r
}
