package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

type versionOptions struct {
	f *factory
}

func newVersionCmd(f *factory) *cobra.Command {
	opts := &versionOptions{f: f}
	return &cobra.Command{
		Use:   "version",
		Short: "Print secgate's version",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return runVersion(opts) },
	}
}

func runVersion(opts *versionOptions) error {
	_, err := fmt.Fprintf(opts.f.IO.Out, "secgate %s (%s, %s/%s)\n",
		opts.f.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
