package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/redact"
	"github.com/secgate/secgate/pkg/report"
)

// FromData builds a bundle from a gate's result.
func FromData(d *report.Data, pr PR, configPath, runURL string) *Bundle {
	dec := d.Decision
	b := &Bundle{
		Schema: Schema, Version: d.Version, Key: d.Key, Config: configPath, PR: pr,
		RunURL: runURL, Verdict: dec.Status, Reasons: dec.Reasons, Warnings: dec.Warnings,
		Counts: map[string]int{}, Blocking: dec.Blocking, Notes: d.Notes, Fixed: d.Fixed,
		Scanners: []Scanner{}, Findings: []Finding{},
	}
	for _, s := range finding.Severities {
		b.Counts[s.String()] = dec.Counts[s]
	}
	for _, o := range d.Scanners {
		b.Scanners = append(b.Scanners, Scanner{Name: o.Name, Type: o.Type,
			State: string(o.State), Required: o.Required, Message: o.Message})
	}
	for _, e := range dec.Findings {
		b.Findings = append(b.Findings, Finding{Finding: e.Finding, Outcome: e.Outcome,
			Reason: e.Reason, BaselineState: e.BaselineState})
	}
	return b
}

// Write puts the bundle and the SARIF log of d into dir, creating it. It
// refuses a directory that holds files other than a bundle's.
func Write(dir string, b *Bundle, d *report.Data) error {
	if err := checkDir(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create the bundle directory: %w", err)
	}
	meta, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the bundle: %w", err)
	}
	if err := writeAtomic(filepath.Join(dir, MetaFile), append(meta, '\n')); err != nil {
		return err
	}
	var sarif bytes.Buffer
	if err := (report.SARIF{}).Render(&sarif, d); err != nil {
		return fmt.Errorf("write the bundle's SARIF log: %w", err)
	}
	return writeAtomic(filepath.Join(dir, SARIFFile), sarif.Bytes())
}

// checkDir refuses to write into a directory that holds anything but an
// earlier bundle: the path may be mistyped, and nothing a user wrote is
// overwritten.
func checkDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bundle directory %s: %w", dir, err)
	}
	for _, e := range entries {
		if n := e.Name(); n != MetaFile && n != SARIFFile {
			return fmt.Errorf("refusing to write a bundle into %s: it holds %s, which is "+
				"not part of a bundle (choose an empty or new directory)", dir, n)
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	// The bundle is uploaded as an artifact: it passes the redactor like
	// every other output.
	if _, err := tmp.WriteString(redact.Values(string(data))); err != nil {
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
