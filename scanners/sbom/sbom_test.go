package sbom

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	sbomdoc "github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/scanners"
)

// The tests run the real, embedded Syft over testdata/npm-lock, a directory
// holding web/package-lock.json (lockfileVersion 3). Syft's javascript-lock
// cataloger reads the "license" field of each packages entry offline and skips
// dev-only entries ("devonly" here), and reports the root entry (demo-app).

func npmTarget(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "npm-lock"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func run(t *testing.T, target string, settings config.Scanner, cfg *config.Config) *scanners.Result {
	t.Helper()
	var log bytes.Buffer
	req := scanners.Request{
		Root: target, Target: target, Settings: settings, Config: cfg,
		OutDir: t.TempDir(), Log: &log,
	}
	res, err := New().Run(context.Background(), req)
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "javascript-lock-cataloger") {
		t.Errorf("log: want the catalogers used listed, got:\n%s", log.String())
	}
	return res
}

func decodeArtifact(t *testing.T, path string) *sbomdoc.Document {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := sbomdoc.Decode(f, path, "")
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return doc
}

// wantPackages is what Syft finds in testdata/npm-lock, as pkg/sbom decodes
// the CycloneDX file: syft writes locations from the scan root with a leading
// slash (Run's findings drop it, see TestRunFindings).
func wantPackages(lockPath string) []sbomdoc.Package {
	p := func(name, version string, licenses ...string) sbomdoc.Package {
		return sbomdoc.Package{Name: name, Version: version, Type: "npm",
			PURL: "pkg:npm/" + name + "@" + version, Licenses: licenses,
			Locations: []string{lockPath}}
	}
	return []sbomdoc.Package{
		p("agpl-lib", "2.0.0", "AGPL-3.0-only"),
		p("demo-app", "1.0.0", "MIT"),
		p("dual-lib", "1.1.0", "MIT OR AGPL-3.0-only"),
		p("lodash", "4.17.20", "MIT"),
		p("nolicence", "0.1.0"),
	}
}

func TestRunCycloneDXArtifact(t *testing.T) {
	target := npmTarget(t)
	res := run(t, target, config.Scanner{}, nil)

	if len(res.Artifacts) != 1 || filepath.Base(res.Artifacts[0]) != "sbom.cdx.json" {
		t.Fatalf("artifacts: got %v, want one sbom.cdx.json", res.Artifacts)
	}
	doc := decodeArtifact(t, res.Artifacts[0])
	if doc.Format != sbomdoc.FormatCycloneDXJSON || doc.Tool != "syft" {
		t.Errorf("document: got %s by %q, want cyclonedx-json by syft", doc.Format, doc.Tool)
	}
	want := wantPackages("/web/package-lock.json")
	for i := range want {
		if len(want[i].Licenses) == 0 {
			want[i].Licenses = nil
		}
	}
	if !reflect.DeepEqual(doc.Packages, want) {
		t.Errorf("packages:\n got %+v\nwant %+v", doc.Packages, want)
	}

	if res.BaseDir != target {
		t.Errorf("BaseDir: got %q, want %q", res.BaseDir, target)
	}
	if res.Stats.FilesScanned != 1 || len(res.Stats.Notes) != 0 {
		t.Errorf("stats: got %+v, want 1 file and no notes", res.Stats)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings without a policy: got %d, want 0", len(res.Findings))
	}
	if res.Tool.Name != "sbom" || res.Tool.Version != syftModuleVersion {
		t.Errorf("tool: got %+v, want sbom at %s", res.Tool, syftModuleVersion)
	}
}

func TestRunSPDXArtifact(t *testing.T) {
	res := run(t, npmTarget(t), config.Scanner{Formats: []string{"spdx-json", "cyclonedx-json"}}, nil)
	if len(res.Artifacts) != 2 {
		t.Fatalf("artifacts: got %v, want two", res.Artifacts)
	}
	if got := filepath.Base(res.Artifacts[0]); got != "sbom.spdx.json" {
		t.Errorf("first artifact: got %s, want sbom.spdx.json", got)
	}

	doc := decodeArtifact(t, res.Artifacts[0])
	if doc.Format != sbomdoc.FormatSPDXJSON || doc.Tool != "syft" {
		t.Errorf("document: got %s by %q, want spdx-json by syft", doc.Format, doc.Tool)
	}
	// SPDX has no place for locations, and syft adds the scanned directory as a
	// package of its own; the packages are otherwise those of the CycloneDX file.
	got := map[string][]string{}
	for _, p := range doc.Packages {
		if p.PURL != "" {
			got[p.PURL] = p.Licenses
		}
	}
	want := map[string][]string{}
	for _, p := range wantPackages("") {
		want[p.PURL] = p.Licenses
	}
	want["pkg:npm/dual-lib@1.1.0"] = []string{"(MIT OR AGPL-3.0-only)"}
	want["pkg:npm/nolicence@0.1.0"] = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("purls and licences:\n got %v\nwant %v", got, want)
	}
}

