package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/secgate/secgate/pkg/baseline"
	"github.com/secgate/secgate/pkg/ci"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/finding"
	gitrepo "github.com/secgate/secgate/pkg/git"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/scan"
)

// newOnlyFlags are the flags of new-only gating that scan and evaluate share.
type newOnlyFlags struct {
	NewOnly   bool
	Baseline  string
	Base      string
	DiffScope string
	Remote    string
	NoFetch   bool
	BaseScan  bool
}

func (o *newOnlyFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&o.NewOnly, "new-only", false,
		"block only on findings the change introduces (overrides new_only)")
	fl.StringVar(&o.Baseline, "baseline", "",
		"SARIF file of known findings (secgate baseline create); matched by fingerprint")
	fl.StringVar(&o.Base, "base", "",
		"the change's base branch or commit; default in CI: the pull request's base")
	fl.StringVar(&o.DiffScope, "diff-scope", "",
		"which part of the diff is the change: added, context, file or all")
	fl.StringVar(&o.Remote, "remote", "origin", "the remote the base branch is fetched from")
	fl.BoolVar(&o.NoFetch, "no-fetch", false,
		"never fetch the base tip or deepen a shallow clone")
	fl.BoolVar(&o.BaseScan, "base-scan", false,
		"scan the merge base too, to tell old findings from new (overrides base_scan)")
}

// newOnly is the resolved new-only setting of one run.
type newOnly struct {
	enabled  bool
	scope    config.DiffScope
	file     string
	base     string
	remote   string
	fetch    bool
	baseScan bool
}

// resolve merges the flags over the config, and sets the config's new_only
// and diff_scope to the result; a flag given wins.
func (o *newOnlyFlags) resolve(cmd *cobra.Command, cfg *config.Config) (newOnly, error) {
	n := newOnly{enabled: cfg.NewOnly.Enabled, scope: cfg.NewOnly.Scope,
		file: firstSet(o.Baseline, cfg.NewOnly.Baseline), base: o.Base, remote: o.Remote,
		fetch: !o.NoFetch, baseScan: cfg.NewOnly.BaseScan}
	if cmd.Flags().Changed("new-only") {
		n.enabled = o.NewOnly
	}
	if cmd.Flags().Changed("base-scan") {
		n.baseScan = o.BaseScan
	}
	if o.DiffScope != "" {
		s, ok := config.ParseDiffScope(o.DiffScope)
		if !ok {
			return n, exitcode.Undecide(fmt.Errorf(
				"--diff-scope %q: want added, context, file or all", o.DiffScope))
		}
		n.scope = s
	}
	if n.base == "" && n.enabled {
		n.base = baseFromCI()
	}
	// The policy reads these from the config: flags given win.
	cfg.NewOnly.Enabled, cfg.NewOnly.Scope = n.enabled, n.scope
	return n, nil
}

// baseFromCI is the base branch of the pull request CI builds, if any.
func baseFromCI() string {
	c, err := ci.Detect(ci.OSEnv())
	if err != nil || c.PR == 0 {
		return ""
	}
	return c.BaseRef
}

// baseScanner scans the files of a commit and returns the normalized findings.
type baseScanner func(ctx context.Context, repo *gitrepo.Repo,
	sha string) ([]finding.Finding, error)

// reference builds what the scan is compared with, or nil when nothing asks
// for a comparison. notes say what was done and what fell back.
func (n newOnly) reference(ctx context.Context, root string, scanBase baseScanner) (
	ref *baseline.Reference, notes []string, err error) {
	if !n.enabled && n.file == "" && n.base == "" {
		return nil, nil, nil
	}
	ref = &baseline.Reference{Scope: n.scope}
	if n.file != "" {
		if ref.Known, err = baseline.Load(n.file, root); err != nil {
			return nil, nil, exitcode.Undecide(err)
		}
		ref.KnownFrom = "baseline " + n.file
	}
	if n.base != "" {
		if notes, err = n.fromBase(ctx, root, ref, scanBase); err != nil {
			return nil, nil, err
		}
	}
	if n.enabled && ref.Known == nil && ref.Changes == nil && len(notes) == 0 {
		// Failing closed: with nothing to compare, everything is the change's.
		notes = append(notes, "new-only: nothing to compare with (no --baseline, no "+
			"--base, not a pull request build): every finding counts as new")
	}
	return ref, notes, nil
}

