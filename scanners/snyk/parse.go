package snyk

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/secgate/secgate/pkg/wellformed"
	"github.com/secgate/secgate/scanners"
)

// ParseJSON reads a report written by `snyk test --json` (one object, or with
// --all-projects an array of one object per project), `snyk container test
// --json` or `snyk iac test --json`. Content shaped as SARIF, which is what
// `snyk code test --json` writes, is read as Snyk SARIF. Paths are taken as
// relative to the working directory, where snyk presumably ran.
//
// Entries that report an error instead of a result are never dropped: with
// no project tested the report is an error, and with some tested it is a
// *scanners.PartialError that holds their findings and names the others.
func ParseJSON(r io.Reader, source string) (*scanners.Result, error) {
	return parseFile(r, source, nil)
}

// ParseSARIF reads a report written by `snyk test --sarif`, `snyk container
// test --sarif` or `snyk iac test --sarif`.
func ParseSARIF(r io.Reader, source string) (*scanners.Result, error) {
	return parseFile(r, source, func(p sarifProduct) error {
		if p.code {
			return errors.New("this is a Snyk Code report: read it as snyk-code-sarif")
		}
		return nil
	})
}

// ParseCodeSARIF reads a report written by `snyk code test --sarif` or
// `snyk code test --json`, which is SARIF too.
func ParseCodeSARIF(r io.Reader, source string) (*scanners.Result, error) {
	return parseFile(r, source, func(p sarifProduct) error {
		if !p.code {
			return fmt.Errorf("this is a %s report, not Snyk Code: read it as snyk-sarif "+
				"(or snyk-json for JSON)", p.display)
		}
		return nil
	})
}

// parseFile reads a report file; accept limits the SARIF products taken.
func parseFile(r io.Reader, source string, accept func(sarifProduct) error) (
	*scanners.Result, error) {
	data, err := readReport(r, source)
	if err != nil {
		return nil, err
	}
	if err := wellformed.UTF8(data, source, "a Snyk JSON or SARIF report"); err != nil {
		return nil, err
	}
	base, err := filepath.Abs(".")
	if err != nil {
		return nil, err
	}
	if accept != nil && shapeOf(data) != shapeSARIF {
		if err := wellformed.JSON(data, source, "a Snyk SARIF log"); err != nil {
			return nil, err // empty, truncated or malformed: say where
		}
		return nil, fmt.Errorf("%s: expected a SARIF log (an object with runs), found %q",
			source, firstBytes(data))
	}
	rep, err := parseReport(data, source, base, accept)
	if err != nil {
		return nil, err
	}
	if err := checkRuleIDs(rep.result, source); err != nil {
		return nil, err
	}
	return rep.outcome()
}

// parseReport reads any Snyk report, JSON or SARIF, told apart by content.
func parseReport(data []byte, source, base string, accept func(sarifProduct) error) (
	*report, error) {
	if shapeOf(data) == shapeSARIF {
		res, err := parseSARIF(data, source, base, accept)
		if err != nil {
			return nil, err
		}
		return &report{result: res, projects: 1}, nil
	}
	projects, err := decodeProjects(data, source)
	if err != nil {
		return nil, err
	}
	for i := range projects {
		if !projects[i].looksLikeSnyk() {
			return nil, fmt.Errorf("%s: entry %d is not a Snyk result: it has none of ok, "+
				"vulnerabilities, infrastructureAsCodeIssues or error", source, i+1)
		}
	}
	return convertProjects(projects, base), nil
}

// looksLikeSnyk reports whether a decoded entry has any key Snyk always
// writes, so that another tool's JSON is refused rather than read as a clean
// Snyk result.
func (p *projectJSON) looksLikeSnyk() bool {
	return p.OK != nil || p.Vulnerabilities != nil || p.IaCIssues != nil ||
		p.Error != "" || len(p.Errors) > 0
}

// outcome is the report as an adapter result: an error when nothing was
// tested, a partial error when some projects failed, else the result.
func (rep *report) outcome() (*scanners.Result, error) {
	if len(rep.failures) == 0 {
		return rep.result, nil
	}
	if len(rep.failures) == rep.projects {
		return nil, rep.failureError()
	}
	return nil, &scanners.PartialError{Tool: toolName, Result: rep.result,
		Failed: rep.failures, Total: rep.projects, Noun: "project"}
}

// failureError says that nothing was tested, and why.
func (rep *report) failureError() error {
	msgs := make([]string, len(rep.failures))
	for i, f := range rep.failures {
		msgs[i] = f.String()
	}
	return fmt.Errorf("snyk tested nothing: %s", strings.Join(msgs, "; "))
}

// checkRuleIDs refuses a report with an issue that has no id: Snyk gives
// every issue one, and policy rules, suppressions and baselines match on it,
// so a finding without one could be neither matched nor fixed.
func checkRuleIDs(res *scanners.Result, source string) error {
	if res == nil {
		return nil
	}
	for i, f := range res.Findings {
		if f.Rule.ID == "" {
			return fmt.Errorf("%s: issue %d (%s) has no id, expected a Snyk issue id such as "+
				"SNYK-JS-LODASH-567746", source, i+1, firstOf(f.Message, "no title"))
		}
	}
	return nil
}
