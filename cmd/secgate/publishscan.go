package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/secgate/secgate/pkg/bundle"
	"github.com/secgate/secgate/pkg/ci"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/report"
)

// publishTarget is the --publish flag of scan: where to post the result.
type publishTarget string

func (p *publishTarget) String() string { return string(*p) }
func (p *publishTarget) Type() string   { return "target" }

// Set accepts the targets secgate can publish to.
func (p *publishTarget) Set(v string) error {
	if v != "github" {
		return fmt.Errorf("unknown publish target %q (want github)", v)
	}
	*p = publishTarget(v)
	return nil
}

// addScanPublishFlags adds to scan what it needs to publish its result or
// hand it on in a bundle.
func addScanPublishFlags(fl *pflag.FlagSet, p *publishFlags) {
	fl.Var((*publishTarget)(&p.To), "publish", "post the result to the pull request: github")
	fl.StringVar(&p.Bundle, "bundle", "", "write a result bundle into this directory, for "+
		"secgate publish github --from-bundle (fork pull requests)")
	addPublishFlags(fl, p)
}

// afterGate writes the result bundle and publishes the result, as the flags
// ask, and returns the command's error: the verdict, which a publishing
// problem changes only under publish_errors: fail.
func afterGate(f *factory, data *report.Data, in gateInput, verdict error) error {
	p := in.Publish
	if p == nil || (p.To == "" && p.Bundle == "") {
		return verdict
	}
	env := ci.OSEnv()
	c, err := ci.Detect(env)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "warning: %v\n", err)
	}
	anchor := configInRepo(in)

	if p.Bundle != "" {
		pr := bundlePR(c, p)
		if err := bundle.Write(p.Bundle, bundle.FromData(data, pr, anchor, c.RunURL), data); err != nil {
			return exitcode.Undecide(fmt.Errorf("write the result bundle: %w", err))
		}
		f.Logger().Debug("result bundle written", "dir", p.Bundle)
	}
	if p.To == "" {
		return verdict
	}
	if c.ReadOnlyToken {
		fmt.Fprintln(f.IO.ErrOut, "secgate: not publishing: this pull request's token is "+
			"read-only (a fork or Dependabot). Write a bundle with --bundle and publish it "+
			"from a workflow_run job; see docs/github.md.")
		return verdict
	}
	return publishScan(f, data, in, c, anchor, verdict)
}

func publishScan(f *factory, data *report.Data, in gateInput, c ci.Context, anchor string,
	verdict error) error {
	sarif, err := renderSARIF(data)
	if err != nil {
		return exitcode.Undecide(err)
	}
	job := &publishJob{f: f, Data: data, SARIF: sarif, Config: in.Config, Root: in.Root,
		CI: c, Flags: *in.Publish, Getenv: os.Getenv, Anchor: anchor}
	ctx := in.Publish.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	problems, err := job.run(ctx)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "secgate: could not publish: %v\n", err)
		problems++
	}
	return withPublishProblems(verdict, problems, in.Config)
}

// bundlePR records the pull request as this job sees it.
func bundlePR(c ci.Context, p *publishFlags) bundle.PR {
	pr := bundle.PR{Repository: firstSet(p.Repo, c.Repository), Number: p.PR,
		HeadSHA: firstSet(p.HeadSHA, c.HeadSHA), BaseSHA: firstSet(p.BaseSHA, c.BaseSHA),
		HeadRef: c.HeadRef, BaseRef: c.BaseRef}
	if pr.Number == 0 {
		pr.Number = c.PR
	}
	return pr
}

// configInRepo is the config's path relative to the repository root, the
// anchor for code scanning results without a file; "" when outside.
func configInRepo(in gateInput) string {
	abs, err := filepath.Abs(in.Config.File)
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(in.Root, abs)
	if err != nil || rel == ".." || filepath.IsAbs(rel) || len(rel) > 2 && rel[:3] == "../" {
		return ""
	}
	return filepath.ToSlash(rel)
}

// publish hands the publish flags to the gate with the command's context.
func (o *scanOptions) publish(cmd *cobra.Command) *publishFlags {
	o.Publish.ctx = cmd.Context()
	return &o.Publish
}
