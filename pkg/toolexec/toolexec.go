// Package toolexec runs scanner binaries: an argument list and never a shell, a
// minimal environment, a process group that is killed as a whole, bounded output,
// and the tail of the tool's stderr kept for the error message.
package toolexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// DefaultMaxOutput bounds what a tool may write to stdout before the run is
// stopped as runaway. 256 MiB is far above any real report.
const DefaultMaxOutput = 256 << 20

// GracePeriod is how long a tool gets to exit after an interrupt before its
// whole process group is killed.
const GracePeriod = 5 * time.Second

// baseEnv is what every tool sees: enough to find programs and a writable home.
var baseEnv = []string{"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ", "USER"}

// Cmd describes one run of a tool.
type Cmd struct {
	Path string   // the program, resolved with exec.LookPath when it has no slash
	Args []string // arguments, not including the program
	Dir  string   // working directory

	// Env names extra environment variables the tool may see; values come from
	// Environ. Every other variable, tokens included, is withheld.
	Env []string
	// Set adds variables with fixed values ("NAME=value").
	Set []string
	// Environ looks variables up; nil means os.Getenv. Tests inject a map.
	Environ func(string) string

	// Stdin, when set, is the tool's standard input; otherwise it reads nothing.
	Stdin io.Reader

	// Log receives a copy of stderr as the tool writes it. Stdout is not
	// copied: it is the tool's report, which quotes what the tool found,
	// detected secrets included; the log only says how long it was.
	Log io.Writer

	// MaxOutput bounds stdout; zero means DefaultMaxOutput.
	MaxOutput int64

	// Grace is how long the tool gets after an interrupt, and how long a
	// process it left behind may hold its output open; zero means
	// GracePeriod.
	Grace time.Duration
}

// Result is what a finished run produced. A non-zero exit is not an error here:
// what an exit code means differs per tool, so adapters decide.
type Result struct {
	ExitCode int
	Stdout   []byte
	// StderrTail is the last part of stderr, for messages.
	StderrTail string
	Duration   time.Duration
}

// ErrOutputLimit reports a tool that wrote more than Cmd.MaxOutput.
var ErrOutputLimit = errors.New("tool output exceeded the size limit")

// Run starts the tool and waits for it. It returns an error when the tool could
// not be started, was killed by a signal, ran past ctx's deadline, or wrote too
// much; a normal exit with any code is a Result.
func Run(ctx context.Context, c Cmd) (*Result, error) {
	path, err := exec.LookPath(c.Path)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", c.Path, err)
	}

	limit := c.MaxOutput
	if limit <= 0 {
		limit = DefaultMaxOutput
	}
	stdout := &limitedBuffer{limit: limit}
	stderr := &tailBuffer{max: 4096}

	cmd := exec.CommandContext(ctx, path, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = c.environment()
	cmd.Stdin = c.Stdin
	cmd.Stdout = stdout
	cmd.Stderr = teeTo(stderr, c.Log)
	// The tool gets its own process group, so that helpers it starts (semgrep
	// starts semgrep-core) die with it instead of outliving a timeout.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return signalGroup(cmd, syscall.SIGTERM) }
	cmd.WaitDelay = c.grace()
	// A runaway tool would block on a full pipe once the buffer refuses more,
	// so the first refused write ends the whole group.
	stdout.onExceed = func() { _ = signalGroup(cmd, syscall.SIGKILL) }

	start := time.Now()
	err = cmd.Run()
	res := &Result{
		Stdout:     stdout.Bytes(),
		StderrTail: strings.TrimSpace(stderr.String()),
		Duration:   time.Since(start),
	}
	// Whatever happened, nothing of the group may survive the run.
	_ = signalGroup(cmd, syscall.SIGKILL)
	if c.Log != nil {
		fmt.Fprintf(c.Log, "\nsecgate: %s wrote %d bytes to stdout (its report, not copied here)\n",
			c.Path, stdout.buf.Len())
	}

	return res, classify(ctx, err, stdout, res)
}

func classify(ctx context.Context, err error, out *limitedBuffer, res *Result) error {
	if out.exceeded {
		return fmt.Errorf("%w (%d bytes)", ErrOutputLimit, out.limit)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return fmt.Errorf("timed out after %s: %w", res.Duration.Round(time.Second), ctxErr)
		}
		return ctxErr
	}
	if err == nil {
		return nil
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		// The tool exited but something it started kept its output open:
		// what was read may be cut short, so the run does not count.
		return fmt.Errorf("the tool exited but a process it started kept its output open; "+
			"its process group was killed: %w", err)
	}

	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return err
	}
	if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return fmt.Errorf("killed by signal %s", status.Signal())
	}
	res.ExitCode = exitErr.ExitCode()
	return nil
}

func (c Cmd) grace() time.Duration {
	if c.Grace > 0 {
		return c.Grace
	}
	return GracePeriod
}

func (c Cmd) environment() []string {
	get := c.Environ
	if get == nil {
		get = os.Getenv
	}
	var env []string
	for _, name := range append(append([]string{}, baseEnv...), c.Env...) {
		if v := get(name); v != "" {
			env = append(env, name+"="+v)
		}
	}
	return append(env, c.Set...)
}

func signalGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, sig)
}

func teeTo(w io.Writer, log io.Writer) io.Writer {
	if log == nil {
		return w
	}
	return io.MultiWriter(w, log)
}

// limitedBuffer keeps up to limit bytes and then refuses more, which makes the
// copy into it fail and so stops a runaway tool.
// It holds its bytes.Buffer in a field, not embedded: an embedded Buffer would lend
// its ReadFrom to io.Copy, which would then bypass the limit.
type limitedBuffer struct {
	buf      bytes.Buffer
	limit    int64
	exceeded bool
	onExceed func()
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if int64(b.buf.Len()+len(p)) > b.limit {
		if !b.exceeded && b.onExceed != nil {
			b.onExceed()
		}
		b.exceeded = true
		return 0, ErrOutputLimit
	}
	return b.buf.Write(p)
}

// Bytes returns what was written within the limit.
func (b *limitedBuffer) Bytes() []byte { return b.buf.Bytes() }

// tailBuffer keeps only the last max bytes written to it.
type tailBuffer struct {
	buf []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }
