package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/secgate/secgate/pkg/bundle"
	"github.com/secgate/secgate/pkg/ci"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/policy"
	ghpub "github.com/secgate/secgate/pkg/publish/github"
	"github.com/secgate/secgate/pkg/report"
)

// publishFlags say where a result is published and what to post; scan and
// publish share them. The token is never a flag: flags show in ps and in CI
// logs. It is read from the variable TokenEnv names.
type publishFlags struct {
	To     string // scan only: "github" publishes after gating
	Bundle string // scan only: write a result bundle into this directory

	Repo        string
	PR          int
	HeadSHA     string
	BaseSHA     string
	Ref         string
	CommitSHA   string
	APIURL      string
	TokenEnv    string
	Author      string
	DiffSource  string
	SARIFURL    string
	UploadSARIF bool
	Skip        []string

	// clock replaces the wall clock in tests, so rate-limit waits take no
	// time; ctx is the command's context. Neither is a flag.
	clock ghpub.Clock
	ctx   context.Context
}

func addPublishFlags(fl *pflag.FlagSet, p *publishFlags) {
	fl.StringVar(&p.Repo, "repo", "", "GitHub repository owner/name (default: from CI)")
	fl.IntVar(&p.PR, "pr", 0, "pull request number (default: from CI)")
	fl.StringVar(&p.HeadSHA, "head-sha", "", "the PR's head commit (default: from CI)")
	fl.StringVar(&p.BaseSHA, "base-sha", "", "the PR's base commit, for --diff-source git")
	fl.StringVar(&p.Ref, "ref", "", "ref for the code scanning upload (default refs/pull/N/head)")
	fl.StringVar(&p.CommitSHA, "commit-sha", "", "commit for the code scanning upload "+
		"(default: the head); pair it with --ref")
	fl.StringVar(&p.APIURL, "api-url", "", "GitHub API URL; for Enterprise Server the host "+
		"(default: GITHUB_API_URL, else api.github.com)")
	fl.StringVar(&p.TokenEnv, "token-env", "GITHUB_TOKEN",
		"name of the environment variable that holds the token")
	fl.StringVar(&p.Author, "comment-author", "", "login the token posts as, when GitHub "+
		"cannot say (a GitHub App: APP-SLUG[bot])")
	p.DiffSource = "api"
	fl.Var(&enumValue{v: &p.DiffSource, allowed: []string{"api", "git"}}, "diff-source",
		"where the changed lines come from: api (the PR's files) or git (local history)")
	fl.StringVar(&p.SARIFURL, "sarif-url", "", "link to the SARIF artifact, shown in the summary")
	fl.BoolVar(&p.UploadSARIF, "upload-sarif", false,
		"upload the SARIF log to code scanning (or upload_sarif: true in the config)")
	fl.Var(&enumList{v: &p.Skip, allowed: []string{"summary", "inline", "checks"}}, "skip",
		"features not to publish: summary, inline, checks (comma-separated)")
}

// enumValue is a string flag that takes one of a few words.
type enumValue struct {
	v       *string
	allowed []string
}

func (e *enumValue) String() string { return *e.v }
func (e *enumValue) Type() string   { return "string" }

// Set implements pflag.Value.
func (e *enumValue) Set(s string) error {
	if !slices.Contains(e.allowed, s) {
		return fmt.Errorf("%q is not one of %s", s, strings.Join(e.allowed, ", "))
	}
	*e.v = s
	return nil
}

// enumList is a comma-separated list flag of a few words.
type enumList struct {
	v       *[]string
	allowed []string
}

func (e *enumList) String() string { return strings.Join(*e.v, ",") }
func (e *enumList) Type() string   { return "strings" }

// Set implements pflag.Value; it adds to what earlier uses of the flag gave.
func (e *enumList) Set(s string) error {
	for _, w := range strings.Split(s, ",") {
		w = strings.TrimSpace(w)
		if !slices.Contains(e.allowed, w) {
			return fmt.Errorf("%q is not one of %s", w, strings.Join(e.allowed, ", "))
		}
		*e.v = append(*e.v, w)
	}
	return nil
}

type publishOptions struct {
	f *factory

	ConfigPath string
	FromBundle string
	Flags      publishFlags
	// Env is where the CI context and the token are read; tests replace it.
	Env ci.Env
}

func newPublishCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "publish",
		Short: "Post a gate's result where its authors see it",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newPublishGitHubCmd(f))
	return cmd
}

func newPublishGitHubCmd(f *factory) *cobra.Command {
	opts := &publishOptions{f: f, Env: ci.OSEnv()}
	cmd := &cobra.Command{
		Use:   "github",
		Short: "Post a result bundle to a GitHub pull request",
		Long: `Post the result bundle that "secgate scan --bundle DIR" wrote: a summary
comment, inline comments on the lines the pull request changes, a check run (or a
commit status) and, with --upload-sarif, the SARIF log to code scanning.

This is the privileged half of scanning pull requests from forks: the scan runs
with a read-only token on pull_request, and this command runs on workflow_run
with a token that may write, without running any code from the pull request. The
repository and commit come from this job's environment, never from the bundle;
the bundle's pull request number is checked against GitHub. With --config (the
base branch's config), the policy is applied again to the bundle's findings.

The token is read from GITHUB_TOKEN, or the variable --token-env names.
The exit code is the gate's verdict: 0 passed, 1 blocked, 2 could not decide.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPublishGitHub(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.FromBundle, "from-bundle", "", "the result bundle directory (required)")
	fl.StringVarP(&opts.ConfigPath, "config", "c", "",
		"a trusted config to apply to the bundle's findings again")
	addPublishFlags(fl, &opts.Flags)
	return cmd
}

func runPublishGitHub(cmd *cobra.Command, opts *publishOptions) error {
	if opts.FromBundle == "" {
		return exitcode.Undecide(fmt.Errorf("publish github needs --from-bundle DIR " +
			"(write one with secgate scan --bundle DIR)"))
	}
	b, sarif, err := bundle.Read(opts.FromBundle)
	if err != nil {
		return exitcode.Undecide(err)
	}
	cfg, data, err := bundleData(opts, b)
	if err != nil {
		return err
	}
	ctx, err := ci.Detect(opts.Env)
	if err != nil {
		return exitcode.Undecide(err)
	}
	if sarif == nil {
		sarif, err = renderSARIF(data)
		if err != nil {
			return exitcode.Undecide(err)
		}
	}

	job := &publishJob{
		f: opts.f, Data: data, SARIF: sarif, Config: cfg, CI: ctx, Flags: opts.Flags,
		Getenv: opts.Env.Getenv, Claim: &b.PR, Anchor: b.Config,
	}
	if cwd, err := os.Getwd(); err == nil {
		job.Root = repoRoot(cwd)
	}
	// Nothing can be posted at all (no token, a bundle for another commit):
	// publishing is this command's whole job, so it cannot pass.
	problems, err := job.run(cmd.Context())
	if err != nil {
		return exitcode.Undecide(err)
	}
	return withPublishProblems(verdictError(data.Decision), problems, cfg)
}

// withPublishProblems keeps the verdict unless the config says publish_errors:
// fail, in which case a run that would pass could not decide instead.
func withPublishProblems(verdict error, problems int, cfg *config.Config) error {
	if problems == 0 || verdict != nil || cfg.Publish.Errors != config.PublishErrorsFail {
		return verdict
	}
	return exitcode.Undecide(fmt.Errorf("%d publishing problems, and publish_errors is fail",
		problems))
}

// bundleData applies a trusted config to the bundle's findings when one is
// given; else it takes the bundle's own decision.
func bundleData(opts *publishOptions, b *bundle.Bundle) (*config.Config, *report.Data, error) {
	data := b.Data()
	data.Version = opts.f.Version
	if opts.ConfigPath == "" {
		cfg := config.Default()
		cfg.Key = firstSet(b.Key, cfg.Key)
		return cfg, data, nil
	}
	cfg, err := loadConfig(opts.ConfigPath)
	if err != nil {
		return nil, nil, err
	}
	data.Key = cfg.Key
	data.Decision = policy.Evaluate(cfg, b.FindingsOnly(), b.ScannerOutcomes(),
		policy.Options{Now: opts.f.Now, Baseline: b.Baseline()})
	if cwd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(repoRoot(cwd), cfg.File); err == nil {
			b.Config = filepath.ToSlash(rel)
		}
	}
	return cfg, data, nil
}
