package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scannerRows maps "adapter scanner" to the rest of each line of the listing.
func scannerRows(out string) map[string]string {
	rows := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) >= 3 {
			rows[f[0]+" "+f[1]] = strings.Join(f[2:], " ")
		}
	}
	return rows
}

func TestScannersCommand(t *testing.T) {
	semgrep := semgrepDir(t)
	config := "scanners:\n" +
		"  semgrep:\n    required: false\n" +
		"  deps:\n    type: sbom\n    vulnerabilities: grype\n" +
		"  lint:\n    type: command\n    command: [sh, -c, 'true']\n    format: sarif\n"
	tests := []struct {
		name   string
		config string // "" for no config file
		path   []string
		args   []string
		code   int
		want   map[string]string // row key -> prefix of the rest of the line
	}{
		{"no config, no semgrep", "", nil, nil, 0, map[string]string{
			"semgrep -": "no - not in the config; install Semgrep",
			"sbom -":    "yes v1.57.2 not in the config",
			"sarif -":   "yes - not in the config",
			"command -": "- - not in the config; runs the tool",
		}},
		{"no config, semgrep installed", "", []string{semgrep}, nil, 0, map[string]string{
			"semgrep -": "yes 1.187.0 not in the config",
		}},
		{"config enables three", config, []string{semgrep}, nil, 0, map[string]string{
			"semgrep semgrep": "yes 1.187.0 enabled, optional, " + filepath.Join(semgrep, "semgrep"),
			"sbom deps":       "no v1.57.2 enabled, required, vulnerabilities: grype; install grype",
			"command lint":    "yes - enabled, required, /",
			"sarif -":         "yes - not in the config",
		}},
		{"a named config that is missing", "", nil, []string{"--config", "nope.yaml"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.config != "" {
				if err := os.WriteFile(filepath.Join(dir, "secgate.yaml"), []byte(tt.config),
					0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := secgate(t, dir, tt.path, append([]string{"scanners"}, tt.args...)...)
			if res.code != tt.code {
				t.Fatalf("exit: got %d, want %d\nstderr: %s", res.code, tt.code, res.stderr)
			}
			if tt.code != 0 {
				if res.stdout != "" || !strings.Contains(res.stderr, "nope.yaml") {
					t.Errorf("got stdout %q, stderr %q; want only an error naming the file",
						res.stdout, res.stderr)
				}
				return
			}
			if !strings.HasPrefix(res.stdout, "ADAPTER  SCANNER  INSTALLED  VERSION  CONFIG") {
				t.Errorf("header: got %q", strings.SplitN(res.stdout, "\n", 2)[0])
			}
			rows := scannerRows(res.stdout)
			for key, want := range tt.want {
				if !strings.HasPrefix(rows[key], want) {
					t.Errorf("%s: got %q, want it to start with %q", key, rows[key], want)
				}
			}
		})
	}
}
