package sbom

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// vulnerabilities gets the matcher's report: imported from the file the
// config names, or from running the matcher on the SBOM. It returns nil when
// no matching was asked for, or when the SBOM lists nothing to match.
func (s *Scanner) vulnerabilities(ctx context.Context, req scanners.Request, m matcher,
	bin string, src *sbomSource) (*sbomdoc.Report, error) {
	notes := &src.res.Stats.Notes
	switch {
	case req.Settings.Report != "":
		return importReport(req)
	case m.name == "" && req.Settings.Vulnerabilities != "" &&
		req.Settings.Vulnerabilities != "none":
		*notes = append(*notes, "vulnerabilities: auto found neither grype nor osv-scanner "+
			"installed, so no package was matched against known vulnerabilities")
		return nil, nil
	case m.name == "":
		return nil, nil
	case len(src.doc.Packages) == 0:
		*notes = append(*notes, m.name+" was not run: the SBOM lists no packages")
		return nil, nil
	}

	path, err := src.sbomFor(m)
	if err != nil {
		return nil, err
	}
	return s.match(ctx, req, m, bin, path)
}

// addReport adds the report's findings, placed in the SBOM's manifests, and
// names the matcher as a tool of the result.
func addReport(res *scanners.Result, rep *sbomdoc.Report, doc *sbomdoc.Document) {
	if rep == nil {
		return
	}
	placeFindings(rep, doc)
	res.Findings = append(rep.Findings(), res.Findings...)

	info := scanners.ToolInfo{Name: rep.Tool, DisplayName: rep.Tool, Version: rep.Version}
	if m, ok := findMatcher(rep.Tool); ok {
		info.DisplayName, info.InformationURI = m.display, m.url
	}
	res.Tools = append(res.Tools, info)
	res.Stats.Notes = append(res.Stats.Notes, fmt.Sprintf("%s: %d vulnerabilities matched "+
		"in %d packages", rep.Tool, len(rep.Matches), len(doc.Packages)))
}

// readInput reads an SBOM produced elsewhere. Its locations are taken as
// relative to the repository root. An SBOM that lists no packages is valid
// and is counted as no file scanned, so the run is reported as empty.
func readInput(req scanners.Request) (*sbomSource, error) {
	path := rootPath(req.Root, req.Settings.Input)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read input sbom: %w", err)
	}
	defer f.Close()
	doc, err := sbomdoc.Decode(f, path, "")
	if err != nil {
		return nil, err
	}

	res := &scanners.Result{
		Tool:    scanners.ToolInfo{Name: "sbom", DisplayName: firstSet(doc.Tool, "SBOM")},
		BaseDir: req.Root,
		Stats:   scanners.Stats{FilesScanned: 1, FilesCounted: true},
	}
	res.Stats.Notes = append(res.Stats.Notes, fmt.Sprintf("%s: %s %s by %s, %d packages",
		path, doc.Format, doc.SpecVersion, firstSet(doc.Tool, "an unnamed tool"),
		len(doc.Packages)))
	if len(doc.Packages) == 0 {
		res.Stats.FilesScanned = 0
	}
	return &sbomSource{doc: doc, res: res, sbomFor: func(m matcher) (string, error) {
		return matcherCopy(path, doc.Format, m, req.OutDir)
	}}, nil
}

// osvNames are the file name endings osv-scanner needs to read an SBOM.
var osvNames = map[string]string{
	sbomdoc.FormatCycloneDXJSON: "input.cdx.json",
	sbomdoc.FormatCycloneDXXML:  "input.cdx.xml",
	sbomdoc.FormatSPDXJSON:      "input.spdx.json",
}

// matcherCopy hands Grype the input as it is; osv-scanner reads SBOMs only
// under the names their specs suggest, so it gets a copy so named.
func matcherCopy(path, format string, m matcher, outDir string) (string, error) {
	if m.name != "osv-scanner" {
		return path, nil
	}
	name, ok := osvNames[format]
	if !ok {
		return "", fmt.Errorf("osv-scanner cannot read %s SBOMs such as %s; "+
			"give it CycloneDX or SPDX JSON", format, path)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", fmt.Errorf("sbom output dir: %w", err)
	}
	dst := filepath.Join(outDir, name)
	return dst, copyFile(path, dst)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy sbom: %w", err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("copy sbom: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy sbom to %s: %w", dst, err)
	}
	return out.Close()
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func (s *Scanner) lookPath(file string) (string, error) {
	if s.LookPath != nil {
		return s.LookPath(file)
	}
	return exec.LookPath(file)
}

func (s *Scanner) exec(ctx context.Context, c toolexec.Cmd) (*toolexec.Result, error) {
	if s.Exec != nil {
		return s.Exec(ctx, c)
	}
	return toolexec.Run(ctx, c)
}

// toolVersion asks a matcher for its version: the last word of the first
// line of --version ("grype 0.87.0", "osv-scanner version: 2.2.2"). It gives
// "unknown" rather than fail: the version is for the user, not for the scan.
func (s *Scanner) toolVersion(ctx context.Context, bin string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := s.exec(ctx, toolexec.Cmd{Path: bin, Args: []string{"--version"}})
	if err != nil || res.ExitCode != 0 {
		return "(version unknown)"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(res.Stdout)), "\n")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "(version unknown)"
	}
	return fields[len(fields)-1]
}
