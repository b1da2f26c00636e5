// Package command is the adapter for tools secgate does not know: the config
// names any executable with its arguments as a list (never a shell), the
// format of the report it writes (sarif, or any format secgate convert
// reads), its working directory inside the repository, the environment
// variables it may see, and a timeout. This is how a team plugs in its own
// checker without waiting for a built-in adapter.
package command

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// ParserFor returns a format's parser, given the config for formats that
// apply a policy of their own (an SBOM's licences); cfg may be nil.
type ParserFor func(cfg *config.Config) scanners.Parser

// Scanner runs a configured command and reads its report.
type Scanner struct {
	// Parsers are the report formats by name, as scanners/registry lists them
	// (this package cannot import the registry, which imports it).
	Parsers map[string]ParserFor
	// Exec runs the command and LookPath finds it; tests replace them.
	Exec     func(ctx context.Context, c toolexec.Cmd) (*toolexec.Result, error)
	LookPath func(file string) (string, error)
}

var _ scanners.Scanner = (*Scanner)(nil)

// New returns the adapter reading the given formats, with the real runner.
func New(parsers map[string]ParserFor) *Scanner {
	return &Scanner{Parsers: parsers, Exec: toolexec.Run, LookPath: exec.LookPath}
}

// Name implements scanners.Scanner.
func (s *Scanner) Name() string { return "command" }

// Detect finds the program. A program given with a slash is a path relative
// to the repository root (the directory secgate runs in), else it is looked
// up on PATH. There is no version to ask for: secgate does not know the tool.
func (s *Scanner) Detect(_ context.Context, cfg config.Scanner) scanners.Detection {
	if len(cfg.Command) == 0 {
		return scanners.Detection{Hint: fmt.Sprintf("set scanners.%s.command", cfg.Name)}
	}
	cwd, _ := os.Getwd()
	path, err := s.LookPath(program(cwd, cfg.Command[0]))
	if err != nil {
		return scanners.Detection{Hint: fmt.Sprintf("install %s or fix scanners.%s.command",
			cfg.Command[0], cfg.Name)}
	}
	return scanners.Detection{Installed: true, Path: path}
}

// program makes a relative path with a slash absolute against root, so that
// it does not depend on the tool's working directory.
func program(root, name string) string {
	if strings.ContainsRune(name, '/') && !filepath.IsAbs(name) {
		return filepath.Join(root, name)
	}
	return name
}

// Run runs the command in its directory and parses what it wrote.
func (s *Scanner) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	set := req.Settings
	parse, err := s.parser(req)
	if err != nil {
		return nil, err
	}
	if len(set.Command) == 0 {
		return nil, fmt.Errorf("%s: no command to run", where(req))
	}
	dir, err := workDir(req)
	if err != nil {
		return nil, err
	}

	out := outputPath(dir, set.Output)
	before := stat(out)
	res, err := s.Exec(ctx, toolexec.Cmd{
		Path: program(req.Root, set.Command[0]),
		Args: set.Command[1:],
		Dir:  dir,
		Env:  set.Env,
		Log:  req.Log,
		// What the tool prints is its report, so the report limit bounds it.
		MaxOutput: maxOutput(req.Config),
	})
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", set.Command[0], err)
	}
	return read(res, req, parse, dir, out, before)
}

