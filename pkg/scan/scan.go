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
	"github.com/secgate/secgate/pkg/redact"
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
	// StateEmpty: the scanner ran cleanly but counted zero files scanned or
	// zero rules loaded (see scanners.Stats), so finding nothing means
	// nothing. Its result is kept; the policy treats it like a scanner that
	// did not run, since a clean verdict would be a guess.
	StateEmpty State = "empty"
)

// Outcome is the record of one scanner's run.
type Outcome struct {
	Name      string
	Type      string
	Required  bool
	State     State
	Message   string
	Detection scanners.Detection
	// Result is what the scanner found: set when State is StateOK or
	// StateEmpty, and when a scanner that ran in part failed (a
	// *scanners.PartialError).
	Result   *scanners.Result
	Duration time.Duration
	LogPath  string
}

// FindingCount is how many findings the scanner reported, before they were
// normalized and deduplicated, whether or not they have been released.
func (o *Outcome) FindingCount() int {
	switch {
	case o.Result == nil:
		return 0
	case o.Result.Findings != nil:
		return len(o.Result.Findings)
	}
	return o.Result.Released
}

// ReleaseFindings drops the findings as the scanner reported them, keeping
// their count. The gate calls it once the findings are normalized, so that a
// large scan is held once rather than twice. The count lives in the shared
// Result, so that copies of the Outcome agree.
func (o *Outcome) ReleaseFindings() {
	if o.Result == nil || o.Result.Findings == nil {
		return
	}
	o.Result.Released = len(o.Result.Findings)
	o.Result.Findings = nil
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
	// Verify, when set, checks a scanner's detected program before it runs
	// (secgate.lock, see pkg/lock). A scanner it refuses does not run and
	// counts as a required scanner that failed, whatever the config says: a
	// program that is not the pinned one leaves the gate unable to decide.
	Verify func(s config.Scanner, d scanners.Detection) error
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
	if r.Verify != nil {
		if err := r.Verify(s, out.Detection); err != nil {
			out.State, out.Message, out.Required = StateFailed, err.Error(), true
			return out
		}
	}

	res, logPath, err := r.invoke(ctx, adapter, req, s)
	out.LogPath = logPath
	if err != nil {
		out.State, out.Message = StateFailed, failure(s, err, logPath)
		// The parts that ran keep their findings in the reports; the failure
		// still leaves a gate that requires the scanner unable to pass.
		var partial *scanners.PartialError
		if errors.As(err, &partial) {
			out.Result = partial.Result
		}
		return out
	}
	out.State, out.Result = StateOK, res
	if why := emptyScan(res.Stats); why != "" {
		out.State, out.Message = StateEmpty, why
	}
	for _, n := range res.Stats.Notes {
		r.logger().Debug("scanner note", "scanner", s.Name, "note", n)
	}
	return out
}

// emptyScan says why a clean run scanned nothing, from the counts the adapter
// vouches for, with its notes, which usually say what to check; "" when the
// run looked at something or the adapter could not count.
func emptyScan(st scanners.Stats) string {
	var what []string
	if st.FilesCounted && st.FilesScanned == 0 {
		what = append(what, "0 files scanned")
	}
	if st.RulesCounted && st.RulesLoaded == 0 {
		what = append(what, "0 rules loaded")
	}
	if len(what) == 0 {
		return ""
	}
	msg := strings.Join(what, ", ")
	if len(st.Notes) > 0 {
		msg += " (" + strings.Join(st.Notes, "; ") + ")"
	}
	return msg
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
	// A tool may echo its environment or the secret it found; its log
	// passes the redactor like everything else secgate writes.
	log := redact.NewWriter(logFile)
	defer log.Flush()

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
		Log:      log,
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
	tool := s.Type
	if d.Missing != "" {
		tool = d.Missing
	}
	msg := fmt.Sprintf("%s is not installed", tool)
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
