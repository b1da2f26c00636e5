// Package zap is the adapter for OWASP ZAP, a dynamic scanner that attacks a
// running web application. It gets ZAP's alerts in one of three ways, chosen
// in the config: it imports a report ZAP wrote in an earlier step (the
// traditional JSON or XML report), runs one of ZAP's packaged scan scripts
// (zap-baseline.py, zap-full-scan.py, zap-api-scan.py), or drives a ZAP
// daemon that is already running through its API. It never picks a target:
// the URL to attack is always the one the config names.
//
// Every alert becomes one finding per URL, with no file: the URL is the
// finding's logical location.
package zap

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/toolexec"
	"github.com/secgate/secgate/scanners"
)

// Scanner runs ZAP or reads what it wrote.
type Scanner struct {
	// Exec runs a scan script; tests may replace it.
	Exec func(ctx context.Context, c toolexec.Cmd) (*toolexec.Result, error)
	// LookPath finds a scan script; tests may replace it.
	LookPath func(file string) (string, error)
	// HTTP talks to a ZAP daemon. It must not use a proxy: the API key goes
	// in every request, and only to the daemon the config names.
	HTTP *http.Client
	// Getenv reads the variable that holds the API key; tests may replace it.
	Getenv func(string) string
	// PollInterval is how often a running spider or scan is asked how far
	// it got.
	PollInterval time.Duration
	// WrkDir is where the scan scripts put their reports when they run
	// inside ZAP's container image, which they detect for themselves.
	WrkDir string
}

var (
	_ scanners.Scanner      = (*Scanner)(nil)
	_ scanners.ReportReader = (*Scanner)(nil)
)

// New returns the adapter with the real process runner and HTTP client.
func New() *Scanner {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	return &Scanner{
		Exec:         toolexec.Run,
		LookPath:     exec.LookPath,
		HTTP:         &http.Client{Transport: transport},
		Getenv:       os.Getenv,
		PollInterval: 2 * time.Second,
		WrkDir:       "/zap/wrk",
	}
}

// Name is the adapter's type name in the config.
func (s *Scanner) Name() string { return "zap" }

// Detect reports whether the configured way in can work here: a report
// needs nothing, a script must be on PATH, and a daemon must answer.
func (s *Scanner) Detect(ctx context.Context, cfg config.Scanner) scanners.Detection {
	z := &cfg.ZAP
	switch {
	case cfg.Report != "":
		return scanners.Detection{Installed: true}
	case z.Script != "":
		return s.detectScript(z.Script)
	case z.Daemon != "":
		return s.detectDaemon(ctx, cfg)
	}
	return scanners.Detection{Hint: noWay(cfg.Name)}
}

func noWay(name string) string {
	return fmt.Sprintf("scanners.%s: set report, script or daemon", name)
}

// Run gets ZAP's alerts the configured way.
func (s *Scanner) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	cfg := &req.Settings
	switch {
	case cfg.Report != "":
		return importReport(req)
	case cfg.ZAP.Script != "":
		return s.runScript(ctx, req)
	case cfg.ZAP.Daemon != "":
		return s.runDaemon(ctx, req)
	}
	return nil, fmt.Errorf("%s", noWay(cfg.Name))
}

// ReadsReport tells the registry that this adapter reads `report:` itself:
// an imported report still gets the rules file's OUTOFSCOPE lines and the
// false-positive setting, and must name a site.
func (s *Scanner) ReadsReport() bool { return true }

// reportDecoders are the formats report_format may name for a zap scanner.
var reportDecoders = map[string]decodeFunc{"zap-json": decodeJSON, "zap-xml": decodeXML}

// importReport reads the report the config names, relative to the root, in
// the format report_format names or else the one its content shows.
func importReport(req scanners.Request) (*scanners.Result, error) {
	cfg := &req.Settings
	path := cfg.Report
	if !filepath.IsAbs(path) {
		path = filepath.Join(req.Root, path)
	}
	decode := decodeAny
	if cfg.ReportFormat != "" {
		if decode = reportDecoders[cfg.ReportFormat]; decode == nil {
			return nil, fmt.Errorf("scanners.%s.report_format: %q is not a ZAP report format "+
				"(zap-json, zap-xml); import ZAP's SARIF with a sarif scanner", cfg.Name,
				cfg.ReportFormat)
		}
	}
	return readReportFile(path, decode, &cfg.ZAP)
}

// readReportFile reads a report ZAP wrote. A report that names no site at
// all means ZAP reached nothing, which is not a clean scan.
func readReportFile(path string, decode decodeFunc, z *config.ZAP) (*scanners.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open zap report: %w", err)
	}
	defer f.Close()

	data, err := readAll(f, path)
	if err != nil {
		return nil, err
	}
	rep, err := decode(data, path)
	if err != nil {
		return nil, err
	}
	if rep.Sites == 0 {
		return nil, fmt.Errorf("%s names no site: ZAP reached nothing, so nothing was scanned",
			path)
	}
	return rep.result(optionsOf(z)), nil
}

// ParseJSON reads ZAP's traditional JSON report.
func ParseJSON(r io.Reader, source string) (*scanners.Result, error) {
	return parse(r, source, decodeJSON, options{})
}

// ParseXML reads ZAP's traditional XML report.
func ParseXML(r io.Reader, source string) (*scanners.Result, error) {
	return parse(r, source, decodeXML, options{})
}

// ImportJSON returns a JSON parser that applies the first zap scanner's
// settings in cfg: its rules file's OUTOFSCOPE lines and whether false
// positives count. The rules file's levels are policy rules already.
func ImportJSON(cfg *config.Config) scanners.Parser {
	return func(r io.Reader, source string) (*scanners.Result, error) {
		return parse(r, source, decodeJSON, optionsOf(firstZAP(cfg)))
	}
}

// ImportXML is ImportJSON for the XML report.
func ImportXML(cfg *config.Config) scanners.Parser {
	return func(r io.Reader, source string) (*scanners.Result, error) {
		return parse(r, source, decodeXML, optionsOf(firstZAP(cfg)))
	}
}

func firstZAP(cfg *config.Config) *config.ZAP {
	for i := range cfg.Scanners {
		if cfg.Scanners[i].Type == "zap" {
			return &cfg.Scanners[i].ZAP
		}
	}
	return nil
}

type decodeFunc func(data []byte, source string) (*report, error)

func parse(r io.Reader, source string, decode decodeFunc, opts options) (*scanners.Result, error) {
	data, err := readAll(r, source)
	if err != nil {
		return nil, err
	}
	rep, err := decode(data, source)
	if err != nil {
		return nil, err
	}
	return rep.result(opts), nil
}
