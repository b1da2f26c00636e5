package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/baseline"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	gitrepo "github.com/secgate/secgate/pkg/git"
	"github.com/secgate/secgate/pkg/scan"
)

type hookRunOptions struct {
	f *factory

	ConfigPath string
	Remote     string
	// In reads git's pre-push lines; a field so tests can feed them.
	In io.Reader
	// Getenv reads pre-commit's variables; a field so tests can set them.
	Getenv func(string) string
}

func newHookRunCmd(f *factory) *cobra.Command {
	opts := &hookRunOptions{f: f, In: os.Stdin, Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "run [REMOTE [URL]]",
		Short: "Scan what a push adds (what the installed hook runs)",
		Long: `Read the pre-push lines git writes on stdin ("<local ref> <local sha>
<remote ref> <remote sha>"), or pre-commit's PRE_COMMIT_FROM_REF and
PRE_COMMIT_TO_REF, and scan what each pushed ref adds: for a ref the remote
has, the commits since the remote's tip; for a new branch, the commits no ref
of the remote has. Deletions are skipped. Exit 1 blocks the push.`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Remote = args[0]
			}
			return runHookRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml",
		"policy and scanner config")
	return cmd
}

func runHookRun(ctx context.Context, opts *hookRunOptions) error {
	errOut := opts.f.IO.ErrOut
	cfg, err := loadConfig(opts.ConfigPath)
	if err != nil {
		return err
	}
	hookCfg, err := hookConfig(cfg)
	if err != nil {
		return exitcode.Undecide(err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return exitcode.Undecide(err)
	}
	repo, err := gitrepo.Open(ctx, cwd)
	if err != nil {
		return exitcode.Undecide(err)
	}
	remote := firstSet(opts.Remote, opts.Getenv("PRE_COMMIT_REMOTE_NAME"), "origin")
	refs, err := pushedRefs(ctx, repo, opts)
	if err != nil {
		return exitcode.Undecide(err)
	}

	// The budget bounds the scanners; git's own steps are quick, and one
	// cut short would have to fail closed and hold the push for nothing.
	budget, cancel := context.WithTimeout(ctx, cfg.Hook.Timeout)
	defer cancel()
	worst := 0
	for _, ref := range refs {
		code := exitcode.Code(scanPushedRef(ctx, budget, opts, repo, hookCfg, remote, ref))
		worst = max(worst, code)
	}
	if budget.Err() != nil {
		fmt.Fprintf(errOut, "secgate: the hook's time budget (hook.timeout %s) ran out; "+
			"what did not finish is listed above and was not checked\n", cfg.Hook.Timeout)
	}
	switch worst {
	case exitcode.Passed:
		return nil
	case exitcode.Blocked:
		fmt.Fprintln(errOut, "secgate: push blocked. Fix the findings above, or push "+
			"without the hook once with git push --no-verify (CI still gates the change).")
	default:
		fmt.Fprintln(errOut, "secgate: could not check the push; it is held back. "+
			"git push --no-verify skips the hook once.")
	}
	return &exitcode.SilentError{Code: worst}
}

// hookConfig is the config the hook gates with: only the hook's scanners,
// each required only if hook.require_scanners says so, and new-only always.
func hookConfig(cfg *config.Config) (*config.Config, error) {
	scanners, err := cfg.HookScanners()
	if err != nil {
		return nil, err
	}
	c := *cfg
	c.Scanners = nil
	for _, s := range scanners {
		s.Required = cfg.Hook.RequireScanners
		c.Scanners = append(c.Scanners, s)
	}
	c.NewOnly.Enabled = true
	c.Reports = config.Reports{}
	return &c, nil
}

// pushedRefs reads what is pushed: pre-commit's variables when it runs the
// hook (it has read git's stdin itself), else git's lines on stdin.
func pushedRefs(ctx context.Context, repo *gitrepo.Repo, opts *hookRunOptions) (
	[]gitrepo.PushRef, error) {
	to := opts.Getenv("PRE_COMMIT_TO_REF")
	if to == "" {
		return gitrepo.ParsePushLines(opts.In)
	}
	local, err := repo.RevParse(ctx, to)
	if err != nil {
		return nil, fmt.Errorf("PRE_COMMIT_TO_REF: %w", err)
	}
	ref := gitrepo.PushRef{LocalRef: opts.Getenv("PRE_COMMIT_LOCAL_BRANCH"), LocalSHA: local,
		RemoteRef: opts.Getenv("PRE_COMMIT_REMOTE_BRANCH"), RemoteSHA: strings.Repeat("0", len(local))}
	// FROM is missing for a branch the remote does not have yet.
	if from := opts.Getenv("PRE_COMMIT_FROM_REF"); from != "" {
		if ref.RemoteSHA, err = repo.RevParse(ctx, from); err != nil {
			return nil, fmt.Errorf("PRE_COMMIT_FROM_REF: %w", err)
		}
	}
	return []gitrepo.PushRef{ref}, nil
}

// scanPushedRef scans the files one pushed ref changes, as committed, and
// gates them with the change's diff as the reference.
func scanPushedRef(ctx, budget context.Context, opts *hookRunOptions, repo *gitrepo.Repo,
	cfg *config.Config, remote string, ref gitrepo.PushRef) error {
	errOut := opts.f.IO.ErrOut
	if ref.Deletes() {
		fmt.Fprintf(errOut, "secgate: %s deletes a ref; nothing to scan\n", ref.RemoteRef)
		return nil
	}
	pr, err := repo.PushRange(ctx, remote, ref)
	if err != nil {
		return exitcode.Undecide(fmt.Errorf("what does pushing %s add: %w", ref.LocalRef, err))
	}
	if pr.Commits == 0 {
		fmt.Fprintf(errOut, "secgate: %s: nothing new (%s)\n", ref.LocalRef, pr.How)
		return nil
	}
	files, err := repo.Diff(ctx, pr.Base, pr.Head)
	if err != nil {
		return exitcode.Undecide(err)
	}
	changes := baseline.FromDiff(files)
	fmt.Fprintf(errOut, "secgate: %s: %s; %d changed files\n", ref.LocalRef, pr.How,
		len(changes.Paths()))
	if len(changes.Paths()) == 0 {
		return nil
	}
	return scanTree(ctx, budget, opts, repo, cfg, pr, changes)
}

// scanTree exports the changed files of the pushed commit and gates them.
func scanTree(ctx, budget context.Context, opts *hookRunOptions, repo *gitrepo.Repo,
	cfg *config.Config, pr gitrepo.PushRange, changes *baseline.Changes) error {
	dir, err := os.MkdirTemp("", "secgate-hook-")
	if err != nil {
		return exitcode.Undecide(err)
	}
	defer os.RemoveAll(dir)
	tree, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return exitcode.Undecide(err)
	}
	treeRoot := filepath.Join(tree, "tree")
	if _, err := repo.Export(ctx, pr.Head, treeRoot, changes.Touched); err != nil {
		return exitcode.Undecide(err)
	}
	target := filepath.Join(treeRoot, filepath.FromSlash(cfg.Target))
	if err := os.MkdirAll(target, 0o755); err != nil {
		return exitcode.Undecide(err)
	}

	runner := &scan.Runner{Lookup: opts.f.Lookup, Log: opts.f.Logger(),
		Progress: progressPrinter(opts.f)}
	outcomes, err := runner.Run(budget, scan.Request{Config: cfg, Root: treeRoot, Target: target,
		OutDir: filepath.Join(tree, "out")})
	if err != nil {
		return exitcode.Undecide(err)
	}
	if errors.Is(budget.Err(), context.DeadlineExceeded) {
		markUnfinished(outcomes)
	}
	ref := &baseline.Reference{Changes: changes, ChangesFrom: "the push",
		Scope: cfg.NewOnly.Scope}
	return gate(opts.f, gateInput{Config: cfg, Root: treeRoot, Outcomes: outcomes,
		Reference: ref, Notes: changes.Notes})
}

// markUnfinished says plainly which scanners the time budget cut short.
func markUnfinished(outcomes []scan.Outcome) {
	for i := range outcomes {
		if outcomes[i].State == scan.StateFailed {
			outcomes[i].Message = "not finished within hook.timeout: " + outcomes[i].Message
		}
	}
}