func TestRunFindings(t *testing.T) {
	high, low := finding.SeverityHigh, finding.SeverityLow
	lock := "web/package-lock.json"
	ban := config.Packages{Severity: finding.SeverityCritical, Deny: []config.PackageBan{
		{Name: "lodash", Type: "npm", Versions: "<4.17.21", Reason: "CVE-2021-23337"},
	}}
	tests := []struct {
		name string
		cfg  *config.Config
		want []briefFinding
	}{
		{"deny list and a ban", &config.Config{
			Licenses: config.Licenses{Deny: []string{"AGPL-3.0-only"}, Severity: high},
			Packages: ban,
		}, []briefFinding{
			{"license-denied", false, high, `agpl-lib@2.0.0 (npm) is licensed "AGPL-3.0-only": ` +
				`AGPL-3.0-only is denied`, lock, "pkg:npm/agpl-lib@2.0.0", []string{"AGPL-3.0-only"}},
			{"package-banned", true, finding.SeverityCritical, "lodash@4.17.20 (npm) is a banned " +
				"package (banned versions <4.17.21): CVE-2021-23337", lock, "pkg:npm/lodash@4.17.20",
				[]string{"MIT"}},
		}},
		{"allow list", &config.Config{
			Licenses: config.Licenses{Allow: []string{"MIT"}, Severity: high},
		}, []briefFinding{
			{"license-not-allowed", false, high, `agpl-lib@2.0.0 (npm) is licensed ` +
				`"AGPL-3.0-only": AGPL-3.0-only is not in the allowed licences`, lock,
				"pkg:npm/agpl-lib@2.0.0", []string{"AGPL-3.0-only"}},
			{"license-unknown", false, low, "nolicence@0.1.0 (npm) states no licence, and only " +
				"allowed licences may be used", lock, "pkg:npm/nolicence@0.1.0", nil},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, npmTarget(t), config.Scanner{}, tt.cfg)
			var got []briefFinding
			for _, f := range res.Findings {
				if f.Package == nil || f.Package.Type != "npm" {
					t.Errorf("%s: package: got %+v, want an npm package", f.Rule.ID, f.Package)
					continue
				}
				got = append(got, briefFinding{f.Rule.ID, f.Rule.Security, f.Severity, f.Message,
					f.Location.Path, f.Location.Logical, f.Package.Licenses})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

type briefFinding struct {
	Rule     string
	Security bool
	Severity finding.Severity
	Message  string
	Path     string
	Logical  string
	Licenses []string
}

func TestRunNoManifests(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# nothing here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := New().Run(context.Background(), scanners.Request{
		Root: dir, Target: dir, OutDir: t.TempDir(),
		Config: &config.Config{Licenses: config.Licenses{Allow: []string{"MIT"}}},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(res.Findings) != 0 || res.Stats.FilesScanned != 0 {
		t.Errorf("got %d findings, %d files; want none", len(res.Findings), res.Stats.FilesScanned)
	}
	if len(res.Stats.Notes) != 1 || !strings.Contains(res.Stats.Notes[0], "no packages") {
		t.Errorf("notes: got %q, want one saying no packages were found", res.Stats.Notes)
	}
	if doc := decodeArtifact(t, res.Artifacts[0]); len(doc.Packages) != 0 {
		t.Errorf("sbom packages: got %d, want 0", len(doc.Packages))
	}
}

// TestRunSkipsOutDir puts a lock file inside the output directory, as a
// previous run's artifacts would be when the output lives in the repository.
func TestRunSkipsOutDir(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, ".secgate")
	lock := `{"name":"x","lockfileVersion":3,"packages":{` +
		`"node_modules/left-pad":{"version":"1.3.0","license":"WTFPL"}}}`
	for _, d := range []string{out, filepath.Join(dir, ".git")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "package-lock.json"), []byte(lock), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := New().Run(context.Background(), scanners.Request{Root: dir, Target: dir, OutDir: out})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if doc := decodeArtifact(t, res.Artifacts[0]); len(doc.Packages) != 0 {
		t.Errorf("packages: got %+v, want none (.git and the output dir are skipped)", doc.Packages)
	}
}

func TestRunErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file.txt")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		target  string
		formats []string
		want    string
	}{
		{"unknown format", npmTarget(t), []string{"cyclonedx-xml"}, `"cyclonedx-xml" is not supported`},
		{"missing target", filepath.Join(t.TempDir(), "gone"), nil, "no such file"},
		{"target is a file", file, nil, "is not a directory"},
		{"no target", "", nil, "no target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Run(context.Background(), scanners.Request{
				Target: tt.target, Settings: config.Scanner{Formats: tt.formats}, OutDir: t.TempDir(),
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	withSyft := func(version string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Deps: []*debug.Module{
				{Path: "github.com/spf13/cobra", Version: "v1.10.2"},
				{Path: syftModule, Version: version},
			}}, true
		}
	}
	tests := []struct {
		name string
		read func() (*debug.BuildInfo, bool)
		want string
	}{
		{"from build info", withSyft("v1.99.0"), "v1.99.0"},
		{"devel build falls back", withSyft("(devel)"), syftModuleVersion},
		{"no build info falls back", func() (*debug.BuildInfo, bool) { return nil, false },
			syftModuleVersion},
		{"this test binary", debug.ReadBuildInfo, syftModuleVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			s.readBuildInfo = tt.read
			d := s.Detect(context.Background(), config.Scanner{})
			if !d.Installed || d.Version != tt.want {
				t.Errorf("Detect: got installed=%v version %q, want installed, %q",
					d.Installed, d.Version, tt.want)
			}
		})
	}
}

// TestSyftVersionMatchesGoMod keeps the fallback version in step with go.mod.
func TestSyftVersionMatchesGoMod(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := syftModule + " " + syftModuleVersion
	if !strings.Contains(string(data), want) {
		t.Errorf("go.mod does not require %q: update syftModuleVersion", want)
	}
}

func TestName(t *testing.T) {
	if got := New().Name(); got != "sbom" {
		t.Errorf("Name: got %q, want sbom", got)
	}
}

// BenchmarkRunRepository catalogs this repository, to see what an SBOM of a
// real project costs: go test -run '^$' -bench RunRepository ./scanners/sbom
func BenchmarkRunRepository(b *testing.B) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		res, err := New().Run(context.Background(), scanners.Request{
			Root: root, Target: root, OutDir: b.TempDir(),
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Stats.FilesScanned), "manifests")
	}
}
