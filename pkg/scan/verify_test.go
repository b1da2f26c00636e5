package scan

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/scanners"
)

// TestRunVerify: a scanner whose program the verifier refuses is not run,
// fails, and counts as required even when the config says it is not.
func TestRunVerify(t *testing.T) {
	ran := map[string]bool{}
	run := func(name string) func(context.Context, scanners.Request) (*scanners.Result, error) {
		return func(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
			ran[name] = true
			return oneFinding(ctx, req)
		}
	}
	r := &Runner{
		Jobs: 1,
		Lookup: lookupOf(&fakeScanner{name: "good", installed: true, run: run("good")},
			&fakeScanner{name: "bad", installed: true, run: run("bad")}),
		Verify: func(s config.Scanner, _ scanners.Detection) error {
			if s.Name == "bad" {
				return errors.New("scanner bad runs /x with sha256 1, expected 2")
			}
			return nil
		},
	}
	cfg := &config.Config{Scanners: []config.Scanner{
		{Name: "good", Type: "good"}, {Name: "bad", Type: "bad", Required: false}}}

	out, err := r.Run(context.Background(), Request{Config: cfg, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].State != StateOK || !ran["good"] {
		t.Errorf("good: got %s (ran %v), want ok", out[0].State, ran["good"])
	}
	if out[1].State != StateFailed || !out[1].Required || ran["bad"] ||
		!strings.Contains(out[1].Message, "expected 2") {
		t.Errorf("bad: got %s required=%v ran=%v %q; want failed, required, not run",
			out[1].State, out[1].Required, ran["bad"], out[1].Message)
	}
}