// fromBase adds the change's diff against the merge base, and with base_scan
// the merge base's own findings. Without a merge base it falls back, and says
// so: to the baseline alone, else to every finding counting as new.
func (n newOnly) fromBase(ctx context.Context, root string, ref *baseline.Reference,
	scanBase baseScanner) ([]string, error) {
	repo, err := gitrepo.Open(ctx, root)
	if err != nil {
		return nil, exitcode.Undecide(fmt.Errorf("--base %s: %w", n.base, err))
	}
	mb, err := repo.MergeBase(ctx, gitrepo.BaseRequest{Ref: n.base, Remote: n.remote, Fetch: n.fetch})
	if err != nil {
		fallback := "every finding counts as new"
		if ref.Known != nil {
			fallback = "only the baseline tells old from new"
		}
		return []string{fmt.Sprintf("new-only: %v; %s", err, fallback)}, nil
	}

	short := ci.ShortSHA(mb.SHA)
	notes := []string{fmt.Sprintf("new-only: compared with the merge base %s of %s (%s)",
		short, n.base, strings.Join(append([]string{"diff_scope " + string(n.scope)},
			mb.Notes...), "; "))}
	files, err := repo.Diff(ctx, mb.SHA, "")
	if err != nil {
		return nil, exitcode.Undecide(err)
	}
	ref.Changes, ref.ChangesFrom = baseline.FromDiff(files), "the diff from "+short

	if n.baseScan && scanBase == nil {
		notes = append(notes, "new-only: base_scan needs scanners to run, and this "+
			"command runs none: the diff and the baseline decide")
	}
	if n.baseScan && scanBase != nil {
		known, err := scanBase(ctx, repo, mb.SHA)
		if err != nil {
			return nil, exitcode.Undecide(fmt.Errorf("scan the merge base %s: %w", short, err))
		}
		ref.Known, ref.KnownFrom = known, "the scan of the merge base "+short
	}
	return notes, nil
}

// scanCommit exports a commit's files to a temporary directory and runs the
// scanners there, for base_scan. A scanner that does not run cleanly makes
// the whole base scan fail: a baseline missing its findings would make every
// one of them look new.
func scanCommit(runner *scan.Runner, cfg *config.Config, relTarget string,
	only []string) baseScanner {
	return func(ctx context.Context, repo *gitrepo.Repo, sha string) ([]finding.Finding, error) {
		dir, err := os.MkdirTemp("", "secgate-base-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		tree := filepath.Join(dir, "tree")
		if _, err := repo.Export(ctx, sha, tree, nil); err != nil {
			return nil, err
		}
		target := filepath.Join(tree, relTarget)
		if err := os.MkdirAll(target, 0o755); err != nil {
			return nil, err
		}

		outcomes, err := runner.Run(ctx, scan.Request{Config: cfg, Root: tree, Target: target,
			OutDir: filepath.Join(dir, "out"), Only: only})
		if err != nil {
			return nil, err
		}
		for _, o := range outcomes {
			if o.State != scan.StateOK {
				return nil, fmt.Errorf("scanner %s %s: %s", o.Name, o.State, o.Message)
			}
		}
		found, _ := normalize.Apply(normalize.Options{Root: tree, SeverityMap: cfg.SeverityMap},
			normalizeInputs(outcomes))
		return found, nil
	}
}

// compare runs the comparison for gate, limited to the tools that ran.
func compare(ref *baseline.Reference, findings []finding.Finding,
	tools map[string]bool) *baseline.Comparison {
	if ref == nil {
		return nil
	}
	r := *ref
	r.Tools = tools
	return baseline.Compare(r, findings)
}

// reportedTools names the tools the scanners' runs reported findings for.
// Call it before the outcomes' findings are released.
func reportedTools(outcomes []scan.Outcome) map[string]bool {
	tools := map[string]bool{}
	for _, o := range outcomes {
		if o.State != scan.StateOK || o.Result == nil {
			continue
		}
		tools[o.Result.Tool.Name] = true
		for _, t := range o.Result.Tools {
			tools[t.Name] = true
		}
		for _, f := range o.Result.Findings {
			tools[f.Tool] = true
		}
	}
	return tools
}
