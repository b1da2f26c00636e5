package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/secgate/secgate/pkg/iostreams"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/scanners/registry"
)

// factory holds what commands share. Everything costly is built on demand, so
// that `secgate version` reads no config and touches no scanner.
type factory struct {
	IO      *iostreams.IOStreams
	Version string
	Verbose bool
	NoColor bool

	// Now and Lookup are fields so tests can pin time and swap adapters.
	Now    func() time.Time
	Lookup scan.Lookup
}

func newFactory(streams *iostreams.IOStreams, version string) *factory {
	return &factory{
		IO:      streams,
		Version: version,
		Now:     time.Now,
		Lookup:  registry.Lookup,
	}
}

// Logger returns the stderr logger, quiet unless -v was given.
func (f *factory) Logger() *slog.Logger { return f.IO.Logger(f.Verbose) }

// Color reports whether stderr output may be coloured.
func (f *factory) Color() bool { return f.IO.ColorEnabled() && !f.NoColor }

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" &&
		info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// repoRoot finds the repository root for dir: the nearest directory upwards
// that holds .git, else dir itself. Paths in every report are relative to it.
func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
