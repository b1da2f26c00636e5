// Package lock pins the scanner binaries a gate runs: secgate.lock records,
// for each configured scanner that runs a program, the program's resolved
// path, its version and the SHA-256 of its file, and Verify refuses a
// program whose file no longer has that sum. It pins the file that is
// executed, nothing it loads: an interpreter's script (semgrep's entry
// point) is pinned, the modules it imports are not.
package lock

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// FormatVersion is the version of the lock file format this package writes.
const FormatVersion = 1

// DefaultPath is where secgate lock writes and secgate scan reads the lock.
const DefaultPath = "secgate.lock"

// File is a lock file.
type File struct {
	Version  int     `json:"version"`
	Scanners []Entry `json:"scanners"`
}

// Entry pins the program of one configured scanner.
type Entry struct {
	// Scanner is the scanner's name in the config.
	Scanner string `json:"scanner"`
	// Type is the scanner's adapter type ("semgrep", "command").
	Type string `json:"type"`
	// Path is the program as resolved when the lock was made, symlinks
	// followed.
	Path string `json:"path"`
	// Version is what the tool said its version was, when it says.
	Version string `json:"version,omitempty"`
	// SHA256 is the hex SHA-256 of the program's file.
	SHA256 string `json:"sha256"`
}

// Find returns the entry of the named scanner.
func (f *File) Find(scanner string) (Entry, bool) {
	i := slices.IndexFunc(f.Scanners, func(e Entry) bool { return e.Scanner == scanner })
	if i < 0 {
		return Entry{}, false
	}
	return f.Scanners[i], true
}

// Read loads a lock file. A file that does not exist is os.ErrNotExist
// (wrapped), so callers can tell "no lock" from "a bad lock".
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return Parse(data, path)
}

// Parse reads a lock file's content; name is for messages.
func Parse(data []byte, path string) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a secgate lock file: %w", path, err)
	}
	if f.Version != FormatVersion {
		return nil, fmt.Errorf("%s: lock format version %d, this secgate reads %d",
			path, f.Version, FormatVersion)
	}
	for i, e := range f.Scanners {
		if e.Scanner == "" || len(e.SHA256) != sha256.Size*2 {
			return nil, fmt.Errorf("%s: scanners[%d]: expected a scanner name and a "+
				"64-digit sha256", path, i)
		}
	}
	return &f, nil
}

// Write stores f at path, replacing it whole.
func Write(path string, f *File) error {
	f.Version = FormatVersion
	slices.SortFunc(f.Scanners, func(a, b Entry) int { return strings.Compare(a.Scanner, b.Scanner) })
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

// Resolve returns the file a program path names, symlinks followed, and
// whether it is a regular file that can be pinned. A scanner whose "path"
// is a URL (a ZAP daemon) or that runs inside secgate has nothing to pin.
func Resolve(path string) (string, bool) {
	if path == "" || !filepath.IsAbs(path) {
		return "", false
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", false
	}
	info, err := os.Stat(real)
	if err != nil || !info.Mode().IsRegular() {
		return "", false
	}
	return real, true
}

// Sum returns the hex SHA-256 of the file at path.
func Sum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()

	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ErrUnpinned is a scanner program that the lock does not vouch for.
var ErrUnpinned = errors.New("scanner binary is not the pinned one")

// Verify checks the program of scanner against the lock: it must have an
// entry, and its file must have the recorded sum. The error names the
// scanner, the program, and the expected and the found sums.
func (f *File) Verify(scanner, program string) error {
	real, ok := Resolve(program)
	if !ok {
		return nil
	}
	found, err := Sum(real)
	if err != nil {
		return fmt.Errorf("scanner %s: %w", scanner, err)
	}
	e, ok := f.Find(scanner)
	if !ok {
		return fmt.Errorf("%w: scanner %s runs %s (sha256 %s), which secgate.lock does not "+
			"list; run secgate lock to pin it", ErrUnpinned, scanner, real, found)
	}
	if found != e.SHA256 {
		return fmt.Errorf("%w: scanner %s runs %s with sha256 %s, but secgate.lock expects %s "+
			"(pinned from %s, version %s); run secgate lock again if the change is intended",
			ErrUnpinned, scanner, real, found, e.SHA256, e.Path, orUnknown(e.Version))
	}
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
