package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
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
