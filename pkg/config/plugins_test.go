package config

import (
	"strings"
	"testing"
)

// pluginSettings are the settings the sbom and command scanner types add.
type pluginSettings struct {
	Vulnerabilities string
	Input           string
	Report          string
	Command         string
	Format          string
	Output          string
	Dir             string
	Env             string
	Args            string
}

func settingsOf(s Scanner) pluginSettings {
	return pluginSettings{
		Vulnerabilities: s.Vulnerabilities, Input: s.Input, Report: s.Report,
		Command: strings.Join(s.Command, " "), Format: s.Format, Output: s.Output,
		Dir: s.Dir, Env: strings.Join(s.Env, " "), Args: strings.Join(s.Args, " "),
	}
}

func TestParsePluginScanners(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    pluginSettings
		wantErr string // a diagnostic must contain this; empty means none
	}{
		{"sbom defaults", "scanners:\n  sbom: {}\n", pluginSettings{}, ""},
		{"sbom with a matcher", "scanners:\n  sbom:\n    vulnerabilities: Grype\n" +
			"    args: [--only-fixed]\n    env: [GRYPE_DB_CACHE_DIR]\n",
			pluginSettings{Vulnerabilities: "grype", Args: "--only-fixed",
				Env: "GRYPE_DB_CACHE_DIR"}, ""},
		{"sbom from input with a report", "scanners:\n  sbom:\n    input: build/bom.json\n" +
			"    report: build/grype.json\n",
			pluginSettings{Input: "build/bom.json", Report: "build/grype.json"}, ""},
		{"report with vulnerabilities none", "scanners:\n  sbom:\n    vulnerabilities: none\n" +
			"    report: g.json\n", pluginSettings{Vulnerabilities: "none", Report: "g.json"}, ""},
		{"unknown matcher", "scanners:\n  sbom:\n    vulnerabilities: trivy\n", pluginSettings{},
			`:3:22: scanners.sbom.vulnerabilities: unknown vulnerability matcher "trivy" ` +
				`(known: none, auto, grype, osv-scanner)`},
		{"matcher and report", "scanners:\n  sbom:\n    vulnerabilities: grype\n" +
			"    report: g.json\n", pluginSettings{},
			":3:22: scanners.sbom.vulnerabilities: a report is imported instead of running"},
		{"formats with input", "scanners:\n  sbom:\n    input: bom.json\n" +
			"    formats: [spdx-json]\n", pluginSettings{},
			":4:14: scanners.sbom.formats: only makes sense when secgate generates the SBOM"},
		{"args without a matcher", "scanners:\n  sbom:\n    args: [-v]\n", pluginSettings{},
			":3:11: scanners.sbom.args: the arguments go to the vulnerability matcher"},
		{"command plugin", "scanners:\n  lint:\n    type: command\n" +
			"    command: [tools/lint.sh, --json, .]\n    format: SARIF\n    output: out.sarif\n" +
			"    dir: services/api\n    env: [LINT_TOKEN]\n    timeout: 2m\n",
			pluginSettings{Command: "tools/lint.sh --json .", Format: "sarif",
				Output: "out.sarif", Dir: "services/api", Env: "LINT_TOKEN"}, ""},
		{"command without format", "scanners:\n  lint:\n    type: command\n    command: [x]\n",
			pluginSettings{}, ":2:3: scanners.lint: a command scanner needs format"},
		{"command without command", "scanners:\n  lint:\n    type: command\n    format: sarif\n",
			pluginSettings{}, ":2:3: scanners.lint: a command scanner needs command"},
		{"command as a string", "scanners:\n  lint:\n    type: command\n    command: x --y\n" +
			"    format: sarif\n", pluginSettings{},
			":4:14: scanners.lint.command: expected a list of strings"},
		{"dir outside", "scanners:\n  lint:\n    type: command\n    command: [x]\n" +
			"    format: sarif\n    dir: ../other\n", pluginSettings{},
			`:6:10: scanners.lint.dir: "../other" leads outside the repository`},
		{"dir absolute", "scanners:\n  lint:\n    type: command\n    command: [x]\n" +
			"    format: sarif\n    dir: /etc\n", pluginSettings{},
			`:6:10: scanners.lint.dir: "/etc" must be relative to the repository root`},
		{"dir climbing back in is fine", "scanners:\n  lint:\n    type: command\n" +
			"    command: [x]\n    format: sarif\n    dir: a/../b\n",
			pluginSettings{Command: "x", Format: "sarif", Dir: "a/../b"}, ""},
		{"env with a value", "scanners:\n  lint:\n    type: command\n    command: [x]\n" +
			"    format: sarif\n    env: [TOKEN=abc]\n", pluginSettings{},
			`:6:11: scanners.lint.env[0]: "TOKEN=abc" is not a variable name`},
		{"command key on semgrep", "scanners:\n  semgrep:\n    dir: x\n", pluginSettings{},
			`:3:5: scanners.semgrep: key "dir" does not apply to scanners of type semgrep`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parseCase(t, tt.yaml, tt.wantErr)
			if cfg == nil {
				return
			}
			if got := settingsOf(cfg.Scanners[0]); got != tt.want {
				t.Errorf("settings:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
