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
	"github.com/secgate/secgate/pkg/exitcode"
	"github.com/secgate/secgate/pkg/iostreams"
	"github.com/secgate/secgate/scanners"
)

type scannersOptions struct {
	f *factory

	ConfigPath string
}

func newScannersCmd(f *factory) *cobra.Command {
	opts := &scannersOptions{f: f}
	cmd := &cobra.Command{
		Use:   "scanners",
		Short: "List the scanner adapters, their tools, and what the config enables",
		Long: `List every scanner adapter secgate has: whether its tool is installed here,
the tool's version, and which scanners of the config use it. A configured
scanner is checked with its own settings (a matcher, a command); an adapter
the config does not use is checked with its defaults.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runScanners(cmd, opts) },
	}
	cmd.Flags().StringVarP(&opts.ConfigPath, "config", "c", "secgate.yaml",
		"config to read, when the file exists")
	return cmd
}

// scannerRow is one line of the listing.
type scannerRow struct {
	Adapter, Scanner, Installed, Version, Note string
}

func runScanners(cmd *cobra.Command, opts *scannersOptions) error {
	cfg, err := config.Load(opts.ConfigPath)
	switch {
	case errors.Is(err, os.ErrNotExist) && !cmd.Flags().Changed("config"):
		cfg = config.Default()
	case err != nil:
		return exitcode.Undecide(err)
	}

	var rows []scannerRow
	for _, typ := range config.ScannerTypes() {
		rows = append(rows, adapterRows(cmd, opts.f, cfg, typ)...)
	}
	return exitcode.Undecide(printScanners(opts.f.IO.Out, rows))
}

// adapterRows lists one adapter: a row per configured scanner of its type, or
// one row with the adapter's defaults when the config uses none.
func adapterRows(cmd *cobra.Command, f *factory, cfg *config.Config, typ string) []scannerRow {
	adapter, ok := f.Lookup(typ)
	if !ok {
		return []scannerRow{{Adapter: typ, Scanner: "-", Installed: "-", Version: "-",
			Note: "no adapter in this build"}}
	}
	var rows []scannerRow
	for _, s := range cfg.Scanners {
		if s.Type == typ {
			d := adapter.Detect(cmd.Context(), s)
			rows = append(rows, detectionRow(typ, s.Name, d, enabledNote(s, d)))
		}
	}
	if len(rows) > 0 {
		return rows
	}
	if typ == "command" {
		// Its tool is whatever a config names; there is nothing to look for.
		return []scannerRow{{Adapter: typ, Scanner: "-", Installed: "-", Version: "-",
			Note: "not in the config; runs the tool a scanner of type command names"}}
	}
	d := adapter.Detect(cmd.Context(), config.Scanner{Name: typ, Type: typ})
	return []scannerRow{detectionRow(typ, "-", d, "not in the config")}
}

func detectionRow(typ, name string, d scanners.Detection, note string) scannerRow {
	row := scannerRow{Adapter: typ, Scanner: name, Installed: "no", Version: "-", Note: note}
	if d.Installed {
		row.Installed = "yes"
	}
	if d.Version != "" {
		row.Version = d.Version
	}
	if !d.Installed && d.Hint != "" {
		row.Note += "; " + d.Hint
	}
	return row
}

// enabledNote says how the config uses a scanner: required or optional, and
// with a report to read instead of a run.
func enabledNote(s config.Scanner, d scanners.Detection) string {
	note := "enabled, required"
	if !s.Required {
		note = "enabled, optional"
	}
	if s.Report != "" {
		note += ", reads " + s.Report
	}
	if s.Vulnerabilities != "" && s.Vulnerabilities != config.VulnNone {
		note += ", vulnerabilities: " + s.Vulnerabilities
	}
	if d.Path != "" {
		note += ", " + d.Path
	}
	return note
}

func printScanners(w io.Writer, rows []scannerRow) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ADAPTER\tSCANNER\tINSTALLED\tVERSION\tCONFIG")
	for _, r := range rows {
		fields := []string{r.Adapter, r.Scanner, r.Installed, r.Version, r.Note}
		for i, v := range fields {
			fields[i] = iostreams.Clean(v)
		}
		fmt.Fprintln(tw, strings.Join(fields, "\t"))
	}
	return tw.Flush()
}
