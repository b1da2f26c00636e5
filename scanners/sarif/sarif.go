// Package sarif is the adapter for any tool that writes SARIF: it imports SARIF
// files that an earlier step wrote, or runs a command that writes SARIF. This is
// how gitleaks, gosec, trivy, checkov, bandit and CodeQL plug into secgate.
package sarif

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/sariflog"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// Scanner imports SARIF.
type Scanner struct {
	// Exec runs a command; tests replace it.
	Exec func(ctx context.Context, c toolexec.Cmd) (*toolexec.Result, error)
	// LookPath resolves a command; tests replace it.
	LookPath func(file string) (string, error)
}

var _ scanners.Scanner = (*Scanner)(nil)

// New returns the adapter with the real process runner.
func New() *Scanner {
	return &Scanner{Exec: toolexec.Run, LookPath: lookPath}
}

// Name implements scanners.Scanner.
func (s *Scanner) Name() string { return "sarif" }

// Detect reports a command's binary; importing files needs nothing installed.
func (s *Scanner) Detect(_ context.Context, cfg config.Scanner) scanners.Detection {
	if len(cfg.Command) == 0 {
		return scanners.Detection{Installed: true}
	}
	path, err := s.LookPath(cfg.Command[0])
	if err != nil {
		return scanners.Detection{Hint: fmt.Sprintf("install %s or fix scanners.%s.command",
			cfg.Command[0], cfg.Name)}
	}
	return scanners.Detection{Installed: true, Path: path}
}

// Run imports the configured files, or runs the command and imports its output.
func (s *Scanner) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	if len(req.Settings.Command) > 0 {
		return s.runCommand(ctx, req)
	}
	return importFiles(req.Settings.Files)
}

