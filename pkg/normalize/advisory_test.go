package normalize

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/pkg/testenv"
)

// The findings below come from real reports: Grype's and Trivy's scans of two
// OWASP Juice Shop images, Grype's CycloneDX of log4j-core, and OSV-Scanner's
// recorded run on rules/samples (pkg/sbom/testdata/osv-scanner).

func grypeFindings(t *testing.T, rel string) []finding.Finding {
	t.Helper()
	return reportFindings(t, filepath.Join(testenv.FixturesDir(t), rel))
}

// reportFindings reads a scanner's report (Grype's or OSV-Scanner's JSON).
func reportFindings(t *testing.T, path string) []finding.Finding {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := sbom.DecodeReport(data, path, "")
	if err != nil {
		t.Fatal(err)
	}
	return rep.Findings()
}

func cycloneDXFindings(t *testing.T, rel string) []finding.Finding {
	t.Helper()
	f, err := os.Open(filepath.Join(testenv.FixturesDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := sbom.Decode(f, rel, "")
	if err != nil {
		t.Fatal(err)
	}
	return sbom.VulnerabilityFindings(doc)
}

func osvFindings(t *testing.T) []finding.Finding {
	t.Helper()
	return reportFindings(t, filepath.Join("..", "sbom", "testdata", "osv-scanner",
		"lodash-exit1.json"))
}

// trivyFindings reads Trivy's JSON the way a Trivy adapter would: one finding
// per vulnerability entry, its id as the only advisory, at the package's path.
func trivyFindings(t *testing.T, rel string) []finding.Finding {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.FixturesDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Results []struct {
			Vulnerabilities []struct {
				VulnerabilityID, PkgName, PkgPath, InstalledVersion, Severity string
				PkgIdentifier                                                 struct{ PURL string }
			}
		}
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	var out []finding.Finding
	for _, r := range rep.Results {
		for _, v := range r.Vulnerabilities {
			sev, _ := finding.SeverityFromLabel(v.Severity)
			out = append(out, finding.Finding{
				Tool: "trivy", Rule: finding.Rule{ID: v.VulnerabilityID}, Severity: sev,
				Message:  v.VulnerabilityID + " in " + v.PkgName + "@" + v.InstalledVersion,
				Location: finding.Location{Path: v.PkgPath, Logical: v.PkgIdentifier.PURL},
				Package: &finding.Package{Name: v.PkgName, Version: v.InstalledVersion,
					PURL: v.PkgIdentifier.PURL, Advisories: []string{v.VulnerabilityID}},
			})
		}
	}
	return out
}

// retooled copies fs as if another tool had reported them, changing each with edit.
func retooled(fs []finding.Finding, tool string, edit func(*finding.Finding)) []finding.Finding {
	out := make([]finding.Finding, len(fs))
	for i, f := range fs {
		f.Tool, f.Tools = tool, nil
		p := *f.Package
		f.Package = &p
		if edit != nil {
			edit(&f)
		}
		out[i] = f
	}
	return out
}

func TestMergeAdvisories(t *testing.T) {
	osv := osvFindings(t) // GHSA-35jh-r3h4-6jhm (CVE-2021-23337) in lodash 4.17.20
	cveOnly := func(f *finding.Finding) {
		f.Rule.ID, f.Package.Advisories = "CVE-2021-23337", []string{"CVE-2021-23337"}
	}
	tests := []struct {
		name   string
		in     [][]finding.Finding
		want   int    // findings after merging
		rule   string // a finding to look at: tool:rule
		tools  string // the tools it names
		path   string
		advice string // its advisories
	}{
		{"a CVE from one tool is the GHSA of another", [][]finding.Finding{osv,
			retooled(osv, "snyk", cveOnly)},
			1, "osv-scanner:GHSA-35jh-r3h4-6jhm", "osv-scanner snyk", "",
			"GHSA-35jh-r3h4-6jhm CVE-2021-23337"},
		{"the file of the other tool is kept", [][]finding.Finding{osv,
			retooled(osv, "snyk", func(f *finding.Finding) {
				cveOnly(f)
				f.Location.Path = "web/package-lock.json"
			})},
			1, "osv-scanner:GHSA-35jh-r3h4-6jhm", "osv-scanner snyk", "web/package-lock.json",
			"GHSA-35jh-r3h4-6jhm CVE-2021-23337"},
		{"another version stays", [][]finding.Finding{osv,
			retooled(osv, "snyk", func(f *finding.Finding) {
				f.Package.Version = "4.17.19"
				f.Package.PURL = "pkg:npm/lodash@4.17.19"
			})},
			2, "osv-scanner:GHSA-35jh-r3h4-6jhm", "osv-scanner", "", ""},
		{"another file stays", [][]finding.Finding{
			retooled(osv, "osv-scanner", func(f *finding.Finding) {
				f.Location.Path = "a/package-lock.json"
			}),
			retooled(osv, "snyk", func(f *finding.Finding) { f.Location.Path = "b/package-lock.json" })},
			2, "snyk:GHSA-35jh-r3h4-6jhm", "snyk", "b/package-lock.json", ""},
		{"another advisory stays", [][]finding.Finding{osv,
			retooled(osv, "snyk", func(f *finding.Finding) {
				f.Rule.ID, f.Package.Advisories = "CVE-2020-8203", []string{"CVE-2020-8203"}
			})},
			2, "snyk:CVE-2020-8203", "snyk", "", ""},
		{"one tool's two reports of an advisory stay", [][]finding.Finding{osv,
			retooled(osv, "osv-scanner", cveOnly)},
			2, "osv-scanner:CVE-2021-23337", "osv-scanner", "", ""},
		{"Maven names spelled two ways", [][]finding.Finding{
			cycloneDXFindings(t, "cyclonedx/json/defectdojo-grype-log4j-1.4.json"),
			{{Tool: "osv-scanner", Rule: finding.Rule{ID: "GHSA-jfh8-c2jp-5v3q"},
				Message: "log4shell",
				Package: &finding.Package{Name: "org.apache.logging.log4j:log4j-core",
					Version: "2.13.2", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2",
					Advisories: []string{"GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228"}}}}},
			8, "grype:CVE-2021-44228", "grype osv-scanner", "",
			"CVE-2021-44228 GHSA-jfh8-c2jp-5v3q"},
		{"licence findings are no advisories", [][]finding.Finding{
			{{Tool: "sbom", Rule: finding.Rule{ID: "license-denied"}, Message: "a",
				Package: &finding.Package{Name: "x", Version: "1"}}},
			{{Tool: "other", Rule: finding.Rule{ID: "license-denied"}, Message: "a",
				Package: &finding.Package{Name: "x", Version: "1"}}}},
			2, "other:license-denied", "other", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inputs []Input
			for _, fs := range tt.in {
				inputs = append(inputs, Input{Findings: fs})
			}
			got, _ := Apply(Options{Root: realTempDir(t)}, inputs)
			if len(got) != tt.want {
				t.Errorf("findings: got %d, want %d", len(got), tt.want)
			}
			f := pick(t, got, tt.rule)
			if tools := strings.Join(f.Tools, " "); tools != tt.tools {
				t.Errorf("tools: got %q, want %q", tools, tt.tools)
			}
			if f.Location.Path != tt.path {
				t.Errorf("path: got %q, want %q", f.Location.Path, tt.path)
			}
			if adv := strings.Join(f.Package.Advisories, " "); tt.advice != "" && adv != tt.advice {
				t.Errorf("advisories: got %q, want %q", adv, tt.advice)
			}
		})
	}
}

func pick(t *testing.T, fs []finding.Finding, toolRule string) finding.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Tool+":"+f.Rule.ID == toolRule {
			return f
		}
	}
	t.Fatalf("no finding %s", toolRule)
	return finding.Finding{}
}

