package sbom

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
)

func TestLicenseExpressions(t *testing.T) {
	agpl := []string{"AGPL-3.0-only"}
	tests := []struct {
		name        string
		expr        string
		list        []string
		wantDenied  bool // with list as the deny list
		wantAllowed bool // with list as the allow list
	}{
		{"single id", "AGPL-3.0-only", agpl, true, true},
		{"case-insensitive id", "agpl-3.0-ONLY", agpl, true, true},
		{"OR with one denied alternative", "MIT OR AGPL-3.0-only", agpl, false, true},
		{"OR with every alternative denied", "GPL-3.0-only OR AGPL-3.0-only",
			[]string{"GPL-3.0-only", "AGPL-3.0-only"}, true, true},
		{"AND with one denied part", "MIT AND AGPL-3.0-only", agpl, true, false},
		{"lowercase operators", "mit and agpl-3.0-only", agpl, true, false},
		{"AND binds tighter than OR", "MIT OR Apache-2.0 AND AGPL-3.0-only", agpl, false, false},
		{"parentheses", "(MIT OR Apache-2.0) AND AGPL-3.0-only", agpl, true, false},
		{"nested parentheses", "((AGPL-3.0-only))", agpl, true, true},
		{"WITH matched by its base id", "GPL-2.0-only WITH Classpath-exception-2.0",
			[]string{"GPL-2.0-only"}, true, true},
		{"WITH matched whole", "GPL-2.0-only WITH Classpath-exception-2.0",
			[]string{"gpl-2.0-only with classpath-exception-2.0"}, true, true},
		{"plus is part of the id", "GPL-2.0+", []string{"GPL-2.0-only"}, false, false},
		{"free-text name compared whole", "BSD License", []string{"BSD License"}, true, true},
		{"free-text name not split", "Apache License, Version 2.0", []string{"Apache"}, false, false},
		{"unbalanced parenthesis is free text", "(MIT", []string{"MIT"}, false, false},
		{"not in list", "MIT", agpl, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseLicense(tt.expr)
			set := newLicenseSet(tt.list)
			if got := e.denied(set); got != tt.wantDenied {
				t.Errorf("denied(%q, %v): got %v, want %v", tt.expr, tt.list, got, tt.wantDenied)
			}
			if got := e.allowed(set); got != tt.wantAllowed {
				t.Errorf("allowed(%q, %v): got %v, want %v", tt.expr, tt.list, got, tt.wantAllowed)
			}
		})
	}
}

// briefFinding is the part of a finding the policy tests compare.
type briefFinding struct {
	Rule     string
	Security bool
	Severity finding.Severity
	Message  string
	Path     string
	Logical  string
}

func brief(fs []finding.Finding) []briefFinding {
	var out []briefFinding
	for _, f := range fs {
		out = append(out, briefFinding{f.Rule.ID, f.Rule.Security, f.Severity, f.Message,
			f.Location.Path, f.Location.Logical})
	}
	return out
}

