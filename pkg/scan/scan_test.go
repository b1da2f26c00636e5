package scan

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/scanners"
)

// fakeScanner is an in-process adapter; the orchestration under test treats it
// exactly as it treats the real ones.
type fakeScanner struct {
	name      string
	installed bool
	run       func(ctx context.Context, req scanners.Request) (*scanners.Result, error)
}

func (f *fakeScanner) Name() string { return f.name }

func (f *fakeScanner) Detect(context.Context, config.Scanner) scanners.Detection {
	return scanners.Detection{Installed: f.installed, Hint: "install " + f.name}
}

func (f *fakeScanner) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	return f.run(ctx, req)
}

func lookupOf(adapters ...*fakeScanner) Lookup {
	return func(typ string) (scanners.Scanner, bool) {
		for _, a := range adapters {
			if a.name == typ {
				return a, true
			}
		}
		return nil, false
	}
}

func oneFinding(context.Context, scanners.Request) (*scanners.Result, error) {
	return &scanners.Result{Findings: []finding.Finding{{Tool: "ok", Rule: finding.Rule{ID: "r"}}}}, nil
}

func TestRunStates(t *testing.T) {
	adapters := lookupOf(
		&fakeScanner{name: "ok", installed: true, run: oneFinding},
		&fakeScanner{name: "missing", installed: false},
		&fakeScanner{name: "broken", installed: true,
			run: func(context.Context, scanners.Request) (*scanners.Result, error) {
				return nil, errors.New("exit status 2: invalid rule")
			}},
		&fakeScanner{name: "panics", installed: true,
			run: func(context.Context, scanners.Request) (*scanners.Result, error) {
				panic("index out of range")
			}},
		&fakeScanner{name: "slow", installed: true,
			run: func(ctx context.Context, _ scanners.Request) (*scanners.Result, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			}},
		&fakeScanner{name: "nil", installed: true,
			run: func(context.Context, scanners.Request) (*scanners.Result, error) { return nil, nil }},
	)
	cfg := &config.Config{Scanners: []config.Scanner{
		{Name: "ok", Type: "ok"},
		{Name: "missing", Type: "missing"},
		{Name: "broken", Type: "broken"},
		{Name: "panics", Type: "panics"},
		{Name: "slow", Type: "slow", Timeout: 50 * time.Millisecond},
		{Name: "nil", Type: "nil"},
		{Name: "unknown", Type: "nosuchtype"},
	}}
	r := &Runner{Lookup: adapters}
	out, err := r.Run(context.Background(), Request{Config: cfg, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}

	want := []struct {
		state State
		msg   string
	}{
		{StateOK, ""},
		{StateSkipped, "install missing"},
		{StateFailed, "invalid rule"},
		{StateFailed, "panicked"},
		{StateFailed, "raise scanners.slow.timeout"},
		{StateFailed, "no result"},
		{StateFailed, `no adapter for type "nosuchtype"`},
	}
	if len(out) != len(want) {
		t.Fatalf("got %d outcomes, want %d", len(out), len(want))
	}
	for i, w := range want {
		if out[i].State != w.state || !strings.Contains(out[i].Message, w.msg) {
			t.Errorf("%s: got %s %q, want %s containing %q",
				out[i].Name, out[i].State, out[i].Message, w.state, w.msg)
		}
	}
	if out[0].Result == nil || len(out[0].Result.Findings) != 1 {
		t.Errorf("ok scanner: result lost: %+v", out[0].Result)
	}
}

func TestRunWritesPerScannerLog(t *testing.T) {
	logging := &fakeScanner{name: "talker", installed: true,
		run: func(_ context.Context, req scanners.Request) (*scanners.Result, error) {
			_, _ = req.Log.Write([]byte("scanned 3 files\n"))
			return &scanners.Result{}, nil
		}}
	cfg := &config.Config{Scanners: []config.Scanner{{Name: "talker", Type: "talker"}}}
	out, err := (&Runner{Lookup: lookupOf(logging)}).Run(context.Background(),
		Request{Config: cfg, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out[0].LogPath)
	if err != nil || string(b) != "scanned 3 files\n" {
		t.Errorf("log %q: got %q, %v", out[0].LogPath, b, err)
	}
}

func TestRunBoundsParallelism(t *testing.T) {
	var running, peak int32
	var mu sync.Mutex
	busy := &fakeScanner{name: "busy", installed: true,
		run: func(context.Context, scanners.Request) (*scanners.Result, error) {
			n := atomic.AddInt32(&running, 1)
			mu.Lock()
			if n > peak {
				peak = n
			}
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			atomic.AddInt32(&running, -1)
			return &scanners.Result{}, nil
		}}
	cfg := &config.Config{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		cfg.Scanners = append(cfg.Scanners, config.Scanner{Name: n, Type: "busy"})
	}
	r := &Runner{Lookup: lookupOf(busy), Jobs: 2}
	if _, err := r.Run(context.Background(), Request{Config: cfg, OutDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if peak > 2 || peak < 1 {
		t.Errorf("peak concurrency: got %d, want 1..2", peak)
	}
}

func TestRunOnly(t *testing.T) {
	cfg := &config.Config{Scanners: []config.Scanner{
		{Name: "ok", Type: "ok"}, {Name: "other", Type: "ok"},
	}}
	r := &Runner{Lookup: lookupOf(&fakeScanner{name: "ok", installed: true, run: oneFinding})}

	out, err := r.Run(context.Background(), Request{Config: cfg, OutDir: t.TempDir(), Only: []string{"other"}})
	if err != nil || len(out) != 1 || out[0].Name != "other" {
		t.Errorf("--only other: got %+v, %v", out, err)
	}

	_, err = r.Run(context.Background(), Request{Config: cfg, OutDir: t.TempDir(), Only: []string{"nope"}})
	if err == nil || !strings.Contains(err.Error(), "have: ok, other") {
		t.Errorf("--only nope: got %v, want an error listing the scanners", err)
	}
}
