package zap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// scripts are ZAP's packaged scan scripts, by the config's name for them.
// ZAP's container images have them on PATH.
var scripts = map[string]string{
	"baseline": "zap-baseline.py",
	"full":     "zap-full-scan.py",
	"api":      "zap-api-scan.py",
}

const scriptHint = "ZAP's scan scripts come with its container images " +
	"(zaproxy/zap-stable): run secgate inside one, or drive a running ZAP with daemon, " +
	"or import its report with report"

// The exit codes of ZAP's scan scripts. Findings are read from the report
// whatever the code; the code only tells whether the script got that far.
const (
	exitPass  = 0 // no alert at WARN or FAIL
	exitFail  = 1 // at least one FAIL
	exitWarn  = 2 // at least one WARN and no FAIL
	exitError = 3 // anything else: a bad option or rules file, ZAP not starting, no URL reached
)

// fileName matches what may not go into a file name made of a scanner's
// name, which the config may spell with slashes or dots.
var fileName = regexp.MustCompile(`[^A-Za-z0-9_-]`)

func (s *Scanner) detectScript(script string) scanners.Detection {
	name := scripts[script]
	path, err := s.LookPath(name)
	if err != nil {
		return scanners.Detection{Hint: fmt.Sprintf("%s is not on PATH; %s", name, scriptHint)}
	}
	// The scripts have no version option; asking would start ZAP.
	return scanners.Detection{Installed: true, Path: path}
}

// runScript runs a scan script with the config's target and reads the JSON
// report it writes. The config's rules file is not passed on (-c): secgate
// applies it as policy, and ZAP would want it inside its own work directory.
func (s *Scanner) runScript(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	cfg := &req.Settings
	name := scripts[cfg.ZAP.Script]
	if name == "" {
		return nil, fmt.Errorf("scanners.%s.script: unknown scan script %q", cfg.Name,
			cfg.ZAP.Script)
	}
	if err := checkTarget(cfg.Name, cfg.ZAP.Target); err != nil {
		return nil, err
	}
	path, err := s.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w; %s", name, err, scriptHint)
	}

	work, report, err := workFiles(req)
	if err != nil {
		return nil, err
	}
	res, err := s.Exec(ctx, toolexec.Cmd{
		Path: path,
		Args: scriptArgs(req, report),
		Dir:  work,
		Env:  cfg.Env,
		Log:  req.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", name, err)
	}
	return s.scriptResult(req, name, res, []string{
		filepath.Join(work, report), filepath.Join(s.WrkDir, report),
	})
}

// workFiles creates the script's working directory under the output
// directory and names its report: a name of its own for each run, so that a
// report left by an earlier run is never read as this one's.
func workFiles(req scanners.Request) (work, report string, err error) {
	base := fileName.ReplaceAllString(req.Settings.Name, "_")
	work = filepath.Join(req.OutDir, "zap-"+base)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return "", "", fmt.Errorf("create zap work directory: %w", err)
	}
	stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
	return work, "secgate-" + base + "-" + stamp + ".json", nil
}

// scriptArgs puts the config's own arguments first, so that the target and
// the report that secgate sets come last and win.
func scriptArgs(req scanners.Request, report string) []string {
	z := &req.Settings.ZAP
	args := append([]string{}, req.Settings.Args...)
	args = append(args, "-t", z.Target)
	if z.Script == "api" {
		args = append(args, "-f", z.APIFormat)
	}
	return append(args, "-J", report)
}

// scriptResult maps the script's exit code. 0, 1 and 2 are runs that got to
// the end (pass, FAIL, WARN only), and the report says what was found; 3 and
// anything else mean the scan did not happen as asked, whatever report there
// may be. A report missing after 0, 1 or 2 is a failure too.
func (s *Scanner) scriptResult(req scanners.Request, name string, res *toolexec.Result,
	candidates []string) (*scanners.Result, error) {
	switch res.ExitCode {
	case exitPass, exitFail, exitWarn:
	case exitError:
		return nil, fmt.Errorf("%s exited 3: ZAP could not do the scan (a bad option or rules "+
			"file, ZAP failing to start, or no URL reached at %s) (stderr: %s)",
			name, req.Settings.ZAP.Target, res.StderrTail)
	default:
		return nil, fmt.Errorf("%s exited %d, which ZAP's scan scripts never do (stderr: %s)",
			name, res.ExitCode, res.StderrTail)
	}

	for _, path := range candidates {
		result, err := readReportFile(path, decodeAny, &req.Settings.ZAP)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s exited %d: %w", name, res.ExitCode, err)
		}
		result.Artifacts = append(result.Artifacts, path)
		return result, nil
	}
	return nil, fmt.Errorf("%s exited %d without writing its report (looked for %v) "+
		"(stderr: %s)", name, res.ExitCode, candidates, res.StderrTail)
}
