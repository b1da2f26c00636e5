package config

import (
	"slices"
	"strings"
)

// Vulnerability matchers the sbom scanner can run on its SBOM. VulnNone, the
// default, matches nothing; VulnAuto runs grype when it is installed, else
// osv-scanner, else nothing, and says which in the scanner's notes.
const (
	VulnNone       = "none"
	VulnAuto       = "auto"
	VulnGrype      = "grype"
	VulnOSVScanner = "osv-scanner"
)

var vulnMatchers = []string{VulnNone, VulnAuto, VulnGrype, VulnOSVScanner}

// sbomField reads the settings only the sbom scanner has.
func (d *decoder) sbomField(f field, at string, s *Scanner) bool {
	var ok bool
	switch f.key {
	case "vulnerabilities":
		s.Vulnerabilities, ok = d.nonEmpty(f.value, at)
		s.Vulnerabilities = strings.ToLower(strings.TrimSpace(s.Vulnerabilities))
		if ok && !slices.Contains(vulnMatchers, s.Vulnerabilities) {
			d.errorf(f.value, "%s: unknown vulnerability matcher %q (known: %s)",
				at, s.Vulnerabilities, strings.Join(vulnMatchers, ", "))
			ok = false
		}
	case "input":
		s.Input, ok = d.nonEmpty(f.value, at)
	}
	return ok
}

// checkSBOM reports sbom settings that contradict each other: an SBOM read
// from input is not written again, so formats has nothing to do; and a
// report to import replaces the matcher, so naming one as well is ambiguous.
func (d *decoder) checkSBOM(path string, fields []field, s Scanner) bool {
	ok := true
	if n := fieldValue(fields, "formats"); n != nil && hasAny(fields, "input") {
		d.errorf(n, "%s.formats: only makes sense when secgate generates the SBOM, "+
			"not with input", path)
		ok = false
	}
	vuln := fieldValue(fields, "vulnerabilities")
	if vuln != nil && hasAny(fields, "report") && s.Vulnerabilities != VulnNone {
		d.errorf(vuln, "%s.vulnerabilities: a report is imported instead of running "+
			"a matcher; drop one of vulnerabilities and report", path)
		ok = false
	}
	if n := fieldValue(fields, "args"); n != nil && !runsMatcher(s) {
		d.errorf(n, "%s.args: the arguments go to the vulnerability matcher; "+
			"set vulnerabilities to grype, osv-scanner or auto", path)
		ok = false
	}
	return ok
}

func runsMatcher(s Scanner) bool {
	return s.Vulnerabilities != "" && s.Vulnerabilities != VulnNone
}
