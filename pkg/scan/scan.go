// Package scan runs the configured scanners: each through its adapter, in
// parallel up to a bound, each with its own timeout and its own log file, and
// reports what became of every one of them.
package scan

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/scanners"
)

// State is what became of one scanner.
type State string

// The states a scanner ends in.
const (
	// StateOK: the scanner ran and its output was read.
	StateOK State = "ok"
	// StateSkipped: the scanner's tool is not installed here.
	StateSkipped State = "skipped"
	// StateFailed: the scanner ran but failed, timed out, or wrote output that
	// cannot be trusted.
	StateFailed State = "failed"
)

// Outcome is the record of one scanner's run.
type Outcome struct {
	Name      string
	Type      string
	Required  bool
	State     State
	Message   string
	Detection scanners.Detection
	Result    *scanners.Result // nil unless State is StateOK
	Duration  time.Duration
	LogPath   string
}

// Lookup finds the adapter for a scanner type.
type Lookup func(typ string) (scanners.Scanner, bool)

// Runner runs scanners.
type Runner struct {
	Lookup Lookup
	// Jobs bounds how many scanners run at once; zero means the CPU count.
	Jobs int
	Log  *slog.Logger
	// Progress, when set, is told as each scanner starts and ends.
	Progress func(name string, state State, d time.Duration)
}

// Request says what to scan.
type Request struct {
	Config *config.Config
	Root   string // absolute repository root
	Target string // absolute directory to scan
	OutDir string // absolute directory for artifacts and logs
	// Only, when set, limits the run to these scanner names.
	Only []string
}

// Run runs every selected scanner and returns one Outcome per scanner, in the
// order of the config. It returns an error only when Only names a scanner the
// config does not have; every scanner failure is an Outcome.
func (r *Runner) Run(ctx context.Context, req Request) ([]Outcome, error) {
	selected, err := selectScanners(req.Config.Scanners, req.Only)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(req.OutDir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}

	outcomes := make([]Outcome, len(selected))
	sem := make(chan struct{}, r.jobs())
	var wg sync.WaitGroup
	for i, s := range selected {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			outcomes[i] = r.runOne(ctx, req, s)
		}()
	}
	wg.Wait()
	return outcomes, nil
}

func (r *Runner) jobs() int {
	if r.Jobs > 0 {
		return r.Jobs
	}
	return runtime.NumCPU()
}

func (r *Runner) runOne(ctx context.Context, req Request, s config.Scanner) (out Outcome) {
	out = Outcome{Name: s.Name, Type: s.Type, Required: s.Required}
	start := time.Now()
	r.progress(s.Name, "", 0)
	defer func() {
		// An adapter that panics is a failed scanner, never a crashed gate.
		if p := recover(); p != nil {
			out.State, out.Message, out.Result = StateFailed, fmt.Sprintf("adapter panicked: %v", p), nil
		}
		out.Duration = time.Since(start)
		r.progress(s.Name, out.State, out.Duration)
		r.logger().Debug("scanner finished", "scanner", s.Name, "state", out.State,
			"duration", out.Duration.Round(time.Millisecond))
	}()

	adapter, ok := r.Lookup(s.Type)
	if !ok {
		out.State, out.Message = StateFailed, fmt.Sprintf("no adapter for type %q", s.Type)
		return out
	}
	out.Detection = adapter.Detect(ctx, s)
	if !out.Detection.Installed {
		out.State, out.Message = StateSkipped, notInstalled(s, out.Detection)
		return out
	}

	res, logPath, err := r.invoke(ctx, adapter, req, s)
	out.LogPath = logPath
	if err != nil {
		out.State, out.Message = StateFailed, failure(s, err, logPath)
		return out
	}
	out.State, out.Result = StateOK, res
	return out
}

// invoke runs the adapter with the scanner's timeout and its log file open.
func (r *Runner) invoke(ctx context.Context, adapter scanners.Scanner, req Request,
	s config.Scanner) (*scanners.Result, string, error) {
	logPath := filepath.Join(req.OutDir, "logs", s.Name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, "", fmt.Errorf("create log file: %w", err)
	}
	defer logFile.Close()

	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	res, err := adapter.Run(ctx, scanners.Request{
		Root:     req.Root,
		Target:   req.Target,
		Settings: s,
		Config:   req.Config,
		OutDir:   req.OutDir,
		Log:      logFile,
	})
	if err == nil && res == nil {
		err = errors.New("adapter returned no result")
	}
	return res, logPath, err
}

func (r *Runner) progress(name string, state State, d time.Duration) {
	if r.Progress != nil {
		r.Progress(name, state, d)
	}
}

func (r *Runner) logger() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.New(slog.DiscardHandler)
}

func notInstalled(s config.Scanner, d scanners.Detection) string {
	msg := fmt.Sprintf("%s is not installed", s.Type)
	if d.Hint != "" {
		msg += "; " + d.Hint
	}
	return msg
}

func failure(s config.Scanner, err error, logPath string) string {
	msg := err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		msg = fmt.Sprintf("timed out after %s (raise scanners.%s.timeout)", s.Timeout, s.Name)
	}
	if logPath != "" {
		msg += " (log: " + logPath + ")"
	}
	return msg
}

func selectScanners(all []config.Scanner, only []string) ([]config.Scanner, error) {
	if len(only) == 0 {
		return all, nil
	}
	byName := make(map[string]config.Scanner, len(all))
	for _, s := range all {
		byName[s.Name] = s
	}
	var picked []config.Scanner
	for _, name := range only {
		s, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("--only %s: no scanner of that name in the config (have: %s)",
				name, names(all))
		}
		picked = append(picked, s)
	}
	return picked, nil
}

func names(all []config.Scanner) string {
	var n []string
	for _, s := range all {
		n = append(n, s.Name)
	}
	if len(n) == 0 {
		return "none"
	}
	sort.Strings(n)
	return strings.Join(n, ", ")
}
