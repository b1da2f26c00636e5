package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/doctor"
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/iostreams"
)

type doctorOptions struct {
	f *factory

	ConfigPath string
	// Checks are the checks to run; tests narrow them.
	Checks []doctor.Check
}

func newDoctorCmd(f *factory) *cobra.Command {
	opts := &doctorOptions{f: f, Checks: doctor.Checks()}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check that the installed scanners still find what they must",
		Long: `Run every installed scanner on a small known-vulnerable sample bundled with
secgate and check that each still finds the flaws planted there, so that a
scanner upgrade that silently stops finding things is caught. Scanners that
are not installed are skipped.

With a config, the environment variables and matcher arguments it gives a
scanner (a vulnerability database's location, say) are used for the sample too.

Exit codes: 0 every installed scanner found what it must; 2 one did not, or
failed on the sample.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(cmd, opts) },
	}
	cmd.Flags().StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml",
		"config whose scanner environment to use, when the file exists")
	return cmd
}

func runDoctor(cmd *cobra.Command, opts *doctorOptions) error {
	tune, err := doctorTuning(cmd, opts.ConfigPath)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "secgate-doctor-")
	if err != nil {
		return exitcode.Undecide(fmt.Errorf("doctor: %w", err))
	}
	defer os.RemoveAll(dir)

	results, err := doctor.Run(cmd.Context(), doctor.Options{
		Lookup: opts.f.Lookup, Dir: dir, Tune: tune,
	}, opts.Checks)
	if err != nil {
		return exitcode.Undecide(fmt.Errorf("doctor: %w", err))
	}
	if err := printDoctor(opts.f.IO.Out, results); err != nil {
		return exitcode.Undecide(err)
	}
	if doctor.Failed(results) {
		fmt.Fprintln(opts.f.IO.ErrOut, "secgate doctor: a scanner no longer finds what it "+
			"must; do not trust its clean results until this is fixed")
		return &exitcode.SilentError{Code: exitcode.Undecided}
	}
	return nil
}

// doctorTuning reads the config when there is one, so the sample runs see
// the same environment as real runs. A missing file is fine unless named.
func doctorTuning(cmd *cobra.Command, path string) (func(config.Scanner) config.Scanner, error) {
	cfg, err := config.Load(path)
	if errors.Is(err, os.ErrNotExist) && !cmd.Flags().Changed("config") {
		return nil, nil
	}
	if err != nil {
		return nil, exitcode.Undecide(err)
	}
	return func(s config.Scanner) config.Scanner {
		for _, u := range cfg.Scanners {
			if u.Type == s.Type && sameMatcher(u.Vulnerabilities, s.Vulnerabilities) {
				s.Env, s.Args = u.Env, u.Args
				if s.Type != "sbom" {
					s.Args = nil // a semgrep's args may narrow what it scans
				}
				return s
			}
		}
		return s
	}, nil
}

// sameMatcher reports whether a user's vulnerabilities setting runs the
// check's matcher: the same one, or auto for any.
func sameMatcher(user, check string) bool {
	return user == check || (user == config.VulnAuto && check != "")
}

func printDoctor(w io.Writer, results []doctor.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Check.Name, r.State, iostreams.Clean(doctorDetail(r)))
	}
	return tw.Flush()
}

func doctorDetail(r doctor.Result) string {
	total := len(r.Check.Expect)
	switch r.State {
	case doctor.StatePassed:
		return fmt.Sprintf("found %d of %d (%s)", r.Found, total, r.Version)
	case doctor.StateMissing:
		var names []string
		for _, e := range r.Missing {
			names = append(names, e.String())
		}
		return fmt.Sprintf("found %d of %d (%s); missing: %s", r.Found, total, r.Version,
			strings.Join(names, ", "))
	}
	return r.Message
}
