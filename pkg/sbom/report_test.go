package sbom

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// TestDecodeGrypeFixtures checks every Grype JSON fixture against the counts in
// shared/fixtures/EXPECTED.md: one finding per match, the distinct ids and
// artifacts, and every severity mapped (the match without a severity takes
// its related GHSA record's, High).
func TestDecodeGrypeFixtures(t *testing.T) {
	tests := []struct {
		file      string
		version   string
		matches   int
		ids       int
		artifacts int
		severity  map[finding.Severity]int
	}{
		{"defectdojo-fix-available.json", "0.75.0", 1, 1, 1,
			map[finding.Severity]int{finding.SeverityHigh: 1}},
		{"defectdojo-issue9618.json", "0.96.0", 35, 19, 9, map[finding.Severity]int{
			finding.SeverityHigh: 19, finding.SeverityMedium: 13, finding.SeverityLow: 2,
			finding.SeverityCritical: 1}},
		{"defectdojo-many-vulns-with-epss.json", "0.94.0", 15, 15, 1, map[finding.Severity]int{
			finding.SeverityHigh: 10, finding.SeverityLow: 2, finding.SeverityMedium: 2,
			finding.SeverityCritical: 1}},
		{"defectdojo-many-vulns4.json", "0.24.0", 9, 9, 7, map[finding.Severity]int{
			finding.SeverityMedium: 5, finding.SeverityCritical: 2, finding.SeverityHigh: 2}},
		{"defectdojo-no-vuln.json", "0.7.0", 0, 0, 0, map[finding.Severity]int{}},
		{"gatecheck-juice-shop-image-0.64.2.json", "0.64.2", 62, 51, 24, map[finding.Severity]int{
			finding.SeverityMedium: 26, finding.SeverityHigh: 14, finding.SeverityInfo: 13,
			finding.SeverityCritical: 8, finding.SeverityLow: 1}},
		{"grype-golden-image-presenter.json", "[not provided]", 2, 2, 2,
			map[finding.Severity]int{finding.SeverityCritical: 1, finding.SeverityLow: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rep, err := DecodeReport(readFixture(t, "grype/json/"+tt.file), tt.file, "")
			if err != nil {
				t.Fatalf("DecodeReport: %v", err)
			}
			if rep.Format != FormatGrypeJSON || rep.Tool != "grype" || rep.Version != tt.version {
				t.Errorf("report: got %s by %s %s, want grype-json by grype %s",
					rep.Format, rep.Tool, rep.Version, tt.version)
			}

			fs := rep.Findings()
			ids, artifacts := map[string]bool{}, map[string]bool{}
			severity := map[finding.Severity]int{}
			for _, f := range fs {
				ids[f.Rule.ID] = true
				artifacts[f.Package.Name+"@"+f.Package.Version] = true
				severity[f.Severity]++
			}
			got := []int{len(fs), len(ids), len(artifacts)}
			if want := []int{tt.matches, tt.ids, tt.artifacts}; !reflect.DeepEqual(got, want) {
				t.Errorf("findings, ids, artifacts: got %v, want %v", got, want)
			}
			if !reflect.DeepEqual(severity, tt.severity) {
				t.Errorf("severities: got %v, want %v", severity, tt.severity)
			}
		})
	}
}

