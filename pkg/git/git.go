// Package git runs the git command line for what secgate needs from a
// repository: the diff of a change, the merge base with a freshly fetched base
// branch (deepening a shallow clone step by step), the commits a push adds,
// the files of a commit, and where hooks live.
//
// Every call passes an argument list (never a shell string), puts
// --end-of-options before user-supplied revisions where git allows it, asks for
// NUL-separated output where paths appear, and sets core.quotePath=false so
// paths come back as bytes rather than C-quoted.
package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Repo is a work tree that git commands run in.
type Repo struct {
	// Dir is the top of the work tree.
	Dir string
	// Git is the git executable; empty means "git" on PATH.
	Git string
	// Log receives a debug line per command; nil discards them.
	Log *slog.Logger
}

// Error is a git command that failed, with the tail of what it printed.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Open finds the work tree that holds dir.
func Open(ctx context.Context, dir string) (*Repo, error) {
	r := &Repo{Dir: dir}
	out, err := r.run(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("not inside a git work tree (%s): %w", dir, err)
	}
	r.Dir = strings.TrimRight(string(out), "\n")
	return r, nil
}

// run executes git with args in the work tree and returns its stdout.
func (r *Repo) run(ctx context.Context, args ...string) ([]byte, error) {
	return r.runInput(ctx, nil, args...)
}

// runInput is run with stdin.
func (r *Repo) runInput(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	bin := r.Git
	if bin == "" {
		bin = "git"
	}
	full := append([]string{"-c", "core.quotePath=false"}, args...)
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Dir = r.Dir
	// A fetch must fail rather than wait for a password nobody will type.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &tail{max: 4096, b: &errb}

	if r.Log != nil {
		r.Log.Debug("git", "args", strings.Join(args, " "))
	}
	if err := cmd.Run(); err != nil {
		return out.Bytes(), &Error{Args: args, Stderr: errb.String(), Err: err}
	}
	return out.Bytes(), nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	b   *bytes.Buffer
}

func (t *tail) Write(p []byte) (int, error) {
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

// exitCode returns the exit status of a failed git command, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// RevParse resolves rev to a full commit id.
func (r *Repo) RevParse(ctx context.Context, rev string) (string, error) {
	out, err := r.run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("%q is not a commit in %s", rev, r.Dir)
	}
	return strings.TrimSpace(string(out)), nil
}

// HasCommit reports whether the object sha is a commit present locally.
func (r *Repo) HasCommit(ctx context.Context, sha string) bool {
	_, err := r.run(ctx, "cat-file", "-e", sha+"^{commit}")
	return err == nil
}

// IsShallow reports whether the repository is a shallow clone.
func (r *Repo) IsShallow(ctx context.Context) (bool, error) {
	out, err := r.run(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(out)) == "true", nil
}

// GitPath returns the absolute path git uses for name inside the repository
// metadata ("hooks" honours core.hooksPath, "shallow" is the shallow list).
func (r *Repo) GitPath(ctx context.Context, name string) (string, error) {
	out, err := r.run(ctx, "rev-parse", "--git-path", name)
	if err != nil {
		return "", err
	}
	p := strings.TrimRight(string(out), "\n")
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.Dir, p)
	}
	return filepath.Clean(p), nil
}

// ConfigValue reads one config key; ok is false when it is not set.
func (r *Repo) ConfigValue(ctx context.Context, key string) (value string, ok bool, err error) {
	out, err := r.run(ctx, "config", "--get", key)
	if err != nil {
		if exitCode(err) == 1 {
			return "", false, nil
		}
		return "", false, err
	}
	return strings.TrimRight(string(out), "\n"), true, nil
}

// HasRemote reports whether a remote of that name is configured.
func (r *Repo) HasRemote(ctx context.Context, name string) bool {
	_, ok, err := r.ConfigValue(ctx, "remote."+name+".url")
	return err == nil && ok
}
