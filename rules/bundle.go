// Package rules bundles what secgate ships besides its code: the Semgrep
// rules (semgrep/) and the known-vulnerable sample that `secgate doctor`
// scans (samples/, see its README). Both are embedded so that an installed
// binary carries them; the files in this directory are the ones embedded.
package rules

import "embed"

// Semgrep holds the bundled Semgrep rules, semgrep/*.yaml.
//
//go:embed semgrep/*.yaml
var Semgrep embed.FS

// Samples holds the doctor's sample project under samples/.
//
//go:embed all:samples
var Samples embed.FS
