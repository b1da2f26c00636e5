// Package github publishes a gate's result to a GitHub pull request: one
// sticky summary comment per gate, inline review comments on the lines the
// change touches, a check run (or a commit status where the token cannot
// create one) and, when asked, an upload of the SARIF log to code scanning.
//
// Everything it posts is idempotent: a re-run edits what it posted before
// and adds nothing that is already there. It stays within GitHub's limits on
// sizes, batches and request rates, and a refused call is reported with the
// permission it needs while the other features still run.
package github

import (
	"context"
	"time"
)

// Clock tells the time and waits. Tests give a fake one, so that waiting for
// a rate limit to reset takes no real time.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever is first.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now implements Clock.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep implements Clock.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
