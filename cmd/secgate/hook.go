package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/exitcode"
	gitrepo "github.com/secgate/secgate/pkg/git"
)

// hookMarker is in every hook secgate writes; only a file holding it is
// secgate's to replace or remove.
const hookMarker = "# secgate-hook: pre-push v1"

// chainedSuffix names the place the hook that was there before is kept.
const chainedSuffix = ".secgate-chained"

type hookOptions struct {
	f *factory

	ConfigPath string
	Command    string
}

func newHookCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Install, remove or run the git pre-push hook",
		Long: `The pre-push hook scans what a push adds with the fast scanners the config
names in hook.scanners, and blocks the push when the push brings a new
finding that the policy fails on. Findings already on the remote never block.

  secgate hook install     write .git/hooks/pre-push (honours core.hooksPath);
                           an existing hook is kept and still runs first
  secgate hook uninstall   remove it and put the earlier hook back
  secgate hook run         what the hook runs (reads git's pre-push lines)

Bypass once with git push --no-verify; CI still gates the change.`,
	}
	cmd.AddCommand(newHookInstallCmd(f), newHookUninstallCmd(f), newHookRunCmd(f))
	return cmd
}

func newHookInstallCmd(f *factory) *cobra.Command {
	opts := &hookOptions{f: f}
	cmd := &cobra.Command{
		Use: "install", Short: "Install the pre-push hook", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runHookInstall(cmd, opts) },
	}
	cmd.Flags().StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml",
		"config the hook uses, relative to the repository root")
	cmd.Flags().StringVar(&opts.Command, "command", "",
		"the secgate the hook runs (default: this executable)")
	return cmd
}

func newHookUninstallCmd(f *factory) *cobra.Command {
	opts := &hookOptions{f: f}
	return &cobra.Command{
		Use: "uninstall", Short: "Remove the pre-push hook, restoring the one before it",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runHookUninstall(cmd, opts) },
	}
}

// hookPaths finds the hooks directory of the repository around the working
// directory, as git resolves it (core.hooksPath included).
func hookPaths(cmd *cobra.Command) (hook, chained string, err error) {
	cwd, err := os.Getwd()
	if err != nil {
		return "", "", exitcode.Undecide(err)
	}
	repo, err := gitrepo.Open(cmd.Context(), cwd)
	if err != nil {
		return "", "", exitcode.Undecide(err)
	}
	dir, err := repo.GitPath(cmd.Context(), "hooks")
	if err != nil {
		return "", "", exitcode.Undecide(err)
	}
	hook = filepath.Join(dir, "pre-push")
	return hook, hook + chainedSuffix, nil
}

// isOurHook reports whether path holds a hook secgate wrote.
func isOurHook(path string) (exists, ours bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, lerr := os.Lstat(path) // a dangling link is still someone's hook
		return lerr == nil, false, nil
	}
	if err != nil {
		return true, false, err
	}
	return true, strings.Contains(string(data), hookMarker), nil
}

func runHookInstall(cmd *cobra.Command, opts *hookOptions) error {
	hook, chained, err := hookPaths(cmd)
	if err != nil {
		return err
	}
	exists, ours, err := isOurHook(hook)
	if err != nil {
		return exitcode.Undecide(err)
	}
	if exists && !ours {
		if _, err := os.Lstat(chained); err == nil {
			return exitcode.Undecide(fmt.Errorf("%s is another hook and %s already exists: "+
				"secgate will not overwrite either; move one of them away first", hook, chained))
		}
		if err := os.Rename(hook, chained); err != nil {
			return exitcode.Undecide(fmt.Errorf("keep the existing hook: %w", err))
		}
		fmt.Fprintf(opts.f.IO.ErrOut, "kept the existing hook as %s; it runs first\n", chained)
	}

	script, err := hookScript(opts)
	if err != nil {
		return exitcode.Undecide(err)
	}
	if err := os.MkdirAll(filepath.Dir(hook), 0o755); err != nil {
		return exitcode.Undecide(err)
	}
	if err := writeExecutable(hook, script); err != nil {
		return exitcode.Undecide(err)
	}
	verb := "installed"
	if ours {
		verb = "updated"
	}
	fmt.Fprintf(opts.f.IO.ErrOut, "%s the pre-push hook at %s\n", verb, hook)
	return nil
}

func runHookUninstall(cmd *cobra.Command, opts *hookOptions) error {
	hook, chained, err := hookPaths(cmd)
	if err != nil {
		return err
	}
	exists, ours, err := isOurHook(hook)
	switch {
	case err != nil:
		return exitcode.Undecide(err)
	case !exists:
		fmt.Fprintln(opts.f.IO.ErrOut, "no pre-push hook is installed; nothing to do")
		return nil
	case !ours:
		return exitcode.Undecide(fmt.Errorf("%s is not a hook secgate installed; left alone",
			hook))
	}
	if err := os.Remove(hook); err != nil {
		return exitcode.Undecide(err)
	}
	if _, err := os.Lstat(chained); err == nil {
		if err := os.Rename(chained, hook); err != nil {
			return exitcode.Undecide(fmt.Errorf("restore the earlier hook: %w", err))
		}
		fmt.Fprintf(opts.f.IO.ErrOut, "removed secgate's hook and restored %s\n", hook)
		return nil
	}
	fmt.Fprintf(opts.f.IO.ErrOut, "removed the pre-push hook %s\n", hook)
	return nil
}

// hookScript is the shell script git runs. It reads git's lines once and
// hands them to the earlier hook (if any, and first) and then to secgate.
func hookScript(opts *hookOptions) (string, error) {
	command := opts.Command
	if command == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("find this executable (pass --command): %w", err)
		}
		command = exe
	}
	return `#!/bin/sh
# secgate pre-push hook: scans what a push adds and blocks the push on a new
# finding the policy fails. Installed by "secgate hook install"; "secgate hook
# uninstall" removes it and restores the hook that was here before.
# To push without it once: git push --no-verify (CI still gates the change).
` + hookMarker + `
input=$(cat)
chained="$(dirname "$0")/pre-push` + chainedSuffix + `"
if [ -x "$chained" ]; then
	if [ -n "$input" ]; then printf '%s\n' "$input"; fi | "$chained" "$@" || exit $?
fi
if [ -n "$input" ]; then printf '%s\n' "$input"; fi |
	` + shellQuote(command) + ` hook run --config ` + shellQuote(opts.ConfigPath) + ` -- "$@"
`, nil
}

// shellQuote quotes s for sh: single quotes, with each ' written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeExecutable replaces path with content, mode 0755, via a temporary file.
func writeExecutable(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pre-push.*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o755); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
