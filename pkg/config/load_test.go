package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/finding"
)

// badConfig is a file in testdata/bad, which holds one kind of mistake, and
// every line of the error it must give, in order, without the file name that
// starts each line.
type badConfig struct {
	file string
	want []string
}

func badConfigs() []badConfig {
	return []badConfig{
		{
			file: "empty.yaml",
			want: []string{": the file is empty; write at least the scanners section"},
		},
		{
			file: "comments-only.yaml",
			want: []string{": the file is empty; write at least the scanners section"},
		},
		{
			file: "tab-indent.yaml",
			want: []string{":3: not valid YAML: found character that cannot start any token"},
		},
		{
			file: "unclosed-flow.yaml",
			want: []string{":2: not valid YAML: did not find expected ',' or ']'"},
		},
		{
			file: "top-level-list.yaml",
			want: []string{":1:1: expected a mapping of settings at the top level, got a list"},
		},
		{
			file: "multi-doc.yaml",
			want: []string{":2:1: the file holds more than one YAML document; secgate reads one"},
		},
		{
			file: "unknown-keys.yaml",
			want: []string{
				`:1:1: unknown key "fail_onn" (allowed: key, target, fail_on, rules, paths, ` +
					`suppressions, warn_before, max, licenses, packages, scanners, severity_map, ` +
					`reports, new_only, diff_scope, baseline, base_scan, hook, publish_errors, ` +
					`max_inline_comments, upload_sarif, limits, secrets, allow_inline_suppressions); did you mean "fail_on"?`,
				`:5:5: scanners.semgrep: unknown key "timout" (allowed: type, required, timeout, ` +
					`report, report_format, config, args, env); did you mean "timeout"?`,
				`:9:5: rules[0]: unknown key "path" (allowed: match, action, paths); ` +
					`did you mean "paths"?`,
				`:11:3: paths: unknown key "includes" (allowed: include, exclude); ` +
					`did you mean "include"?`,
				`:13:3: reports: unknown key "html" (allowed: sarif, json)`,
			},
		},
		{
			file: "merge-keys.yaml",
			want: []string{
				`:1:1: unknown key "defaults" (allowed: key, target, fail_on, rules, paths, ` +
					`suppressions, warn_before, max, licenses, packages, scanners, severity_map, ` +
					`reports, new_only, diff_scope, baseline, base_scan, hook, publish_errors, ` +
					`max_inline_comments, upload_sarif, limits, secrets, allow_inline_suppressions)`,
				`:5:5: scanners.semgrep: merge keys (<<) are not supported; write the keys out`,
			},
		},
		{
			file: "duplicate-keys.yaml",
			want: []string{
				`:4:3: scanners: duplicate key "semgrep" (first at line 3)`,
				`:7:3: max: duplicate key "high" (first at line 6)`,
				`:8:1: duplicate key "fail_on" (first at line 1)`,
			},
		},
		{
			file: "wrong-types.yaml",
			want: []string{
				`:1:6: key: expected a string, got a list`,
				`:2:9: target: expected a string, got true`,
				`:3:10: fail_on: expected a severity, got nothing`,
				`:5:3: rules: expected a list, got a mapping`,
				`:7:12: paths.include: expected a list, got "src/**"`,
				`:8:14: warn_before: expected a duration such as 14d or 90m, got a list`,
				`:10:9: max.high: expected a whole number, got 1.5`,
				`:11:8: max.low: expected a whole number, got "3"`,
				`:14:15: scanners.semgrep.required: expected true or false, got "yes"`,
				`:15:11: scanners.semgrep.args: expected a list of strings, got "--verbose" ` +
					`(write [--verbose] for a single item)`,
				`:16:9: scanners.sbom: expected a mapping, got a list`,
				`:18:5: suppressions[0]: expected a mapping, got "just-a-string"`,
			},
		},
		{
			file: "bad-globs.yaml",
			want: []string{
				`:2:12: rules[0].match: "semgrep:[sql" is not a valid glob pattern`,
				`:6:13: rules[1].paths[0]: "src/{a,b" is not a valid glob pattern`,
				`:8:13: paths.include[0]: "[abc" is not a valid glob pattern`,
				`:9:26: paths.exclude[1]: "build/{x" is not a valid glob pattern`,
				`:11:11: suppressions[0].rule: "semgrep:{a" is not a valid glob pattern`,
				`:12:11: suppressions[0].path: "app/[x" is not a valid glob pattern`,
			},
		},
		{
			file: "bad-dates.yaml",
			want: []string{
				`:5:14: suppressions[0].expires: "2025-02-30" is not a real date`,
				`:9:14: suppressions[1].expires: "2025-5-1" is not a date; write YYYY-MM-DD`,
				`:13:14: suppressions[2].expires: "next week" is not a date; write YYYY-MM-DD`,
				`:17:14: suppressions[3].expires: "2025-13-01" is not a real date`,
				`:21:14: suppressions[4].expires: "2023-02-29" is not a real date`,
				`:25:14: suppressions[5].expires: "2025-06-01T00:00:00Z" is not a date; ` +
					`write YYYY-MM-DD`,
			},
		},
		{
			file: "suppression-missing.yaml",
			want: []string{
				`:2:5: suppressions[0]: missing reason`,
				`:2:5: suppressions[0]: missing owner`,
				`:2:5: suppressions[0]: missing expires`,
				`:4:13: suppressions[1].reason: must not be empty`,
				`:7:5: suppressions[2]: needs at least one of rule, fingerprint or path`,
				`:10:5: suppressions[3]: needs at least one of rule, fingerprint or path`,
				`:10:5: suppressions[3]: missing reason`,
				`:10:5: suppressions[3]: missing owner`,
				`:10:5: suppressions[3]: missing expires`,
			},
		},
		{
			file: "bad-actions.yaml",
			want: []string{
				`:3:13: rules[0].action: unknown action "block" (want fail, warn or ignore)`,
				`:4:5: rules[1]: missing action`,
				`:5:5: rules[2]: missing match`,
			},
		},
		{
			file: "bad-severities.yaml",
			want: []string{
				`:1:10: fail_on: unknown severity "severe" (want one of info, low, medium, high, critical)`,
				`:3:13: licenses.severity: unknown severity "urgent" ` +
					`(want one of info, low, medium, high, critical)`,
				`:5:13: packages.severity: unknown severity "7" ` +
					`(want one of info, low, medium, high, critical)`,
				`:9:14: severity_map.semgrep.WARNING: unknown severity "moderate" ` +
					`(want one of info, low, medium, high, critical)`,
				`:10:5: severity_map.semgrep: "error" is mapped twice (words are compared in lowercase)`,
			},
		},
		{
			file: "negative-max.yaml",
			want: []string{
				`:3:9: max.high: must be 0 or more, got -1`,
				`:4:11: max.medium: must be 0 or more, got -10`,
				`:5:3: max: unknown key "unknown" (allowed: critical, high, medium, low, info)`,
			},
		},
		{
			file: "bad-durations.yaml",
			want: []string{
				`:1:14: warn_before: "2w" is not a duration (write e.g. 14d, 36h or 90m)`,
				`:4:14: scanners.semgrep.timeout: "10" is not a duration (write e.g. 14d, 36h or 90m)`,
				`:6:14: scanners.sbom.timeout: must be more than zero`,
				`:9:14: scanners.sarif.timeout: duration "-5m" must not be negative`,
			},
		},
		{
			file: "bad-version-range.yaml",
			want: []string{
				`:6:17: packages.deny[1].versions: "= 3.3.6 || banana" is not a version range ` +
					`(improper constraint: " banana")`,
				`:9:17: packages.deny[2].versions: must not be empty`,
				`:10:7: packages.deny[3]: missing name`,
			},
		},
		{
			file: "scanner-keys.yaml",
			want: []string{
				`:4:5: scanners.semgrep: key "files" does not apply to scanners of type semgrep ` +
					`(allowed: type, required, timeout, report, report_format, config, args, env)`,
				`:5:5: scanners.semgrep: key "formats" does not apply to scanners of type semgrep ` +
					`(allowed: type, required, timeout, report, report_format, config, args, env)`,
				`:7:5: scanners.sbom: key "config" does not apply to scanners of type sbom ` +
					`(allowed: type, required, timeout, report, report_format, formats, vulnerabilities, input, args, env)`,
				`:8:5: scanners.sbom: key "output" does not apply to scanners of type sbom ` +
					`(allowed: type, required, timeout, report, report_format, formats, vulnerabilities, input, args, env)`,
				`:13:5: scanners.gitleaks: key "formats" does not apply to scanners of type sarif ` +
					`(allowed: type, required, timeout, report, report_format, files, command, output, env)`,
				`:14:5: scanners.gitleaks: unknown key "confg" ` +
					`(allowed: type, required, timeout, report, report_format, files, command, output, env)`,
			},
		},
		{
			file: "scanner-type.yaml",
			want: []string{
				`:2:3: scanners.zap: say how to get ZAP's findings: report (a report ZAP wrote), ` +
					`script (baseline, full or api) or daemon (the URL of a running ZAP's API)`,
				`:4:11: scanners.trivy: unknown scanner type "trivy-fs" (known types: semgrep, sbom, sarif, snyk, command, zap)`,
				`:6:11: scanners.semgrep.type: must not be empty`,
			},
		},
		{
			file: "sarif-scanner.yaml",
			want: []string{
				`:2:3: scanners.gitleaks: a sarif scanner needs files to import or a command to run`,
				`:4:13: scanners.gitleaks.output: only makes sense with command`,
				`:7:14: scanners.codeql.command: must name the program to run`,
				`:8:11: scanners.codeql.env[0]: "GITHUB_TOKEN=abc" is not a variable name ` +
					`(list names only, no values)`,
				`:10:15: scanners.sbom.formats[0]: unknown SBOM format "cyclonedx-xml" ` +
					`(known formats: cyclonedx-json, spdx-json)`,
			},
		},
	}
}

