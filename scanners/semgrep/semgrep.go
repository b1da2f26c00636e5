// Package semgrep is the adapter for Semgrep: it runs the semgrep binary on the
// target with the rules the config names, and reads Semgrep's JSON and SARIF
// reports into secgate's finding model.
package semgrep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// binary is the program the adapter runs.
const binary = "semgrep"

// installHint is shown when semgrep is missing. Semgrep is published on PyPI;
// a virtual environment keeps it away from the system Python.
const installHint = "install Semgrep: python3 -m pip install semgrep " +
	"(or pipx install semgrep), then make sure semgrep is on PATH"

// versionTimeout bounds `semgrep --version`, which starts a Python interpreter.
const versionTimeout = 30 * time.Second

// Scanner runs Semgrep.
type Scanner struct {
	// Exec runs a command; tests may replace it.
	Exec func(ctx context.Context, c toolexec.Cmd) (*toolexec.Result, error)
	// LookPath resolves the binary; tests may replace it.
	LookPath func(file string) (string, error)
}

var _ scanners.Scanner = (*Scanner)(nil)

// New returns the adapter with the real process runner.
func New() *Scanner {
	return &Scanner{Exec: toolexec.Run, LookPath: exec.LookPath}
}

// Name is the adapter's type name in the config.
func (s *Scanner) Name() string { return "semgrep" }

// Detect finds the semgrep binary and asks it for its version.
func (s *Scanner) Detect(ctx context.Context, _ config.Scanner) scanners.Detection {
	path, err := s.LookPath(binary)
	if err != nil {
		return scanners.Detection{Hint: installHint}
	}

	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	res, err := s.Exec(ctx, toolexec.Cmd{
		Path: path,
		Args: []string{"--version", "--disable-version-check"},
		Set:  quietEnv,
	})
	if err != nil || res.ExitCode != 0 {
		// Found but broken (a Python environment that moved, say): report it
		// as missing, with what went wrong, rather than fail later mid-run.
		why := "it did not answer --version"
		if err != nil {
			why = err.Error()
		}
		return scanners.Detection{Path: path,
			Hint: fmt.Sprintf("%s is on PATH but does not run (%s); %s", path, why, installHint)}
	}
	return scanners.Detection{Installed: true, Path: path,
		Version: strings.TrimSpace(string(res.Stdout))}
}

// quietEnv turns off everything Semgrep would otherwise send over the network
// on its own: usage metrics and the check for a newer version.
var quietEnv = []string{
	"SEMGREP_SEND_METRICS=off",
	"SEMGREP_ENABLE_VERSION_CHECK=0",
}

// Run scans req.Target with the configured rules and reads the JSON report.
func (s *Scanner) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	cfg := req.Settings
	if len(cfg.Config) == 0 {
		return nil, fmt.Errorf("scanners.%s.config: name at least one rule file, "+
			"directory or registry id", cfg.Name)
	}
	rules, err := ruleConfigs(cfg.Config)
	if err != nil {
		return nil, err
	}
	path, err := s.LookPath(binary)
	if err != nil {
		return nil, fmt.Errorf("find semgrep: %w; %s", err, installHint)
	}

	res, err := s.Exec(ctx, toolexec.Cmd{
		Path: path,
		Args: arguments(rules.args, append(nosem(req.Config), cfg.Args...)),
		Dir:  req.Target,
		Env:  cfg.Env,
		Set:  quietEnv,
		Log:  req.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("run semgrep: %w", err)
	}

	return readRun(res, req.Target, rules.prefixes(req.Target))
}

// arguments builds semgrep's command line. The target is "." because semgrep
// runs in it, so the paths it reports are relative to the target.
func arguments(configs, extra []string) []string {
	args := []string{"scan", "--json", "--metrics=off", "--disable-version-check"}
	for _, c := range configs {
		args = append(args, "--config", c)
	}
	args = append(args, extra...)
	return append(args, ".")
}

// readRun turns a finished semgrep process into a result. Semgrep exits 0
// whether or not it found anything (1 only with --error), and 2 or more when
// it failed; the report, never the exit code, says what was found.
func readRun(res *toolexec.Result, target string, prefixes []string) (*scanners.Result, error) {
	if res.ExitCode >= 2 {
		return nil, exitError(res)
	}
	if len(strings.TrimSpace(string(res.Stdout))) == 0 {
		return nil, fmt.Errorf("semgrep exited %d without writing a report (stderr: %s)",
			res.ExitCode, res.StderrTail)
	}

	out, err := decodeJSON(res.Stdout, "semgrep output")
	if err != nil {
		return nil, err
	}
	result := out.result(target, prefixes)
	if result.Stats.FilesScanned == 0 {
		result.Stats.Notes = append(result.Stats.Notes,
			"semgrep scanned no files: check the target and .semgrepignore")
	}
	return result, nil
}