// TestMergeAdvisoriesJuiceShop merges two real scans of Juice Shop: Grype
// names npm advisories by GHSA with the CVE as a related vulnerability, Trivy
// by CVE. 30 of Trivy's 182 entries are advisories Grype also matched on the
// same package and version (EXPECTED.md: Grype 62 matches); the rest differ
// (other images: Alpine against Debian, and npm advisories one of the two
// databases lacks). The gate counts each merged finding once.
func TestMergeAdvisoriesJuiceShop(t *testing.T) {
	grype := grypeFindings(t, "grype/json/gatecheck-juice-shop-image-0.64.2.json")
	trivy := trivyFindings(t, "trivy/json/securecodebox-juice-shop-v12.10.2.json")
	if len(grype) != 62 || len(trivy) != 182 {
		t.Fatalf("inputs: got %d grype and %d trivy findings, want 62 and 182",
			len(grype), len(trivy))
	}

	got, notes := Apply(Options{Root: realTempDir(t)},
		[]Input{{Findings: grype}, {Findings: trivy}})
	if len(got) != 62+182-30 {
		t.Errorf("findings: got %d, want %d", len(got), 62+182-30)
	}
	both := 0
	for _, f := range got {
		if slices.Equal(f.Tools, []string{"grype", "trivy"}) {
			both++
		}
	}
	if both != 30 {
		t.Errorf("findings naming both tools: got %d, want 30", both)
	}
	if !hasNote(notes, "30 finding(s) with the same advisory on the same package and version "+
		"as findings of grype were merged") {
		t.Errorf("notes: got %v, want one on the 30 merged", notes)
	}

	lodash := pick(t, got, "grype:GHSA-35jh-r3h4-6jhm")
	want := "juice-shop/node_modules/sanitize-html/node_modules/lodash/package.json"
	if lodash.Location.Path != want || !slices.Equal(lodash.Tools, []string{"grype", "trivy"}) {
		t.Errorf("lodash: got %v at %q, want grype and trivy at %s", lodash.Tools,
			lodash.Location.Path, want)
	}

	cfg := config.Default()
	d := policy.Evaluate(cfg, got, nil, policy.Options{})
	total := 0
	for _, n := range d.Counts {
		total += n
	}
	if total != len(got) {
		t.Errorf("the gate counted %d findings, want %d", total, len(got))
	}
}

