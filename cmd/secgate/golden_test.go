package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// neutralize replaces what differs between machines and tool versions in
// secgate's SARIF: each driver's version and the absolute root of each run.
func neutralize(log map[string]any) {
	runs, _ := log["runs"].([]any)
	for _, r := range runs {
		run, _ := r.(map[string]any)
		if tool, ok := run["tool"].(map[string]any); ok {
			if driver, ok := tool["driver"].(map[string]any); ok {
				if _, has := driver["version"]; has {
					driver["version"] = "VERSION"
				}
			}
		}
		if bases, ok := run["originalUriBaseIds"].(map[string]any); ok {
			for k := range bases {
				bases[k] = map[string]any{"uri": "file:///ROOT/"}
			}
		}
	}
}

// compareGolden compares a SARIF file, pretty-printed and with volatile
// fields replaced, to testdata/name; -update rewrites it.
func compareGolden(t *testing.T, path, name string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	neutralize(v)
	pretty, _ := json.MarshalIndent(v, "", "  ")
	got := string(pretty) + "\n"

	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		diffPath := filepath.Join(t.TempDir(), name)
		_ = os.WriteFile(diffPath, []byte(got), 0o644)
		t.Errorf("%s differs from %s; the output is in %s (go test -update rewrites it)",
			path, golden, diffPath)
	}
}

// validateSARIF runs the SARIF Multitool with GitHub's ingestion rules and the
// SARIF rules on file and returns the errors it reports. The Linux binary is
// called directly: the npm wrapper passes arguments through a shell, which
// would split "Gh;Sarif".
func validateSARIF(t *testing.T, file string) []string {
	t.Helper()
	bin := testenv.Multitool(t)
	out := filepath.Join(t.TempDir(), "validation.sarif")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	cmd := exec.CommandContext(ctx, bin, "validate", file, "--rule-kind", "Gh;Sarif",
		"--output", out, "--log", "ForceOverwrite")
	console, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("multitool: %v\n%s", err, console)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("multitool wrote no output: %v\n%s", err, console)
	}

	var log struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text      string   `json:"text"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
			Tool struct {
				Driver struct {
					Rules []struct {
						ID     string `json:"id"`
						Config struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("multitool output unreadable (%v)", err)
	}

	run := log.Runs[0]
	ruleLevel := map[string]string{}
	for _, r := range run.Tool.Driver.Rules {
		ruleLevel[r.ID] = r.Config.Level
	}
	var errs []string
	for _, r := range run.Results {
		level := r.Level
		if level == "" {
			level = ruleLevel[r.RuleID]
		}
		if level == "error" {
			errs = append(errs, r.RuleID+": "+r.Message.Text+strings.Join(r.Message.Arguments, " "))
		}
	}
	return errs
}