// TestGrypeFindingShape follows single matches of the fixtures through to the
// finding: ids and aliases, versions, purl, and where the package is.
func TestGrypeFindingShape(t *testing.T) {
	tests := []struct {
		file, rule, pkg string
		want            briefVuln
	}{
		{"gatecheck-juice-shop-image-0.64.2.json", "GHSA-35jh-r3h4-6jhm", "lodash", briefVuln{
			Severity: finding.SeverityHigh, Word: "High", Version: "2.4.2", Fixed: "4.17.21",
			PURL: "pkg:npm/lodash@2.4.2", Type: "npm",
			Advisories: "GHSA-35jh-r3h4-6jhm CVE-2021-23337",
			Logical:    "pkg:npm/lodash@2.4.2",
			Message:    "GHSA-35jh-r3h4-6jhm in lodash@2.4.2 (npm); fixed in 4.17.21",
		}},
		{"defectdojo-issue9618.json", "CVE-2024-26308", "commons-compress", briefVuln{
			Severity: finding.SeverityHigh, Word: "High", Version: "1.21", Fixed: "1.26.0",
			PURL: "pkg:maven/org.apache.commons/commons-compress@1.21", Type: "maven",
			Advisories: "CVE-2024-26308 GHSA-4265-ccf5-phj5",
			Logical:    "pkg:maven/org.apache.commons/commons-compress@1.21",
			Message:    "CVE-2024-26308 in commons-compress@1.21 (maven); fixed in 1.26.0",
		}},
		{"defectdojo-many-vulns4.json", "CVE-2021-32626", "redis", briefVuln{
			Severity: finding.SeverityHigh, Word: "High", Version: "3.5.3",
			PURL: "pkg:pypi/redis@3.5.3", Type: "pypi", Advisories: "CVE-2021-32626",
			Path: "requirements.txt", Logical: "pkg:pypi/redis@3.5.3",
			Message: "CVE-2021-32626 in redis@3.5.3 (pypi)",
		}},
		{"gatecheck-juice-shop-image-0.64.2.json", "CVE-2007-6755", "openssl", briefVuln{
			Severity: finding.SeverityInfo, Word: "Negligible", Version: "1.1.1n-0+deb11u4",
			PURL: "pkg:deb/debian/openssl@1.1.1n-0+deb11u4?arch=amd64&distro=debian-11",
			Type: "deb", Advisories: "CVE-2007-6755",
			Logical: "pkg:deb/debian/openssl@1.1.1n-0+deb11u4?arch=amd64&distro=debian-11",
			Message: "CVE-2007-6755 in openssl@1.1.1n-0+deb11u4 (deb)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			rep, err := DecodeReport(readFixture(t, "grype/json/"+tt.file), tt.file, FormatGrypeJSON)
			if err != nil {
				t.Fatalf("DecodeReport: %v", err)
			}
			f := findRule(t, rep.Findings(), tt.rule, tt.pkg)
			if got := brief1(f); got != tt.want {
				t.Errorf("finding:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// briefVuln is what a vulnerability finding says, flattened for comparison.
type briefVuln struct {
	Severity   finding.Severity
	Word       string
	Version    string
	Fixed      string
	PURL       string
	Type       string
	Advisories string
	Path       string
	Logical    string
	Message    string
}

func brief1(f finding.Finding) briefVuln {
	return briefVuln{
		Severity: f.Severity, Word: f.ToolSeverity, Version: f.Package.Version,
		Fixed: f.Package.FixedVersion, PURL: f.Package.PURL, Type: f.Package.Type,
		Advisories: strings.Join(f.Package.Advisories, " "), Path: f.Location.Path,
		Logical: f.Location.Logical, Message: f.Message,
	}
}

func findRule(t *testing.T, fs []finding.Finding, rule, pkg string) finding.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Rule.ID == rule && f.Package != nil && f.Package.Name == pkg {
			return f
		}
	}
	t.Fatalf("no finding %s on %s among %d", rule, pkg, len(fs))
	return finding.Finding{}
}

func readRecorded(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "osv-scanner", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDecodeOSVScanner reads the OSV-Scanner output recorded in
// testdata/osv-scanner (see its README): the package comes from an SBOM, so
// it names no file, and the group's ids and aliases are the advisories.
func TestDecodeOSVScanner(t *testing.T) {
	rep, err := DecodeReport(readRecorded(t, "lodash-exit1.json"), "lodash-exit1.json", "")
	if err != nil {
		t.Fatalf("DecodeReport: %v", err)
	}
	if rep.Format != FormatOSVScannerJSON || rep.Tool != "osv-scanner" || len(rep.Matches) != 1 {
		t.Fatalf("report: got %s by %s with %d matches, want osv-scanner-json with 1",
			rep.Format, rep.Tool, len(rep.Matches))
	}
	want := briefVuln{
		Severity: finding.SeverityHigh, Word: "HIGH", Version: "4.17.20", Fixed: "4.17.21",
		PURL: "pkg:npm/lodash@4.17.20", Type: "npm",
		Advisories: "GHSA-35jh-r3h4-6jhm CVE-2021-23337", Logical: "pkg:npm/lodash@4.17.20",
		Message: "GHSA-35jh-r3h4-6jhm in lodash@4.17.20 (npm); fixed in 4.17.21",
	}
	fs := rep.Findings()
	if got := brief1(fs[0]); got != want {
		t.Errorf("finding:\n got %+v\nwant %+v", got, want)
	}
	desc := fs[0].Rule.Description
	if fs[0].Tool != "osv-scanner" || desc != "Command injection in lodash template" {
		t.Errorf("tool and description: got %q, %q", fs[0].Tool, fs[0].Rule.Description)
	}

	clean, err := DecodeReport(readRecorded(t, "clean-exit0.json"), "clean-exit0.json", "")
	if err != nil || len(clean.Matches) != 0 {
		t.Errorf("clean report: got %v matches, error %v; want none", clean, err)
	}
}

// TestDecodeOSVScannerShapes covers what one recording cannot: a lock file as
// the source, a group of two records, a Maven name, and a report written
// before OSV-Scanner grouped aliases. Inputs are the recorded shape, trimmed.
func TestDecodeOSVScannerShapes(t *testing.T) {
	grouped := `{"results":[{"source":{"path":"/src/requirements.txt","type":"lockfile"},
	  "packages":[{"package":{"name":"jinja2","version":"2.4.1","ecosystem":"PyPI"},
	    "vulnerabilities":[
	      {"id":"GHSA-462w-v97r-4m45","aliases":["CVE-2019-10906"],
	       "affected":[{"package":{"name":"jinja2","ecosystem":"PyPI"},
	         "ranges":[{"events":[{"introduced":"0"},{"fixed":"2.10.1"}]}]}],
	       "database_specific":{"severity":"HIGH"}},
	      {"id":"PYSEC-2019-217","aliases":["CVE-2019-10906","GHSA-462w-v97r-4m45"],
	       "affected":[{"package":{"name":"jinja2","ecosystem":"PyPI"},
	         "ranges":[{"events":[{"introduced":"0"},{"fixed":"2.10.1"}]}]}]}],
	    "groups":[{"ids":["GHSA-462w-v97r-4m45","PYSEC-2019-217"],
	      "aliases":["CVE-2019-10906","GHSA-462w-v97r-4m45","PYSEC-2019-217"],
	      "max_severity":"8.6"}]}]}]}`
	ungrouped := `{"results":[{"source":{"path":"pom.xml","type":"lockfile"},
	  "packages":[{"package":{"name":"org.apache.logging.log4j:log4j-core","version":"2.13.2",
	    "ecosystem":"Maven"},
	    "vulnerabilities":[{"id":"GHSA-jfh8-c2jp-5v3q","aliases":["CVE-2021-44228"]}]}]}]}`
	tests := []struct {
		name, input string
		want        briefVuln
	}{
		{"two records in one group", grouped, briefVuln{
			Severity: finding.SeverityHigh, Word: "HIGH", Version: "2.4.1", Fixed: "2.10.1",
			PURL: "pkg:pypi/jinja2@2.4.1", Type: "pypi",
			Advisories: "GHSA-462w-v97r-4m45 PYSEC-2019-217 CVE-2019-10906",
			Path:       "/src/requirements.txt", Logical: "pkg:pypi/jinja2@2.4.1",
			Message: "GHSA-462w-v97r-4m45 in jinja2@2.4.1 (pypi); fixed in 2.10.1",
		}},
		{"no groups, no severity", ungrouped, briefVuln{
			Severity: finding.SeverityInfo, Version: "2.13.2",
			PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2", Type: "maven",
			Advisories: "GHSA-jfh8-c2jp-5v3q CVE-2021-44228", Path: "pom.xml",
			Logical: "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2",
			Message: "GHSA-jfh8-c2jp-5v3q in org.apache.logging.log4j:log4j-core@2.13.2 (maven)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := DecodeReport([]byte(tt.input), "osv.json", FormatOSVScannerJSON)
			if err != nil {
				t.Fatalf("DecodeReport: %v", err)
			}
			fs := rep.Findings()
			if len(fs) != 1 {
				t.Fatalf("findings: got %d, want 1", len(fs))
			}
			if got := brief1(fs[0]); got != tt.want {
				t.Errorf("finding:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeReportErrors(t *testing.T) {
	tests := []struct {
		name, input, format, want string
	}{
		{"empty", "  \n", "", "x.json: empty report"},
		{"not JSON", "matches: []", "", "x.json:1:2: malformed JSON"},
		{"neither", `{"bomFormat":"CycloneDX"}`, "", "neither a Grype report"},
		{"grype without matches", `{"descriptor":{"name":"grype"}}`, FormatGrypeJSON,
			`x.json: not a Grype JSON report: no "matches" key`},
		{"osv without results", `{}`, FormatOSVScannerJSON,
			`x.json: not a OSV-Scanner JSON report: no "results" key`},
		{"wrong type", `{"matches":{}}`, "", "x.json:1:13: unexpected JSON type"},
		{"unknown format", `{}`, "trivy-json", `unknown vulnerability report format "trivy-json"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeReport([]byte(tt.input), "x.json", tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error: got %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestOSVPURL(t *testing.T) {
	tests := []struct{ eco, name, version, want string }{
		{"npm", "@babel/core", "7.0.0", "pkg:npm/@babel/core@7.0.0"},
		{"Go", "golang.org/x/net", "v0.1.0", "pkg:golang/golang.org/x/net@v0.1.0"},
		{"Debian:12", "openssl", "3.0.11-1", "pkg:deb/debian/openssl@3.0.11-1"},
		{"crates.io", "time", "0.1.0", "pkg:cargo/time@0.1.0"},
		{"SwiftURL", "x", "1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.eco, func(t *testing.T) {
			if got := osvPURL(tt.eco, tt.name, tt.version); got != tt.want {
				t.Errorf("osvPURL: got %q, want %q", got, tt.want)
			}
		})
	}
}
