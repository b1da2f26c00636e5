// Package snyk is the adapter for the Snyk CLI. It runs one of Snyk's products
// on the target (snyk test for open-source dependencies, snyk code test,
// snyk container test IMAGE, snyk iac test) and reads the JSON and SARIF
// reports they write into secgate's finding model.
//
// The Snyk CLI sends what it tests to Snyk's cloud and needs an API token,
// which it takes from SNYK_TOKEN. The adapter lets that one variable through
// to the CLI and never puts it on the command line.
package snyk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// binary is the program the adapter runs.
const binary = "snyk"

// tokenVar is the variable the Snyk CLI reads its API token from.
const tokenVar = "SNYK_TOKEN"

// installHint is shown when snyk is missing.
const installHint = "install the Snyk CLI (npm install -g snyk, or Snyk's standalone " +
	"binary), put snyk on PATH and set SNYK_TOKEN in the environment"

// versionTimeout bounds `snyk --version`.
const versionTimeout = 30 * time.Second

// quietEnv turns off the usage analytics the CLI would otherwise send.
var quietEnv = []string{"SNYK_DISABLE_ANALYTICS=1"}

// Scanner runs the Snyk CLI.
type Scanner struct {
	// Exec runs a command; tests may replace it.
	Exec func(ctx context.Context, c toolexec.Cmd) (*toolexec.Result, error)
	// LookPath resolves the binary; tests may replace it.
	LookPath func(file string) (string, error)
	// Getenv reads the environment, to keep the token off the command line;
	// tests may replace it.
	Getenv func(string) string

	mu      sync.Mutex
	version string // as Detect found it
}

var _ scanners.Scanner = (*Scanner)(nil)

// New returns the adapter with the real process runner.
func New() *Scanner {
	return &Scanner{Exec: toolexec.Run, LookPath: exec.LookPath, Getenv: os.Getenv}
}

// Name is the adapter's type name in the config.
func (s *Scanner) Name() string { return "snyk" }

// Detect finds the snyk binary and asks it for its version, which needs no
// network and no token.
func (s *Scanner) Detect(ctx context.Context, _ config.Scanner) scanners.Detection {
	path, err := s.LookPath(binary)
	if err != nil {
		return scanners.Detection{Hint: installHint}
	}

	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	res, err := s.Exec(ctx, toolexec.Cmd{Path: path, Args: []string{"--version"}, Set: quietEnv})
	if err != nil || res.ExitCode != 0 {
		why := "it did not answer --version"
		if err != nil {
			why = err.Error()
		}
		return scanners.Detection{Path: path,
			Hint: fmt.Sprintf("%s is on PATH but does not run (%s); %s", path, why, installHint)}
	}
	version, _, _ := strings.Cut(strings.TrimSpace(string(res.Stdout)), " ")
	s.mu.Lock()
	s.version = version
	s.mu.Unlock()
	return scanners.Detection{Installed: true, Path: path, Version: version}
}

// Run tests req.Target with the configured product and reads its report.
func (s *Scanner) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	cfg := req.Settings
	prod, err := productOf(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.checkArgs(cfg); err != nil {
		return nil, err
	}
	path, err := s.LookPath(binary)
	if err != nil {
		return nil, fmt.Errorf("find snyk: %w; %s", err, installHint)
	}

	res, err := s.Exec(ctx, toolexec.Cmd{
		Path: path,
		Args: prod.arguments(cfg),
		Dir:  req.Target,
		Env:  allowedEnv(cfg.Env),
		Set:  quietEnv,
		Log:  req.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("run snyk %s: %w", prod.name, err)
	}

	result, err := readRun(prod, res, req.Target)
	var partial *scanners.PartialError
	switch {
	case result != nil:
		s.stampVersion(result)
	case errors.As(err, &partial):
		s.stampVersion(partial.Result)
	}
	return result, err
}

// allowedEnv is the scanner's allow-list with the token added: the CLI
// cannot work without it, and the environment is the only way it is passed.
func allowedEnv(names []string) []string {
	if slices.Contains(names, tokenVar) {
		return names
	}
	return append(slices.Clone(names), tokenVar)
}

// checkArgs refuses extra arguments that would put a secret where every
// user of the machine can read it in the process list: the token's value,
// or a registry password (snyk container reads SNYK_REGISTRY_PASSWORD).
func (s *Scanner) checkArgs(cfg config.Scanner) error {
	token := strings.TrimSpace(s.getenv(tokenVar))
	for i, a := range cfg.Args {
		if token != "" && strings.Contains(a, token) {
			return fmt.Errorf("scanners.%s.args[%d] holds the value of %s: the token goes "+
				"only in the environment, never on the command line", cfg.Name, i, tokenVar)
		}
		if a == "--password" || strings.HasPrefix(a, "--password=") {
			return fmt.Errorf("scanners.%s.args[%d]: --password would show the registry "+
				"password in the process list; set SNYK_REGISTRY_PASSWORD and list it "+
				"under env instead", cfg.Name, i)
		}
	}
	return nil
}

func (s *Scanner) getenv(name string) string {
	if s.Getenv == nil {
		return os.Getenv(name)
	}
	return s.Getenv(name)
}

// stampVersion records the CLI's version on a result whose report did not
// carry one (Snyk's JSON never does).
func (s *Scanner) stampVersion(res *scanners.Result) {
	s.mu.Lock()
	v := s.version
	s.mu.Unlock()
	if res.Tool.Version != "" || v == "" {
		return
	}
	res.Tool.Version = v
	for i := range res.Findings {
		res.Findings[i].ToolVersion = v
	}
}