// parser finds the configured format, naming the config line when unknown.
func (s *Scanner) parser(req scanners.Request) (scanners.Parser, error) {
	format := strings.ToLower(strings.TrimSpace(req.Settings.Format))
	if p, ok := s.Parsers[format]; ok {
		return p(req.Config), nil
	}
	names := make([]string, 0, len(s.Parsers))
	for n := range s.Parsers {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("%s: scanners.%s.format: unknown format %q (known: %s)",
		where(req), req.Settings.Name, req.Settings.Format, strings.Join(names, ", "))
}

// where names the scanner's place in the config, "secgate.yaml:14".
func where(req scanners.Request) string {
	file := "the config"
	if req.Config != nil && req.Config.File != "" {
		file = req.Config.File
	}
	if req.Settings.Pos.Line > 0 {
		return fmt.Sprintf("%s:%d", file, req.Settings.Pos.Line)
	}
	return file
}

// workDir resolves the configured directory (default: the target) and checks,
// with symbolic links followed, that it is a directory inside the repository.
func workDir(req scanners.Request) (string, error) {
	if req.Settings.Dir == "" {
		return req.Target, nil
	}
	dir := filepath.Join(req.Root, filepath.FromSlash(req.Settings.Dir))
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("scanners.%s.dir: %w", req.Settings.Name, err)
	}
	root, err := filepath.EvalSymlinks(req.Root)
	if err != nil {
		return "", fmt.Errorf("repository root: %w", err)
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("scanners.%s.dir: %s leads outside the repository (to %s)",
			req.Settings.Name, req.Settings.Dir, real)
	}
	if info, err := os.Stat(real); err != nil || !info.IsDir() {
		return "", fmt.Errorf("scanners.%s.dir: %s is not a directory", req.Settings.Name,
			req.Settings.Dir)
	}
	return real, nil
}

// outputPath is where the report is read from: "" for stdout, else the output
// file relative to the tool's working directory.
func outputPath(dir, output string) string {
	if output == "" || filepath.IsAbs(output) {
		return output
	}
	return filepath.Join(dir, output)
}

func stat(path string) os.FileInfo {
	if path == "" {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	return info
}

// read checks how the tool ended and parses its report. Exit 0 and 1 are the
// two ways tools say "done" (1 often meaning "found something"); any other
// exit, a missing or stale output file, or an empty report is a failure, so
// that a tool that did not finish is never read as one that found nothing.
func read(res *toolexec.Result, req scanners.Request, parse scanners.Parser, dir, out string,
	before os.FileInfo) (*scanners.Result, error) {
	name := req.Settings.Command[0]
	if res.ExitCode != 0 && res.ExitCode != 1 {
		return nil, fmt.Errorf("%s exited %d (stderr: %s)", name, res.ExitCode, tail(res))
	}

	data, source, err := report(res, name, out, before)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s exited %d and wrote an empty report to %s (stderr: %s)",
			name, res.ExitCode, source, tail(res))
	}

	result, err := parse(bytes.NewReader(data), source)
	if err != nil {
		return nil, fmt.Errorf("%s exited %d: %w", name, res.ExitCode, err)
	}
	result.BaseDir = dir
	if result.Tool.Name == "" {
		result.Tool = scanners.ToolInfo{Name: req.Settings.Name, DisplayName: name}
	}
	if res.ExitCode != 0 {
		result.Stats.Notes = append(result.Stats.Notes, fmt.Sprintf("%s exited %d", name,
			res.ExitCode))
	}
	return result, nil
}

// report returns the bytes of the report: stdout, or the output file, which
// must have been written by this run and not be left from an earlier one.
func report(res *toolexec.Result, name, out string, before os.FileInfo) ([]byte, string, error) {
	if out == "" {
		return res.Stdout, name + " (stdout)", nil
	}
	after, err := os.Stat(out)
	if err != nil {
		return nil, "", fmt.Errorf("%s exited %d without writing %s: %w (stderr: %s)",
			name, res.ExitCode, out, err, tail(res))
	}
	if before != nil && os.SameFile(before, after) && before.Size() == after.Size() &&
		before.ModTime().Equal(after.ModTime()) {
		return nil, "", fmt.Errorf("%s exited %d without writing %s: the file is left "+
			"from before the run (stderr: %s)", name, res.ExitCode, out, tail(res))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", out, err)
	}
	return data, out, nil
}

func tail(res *toolexec.Result) string {
	if res.StderrTail == "" {
		return "empty"
	}
	return res.StderrTail
}

// maxOutput is the limits.max_report_bytes of cfg, or toolexec's default.
func maxOutput(cfg *config.Config) int64 {
	if cfg == nil {
		return 0
	}
	return cfg.Limits.ReportBytes()
}
