package semgrep

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/secgate/secgate/pkg/sariflog"
	"github.com/secgate/secgate/scanners"
)

// ParseSARIF reads a report written by `semgrep --sarif`. Semgrep puts the
// severity in each rule's default level and security-severity, which the SARIF
// reader already applies; this only names the tool "semgrep" for every
// finding, whatever the driver calls itself ("Semgrep OSS", "semgrep"), so that
// policy rules written for "semgrep:..." match the SARIF form too.
func ParseSARIF(r io.Reader, source string) (*scanners.Result, error) {
	runs, err := sariflog.Reader{MaxSize: maxReport}.Read(r, source)
	if err != nil {
		return nil, err
	}
	if len(runs) != 1 {
		return nil, fmt.Errorf("%s: expected one run, as semgrep writes, found %d", source, len(runs))
	}
	run := runs[0]
	if !strings.Contains(strings.ToLower(run.Tool.Name), "semgrep") {
		return nil, fmt.Errorf("%s: the run's tool is %q, not Semgrep (use --from sarif for other tools)",
			source, run.Tool.DisplayName)
	}
	if !run.Successful {
		return nil, fmt.Errorf("%s: semgrep says the scan did not complete: %s",
			source, strings.Join(run.Errors, "; "))
	}

	base := run.BaseDir
	if base == "" {
		if base, err = filepath.Abs("."); err != nil {
			return nil, err
		}
	}
	res := &scanners.Result{
		Tool: scanners.ToolInfo{Name: "semgrep", DisplayName: run.Tool.DisplayName,
			Version: run.Tool.Version, InformationURI: "https://semgrep.dev"},
		BaseDir: base,
	}
	for _, f := range run.Findings {
		f.Tool = "semgrep"
		f.ToolVersion = run.Tool.Version
		res.Findings = append(res.Findings, f)
	}
	for _, e := range run.Errors {
		res.Stats.Notes = append(res.Stats.Notes, "semgrep: "+e)
	}
	res.Stats.Notes = append(res.Stats.Notes, run.Warnings...)
	return res, nil
}
