package doctor

import (
	"path/filepath"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

// Check is one scanner run on the sample and what it must find there.
type Check struct {
	// Name labels the check and is the scanner's name in the run.
	Name string
	// Type is the adapter.
	Type string
	// Settings returns the scanner's settings, given the directory the
	// sample was unpacked in (the bundled rules are in root/semgrep).
	Settings func(root string) config.Scanner
	Expect   []Expectation
}

// sampleTimeout bounds each check; the sample is a handful of files.
const sampleTimeout = 5 * time.Minute

func settings(name, typ string, edit func(*config.Scanner)) func(string) config.Scanner {
	return func(root string) config.Scanner {
		s := config.Scanner{Name: name, Type: typ, Required: true, Timeout: sampleTimeout}
		if edit != nil {
			edit(&s)
		}
		return s
	}
}

// lodashAdvisory is what a vulnerability matcher must find on the sample:
// lodash 4.17.20 in web/package-lock.json, CVE-2021-23337, which GitHub
// publishes as GHSA-35jh-r3h4-6jhm; a matcher may name it either way.
func lodashAdvisory(tool string) Expectation {
	return Expectation{Tool: tool, Rule: "GHSA-35jh-r3h4-6jhm", Advisory: "CVE-2021-23337",
		Path: "web/package-lock.json"}
}

// Checks returns the doctor's checks, one per adapter ability that the
// sample exercises (rules/samples/README.md lists the flaws). Adapters with
// nothing of their own to find (sarif and command import other tools'
// reports) and those whose tool needs a service this sample cannot stand for
// (snyk's cloud, a ZAP target) have no check.
func Checks() []Check {
	return []Check{
		{Name: "semgrep", Type: "semgrep",
			Settings: func(root string) config.Scanner {
				s := settings("semgrep", "semgrep", nil)(root)
				s.Config = []string{filepath.Join(root, "semgrep")}
				return s
			},
			Expect: []Expectation{
				{Tool: "semgrep", Rule: "secgate.python.sql-injection", Path: "app/accounts.py"},
				{Tool: "semgrep", Rule: "secgate.python.weak-password-hash",
					Path: "app/accounts.py"},
				{Tool: "semgrep", Rule: "secgate.python.weak-hash", Path: "app/accounts.py"},
			}},
		{Name: "sbom", Type: "sbom", Settings: settings("sbom", "sbom", nil),
			Expect: []Expectation{
				{Tool: "sbom", Rule: "license-denied", Path: "web/package-lock.json"},
				{Tool: "sbom", Rule: "package-banned", Path: "web/package-lock.json"},
			}},
		{Name: "sbom-grype", Type: "sbom",
			Settings: settings("sbom-grype", "sbom", func(s *config.Scanner) {
				s.Vulnerabilities = config.VulnGrype
			}),
			Expect: []Expectation{lodashAdvisory("grype")}},
		{Name: "sbom-osv-scanner", Type: "sbom",
			Settings: settings("sbom-osv-scanner", "sbom", func(s *config.Scanner) {
				s.Vulnerabilities = config.VulnOSVScanner
			}),
			Expect: []Expectation{lodashAdvisory("osv-scanner")}},
	}
}

// samplePolicy is the policy the sample is scanned with: the licence and the
// package it holds on purpose are denied.
func samplePolicy() *config.Config {
	cfg := config.Default()
	cfg.File = "the doctor's sample policy"
	cfg.Licenses = config.Licenses{Deny: []string{"AGPL-3.0-or-later"},
		Severity: finding.SeverityHigh}
	cfg.Packages = config.Packages{Severity: finding.SeverityHigh, Deny: []config.PackageBan{
		{Name: "lodash", Type: "npm", Versions: "<4.17.21", Reason: "CVE-2021-23337"},
	}}
	return cfg
}
