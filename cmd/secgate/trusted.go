package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	gitrepo "github.com/secgate/secgate/pkg/git"
	"github.com/secgate/secgate/pkg/redact"
)

// addTrustedConfigFlag registers --trusted-config on a gating command.
func addTrustedConfigFlag(fl *pflag.FlagSet, ref *string) {
	fl.StringVar(ref, "trusted-config", "",
		"read the config as committed at this git ref (e.g. origin/main), not from the "+
			"working tree, so the change under review cannot weaken its own gate")
}

// loadGateConfig loads the policy a gating command applies. Without a ref it
// is the working tree's file. With one it is the file as committed at ref:
// the working tree's copy belongs to the change under review, which could
// otherwise lower fail_on, add an ignore rule or allow inline suppressions
// for itself. The trusted copy is always the one used, and secgate says so
// on stderr, noting when the working tree's copy differs.
func loadGateConfig(ctx context.Context, f *factory, path, ref string) (*config.Config, error) {
	if ref == "" {
		return loadConfig(path)
	}
	data, name, err := trustedFile(ctx, ref, path)
	if err != nil {
		return nil, exitcode.Undecide(err)
	}
	cfg, err := config.Parse(data, name)
	if err != nil {
		return nil, exitcode.Undecide(err)
	}
	redact.RegisterEnv(os.Getenv, cfg.SecretVars()...)

	fmt.Fprintf(f.IO.ErrOut, "secgate: the policy is %s (--trusted-config)%s\n",
		name, workingCopyNote(path, data))
	return cfg, nil
}

// trustedFile reads the file at path, relative to the current directory, as
// committed at ref; name is "ref:path-in-repository", for messages. A file
// the ref does not have is os.ErrNotExist (wrapped).
func trustedFile(ctx context.Context, ref, path string) ([]byte, string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, "", err
	}
	repo, err := gitrepo.Open(ctx, cwd)
	if err != nil {
		return nil, "", fmt.Errorf("--trusted-config: %w", err)
	}
	rel, err := repoPath(repo.Dir, path)
	if err != nil {
		return nil, "", fmt.Errorf("--trusted-config: %w", err)
	}
	data, err := repo.ShowFile(ctx, ref, rel)
	if err != nil {
		return nil, "", fmt.Errorf("--trusted-config: %w", err)
	}
	return data, ref + ":" + rel, nil
}

// repoPath returns path relative to the top of the work tree, with forward
// slashes, refusing one outside it.
func repoPath(top, path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(real, filepath.Base(abs))
	}
	if real, err := filepath.EvalSymlinks(top); err == nil {
		top = real
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("the config %s is outside the repository %s", path, top)
	}
	return filepath.ToSlash(rel), nil
}

// workingCopyNote says how the working tree's config compares with the
// trusted one.
func workingCopyNote(path string, trusted []byte) string {
	local, err := os.ReadFile(path)
	switch {
	case err != nil:
		return "; there is no working-tree copy"
	case bytes.Equal(local, trusted):
		return "; the working-tree copy is the same"
	}
	return "; the working-tree copy differs and is not used"
}
