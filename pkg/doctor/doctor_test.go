package doctor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/scanners"
)

// These tests drive the doctor with in-process adapters standing for a tool
// in each condition it can be in; cmd/secgate's tests run it with the real
// semgrep, Syft and osv-scanner.

type standIn struct {
	installed bool
	run       func(req scanners.Request) (*scanners.Result, error)
}

func (s *standIn) Name() string { return "stand-in" }

func (s *standIn) Detect(context.Context, config.Scanner) scanners.Detection {
	return scanners.Detection{Installed: s.installed, Version: "9.9", Hint: "install it"}
}

func (s *standIn) Run(_ context.Context, req scanners.Request) (*scanners.Result, error) {
	return s.run(req)
}

// reporting returns a stand-in that reports one finding per rule id, at path
// relative to the target, as a tool would.
func reporting(tool, path string, rules ...string) *standIn {
	return &standIn{installed: true, run: func(req scanners.Request) (*scanners.Result, error) {
		res := &scanners.Result{BaseDir: req.Target}
		for _, r := range rules {
			res.Findings = append(res.Findings, finding.Finding{Tool: tool,
				Rule: finding.Rule{ID: r}, Message: r, Location: finding.Location{Path: path}})
		}
		res.Stats = scanners.Stats{FilesScanned: 1, FilesCounted: true}
		return res, nil
	}}
}

func TestRunJudges(t *testing.T) {
	check := Check{Name: "tool", Type: "tool", Settings: settings("tool", "tool", nil),
		Expect: []Expectation{
			{Tool: "tool", Rule: "a", Path: "app/accounts.py"},
			{Tool: "tool", Rule: "b", Path: "app/accounts.py"},
		}}
	tests := []struct {
		name    string
		adapter *standIn
		state   State
		found   int
		message string
	}{
		{"finds all", reporting("tool", "app/accounts.py", "a", "b", "c"), StatePassed, 2, ""},
		{"stopped finding one", reporting("tool", "app/accounts.py", "a"), StateMissing, 1, ""},
		{"finds it elsewhere", reporting("tool", "app/other.py", "a", "b"), StateMissing, 0, ""},
		{"not installed", &standIn{}, StateSkipped, 0, "tool is not installed; install it"},
		{"fails", &standIn{installed: true, run: func(scanners.Request) (*scanners.Result, error) {
			return nil, errors.New("database too old")
		}}, StateFailed, 0, "failed: database too old"},
		{"scans nothing", &standIn{installed: true,
			run: func(scanners.Request) (*scanners.Result, error) {
				return &scanners.Result{Stats: scanners.Stats{FilesCounted: true}}, nil
			}}, StateFailed, 0, "empty: 0 files scanned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lookup := func(string) (scanners.Scanner, bool) { return tt.adapter, true }
			results, err := Run(context.Background(), Options{Lookup: lookup, Dir: t.TempDir()},
				[]Check{check})
			if err != nil {
				t.Fatal(err)
			}
			r := results[0]
			if r.State != tt.state || r.Found != tt.found || !strings.HasPrefix(r.Message, tt.message) {
				t.Errorf("result: got %s, %d found, %q; want %s, %d, %q", r.State, r.Found,
					r.Message, tt.state, tt.found, tt.message)
			}
			if got := Failed(results); got != (tt.state == StateMissing || tt.state == StateFailed) {
				t.Errorf("Failed: got %v for %s", got, r.State)
			}
		})
	}
}

// TestRunUnpacksSample: the tools see the embedded sample and rules on disk,
// and the tuning hook adapts each check's settings.
func TestRunUnpacksSample(t *testing.T) {
	var seen scanners.Request
	adapter := &standIn{installed: true, run: func(req scanners.Request) (*scanners.Result, error) {
		seen = req
		return &scanners.Result{}, nil
	}}
	lookup := func(string) (scanners.Scanner, bool) { return adapter, true }
	tune := func(s config.Scanner) config.Scanner {
		s.Env = []string{"DB_DIR"}
		return s
	}
	_, err := Run(context.Background(), Options{Lookup: lookup, Dir: t.TempDir(), Tune: tune},
		Checks()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(seen.Target) != "samples" || len(seen.Settings.Config) != 1 ||
		filepath.Base(seen.Settings.Config[0]) != "semgrep" {
		t.Errorf("request: target %s, rules %v; want the unpacked samples and semgrep rules",
			seen.Target, seen.Settings.Config)
	}
	if len(seen.Settings.Env) != 1 || seen.Config.Licenses.Deny[0] != "AGPL-3.0-or-later" {
		t.Errorf("settings: env %v, policy %+v", seen.Settings.Env, seen.Config.Licenses)
	}
	for _, f := range []string{"app/accounts.py", "web/package-lock.json"} {
		if _, err := os.Stat(filepath.Join(seen.Target, f)); err != nil {
			t.Errorf("sample file %s: %v", f, err)
		}
	}
}

// TestExpectationAdvisory: a matcher may name the sample's advisory by its
// GHSA or by its CVE.
func TestExpectationAdvisory(t *testing.T) {
	e := lodashAdvisory("grype")
	tests := []struct {
		name string
		f    finding.Finding
		want bool
	}{
		{"by GHSA", finding.Finding{Tool: "grype", Rule: finding.Rule{ID: "GHSA-35jh-r3h4-6jhm"},
			Location: finding.Location{Path: "web/package-lock.json"}}, true},
		{"by CVE", finding.Finding{Tool: "grype", Rule: finding.Rule{ID: "CVE-2021-23337"},
			Location: finding.Location{Path: "web/package-lock.json"},
			Package:  &finding.Package{Advisories: []string{"cve-2021-23337"}}}, true},
		{"other tool", finding.Finding{Tool: "osv-scanner", Rule: finding.Rule{ID: "GHSA-35jh-r3h4-6jhm"},
			Location: finding.Location{Path: "web/package-lock.json"}}, false},
		{"other file", finding.Finding{Tool: "grype", Rule: finding.Rule{ID: "GHSA-35jh-r3h4-6jhm"},
			Location: finding.Location{Path: "package-lock.json"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.matches(tt.f); got != tt.want {
				t.Errorf("matches: got %v, want %v", got, tt.want)
			}
		})
	}
}
