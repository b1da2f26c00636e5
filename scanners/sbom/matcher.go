package sbom

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/config"
	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// matcher is a vulnerability matcher secgate can run on the SBOM it holds.
type matcher struct {
	name    string // as in the config and in findings: "grype"
	display string // as the tool calls itself
	url     string
	format  string // the report format it writes
	// input is the SBOM format it is given: Grype reads Syft JSON natively;
	// osv-scanner 2.2 refuses the CycloneDX 1.7 that Syft writes, and reads
	// SBOMs only under the file names their specs suggest, so it gets SPDX.
	input string
	args  func(sbomPath string, extra []string) []string
	// ok reports whether an exit code means the report can be read.
	ok func(code int) bool
	// exitHint explains exit codes that have a meaning of their own.
	exitHint map[int]string
	// set holds fixed environment values: no update checks over the network.
	set  []string
	hint string
}

var matchers = []matcher{
	{
		name: config.VulnGrype, display: "Grype", url: "https://github.com/anchore/grype",
		format: sbomdoc.FormatGrypeJSON, input: sbomdoc.FormatSyftJSON,
		args: func(path string, extra []string) []string {
			return slices.Concat([]string{"sbom:" + path, "--output", "json"}, extra)
		},
		// Grype exits 1 on an error, and 2 only when asked to fail on a severity,
		// which secgate never asks: the policy decides.
		ok:   func(code int) bool { return code == 0 },
		set:  []string{"GRYPE_CHECK_FOR_APP_UPDATE=false"},
		hint: "install grype (https://github.com/anchore/grype)",
	},
	{
		name: config.VulnOSVScanner, display: "OSV-Scanner",
		url: "https://github.com/google/osv-scanner", format: sbomdoc.FormatOSVScannerJSON,
		input: sbomdoc.FormatSPDXJSON,
		args: func(path string, extra []string) []string {
			return slices.Concat([]string{"scan", "source", "--format", "json"}, extra,
				[]string{"-L", path})
		},
		// 0: nothing found, 1: vulnerabilities found; both wrote a report.
		ok: func(code int) bool { return code == 0 || code == 1 },
		exitHint: map[int]string{
			127: "osv-scanner failed",
			128: "osv-scanner found no packages in the SBOM",
		},
		hint: "install osv-scanner (go install github.com/google/osv-scanner/v2/cmd/osv-scanner)",
	},
}

func findMatcher(name string) (matcher, bool) {
	for _, m := range matchers {
		if m.name == name {
			return m, true
		}
	}
	return matcher{}, false
}

// pickMatcher resolves the vulnerabilities setting to a matcher and its binary.
// none (or unset) picks nothing; auto picks the first installed matcher, or
// nothing; a named matcher that is not installed is an error.
func (s *Scanner) pickMatcher(setting string) (matcher, string, error) {
	switch setting {
	case "", config.VulnNone:
		return matcher{}, "", nil
	case config.VulnAuto:
		for _, m := range matchers {
			if path, err := s.lookPath(m.name); err == nil {
				return m, path, nil
			}
		}
		return matcher{}, "", nil
	}
	m, ok := findMatcher(setting)
	if !ok {
		return matcher{}, "", fmt.Errorf("unknown vulnerability matcher %q", setting)
	}
	path, err := s.lookPath(m.name)
	if err != nil {
		return matcher{}, "", fmt.Errorf("%s is not installed: %w", m.name, err)
	}
	return m, path, nil
}

// match runs the matcher on the SBOM file at sbomPath and reads its report.
func (s *Scanner) match(ctx context.Context, req scanners.Request, m matcher, bin,
	sbomPath string) (*sbomdoc.Report, error) {
	res, err := s.exec(ctx, toolexec.Cmd{
		Path: bin,
		Args: m.args(sbomPath, req.Settings.Args),
		Dir:  req.Target,
		Env:  req.Settings.Env,
		Set:  m.set,
		Log:  req.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", m.name, err)
	}

	if !m.ok(res.ExitCode) {
		why := m.exitHint[res.ExitCode]
		if why == "" {
			why = m.name + " failed"
		}
		return nil, fmt.Errorf("%s (exit %d): %s", why, res.ExitCode, stderrOf(res))
	}
	if len(strings.TrimSpace(string(res.Stdout))) == 0 {
		return nil, fmt.Errorf("%s exited %d and wrote an empty report: %s",
			m.name, res.ExitCode, stderrOf(res))
	}
	return sbomdoc.DecodeReport(res.Stdout, m.name+" output", m.format)
}

func stderrOf(res *toolexec.Result) string {
	if res.StderrTail == "" {
		return "nothing on stderr"
	}
	return "stderr: " + res.StderrTail
}

// importReport reads a Grype or OSV-Scanner report written by an earlier step,
// in the format report_format names or, without it, the one its content
// shows. A relative path is relative to the repository root.
func importReport(req scanners.Request) (*sbomdoc.Report, error) {
	format := req.Settings.ReportFormat
	if format != "" && format != sbomdoc.FormatGrypeJSON &&
		format != sbomdoc.FormatOSVScannerJSON {
		return nil, fmt.Errorf("scanners.%s.report_format: the sbom scanner imports a "+
			"vulnerability matcher's report, %s or %s, not %q", req.Settings.Name,
			sbomdoc.FormatGrypeJSON, sbomdoc.FormatOSVScannerJSON, format)
	}
	path := rootPath(req.Root, req.Settings.Report)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read vulnerability report: %w", err)
	}
	return sbomdoc.DecodeReport(data, path, format)
}

// rootPath resolves a configured path against the repository root.
func rootPath(root, p string) string {
	if filepath.IsAbs(p) || root == "" {
		return p
	}
	return filepath.Join(root, p)
}

// placeFindings gives each vulnerability finding without a file the manifest
// the SBOM names for its package, found by purl (qualifiers aside) or by
// ecosystem, name and version, so that a match on an SBOM points at the lock
// file a developer would change.
func placeFindings(rep *sbomdoc.Report, doc *sbomdoc.Document) {
	where := map[string]string{}
	for _, p := range doc.Packages {
		if len(p.Locations) == 0 {
			continue
		}
		for _, k := range packageKeys(p) {
			if _, seen := where[k]; !seen {
				where[k] = p.Locations[0]
			}
		}
	}
	for i := range rep.Matches {
		p := &rep.Matches[i].Package
		if len(p.Locations) > 0 {
			continue
		}
		for _, k := range packageKeys(*p) {
			if loc, ok := where[k]; ok {
				p.Locations = []string{loc}
				break
			}
		}
	}
}

func packageKeys(p sbomdoc.Package) []string {
	var keys []string
	if base, _, _ := strings.Cut(p.PURL, "?"); base != "" {
		keys = append(keys, "purl\x00"+base)
	}
	return append(keys, "nv\x00"+p.Type+"\x00"+strings.ToLower(p.Name)+"\x00"+p.Version)
}
