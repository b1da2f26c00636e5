package toolexec

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunHungGrandchild: a tool that exits at once but leaves a process
// holding its stdout open is stopped after the grace period, its group is
// killed, and the run is an error, not a short report taken as whole.
func TestRunHungGrandchild(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild.pid")
	body := "sleep 60 & echo $! > " + pidFile + "; echo '{}'; exit 0"

	_, err := Run(context.Background(), Cmd{Path: script(t, body), Grace: 200 * time.Millisecond})
	if !errors.Is(err, exec.ErrWaitDelay) || !strings.Contains(err.Error(), "kept its output open") {
		t.Fatalf("Run: got %v, want the wait-delay error", err)
	}
	waitGone(t, readPID(t, pidFile))
}

// TestRunHungGrandchildAfterFailure: the same, when the tool fails; its exit
// code is still reported and nothing of its group survives.
func TestRunHungGrandchildAfterFailure(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild.pid")
	body := "sleep 60 & echo $! > " + pidFile + "; exit 3"

	res, err := Run(context.Background(), Cmd{Path: script(t, body), Grace: 200 * time.Millisecond})
	if err != nil || res.ExitCode != 3 {
		t.Fatalf("Run: got %v, %+v; want exit code 3", err, res)
	}
	waitGone(t, readPID(t, pidFile))
}

// TestRunNeverUsesAShell: arguments reach the tool exactly as given, so
// text from a finding or a config can never become a command.
func TestRunNeverUsesAShell(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "pwned")
	args := []string{"$(touch " + marker + ")", "`touch " + marker + "`", "; touch " + marker,
		"a b", "*", "$HOME", "'q'"}

	res, err := Run(context.Background(), Cmd{Path: script(t, `printf '%s\n' "$@"`),
		Args: args, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(res.Stdout), strings.Join(args, "\n")+"\n"; got != want {
		t.Errorf("arguments: got %q, want %q", got, want)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("an argument was run as a command: %s exists", marker)
	}
}

// TestRunWorkingDirectoryAndEnvironment: the tool runs in the directory it
// is given, and sees only the base variables and the ones it is allowed.
func TestRunWorkingDirectoryAndEnvironment(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PATH": os.Getenv("PATH"), "HOME": "/home/x",
		"AWS_SECRET_ACCESS_KEY": "aws-secret", "CI_JOB_TOKEN": "job-token"}

	res, err := Run(context.Background(), Cmd{Path: script(t, "pwd; env | cut -d= -f1 | sort"),
		Dir: dir, Environ: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(res.Stdout)), "\n")
	if lines[0] != dir {
		t.Errorf("working directory: got %q, want %q", lines[0], dir)
	}
	for _, name := range lines[1:] {
		switch name {
		case "PATH", "HOME", "PWD", "SHLVL", "_", "OLDPWD":
			// the base set, and what the shell itself defines
		default:
			t.Errorf("tool saw %s in its environment", name)
		}
	}
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still alive after the run", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