// exitError explains a failed run with the errors semgrep put in its report,
// when it wrote one, else with the tail of its stderr.
func exitError(res *toolexec.Result) error {
	if out, err := decodeJSON(res.Stdout, "semgrep output"); err == nil && len(out.Errors) > 0 {
		var msgs []string
		for _, e := range out.Errors {
			msgs = append(msgs, e.describe())
		}
		return fmt.Errorf("semgrep exited %d: %s", res.ExitCode, strings.Join(msgs, "; "))
	}
	return fmt.Errorf("semgrep exited %d (stderr: %s)", res.ExitCode, res.StderrTail)
}

// ruleSet is the --config values for semgrep and the rule files behind them.
type ruleSet struct {
	args []string
	// dirs are the absolute directories of local rule files.
	dirs []string
}

// ruleConfigs makes local rule paths absolute, because semgrep runs in the
// target, and finds the rule files under them. A value that is not a local
// path (a registry id such as p/ci) is passed on as it is.
func ruleConfigs(values []string) (ruleSet, error) {
	var rs ruleSet
	for _, v := range values {
		if isRegistryID(v) {
			rs.args = append(rs.args, v)
			continue
		}
		abs, err := filepath.Abs(v)
		if err != nil {
			return rs, err
		}
		info, err := os.Stat(abs)
		if err != nil {
			return rs, fmt.Errorf("semgrep rules %s: %w", v, err)
		}
		rs.args = append(rs.args, abs)
		if !info.IsDir() {
			rs.dirs = append(rs.dirs, filepath.Dir(abs))
			continue
		}
		if err := filepath.WalkDir(abs, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				rs.dirs = append(rs.dirs, p)
			}
			return err
		}); err != nil {
			return rs, fmt.Errorf("semgrep rules %s: %w", v, err)
		}
	}
	return rs, nil
}

// isRegistryID tells Semgrep registry ids (p/ci, r/python.lang...) and "auto"
// from local paths. A path that exists locally is always a path.
func isRegistryID(v string) bool {
	if _, err := os.Stat(v); err == nil {
		return false
	}
	return v == "auto" || strings.HasPrefix(v, "p/") || strings.HasPrefix(v, "r/") ||
		strings.HasPrefix(v, "s/") || strings.HasPrefix(v, "https://")
}

// prefixes returns what semgrep puts before the id of a rule read from a local
// file: the file's directory, with dots for slashes, as semgrep saw it from its
// working directory. Stripping it keeps rule ids, and so policy matches and
// fingerprints, the same wherever the rules or the checkout live.
func (rs ruleSet) prefixes(cwd string) []string {
	var out []string
	for _, dir := range rs.dirs {
		forms := []string{dir}
		if rel, err := filepath.Rel(cwd, dir); err == nil {
			forms = append(forms, rel)
		}
		for _, f := range forms {
			f = strings.Trim(filepath.ToSlash(f), "/")
			if f == "" || f == "." || strings.HasPrefix(f, "..") {
				continue
			}
			out = append(out, strings.ReplaceAll(f, "/", ".")+".")
		}
	}
	return out
}

// stripPrefix removes the longest matching rule-file prefix from a check id.
func stripPrefix(id string, prefixes []string) string {
	best := ""
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) && len(p) > len(best) && len(p) < len(id) {
			best = p
		}
	}
	return strings.TrimPrefix(id, best)
}

// errNoReport is returned when a report holds neither results nor errors nor
// the keys that every semgrep report has.
var errNoReport = errors.New("not a semgrep JSON report (no results key)")

// nosem returns --disable-nosem unless the config allows in-source
// suppressions. Semgrep drops a finding marked nosemgrep from its JSON
// entirely, so the policy could not refuse the comment otherwise; with the
// flag the finding is reported as any other.
func nosem(cfg *config.Config) []string {
	if cfg != nil && cfg.AllowInlineSuppressions {
		return nil
	}
	return []string{"--disable-nosem"}
}
