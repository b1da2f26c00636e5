package main

import (
	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/exitcode"
)

func newRootCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secgate",
		Short: "Security gate: run scanners, normalize findings, apply a policy",
		Long: `secgate runs security scanners, normalizes what they find into one SARIF 2.1.0
log, applies a YAML pass/fail policy and writes reports.

Exit codes:
  0  passed: nothing the policy blocks on
  1  blocked: the policy blocks the change
  2  could not decide: bad config or input, or a required scanner failed`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	cmd.PersistentFlags().BoolVarP(&f.Verbose, "verbose", "v", false, "log detail to stderr")
	cmd.PersistentFlags().BoolVar(&f.NoColor, "no-color", false,
		"never colour output (NO_COLOR is honoured too)")
	// A bad flag is a could-not-decide outcome, never a pass.
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return exitcode.Undecide(err)
	})

	cmd.AddCommand(
		newScanCmd(f),
		newConvertCmd(f),
		newEvaluateCmd(f),
		newVersionCmd(f),
		newScannersCmd(f),
		newDoctorCmd(f),
		newPublishCmd(f),
		newBaselineCmd(f),
		newHookCmd(f),
		newMergeCmd(f),
		newLockCmd(f),
	)
	return cmd
}
