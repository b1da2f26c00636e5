package zap

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// TestImportReport runs a scanner with `report:`, which reads a report ZAP
// wrote in an earlier step, relative to the repository root.
func TestImportReport(t *testing.T) {
	root := t.TempDir()
	copyFixture(t, "xml/defectdojo-juice-shop-2.xml", filepath.Join(root, "out", "zap.xml"))
	writeText(t, filepath.Join(root, "nosite.json"), `{"@programName":"ZAP","@version":"2.14.0","site":[]}`)
	writeText(t, filepath.Join(root, "other.json"), `{"results":[],"errors":[]}`)

	tests := []struct {
		name, report, format string
		wantFindings         int
		wantErr              string
	}{
		{name: "by its content", report: "out/zap.xml", wantFindings: 71},
		{name: "format named", report: "out/zap.xml", format: "zap-xml", wantFindings: 71},
		{name: "the wrong format named", report: "out/zap.xml", format: "zap-json",
			wantErr: "invalid character '<'"},
		{name: "a format that is not ZAP's", report: "out/zap.xml", format: "zap-sarif",
			wantErr: `scanners.zap.report_format: "zap-sarif" is not a ZAP report format`},
		{name: "a report that names no site", report: "nosite.json",
			wantErr: "names no site: ZAP reached nothing, so nothing was scanned"},
		{name: "another tool's report", report: "other.json",
			wantErr: "not a ZAP report: a JSON object without ZAP's site and @version keys"},
		{name: "a missing report", report: "gone.json", wantErr: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := scanners.Request{Root: root, Settings: config.Scanner{Name: "zap", Type: "zap",
				Report: tt.report, ReportFormat: tt.format}}
			s := New()
			if d := s.Detect(context.Background(), req.Settings); !d.Installed {
				t.Errorf("an import needs nothing installed, got %+v", d)
			}
			res, err := s.Run(context.Background(), req)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if len(res.Findings) != tt.wantFindings {
				t.Errorf("findings: got %d, want %d", len(res.Findings), tt.wantFindings)
			}
		})
	}
}

// TestBadReports checks that input that is not a readable ZAP report is an
// error that says where and why, never an empty result.
func TestBadReports(t *testing.T) {
	tests := []struct {
		name, data, wantErr string
	}{
		{"empty", "  \n", "bad: empty file, expected a ZAP report"},
		{"neither JSON nor XML", "10021\tFAIL\t(x)\n", `bad: not a ZAP report: expected ZAP's JSON or XML`},
		{"truncated JSON", "{\"site\":[{\"@name\":\"http://h\",\n\"alerts\":[",
			"bad: line 2, column 11: unexpected end of JSON input"},
		{"JSON syntax", "{\"site\":[{\"@name\":\"http://h\",\n\"alerts\": [}]}", "bad: line 2, column 12"},
		{"other XML", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>`,
			"bad: not a ZAP report: the XML root is <bom>"},
		{"broken XML", "<OWASPZAPReport version=\"2.9.0\"><site>", "bad: XML syntax error on line 1"},
		{"alert without plugin id", `<OWASPZAPReport><site name="http://h"><alerts><alertitem>` +
			`<alert>A</alert><riskcode>1</riskcode></alertitem></alerts></site></OWASPZAPReport>`,
			`bad: site 0 (http://h), alert 0: alert "A" has no plugin id`},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><OWASPZAPReport/>`,
			`unsupported XML encoding "EBCDIC"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := decodeAny([]byte(tt.data), "bad")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %+v, %v; want an error containing %q", rep, err, tt.wantErr)
			}
		})
	}
}

// TestLatin1Report reads an XML report that declares Latin-1.
func TestLatin1Report(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><OWASPZAPReport version=\"2.9.0\">" +
		"<site name=\"http://h\"><alerts><alertitem><pluginid>1</pluginid><alert>Caf\xe9</alert>" +
		"<riskcode>1</riskcode><confidence>2</confidence></alertitem></alerts></site></OWASPZAPReport>"
	rep, err := decodeAny([]byte(doc), "latin1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Alerts) != 1 || rep.Alerts[0].Name != "Café" {
		t.Errorf("got %+v, want one alert named Café", rep.Alerts)
	}
}

func copyFixture(t *testing.T, fixture, dst string) {
	t.Helper()
	data, err := os.ReadFile(testenv.Fixture(t, "zap/"+fixture))
	if err != nil {
		t.Fatal(err)
	}
	writeText(t, dst, string(data))
}

func writeText(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
