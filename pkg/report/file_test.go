package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fileCase is a file already at the report's path before WriteFile runs.
type fileCase struct {
	name     string
	existing string // its content
	renderer Renderer
	inputs   func(path string) []string
}

const configYAML = "key: web-app\nscanners:\n  semgrep: {}\n"

func noInputs(string) []string { return nil }

func TestWriteFileRefuses(t *testing.T) {
	ownJSON := render(t, JSON{}, sampleData())
	ownSARIF := render(t, SARIF{}, sampleData())
	toolSARIF := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gosec"}},` +
		` "results": []}]}`
	tests := []fileCase{
		{"the config it read", configYAML, JSON{},
			func(p string) []string { return []string{p} }},
		{"an input by another spelling", configYAML, JSON{},
			func(p string) []string {
				return []string{filepath.Join(filepath.Dir(p), "sub", "..", filepath.Base(p))}
			}},
		// Refused because it is an input, though it looks like a report.
		{"an imported SARIF file", ownSARIF, SARIF{},
			func(p string) []string { return []string{"x.yaml", p} }},
		{"a file the user wrote", "# Notes\nkeep me\n", JSON{}, noInputs},
		{"another tool's SARIF log", toolSARIF, SARIF{}, noInputs},
		{"a SARIF report where JSON goes", ownSARIF, JSON{}, noInputs},
		{"a JSON report where SARIF goes", ownJSON, SARIF{}, noInputs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.out")
			writeTestFile(t, path, tt.existing)

			err := WriteFile(path, tt.renderer, sampleData(), tt.inputs(path))
			if err == nil {
				t.Fatalf("WriteFile replaced the file, want it refused")
			}

			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			if got := readTestFile(t, path); got != tt.existing {
				t.Errorf("the file changed: got %.60q, want %.60q", got, tt.existing)
			}
			if extra := otherFiles(t, dir, "report.out"); len(extra) > 0 {
				t.Errorf("files left behind: %q", extra)
			}
		})
	}
}

func TestWriteFileRefusesLinksToInputs(t *testing.T) {
	tests := []struct {
		name string
		link func(target, link string) error
	}{
		{"symbolic link", os.Symlink},
		{"hard link", os.Link},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			input := filepath.Join(dir, "secgate.yaml")
			writeTestFile(t, input, configYAML)
			path := filepath.Join(dir, "report.json")
			if err := tt.link(input, path); err != nil {
				t.Fatal(err)
			}

			err := WriteFile(path, JSON{}, sampleData(), []string{input})
			if err == nil {
				t.Fatalf("WriteFile wrote through a link to its input")
			}

			if got := readTestFile(t, input); got != configYAML {
				t.Errorf("the input changed: got %q", got)
			}
		})
	}
}

func TestWriteFileReplaces(t *testing.T) {
	const absent = "\x00absent" // no file at the path
	tests := []fileCase{
		{"nothing there", absent, JSON{}, noInputs},
		{"an empty file", "", JSON{}, noInputs},
		{"its own JSON report", render(t, JSON{}, emptyData()), JSON{}, noInputs},
		{"its own SARIF report without runs", render(t, SARIF{}, emptyData()), SARIF{}, noInputs},
		{"its own SARIF report", render(t, SARIF{}, sampleData()), SARIF{},
			func(string) []string { return []string{"secgate.yaml"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.out")
			if tt.existing != absent {
				writeTestFile(t, path, tt.existing)
			}

			if err := WriteFile(path, tt.renderer, sampleData(), tt.inputs(path)); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}

			want := render(t, tt.renderer, sampleData())
			if got := readTestFile(t, path); got != want {
				t.Errorf("the file holds %.80q, want the new report", got)
			}
		})
	}
}

func TestWriteFileCreatesDirectories(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out", "reports", "secgate.json")

	if err := WriteFile(path, JSON{}, sampleData(), nil); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}

	var doc jsonDoc
	if err := json.Unmarshal([]byte(readTestFile(t, path)), &doc); err != nil {
		t.Fatalf("the report is not JSON: %v", err)
	}
	if doc.Verdict != "blocked" || len(doc.Findings) != 4 {
		t.Errorf("got verdict %q with %d findings, want blocked with 4",
			doc.Verdict, len(doc.Findings))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o644 {
		t.Errorf("mode: got %v, want 0644", got)
	}
}

func TestWriteFileIsADirectory(t *testing.T) {
	path := t.TempDir()

	err := WriteFile(path, JSON{}, sampleData(), nil)

	if err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("got %v, want an error saying %s is a directory", err, path)
	}
}

func TestWriteFileIsAtomic(t *testing.T) {
	t.Run("a reader of the old report sees all of it", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "secgate.sarif")
		if err := WriteFile(path, SARIF{}, emptyData(), nil); err != nil {
			t.Fatal(err)
		}
		old := readTestFile(t, path)
		reader, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer reader.Close()

		if err := WriteFile(path, SARIF{}, sampleData(), nil); err != nil {
			t.Fatalf("WriteFile: %v", err)
		}

		// The new report was renamed into place: the old file was never
		// truncated or written over under the reader.
		got, err := io.ReadAll(reader)
		if err != nil || string(got) != old {
			t.Errorf("the open old report reads %.60q (%v), want the old report", got, err)
		}
		if readTestFile(t, path) == old {
			t.Errorf("the path still holds the old report")
		}
		if extra := otherFiles(t, dir, "secgate.sarif"); len(extra) > 0 {
			t.Errorf("temporary files left behind: %q", extra)
		}
	})

	t.Run("a failed render leaves the old report", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "secgate.sarif")
		if err := WriteFile(path, SARIF{}, sampleData(), nil); err != nil {
			t.Fatal(err)
		}
		old := readTestFile(t, path)
		bad := sampleData()
		// SARIF cannot be written with a relative root, so rendering fails
		// after the temporary file exists.
		bad.Root = "relative/root"

		if err := WriteFile(path, SARIF{}, bad, nil); err == nil {
			t.Fatalf("WriteFile: got no error for a relative root")
		}

		if readTestFile(t, path) != old {
			t.Errorf("the old report changed")
		}
		if extra := otherFiles(t, dir, "secgate.sarif"); len(extra) > 0 {
			t.Errorf("temporary files left behind: %q", extra)
		}
	})

	t.Run("a renderer that fails half way writes nothing", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "secgate.json")

		err := WriteFile(path, halfRenderer{}, sampleData(), nil)

		if !errors.Is(err, errHalf) {
			t.Errorf("got %v, want the renderer's error", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("half a report is at %s (stat: %v)", path, err)
		}
		if extra := otherFiles(t, dir, ""); len(extra) > 0 {
			t.Errorf("temporary files left behind: %q", extra)
		}
	})
}

var errHalf = errors.New("renderer gave up")

// halfRenderer writes part of a report and then fails.
type halfRenderer struct{}

func (halfRenderer) Render(w io.Writer, _ *Data) error {
	_, _ = io.WriteString(w, `{"secgate": {"schema": 1}, "findings": [`)
	return errHalf
}

func render(t *testing.T, r Renderer, d *Data) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, d); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.String()
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readTestFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// otherFiles lists the entries of dir other than keep.
func otherFiles(t *testing.T, dir, keep string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return slices.DeleteFunc(names, func(n string) bool { return n == keep })
}
