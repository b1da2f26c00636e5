package baseline

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/normalize"
	"github.com/secgate/secgate/pkg/sariflog"
)

// Load reads a baseline SARIF file. Results secgate wrote keep the
// fingerprint stored with them, so a baseline made last month still matches
// after the code around its findings moved. Results of other tools have none:
// they are normalized against root like a fresh scan, which reads their
// flagged lines from the files as they are now.
func Load(file, root string) ([]finding.Finding, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	defer fh.Close()
	runs, err := sariflog.Read(fh, file)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}

	known := []finding.Finding{}
	var inputs []normalize.Input
	for _, run := range runs {
		var bare []finding.Finding
		for _, f := range run.Findings {
			if f.Fingerprint == "" {
				bare = append(bare, f)
				continue
			}
			f.Location.Path = cleanPath(f.Location.Path)
			known = append(known, f)
		}
		if len(bare) > 0 {
			inputs = append(inputs, normalize.Input{BaseDir: run.BaseDir, Findings: bare})
		}
	}
	if len(inputs) > 0 {
		fresh, _ := normalize.Apply(normalize.Options{Root: root}, inputs)
		known = append(known, fresh...)
	}
	return known, nil
}

// cleanPath puts a stored relative path in the normalizer's form.
func cleanPath(p string) string {
	if p == "" {
		return ""
	}
	p = path.Clean(strings.ReplaceAll(p, `\`, "/"))
	return strings.TrimPrefix(p, "./")
}