func TestLoadBadConfigs(t *testing.T) {
	for _, tt := range badConfigs() {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			cfg, err := Load(path)
			if cfg != nil {
				t.Errorf("config: got %+v, want nil", cfg)
			}
			var diags *Diagnostics
			if !errors.As(err, &diags) {
				t.Fatalf("error: got %T %v, want *Diagnostics", err, err)
			}

			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = path + w
			}
			got := strings.Split(err.Error(), "\n")
			if !slices.Equal(got, want) {
				t.Errorf("diagnostics:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, item := range diags.Items {
				if item.File != path {
					t.Errorf("diagnostic file: got %q, want %q", item.File, path)
				}
			}
		})
	}
}

// Every file in testdata/bad must be in the table, so that none is added
// without saying what it must produce.
func TestEveryBadConfigIsChecked(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tt := range badConfigs() {
		listed[tt.file] = true
	}
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s: not in badConfigs", f)
		}
	}
	if len(files) != len(listed) {
		t.Errorf("bad configs: got %d files, want %d", len(files), len(listed))
	}
}

func TestLoadFullConfig(t *testing.T) {
	path := filepath.Join("testdata", "good", "full.yaml")
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	date := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d
	}

	checks := []struct {
		name      string
		got, want any
	}{
		{"file", cfg.File, path},
		{"key", cfg.Key, "payments-gate"},
		{"target", cfg.Target, "services/payments"},
		{"fail_on", cfg.FailOn, finding.SeverityMedium},
		{"warn_before", cfg.WarnBefore, 30 * 24 * time.Hour},
		{"rules", len(cfg.Rules), 3},
		{"rules[0].match", cfg.Rules[0].Match, "semgrep:*.sql-injection*"},
		{"rules[0].action", cfg.Rules[0].Action, ActionFail},
		{"rules[0].pos", cfg.Rules[0].Pos, Pos{Line: 8, Column: 5}},
		{"rules[1].paths", strings.Join(cfg.Rules[1].Paths, ","), "src/**,config/**"},
		{"rules[2].action", cfg.Rules[2].Action, ActionIgnore},
		{"paths.include", strings.Join(cfg.Paths.Include, ","), "src/**,config/**"},
		{"paths.exclude", strings.Join(cfg.Paths.Exclude, ","), "**/testdata/**,vendor/**"},
		{"suppressions", len(cfg.Suppressions), 2},
		{"suppressions[0].rule", cfg.Suppressions[0].Rule,
			"semgrep:python.lang.security.audit.formatted-sql-query"},
		{"suppressions[0].path", cfg.Suppressions[0].Path, "src/reports/*.py"},
		{"suppressions[0].owner", cfg.Suppressions[0].Owner, "alice@example.com"},
		{"suppressions[0].expires", cfg.Suppressions[0].Expires, date("2026-06-30")},
		{"suppressions[0].pos", cfg.Suppressions[0].Pos, Pos{Line: 21, Column: 5}},
		{"suppressions[1].fingerprint", cfg.Suppressions[1].Fingerprint, "3f1c9a0b7e2d4c56"},
		{"suppressions[1].expires (quoted)", cfg.Suppressions[1].Expires, date("2026-12-31")},
		{"max", len(cfg.Max), 3},
		{"max.high", cfg.Max[finding.SeverityHigh], 0},
		{"max.medium", cfg.Max[finding.SeverityMedium], 5},
		{"max.low", cfg.Max[finding.SeverityLow], 50},
		{"licenses.deny", strings.Join(cfg.Licenses.Deny, ","), "GPL-3.0-only,AGPL-3.0-only"},
		{"licenses.allow", len(cfg.Licenses.Allow), 3},
		{"licenses.severity", cfg.Licenses.Severity, finding.SeverityCritical},
		{"packages.severity", cfg.Packages.Severity, finding.SeverityMedium},
		{"packages.deny", len(cfg.Packages.Deny), 3},
		{"packages.deny[0]", cfg.Packages.Deny[0], PackageBan{
			Name: "lodash", Type: "npm", Versions: "<4.17.21",
			Reason: "prototype pollution (CVE-2021-23337)", Pos: Pos{Line: 44, Column: 7},
		}},
		{"packages.deny[2].versions", cfg.Packages.Deny[2].Versions, ""},
		{"severity_map.semgrep.error", cfg.SeverityMap["semgrep"]["error"], finding.SeverityCritical},
		{"severity_map.semgrep.warning", cfg.SeverityMap["semgrep"]["warning"], finding.SeverityHigh},
		{"severity_map.bandit.low", cfg.SeverityMap["bandit"]["low"], finding.SeverityInfo},
		{"reports.sarif", cfg.Reports.SARIF, "out/secgate.sarif"},
		{"reports.json", cfg.Reports.JSON, "out/secgate.json"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestLoadScanners(t *testing.T) {
	cfg, err := Load(filepath.Join("testdata", "good", "full.yaml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	tests := []struct {
		name     string
		typ      string
		required bool
		timeout  time.Duration
		lists    string // the scanner's list settings, as config|args|files|command|formats|env
		output   string
		pos      Pos
	}{
		{"semgrep", "semgrep", true, 15 * time.Minute,
			"p/python,rules/semgrep|--metrics=off||||SEMGREP_APP_TOKEN", "", Pos{53, 3}},
		{"sbom", "sbom", true, 10 * time.Minute, "||||cyclonedx-json,spdx-json|", "", Pos{58, 3}},
		{"gitleaks", "sarif", false, 90 * time.Second,
			"|||gitleaks,detect,--report-format,sarif,--report-path,gitleaks.sarif||",
			"gitleaks.sarif", Pos{60, 3}},
		{"imported", "sarif", true, 10 * time.Minute, "||reports/**/*.sarif|||", "", Pos{66, 3}},
	}
	if len(cfg.Scanners) != len(tests) {
		t.Fatalf("scanners: got %d, want %d", len(cfg.Scanners), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := cfg.Scanners[i]
			if s.Name != tt.name {
				t.Errorf("name (file order): got %q, want %q", s.Name, tt.name)
			}
			if s.Type != tt.typ || s.Required != tt.required || s.Timeout != tt.timeout {
				t.Errorf("type/required/timeout: got %s/%v/%v, want %s/%v/%v",
					s.Type, s.Required, s.Timeout, tt.typ, tt.required, tt.timeout)
			}
			lists := strings.Join([]string{
				strings.Join(s.Config, ","), strings.Join(s.Args, ","), strings.Join(s.Files, ","),
				strings.Join(s.Command, ","), strings.Join(s.Formats, ","), strings.Join(s.Env, ","),
			}, "|")
			if lists != tt.lists {
				t.Errorf("lists: got %q, want %q", lists, tt.lists)
			}
			if s.Output != tt.output || s.Pos != tt.pos {
				t.Errorf("output/pos: got %q/%v, want %q/%v", s.Output, s.Pos, tt.output, tt.pos)
			}
		})
	}
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load(filepath.Join("testdata", "good", "minimal.yaml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"key", cfg.Key, "secgate"},
		{"target", cfg.Target, "."},
		{"fail_on", cfg.FailOn, finding.SeverityHigh},
		{"warn_before", cfg.WarnBefore, 14 * 24 * time.Hour},
		{"licenses.severity", cfg.Licenses.Severity, finding.SeverityHigh},
		{"packages.severity", cfg.Packages.Severity, finding.SeverityHigh},
		{"max", len(cfg.Max), 0},
		{"scanners", len(cfg.Scanners), 2},
		{"semgrep (empty value) type", cfg.Scanners[0].Type, "semgrep"},
		{"semgrep required", cfg.Scanners[0].Required, true},
		{"semgrep timeout", cfg.Scanners[0].Timeout, 10 * time.Minute},
		{"sbom type", cfg.Scanners[1].Type, "sbom"},
		{"sbom formats", strings.Join(cfg.Scanners[1].Formats, ","), "cyclonedx-json"},
		{"semgrep formats", len(cfg.Scanners[0].Formats), 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParseValues(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		get  func(*Config) any
		want any
	}{
		{"warn_before in days", "warn_before: 3d", func(c *Config) any { return c.WarnBefore },
			72 * time.Hour},
		{"warn_before as Go duration", "warn_before: 36h", func(c *Config) any { return c.WarnBefore },
			36 * time.Hour},
		{"warn_before zero", "warn_before: 0d", func(c *Config) any { return c.WarnBefore },
			time.Duration(0)},
		{"severity in any case", "fail_on: CRITICAL", func(c *Config) any { return c.FailOn },
			finding.SeverityCritical},
		{"action in any case", "rules: [{match: x, action: WARN}]",
			func(c *Config) any { return c.Rules[0].Action }, ActionWarn},
		{"version that YAML reads as a number", "packages: {deny: [{name: a, versions: 1.2}]}",
			func(c *Config) any { return c.Packages.Deny[0].Versions }, "1.2"},
		{"empty suppressions list", "suppressions:", func(c *Config) any { return len(c.Suppressions) },
			0},
		{"alias to a shared list",
			"paths: {include: &src [src/**]}\nrules: [{match: x, action: warn, paths: *src}]",
			func(c *Config) any { return strings.Join(c.Rules[0].Paths, ",") }, "src/**"},
		{"explicit type differs from name", "scanners: {secrets: {type: sarif, files: [a.sarif]}}",
			func(c *Config) any { return c.Scanners[0].Name + "/" + c.Scanners[0].Type }, "secrets/sarif"},
		{"severity_map tool name lowercased", "severity_map: {Gosec: {MEDIUM: low}}",
			func(c *Config) any { return c.SeverityMap["gosec"]["medium"] }, finding.SeverityLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), "inline.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := tt.get(cfg); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secgate.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error: got %v, want one wrapping fs.ErrNotExist", err)
	}
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error: got %v, want it to name %s", err, path)
	}
}

// Aliases can make a tiny file expand beyond any real config; the walk must
// stop with a diagnostic instead of running away.
func TestParseAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("x: &p [" + strings.Repeat("a, ", 499) + "a]\n")
	b.WriteString("y: &m {match: r, action: warn, paths: *p}\n")
	b.WriteString("rules: [" + strings.Repeat("*m, ", 499) + "*m]\n")

	_, err := Parse([]byte(b.String()), "bomb.yaml")
	var diags *Diagnostics
	if !errors.As(err, &diags) {
		t.Fatalf("error: got %v, want *Diagnostics", err)
	}
	want := "the file expands to more than 100000 YAML nodes (check its aliases)"
	found := slices.ContainsFunc(diags.Items, func(d Diagnostic) bool { return d.Message == want })
	if !found {
		t.Errorf("diagnostics: got %v, want one saying %q", err, want)
	}
}

func TestScannerKeys(t *testing.T) {
	tests := []struct {
		typ   string
		want  string
		known bool
	}{
		{"semgrep", "type,required,timeout,report,report_format,config,args,env", true},
		{"sbom", "type,required,timeout,report,report_format,formats,vulnerabilities,input," +
			"args,env", true},
		{"sarif", "type,required,timeout,report,report_format,files,command,output,env", true},
		{"snyk", "type,required,timeout,report,report_format,product,image,all_projects,args," +
			"env", true},
		{"zap", "type,required,timeout,report,report_format,target,script,api_format,daemon," +
			"api_key_env,active_scan,active_scan_limit,spider_limit,rules_file," +
			"count_false_positives,args,env", true},
		{"zaproxy", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			keys, known := ScannerKeys(tt.typ)
			if got := strings.Join(keys, ","); got != tt.want || known != tt.known {
				t.Errorf("got %q/%v, want %q/%v", got, known, tt.want, tt.known)
			}
		})
	}
	if got := strings.Join(ScannerTypes(), ","); got != "semgrep,sbom,sarif,snyk,command,zap" {
		t.Errorf("ScannerTypes: got %q, want semgrep,sbom,sarif,snyk,command,zap", got)
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		name string
		d    Diagnostic
		want string
	}{
		{"full position", Diagnostic{"a.yaml", 3, 7, "bad"}, "a.yaml:3:7: bad"},
		{"line only", Diagnostic{"a.yaml", 3, 0, "bad"}, "a.yaml:3: bad"},
		{"no position", Diagnostic{"a.yaml", 0, 0, "bad"}, "a.yaml: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// repoRoot walks up from the test's directory to the one holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// The complete example in docs/policy.md must load, so the docs cannot drift
// from what the loader accepts.
func TestDocsExampleLoads(t *testing.T) {
	path := filepath.Join(repoRoot(t), "docs", "policy.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const open = "<!-- complete example -->\n```yaml\n"
	start := strings.Index(string(data), open)
	if start < 0 {
		t.Fatalf("%s: no complete example marked %q", path, open)
	}
	example := string(data)[start+len(open):]
	example = example[:strings.Index(example, "```")]

	cfg, err := Parse([]byte(example), path)
	if err != nil {
		t.Fatalf("docs example: %v", err)
	}
	if len(cfg.Scanners) == 0 || len(cfg.Suppressions) == 0 || len(cfg.Rules) == 0 {
		t.Errorf("docs example: got %d scanners, %d suppressions, %d rules; want some of each",
			len(cfg.Scanners), len(cfg.Suppressions), len(cfg.Rules))
	}
}
