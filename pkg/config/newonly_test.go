package config

import (
	"strings"
	"testing"
	"time"
)

func TestNewOnlyAndHookKeys(t *testing.T) {
	const scanners = "scanners:\n  semgrep: {}\n  sbom: {}\n"
	tests := []struct {
		name    string
		yaml    string
		check   func(t *testing.T, c *Config)
		wantErr string
	}{
		{
			name: "defaults",
			yaml: scanners,
			check: func(t *testing.T, c *Config) {
				if c.NewOnly.Enabled || c.NewOnly.Scope != ScopeAdded || c.Hook.Timeout != time.Minute {
					t.Errorf("defaults: got %+v and %+v", c.NewOnly, c.Hook)
				}
			},
		},
		{
			name: "every key",
			yaml: scanners + "new_only: true\ndiff_scope: Context\nbaseline: b.sarif\n" +
				"base_scan: true\nhook:\n  scanners: [semgrep]\n  timeout: 20s\n" +
				"  require_scanners: true\n",
			check: func(t *testing.T, c *Config) {
				want := NewOnly{Enabled: true, Scope: ScopeContext, Baseline: "b.sarif", BaseScan: true}
				if c.NewOnly != want {
					t.Errorf("new only: got %+v, want %+v", c.NewOnly, want)
				}
				if c.Hook.Timeout != 20*time.Second || !c.Hook.RequireScanners {
					t.Errorf("hook: got %+v", c.Hook)
				}
				got, err := c.HookScanners()
				if err != nil || len(got) != 1 || got[0].Name != "semgrep" {
					t.Errorf("hook scanners: got %v, %v", got, err)
				}
			},
		},
		{name: "bad scope", yaml: scanners + "diff_scope: lines\n",
			wantErr: `:4:13: diff_scope: unknown scope "lines"`},
		{name: "new_only not a bool", yaml: scanners + "new_only: yes please\n",
			wantErr: "new_only: expected true or false"},
		{name: "zero timeout", yaml: scanners + "hook:\n  timeout: 0s\n",
			wantErr: "hook.timeout: must be more than zero"},
		{name: "unknown hook key", yaml: scanners + "hook:\n  scaners: [x]\n",
			wantErr: `hook: unknown key "scaners"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "s.yaml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestHookScannersUnknown(t *testing.T) {
	c, err := Parse([]byte("scanners:\n  semgrep: {}\nhook:\n  scanners: [gitleaks]\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.HookScanners()
	if err == nil || !strings.Contains(err.Error(), `s.yaml:4: hook.scanners names "gitleaks"`) {
		t.Errorf("error: got %v", err)
	}
}
