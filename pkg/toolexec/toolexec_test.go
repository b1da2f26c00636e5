package toolexec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run /bin/sh as a stand-in tool: what is under test is how secgate
// starts, bounds and stops a process, not any scanner.

func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tool.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantCode int
		wantOut  string
	}{
		{"clean exit", "echo hello", 0, "hello\n"},
		{"findings exit is not an error", "echo '{}'; exit 1", 1, "{}\n"},
		{"tool error code passes through", "echo oops >&2; exit 2", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), Cmd{Path: script(t, tt.body)})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.ExitCode != tt.wantCode || string(res.Stdout) != tt.wantOut {
				t.Errorf("got code %d out %q, want %d %q",
					res.ExitCode, res.Stdout, tt.wantCode, tt.wantOut)
			}
		})
	}
}

func TestRunKeepsStderrTail(t *testing.T) {
	res, err := Run(context.Background(), Cmd{Path: script(t, "echo 'rule parse failed' >&2; exit 2")})
	if err != nil {
		t.Fatal(err)
	}
	if res.StderrTail != "rule parse failed" {
		t.Errorf("StderrTail: got %q", res.StderrTail)
	}
}

func TestRunWithholdsEnvironment(t *testing.T) {
	env := map[string]string{
		"PATH":         os.Getenv("PATH"),
		"GITHUB_TOKEN": "ghs_secretvalue",
		"SNYK_TOKEN":   "snyk-secret",
		"ALLOWED":      "yes",
	}
	res, err := Run(context.Background(), Cmd{
		Path:    script(t, "env"),
		Env:     []string{"ALLOWED"},
		Set:     []string{"FIXED=1"},
		Environ: func(k string) string { return env[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.Stdout)
	for _, secret := range []string{"ghs_secretvalue", "snyk-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("tool saw %q in its environment", secret)
		}
	}
	for _, want := range []string{"ALLOWED=yes", "FIXED=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("tool environment lacks %q:\n%s", want, out)
		}
	}
}

func TestRunTimeoutKillsTheProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	// The tool starts a child that would outlive it, as semgrep starts semgrep-core.
	body := "sleep 60 & echo $! > " + pidFile + "; wait"
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()

	_, err := Run(ctx, Cmd{Path: script(t, body)})
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run: got %v, want a deadline error", err)
	}

	pid := readPID(t, pidFile)
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("child %d still alive after the tool timed out", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRunStopsRunawayOutput(t *testing.T) {
	_, err := Run(context.Background(), Cmd{
		Path:      script(t, "yes secgate"),
		MaxOutput: 1 << 16,
	})
	if !errors.Is(err, ErrOutputLimit) {
		t.Errorf("Run: got %v, want ErrOutputLimit", err)
	}
}

func TestRunReportsSignals(t *testing.T) {
	_, err := Run(context.Background(), Cmd{Path: script(t, "kill -SEGV $$")})
	if err == nil || !strings.Contains(err.Error(), "signal") {
		t.Errorf("Run: got %v, want an error naming the signal", err)
	}
}

func TestRunMissingBinary(t *testing.T) {
	_, err := Run(context.Background(), Cmd{Path: "secgate-no-such-tool"})
	if err == nil || !strings.Contains(err.Error(), "secgate-no-such-tool") {
		t.Errorf("Run: got %v, want an error naming the tool", err)
	}
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(strings.TrimSpace(string(b))) > 0 {
			var pid int
			for _, c := range strings.TrimSpace(string(b)) {
				pid = pid*10 + int(c-'0')
			}
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pid file: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