func TestPackageKey(t *testing.T) {
	tests := []struct {
		name string
		p    finding.Package
		want string
	}{
		{"purl decides", finding.Package{Name: "log4j-core", Version: "2.13.2",
			PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2?package-id=5f39"},
			"maven org.apache.logging.log4j:log4j-core 2.13.2"},
		{"npm scope", finding.Package{PURL: "pkg:npm/%40babel/core@7.0.0"},
			"npm @babel/core 7.0.0"},
		{"distribution namespace dropped", finding.Package{Name: "bind-libs",
			Version: "32:9.11.36-5.el8_7.2",
			PURL:    "pkg:rpm/rhel/bind-libs@9.11.36-5.el8_7.2?arch=x86_64&epoch=32"},
			"rpm bind-libs 32:9.11.36-5.el8_7.2"},
		{"go module", finding.Package{Name: "golang.org/x/net", Version: "v0.1.0",
			Type: "go-module"}, "go golang.org/x/net v0.1.0"},
		{"go purl", finding.Package{PURL: "pkg:golang/golang.org/x/net@v0.1.0"},
			"go golang.org/x/net v0.1.0"},
		{"pypi folding", finding.Package{Name: "Zope.Interface", Version: "5.0", Type: "pip"},
			"pypi zope-interface 5.0"},
		{"no version", finding.Package{Name: "x", Type: "npm"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, ok := packageKey(&tt.p)
			got := strings.ReplaceAll(key, "\x00", " ")
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("packageKey: got %q (%v), want %q", got, ok, tt.want)
			}
		})
	}
}
