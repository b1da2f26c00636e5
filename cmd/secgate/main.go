// Command secgate is a security gate for CI and git hooks: it runs scanners,
// normalizes what they find into one SARIF log, applies a YAML policy and exits
// 0 (passed), 1 (blocked by the policy) or 2 (could not decide).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/iostreams"
	"github.com/secgate/secgate/pkg/redact"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	streams := iostreams.System()
	// Every byte secgate prints passes the redactor, which withholds the
	// tokens of the environment and, later, the secrets the config names
	// and the values secret findings quote.
	redact.RegisterEnv(os.Getenv, redact.TokenVars...)
	out, errOut := redact.NewWriter(streams.Out), redact.NewWriter(streams.ErrOut)
	streams.Out, streams.ErrOut = out, errOut
	defer func() { _, _ = out.Flush(), errOut.Flush() }()

	// One root context: Ctrl-C or a CI cancellation stops every scanner, and
	// what is known so far is still reported.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	root := newRootCmd(newFactory(streams, buildVersion()))
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)

	var silent *exitcode.SilentError
	if err != nil && !errors.As(err, &silent) {
		fmt.Fprintf(streams.ErrOut, "secgate: %s\n", iostreams.Clean(err.Error()))
	}
	return exitcode.Code(err)
}
