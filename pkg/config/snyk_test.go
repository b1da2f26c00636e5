package config

import (
	"testing"
)

// snykSettings are the settings only the snyk scanner reads.
type snykSettings struct {
	Product     string
	Image       string
	AllProjects bool
	Report      string
}

func TestParseSnykScanner(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    snykSettings
		wantErr string // a diagnostic line must contain this; empty means none
	}{
		{
			name: "defaults",
			yaml: "scanners:\n  snyk: {}\n",
			want: snykSettings{},
		},
		{
			name: "all settings of the open-source product",
			yaml: "scanners:\n  deps:\n    type: snyk\n    product: test\n    all_projects: true\n" +
				"    args: [--org=acme]\n    env: [SNYK_TOKEN]\n",
			want: snykSettings{Product: "test", AllProjects: true},
		},
		{
			name: "container with image",
			yaml: "scanners:\n  snyk:\n    product: container\n    image: alpine:3.19\n",
			want: snykSettings{Product: "container", Image: "alpine:3.19"},
		},
		{
			name: "report instead of a run",
			yaml: "scanners:\n  snyk:\n    product: container\n    report: out/snyk.json\n",
			want: snykSettings{Product: "container", Report: "out/snyk.json"},
		},
		{
			name:    "unknown product",
			yaml:    "scanners:\n  snyk:\n    product: sast\n",
			wantErr: `:3:14: scanners.snyk.product: unknown snyk product "sast" (known products: test, code, container, iac)`,
		},
		{
			name:    "container without image",
			yaml:    "scanners:\n  snyk:\n    product: container\n",
			wantErr: ":2:3: scanners.snyk: product container needs the image to test",
		},
		{
			name:    "image on the code product",
			yaml:    "scanners:\n  snyk:\n    product: code\n    image: alpine\n",
			wantErr: ":4:12: scanners.snyk.image: only makes sense with product: container",
		},
		{
			name:    "all_projects on iac",
			yaml:    "scanners:\n  snyk:\n    product: iac\n    all_projects: true\n",
			wantErr: ":4:19: scanners.snyk.all_projects: only makes sense with product: test",
		},
		{
			name:    "all_projects is not a bool",
			yaml:    "scanners:\n  snyk:\n    all_projects: maybe\n",
			wantErr: ":3:19: scanners.snyk.all_projects:",
		},
		{
			name:    "snyk key on another type",
			yaml:    "scanners:\n  semgrep:\n    product: code\n",
			wantErr: `:3:5: scanners.semgrep: key "product" does not apply to scanners of type semgrep`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parseCase(t, tt.yaml, tt.wantErr)
			if cfg == nil {
				return
			}
			s := cfg.Scanners[0]
			if s.Type != "snyk" {
				t.Errorf("type: got %q, want snyk", s.Type)
			}
			got := snykSettings{s.Product, s.Image, s.AllProjects, s.Report}
			if got != tt.want {
				t.Errorf("settings: got %+v, want %+v", got, tt.want)
			}
		})
	}
}