func TestEvaluateLicenses(t *testing.T) {
	lodash := Package{Name: "lodash", Version: "4.17.20", Type: "npm",
		PURL: "pkg:npm/lodash@4.17.20", Licenses: []string{"MIT AND AGPL-3.0-only"},
		Locations: []string{"web/package-lock.json", "package-lock.json"}}
	dual := Package{Name: "dual", Version: "1.0.0", Type: "npm", PURL: "pkg:npm/dual@1.0.0",
		Licenses: []string{"MIT OR AGPL-3.0-only"}, Locations: []string{"package-lock.json"}}
	gpl := Package{Name: "gpl", Version: "2.0.0", Type: "pypi", PURL: "pkg:pypi/gpl@2.0.0",
		Licenses: []string{"MIT", "GPL-3.0-only"}}
	none := Package{Name: "bare", Version: "0.1.0"}
	high := finding.SeverityHigh

	tests := []struct {
		name string
		pkgs []Package
		lic  config.Licenses
		want []briefFinding
	}{
		{"AND with a denied part is denied", []Package{lodash},
			config.Licenses{Deny: []string{"agpl-3.0-only"}, Severity: high},
			[]briefFinding{{RuleLicenseDenied, false, high,
				`lodash@4.17.20 (npm) is licensed "MIT AND AGPL-3.0-only": AGPL-3.0-only is denied`,
				"web/package-lock.json", "pkg:npm/lodash@4.17.20"}}},
		{"OR with an allowed alternative passes", []Package{dual},
			config.Licenses{Deny: []string{"AGPL-3.0-only"}, Severity: high}, nil},
		{"entries combine with AND", []Package{gpl},
			config.Licenses{Deny: []string{"GPL-3.0-only"}, Severity: finding.SeverityMedium},
			[]briefFinding{{RuleLicenseDenied, false, finding.SeverityMedium,
				`gpl@2.0.0 (pypi) is licensed "MIT AND GPL-3.0-only": GPL-3.0-only is denied`,
				"", "pkg:pypi/gpl@2.0.0"}}},
		{"not in the allow list", []Package{gpl},
			config.Licenses{Allow: []string{"MIT", "Apache-2.0"}, Severity: high},
			[]briefFinding{{RuleLicenseNotAllowed, false, high,
				`gpl@2.0.0 (pypi) is licensed "MIT AND GPL-3.0-only": ` +
					`GPL-3.0-only is not in the allowed licences`, "", "pkg:pypi/gpl@2.0.0"}}},
		{"OR satisfied from the allow list", []Package{dual},
			config.Licenses{Allow: []string{"MIT"}, Severity: high}, nil},
		{"denied wins over not allowed", []Package{lodash},
			config.Licenses{Deny: []string{"AGPL-3.0-only"}, Allow: []string{"MIT"}, Severity: high},
			[]briefFinding{{RuleLicenseDenied, false, high,
				`lodash@4.17.20 (npm) is licensed "MIT AND AGPL-3.0-only": AGPL-3.0-only is denied`,
				"web/package-lock.json", "pkg:npm/lodash@4.17.20"}}},
		{"no licence with an allow list is unknown, at low", []Package{none},
			config.Licenses{Allow: []string{"MIT"}, Severity: high},
			[]briefFinding{{RuleLicenseUnknown, false, finding.SeverityLow,
				"bare@0.1.0 states no licence, and only allowed licences may be used",
				"", "bare@0.1.0"}}},
		{"unknown never above the configured severity", []Package{none},
			config.Licenses{Allow: []string{"MIT"}, Severity: finding.SeverityInfo},
			[]briefFinding{{RuleLicenseUnknown, false, finding.SeverityInfo,
				"bare@0.1.0 states no licence, and only allowed licences may be used",
				"", "bare@0.1.0"}}},
		{"no licence without an allow list is fine", []Package{none},
			config.Licenses{Deny: []string{"MIT"}, Severity: high}, nil},
		{"duplicate packages give one finding", []Package{lodash, lodash},
			config.Licenses{Deny: []string{"AGPL-3.0-only"}, Severity: high},
			[]briefFinding{{RuleLicenseDenied, false, high,
				`lodash@4.17.20 (npm) is licensed "MIT AND AGPL-3.0-only": AGPL-3.0-only is denied`,
				"web/package-lock.json", "pkg:npm/lodash@4.17.20"}}},
		{"no policy, no findings", []Package{lodash, dual, gpl, none}, config.Licenses{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := brief(Evaluate(&Document{Packages: tt.pkgs}, tt.lic, config.Packages{}))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestEvaluateFindingShape(t *testing.T) {
	p := Package{Name: "lodash", Version: "4.17.20", Type: "npm", PURL: "pkg:npm/lodash@4.17.20",
		Licenses: []string{"AGPL-3.0-only"}, Locations: []string{"package-lock.json"}}
	fs := Evaluate(&Document{Packages: []Package{p}},
		config.Licenses{Deny: []string{"AGPL-3.0-only"}, Severity: finding.SeverityHigh},
		config.Packages{Deny: []config.PackageBan{{Name: "lodash"}}, Severity: finding.SeverityCritical})
	if len(fs) != 2 {
		t.Fatalf("findings: got %d, want 2 (licence and ban)", len(fs))
	}
	wantPkg := &finding.Package{Name: "lodash", Version: "4.17.20", Type: "npm",
		PURL: "pkg:npm/lodash@4.17.20", Licenses: []string{"AGPL-3.0-only"}}
	for _, f := range fs {
		if f.Tool != "sbom" || !reflect.DeepEqual(f.Tools, []string{"sbom"}) {
			t.Errorf("%s: tool: got %q %v, want sbom", f.Rule.ID, f.Tool, f.Tools)
		}
		if !reflect.DeepEqual(f.Package, wantPkg) {
			t.Errorf("%s: package: got %+v, want %+v", f.Rule.ID, f.Package, wantPkg)
		}
		if f.Rule.Name == "" {
			t.Errorf("%s: rule has no name", f.Rule.ID)
		}
	}
	if fs[1].Rule.ID != RulePackageBanned || !fs[1].Rule.Security ||
		fs[1].Severity != finding.SeverityCritical {
		t.Errorf("ban finding: got %s security=%v %s, want package-banned security=true critical",
			fs[1].Rule.ID, fs[1].Rule.Security, fs[1].Severity)
	}
}

func TestEvaluateBans(t *testing.T) {
	pkg := func(name, version, typ string) Package {
		return Package{Name: name, Version: version, Type: typ,
			PURL: "pkg:" + typ + "/" + name + "@" + version}
	}
	tests := []struct {
		name    string
		pkg     Package
		ban     config.PackageBan
		want    bool
		message string // checked when want is true
	}{
		{"any version", pkg("event-stream", "3.3.6", "npm"), config.PackageBan{Name: "event-stream"},
			true, "event-stream@3.3.6 (npm) is a banned package"},
		{"name is case-insensitive", pkg("Lodash", "1.0.0", "npm"), config.PackageBan{Name: "lodash"},
			true, "Lodash@1.0.0 (npm) is a banned package"},
		{"other name", pkg("lodash-es", "1.0.0", "npm"), config.PackageBan{Name: "lodash"}, false, ""},
		{"in range, with reason", pkg("lodash", "4.17.20", "npm"),
			config.PackageBan{Name: "lodash", Versions: "<4.17.21", Reason: "CVE-2021-23337"},
			true, "lodash@4.17.20 (npm) is a banned package (banned versions <4.17.21): CVE-2021-23337"},
		{"out of range", pkg("lodash", "4.17.21", "npm"),
			config.PackageBan{Name: "lodash", Versions: "<4.17.21"}, false, ""},
		{"range with two bounds", pkg("acme", "1.2.0", "npm"),
			config.PackageBan{Name: "acme", Versions: ">=1.0.0, <1.2.3"}, true,
			"acme@1.2.0 (npm) is a banned package (banned versions >=1.0.0, <1.2.3)"},
		{"go v-prefixed version", pkg("github.com/x/y", "v1.4.0", "go-module"),
			config.PackageBan{Name: "github.com/x/y", Versions: "<1.5"}, true,
			"github.com/x/y@v1.4.0 (go-module) is a banned package (banned versions <1.5)"},
		{"type must match", pkg("requests", "2.0.0", "pypi"),
			config.PackageBan{Name: "requests", Type: "npm"}, false, ""},
		{"type alias python = pypi", pkg("requests", "2.0.0", "pypi"),
			config.PackageBan{Name: "requests", Type: "python"}, true,
			"requests@2.0.0 (pypi) is a banned package"},
		{"type alias golang = go-module", pkg("github.com/x/y", "v1.0.0", "go-module"),
			config.PackageBan{Name: "github.com/x/y", Type: "golang"}, true,
			"github.com/x/y@v1.0.0 (go-module) is a banned package"},
		{"pypi names fold - _ .", pkg("Typing_Extensions", "4.0.0", "pypi"),
			config.PackageBan{Name: "typing.extensions"}, true,
			"Typing_Extensions@4.0.0 (pypi) is a banned package"},
		{"unparseable version with a range is banned", pkg("coreutils", "2:8.32-4.1", "deb"),
			config.PackageBan{Name: "coreutils", Versions: "<9"}, true,
			`coreutils@2:8.32-4.1 (deb) is a banned package (banned versions <9); ` +
				`version "2:8.32-4.1" cannot be compared with "<9", so the ban applies`},
		{"missing version with a range is banned", Package{Name: "left-pad", Type: "npm"},
			config.PackageBan{Name: "left-pad", Versions: "<2"}, true,
			`left-pad (npm) is a banned package (banned versions <2); ` +
				`version "" cannot be compared with "<2", so the ban applies`},
		{"invalid range bans every version", pkg("acme", "1.0.0", "npm"),
			config.PackageBan{Name: "acme", Versions: "<<1"}, true, "acme@1.0.0 (npm) is a banned " +
				`package (banned versions <<1); the range "<<1" is not a valid semver range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Evaluate(&Document{Packages: []Package{tt.pkg}}, config.Licenses{},
				config.Packages{Deny: []config.PackageBan{tt.ban}, Severity: finding.SeverityHigh})
			if got := len(fs) == 1; got != tt.want {
				t.Fatalf("banned: got %v (%d findings), want %v", got, len(fs), tt.want)
			}
			if !tt.want {
				return
			}
			f := fs[0]
			if f.Rule.ID != RulePackageBanned || !f.Rule.Security || f.Severity != finding.SeverityHigh {
				t.Errorf("rule: got %s security=%v %s", f.Rule.ID, f.Rule.Security, f.Severity)
			}
			if !strings.HasPrefix(f.Message, tt.message) {
				t.Errorf("message: got %q, want it to start with %q", f.Message, tt.message)
			}
			if f.Location.Logical != tt.pkg.PURL && tt.pkg.PURL != "" {
				t.Errorf("logical location: got %q, want %q", f.Location.Logical, tt.pkg.PURL)
			}
		})
	}
}

// TestEvaluateFixture applies a deny list to a real Syft document: the finding
// must point at the manifest Syft recorded for the package.
func TestEvaluateFixture(t *testing.T) {
	file := "syft/json/grype-testdata-source-dir-schema-1.1.0.json"
	doc, err := Decode(bytes.NewReader(readFixture(t, file)), file, "")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	fs := Evaluate(doc, config.Licenses{Deny: []string{"gpl-2.0-or-later"},
		Severity: finding.SeverityHigh}, config.Packages{})
	want := []briefFinding{{RuleLicenseDenied, false, finding.SeverityHigh,
		`libvncserver@0.9.9 (apk) is licensed "GPL-2.0-or-later": GPL-2.0-or-later is denied`,
		"test/integration/testdata/image-alpine-match-coverage/lib/apk/db/installed",
		"pkg:alpine/libvncserver@0.9.9?arch=x86_64"}}
	if got := brief(fs); !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n got %+v\nwant %+v", got, want)
	}
}

func TestVulnerabilityFindings(t *testing.T) {
	file := "cyclonedx/json/defectdojo-grype-log4j-1.4.json"
	doc, err := Decode(bytes.NewReader(readFixture(t, file)), file, "")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	fs := VulnerabilityFindings(doc)
	if len(fs) != 8 {
		t.Fatalf("findings: got %d, want 8", len(fs))
	}
	counts := map[finding.Severity]int{}
	for _, f := range fs {
		counts[f.Severity]++
	}
	wantCounts := map[finding.Severity]int{
		finding.SeverityCritical: 4, finding.SeverityMedium: 3, finding.SeverityHigh: 1,
	}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("severities: got %v, want %v", counts, wantCounts)
	}

	f := fs[0]
	purl := "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2"
	if f.Tool != "grype" || f.Rule.ID != "CVE-2021-44228" || !f.Rule.Security ||
		f.ToolSeverity != "critical" || f.Location.Logical != purl {
		t.Errorf("first finding: got tool %q rule %q security %v tool severity %q logical %q",
			f.Tool, f.Rule.ID, f.Rule.Security, f.ToolSeverity, f.Location.Logical)
	}
	if f.Message != "CVE-2021-44228 in log4j-core@2.13.2 (maven)" {
		t.Errorf("message: got %q", f.Message)
	}
	wantPkg := &finding.Package{Name: "log4j-core", Version: "2.13.2", Type: "maven", PURL: purl,
		Advisories: []string{"CVE-2021-44228"}}
	if !reflect.DeepEqual(f.Package, wantPkg) {
		t.Errorf("package: got %+v, want %+v", f.Package, wantPkg)
	}
}

func TestVulnerabilityFindingsSynthetic(t *testing.T) {
	doc := &Document{
		Packages: []Package{{Name: "jquery", Version: "3.3.9", Type: "npm",
			PURL: "pkg:npm/jquery@3.3.9", Locations: []string{"package-lock.json"}}},
		Vulnerabilities: []Vulnerability{
			{ID: "CVE-1", Aliases: []string{"GHSA-1"}, Score: 9.8,
				PackageRefs:   []string{"pkg:npm/jquery@3.3.9?package-id=abc"},
				FixedVersions: []string{"3.4.0"}},
			{ID: "CVE-2", Severity: "bogus"},
			{ID: "CVE-3", Severity: "Moderate", PackageRefs: []string{"pkg:pypi/other@1.0"}},
		},
	}
	fs := VulnerabilityFindings(doc)
	if len(fs) != 3 {
		t.Fatalf("findings: got %d, want 3", len(fs))
	}
	tests := []struct {
		name    string
		f       finding.Finding
		sev     finding.Severity
		message string
		path    string
		fixed   string
	}{
		{"score only, qualifier ref, fixed version", fs[0], finding.SeverityCritical,
			"CVE-1 in jquery@3.3.9 (npm); fixed in 3.4.0", "package-lock.json", "3.4.0"},
		{"unknown word, no score, no package", fs[1], finding.SeverityInfo, "CVE-2", "", ""},
		{"ref to a package not in the document", fs[2], finding.SeverityMedium,
			"CVE-3 in pkg:pypi/other@1.0 (pypi)", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.f.Tool != "sbom" {
				t.Errorf("tool: got %q, want sbom (document names none)", tt.f.Tool)
			}
			if tt.f.Severity != tt.sev || tt.f.Message != tt.message || tt.f.Location.Path != tt.path {
				t.Errorf("got %s %q %q, want %s %q %q", tt.f.Severity, tt.f.Message,
					tt.f.Location.Path, tt.sev, tt.message, tt.path)
			}
			if tt.fixed != "" && (tt.f.Package == nil || tt.f.Package.FixedVersion != tt.fixed) {
				t.Errorf("fixed version: got %+v, want %q", tt.f.Package, tt.fixed)
			}
		})
	}
	if got := fs[0].Package.Advisories; !reflect.DeepEqual(got, []string{"CVE-1", "GHSA-1"}) {
		t.Errorf("advisories: got %v, want [CVE-1 GHSA-1]", got)
	}
}
