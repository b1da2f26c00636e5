package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/lock"
	"github.com/secgate/secgate/scanners"
)

type lockOptions struct {
	f *factory

	ConfigPath string
	LockPath   string
}

func newLockCmd(f *factory) *cobra.Command {
	opts := &lockOptions{f: f}
	cmd := &cobra.Command{
		Use:   "lock",
		Short: "Pin the scanner binaries the config runs in secgate.lock",
		Long: `Record, for each configured scanner that runs a program, the program's
resolved path, its version and the SHA-256 of its file in secgate.lock. From
then on secgate scan refuses a program whose sum differs (exit 2) unless it is
given --allow-unpinned. Commit the lock beside the config. Only the file that
is executed is pinned: for semgrep that is its Python entry point, not the
Python modules or the semgrep-core binary it loads (docs/security.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLock(cmd, opts) },
	}
	cmd.Flags().StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml", "config to read")
	cmd.Flags().StringVar(&opts.LockPath, "lock", lock.DefaultPath, "lock file to write")
	return cmd
}

func runLock(cmd *cobra.Command, opts *lockOptions) error {
	cfg, err := loadConfig(opts.ConfigPath)
	if err != nil {
		return err
	}
	if err := checkOwnLock(opts.LockPath); err != nil {
		return exitcode.Undecide(err)
	}

	file := &lock.File{}
	for _, s := range cfg.Scanners {
		e, note := opts.pin(cmd, s)
		if e != nil {
			file.Scanners = append(file.Scanners, *e)
		}
		fmt.Fprintf(opts.f.IO.ErrOut, "%s: %s\n", s.Name, note)
	}
	if err := lock.Write(opts.LockPath, file); err != nil {
		return exitcode.Undecide(err)
	}
	fmt.Fprintf(opts.f.IO.ErrOut, "wrote %s: %d scanner(s) pinned\n",
		opts.LockPath, len(file.Scanners))
	return nil
}

// pin makes the lock entry of one scanner, or says why it has none.
func (opts *lockOptions) pin(cmd *cobra.Command, s config.Scanner) (*lock.Entry, string) {
	adapter, ok := opts.f.Lookup(s.Type)
	if !ok {
		return nil, fmt.Sprintf("no adapter for type %q; not pinned", s.Type)
	}
	d := adapter.Detect(cmd.Context(), s)
	if !d.Installed {
		return nil, "not installed here; not pinned (secgate scan refuses it once installed)"
	}
	real, ok := lock.Resolve(d.Path)
	if !ok {
		return nil, "runs no program of its own; nothing to pin"
	}
	sum, err := lock.Sum(real)
	if err != nil {
		return nil, fmt.Sprintf("cannot read %s: %v; not pinned", real, err)
	}
	e := &lock.Entry{Scanner: s.Name, Type: s.Type, Path: real, Version: d.Version, SHA256: sum}
	return e, fmt.Sprintf("pinned %s %s sha256 %s", real, d.Version, sum)
}

// checkOwnLock refuses to overwrite a file that is not a secgate lock.
func checkOwnLock(path string) error {
	_, err := lock.Read(path)
	if err == nil || errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("refusing to overwrite %s: %w", path, err)
}

// lockFlags are the scan flags about secgate.lock.
type lockFlags struct {
	Path          string
	AllowUnpinned bool
}

func (l *lockFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&l.Path, "lock", lock.DefaultPath,
		"scanner binaries must match this lock file, when it exists (see secgate lock)")
	fl.BoolVar(&l.AllowUnpinned, "allow-unpinned", false,
		"run scanner binaries that secgate.lock does not vouch for, with a warning")
}

// verifier returns the check the scan runner applies to each scanner's
// program, or nil when there is no lock file at the default place. A lock
// named with --lock must exist; a lock that does not parse stops the scan.
// With --trusted-config the lock, like the config, is read as committed at
// that ref: a change that replaces a script a command scanner runs could
// otherwise re-pin it in the same change.
func (l *lockFlags) verifier(ctx context.Context, f *factory, explicit bool, ref string) (
	func(config.Scanner, scanners.Detection) error, error) {
	file, err := l.read(ctx, ref)
	switch {
	case errors.Is(err, os.ErrNotExist) && !explicit:
		f.Logger().Debug("no lock file; scanner binaries are not verified", "path", l.Path)
		return nil, nil
	case err != nil:
		return nil, exitcode.Undecide(err)
	}
	return func(s config.Scanner, d scanners.Detection) error {
		err := file.Verify(s.Name, d.Path)
		if err != nil && l.AllowUnpinned && errors.Is(err, lock.ErrUnpinned) {
			fmt.Fprintf(f.IO.ErrOut, "warning: %v (running it: --allow-unpinned)\n", err)
			return nil
		}
		return err
	}, nil
}

func (l *lockFlags) read(ctx context.Context, ref string) (*lock.File, error) {
	if ref == "" {
		return lock.Read(l.Path)
	}
	data, name, err := trustedFile(ctx, ref, l.Path)
	if err != nil {
		return nil, err
	}
	return lock.Parse(data, name)
}
