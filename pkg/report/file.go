package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/secgate/secgate/pkg/redact"
	"github.com/secgate/secgate/pkg/sariflog"
)

// WriteFile renders d into path, replacing the file whole (a temporary file
// renamed into place, so a reader never sees half a report).
//
// Nothing a user wrote is overwritten: a path that is one of the inputs is
// refused, and so is an existing file that is not a report of the same kind
// that an earlier secgate run wrote.
func WriteFile(path string, r Renderer, d *Data, inputs []string) error {
	return writeFile(path, r, func(w io.Writer) error { return r.Render(w, d) }, inputs)
}

// WriteLog writes a SARIF log that secgate built itself (as secgate merge
// does) into path, with the same checks and the same atomic replacement as
// WriteFile's SARIF report, streaming it rather than holding it in memory.
func WriteLog(path string, log sariflog.Log, inputs []string) error {
	return writeFile(path, SARIF{}, func(w io.Writer) error { return sariflog.Write(w, log) },
		inputs)
}

// writeFile checks path against kind's rules, then writes what render
// produces through the redactor into a temporary file renamed into place.
func writeFile(path string, kind Renderer, render func(io.Writer) error, inputs []string) error {
	if err := checkWritable(path, kind, inputs); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", path, err)
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())

	// The report passes the redactor like every other output of secgate.
	w := redact.NewWriter(tmp)
	if err := render(w); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

func checkWritable(path string, r Renderer, inputs []string) error {
	for _, in := range inputs {
		if samePath(path, in) {
			return fmt.Errorf("refusing to write the report to %s: it is an input of this run", path)
		}
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check %s before writing: %w", path, err)
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("check %s before writing: %w", path, err)
	}
	if info.IsDir() {
		return fmt.Errorf("cannot write the report to %s: it is a directory", path)
	}
	if info.Size() == 0 || isOwnReport(f, r) {
		return nil
	}
	return fmt.Errorf("refusing to overwrite %s: it exists and is not a report secgate wrote "+
		"(remove it or choose another path)", path)
}

// isOwnReport tells whether an existing file holds a report of r's kind that
// secgate wrote. Another tool's SARIF log is not one: it may be the very file
// a sarif scanner imports, and overwriting it would lose the tool's findings.
func isOwnReport(f io.Reader, r Renderer) bool {
	if _, ok := r.(JUnit); ok {
		return isOwnJUnit(f)
	}
	var doc map[string]json.RawMessage
	if err := json.NewDecoder(f).Decode(&doc); err != nil {
		return false
	}
	switch r.(type) {
	case JSON:
		_, ok := doc["secgate"]
		return ok
	case SARIF:
		return bytes.Contains(doc["version"], []byte(`"2.1.0"`)) && ownRuns(doc["runs"])
	}
	return false
}

// ownSARIFProperty is the driver property sariflog.Write gives every run.
const ownSARIFProperty = "secgate/tool"

// ownRuns reports whether every run of a SARIF log names its tool in
// secgate's driver property. A log without runs holds nothing to lose.
func ownRuns(raw json.RawMessage) bool {
	var runs []struct {
		Tool struct {
			Driver struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"driver"`
		} `json:"tool"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &runs) != nil || runs == nil {
		return false
	}
	for _, run := range runs {
		if _, ok := run.Tool.Driver.Properties[ownSARIFProperty]; !ok {
			return false
		}
	}
	return true
}

func samePath(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	absA, _ := filepath.Abs(a)
	absB, _ := filepath.Abs(b)
	return absA == absB
}