func (s *Scanner) runCommand(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	cmd := req.Settings.Command
	before := statOutput(req)
	res, err := s.Exec(ctx, toolexec.Cmd{
		Path: cmd[0],
		Args: cmd[1:],
		Dir:  req.Target,
		Env:  req.Settings.Env,
		Log:  req.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", cmd[0], err)
	}

	data, source, err := commandOutput(req, res, before)
	if err != nil {
		return nil, err
	}
	// The exit code is not read for findings: tools disagree on what 1 means,
	// and the report is the truth. It only explains a missing report.
	result, err := parseSARIF(bytes.NewReader(data), source, req.Target)
	if err != nil {
		if res.ExitCode != 0 {
			return nil, fmt.Errorf("%s exited %d: %w (stderr: %s)",
				cmd[0], res.ExitCode, err, res.StderrTail)
		}
		return nil, err
	}
	return result, nil
}

// commandOutput finds the SARIF the command wrote: its stdout, or the output
// file, which must have been written by this run and not be left from before.
func commandOutput(req scanners.Request, res *toolexec.Result,
	before os.FileInfo) ([]byte, string, error) {
	name := req.Settings.Command[0]
	path := outputPath(req)
	if path == "" {
		return res.Stdout, name + " (stdout)", nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("%s exited %d without writing %s: %w (stderr: %s)",
			name, res.ExitCode, path, err, res.StderrTail)
	}
	if before != nil && unchanged(before, info) {
		return nil, "", fmt.Errorf("%s exited %d without writing %s: the file is left "+
			"from before the run (stderr: %s)", name, res.ExitCode, path, res.StderrTail)
	}
	data, err := os.ReadFile(path)
	return data, path, err
}

// outputPath is the absolute path of the output file, or "" for stdout.
func outputPath(req scanners.Request) string {
	path := req.Settings.Output
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(req.Target, path)
}

// statOutput records the output file as it is before the run, nil when there
// is none. Comparing with it after the run tells a file the tool wrote from one
// left by an earlier run, without trusting the clock: a file written a moment
// before the run, or on a file system whose clock differs, has a modification
// time that says nothing about which run wrote it.
func statOutput(req scanners.Request) os.FileInfo {
	path := outputPath(req)
	if path == "" {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	return info
}

// unchanged reports whether the file is the same one, untouched. A tool that
// rewrites the file in place with the same size within one tick of a coarse
// file system clock is taken for one that did not write it: the run fails
// rather than risk reading old findings.
func unchanged(before, after os.FileInfo) bool {
	return os.SameFile(before, after) && before.Size() == after.Size() &&
		before.ModTime().Equal(after.ModTime())
}

func importFiles(patterns []string) (*scanners.Result, error) {
	if len(patterns) == 0 {
		return nil, errors.New("nothing to import: set files or command")
	}
	merged := &scanners.Result{}
	for _, pattern := range patterns {
		matches, err := doublestar.FilepathGlob(pattern)
		if err != nil {
			return nil, fmt.Errorf("files %q: %w", pattern, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("files %q: no file matches", pattern)
		}
		for _, m := range matches {
			data, err := os.ReadFile(m)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", m, err)
			}
			base, _ := filepath.Abs(".")
			res, err := parseSARIF(bytes.NewReader(data), m, base)
			if err != nil {
				return nil, err
			}
			mergeInto(merged, res)
		}
	}
	return merged, nil
}

// Parse reads a SARIF report for secgate convert.
func Parse(r io.Reader, source string) (*scanners.Result, error) {
	base, _ := filepath.Abs(".")
	return parseSARIF(r, source, base)
}

// parseSARIF turns every run of a SARIF log into one result, its paths relative
// to base. A run whose %SRCROOT% names another directory gets its paths turned
// into file URIs under that directory, because runs in one file need not share a
// root; the normalizer decodes both forms the same way.
func parseSARIF(r io.Reader, source, base string) (*scanners.Result, error) {
	runs, err := sariflog.Read(r, source)
	if err != nil {
		return nil, err
	}
	res := &scanners.Result{BaseDir: base}
	total := 0
	for _, run := range runs {
		total += len(run.Findings)
	}
	res.Findings = make([]finding.Finding, 0, total)
	for i, run := range runs {
		if !run.Successful {
			return nil, fmt.Errorf("%s: run %d (%s) says the tool did not run successfully: %s",
				source, i+1, run.Tool.DisplayName, strings.Join(run.Errors, "; "))
		}
		info := scanners.ToolInfo(run.Tool)
		if i == 0 {
			res.Tool = info
		} else {
			res.Tools = append(res.Tools, info)
		}
		for _, f := range run.Findings {
			if run.BaseDir != "" && run.BaseDir != base && isRelative(f.Location.Path) {
				f.Location.Path = fileURI(run.BaseDir, f.Location.Path)
			}
			res.Findings = append(res.Findings, f)
		}
		res.Stats.Notes = append(res.Stats.Notes, run.Errors...)
	}
	return res, nil
}

func isRelative(p string) bool {
	return p != "" && !filepath.IsAbs(p) && !strings.Contains(p, "://") &&
		!strings.HasPrefix(p, "file:")
}

// fileURI escapes the directory and the relative path together: the
// normalizer decodes the URI once, so an unescaped rel holding a literal
// "%41" would come back as "A" and name a file that does not exist.
func fileURI(dir, rel string) string {
	p := strings.TrimSuffix(filepath.ToSlash(dir), "/") + "/" + rel
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}

// mergeInto adds one file's result to the merged import.
func mergeInto(dst, src *scanners.Result) {
	if dst.Tool.Name == "" {
		dst.Tool = src.Tool
	} else if src.Tool.Name != "" {
		dst.Tools = append(dst.Tools, src.Tool)
	}
	dst.Tools = append(dst.Tools, src.Tools...)
	dst.BaseDir = src.BaseDir
	dst.Findings = append(dst.Findings, src.Findings...)
	dst.Stats.Notes = append(dst.Stats.Notes, src.Stats.Notes...)
}

func lookPath(file string) (string, error) { return exec.LookPath(file) }
