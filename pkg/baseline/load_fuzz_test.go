package baseline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// FuzzLoad feeds Load baselines mutated from real SARIF logs. A baseline that
// does not read is an error naming the file, never an empty baseline (which
// would make every finding look new, or with new-only, every old one fixed).
func FuzzLoad(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:sarif/sarif/*.sarif", "fixtures:semgrep/sarif/*.sarif",
		"../sariflog/testdata/golden/*.sarif")

	root := f.TempDir()
	if err := os.WriteFile(filepath.Join(root, "app.py"), []byte("print(1)\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	// One file per fuzzing process, rewritten for each input: a temporary
	// directory per input would cost more than the parse.
	file := filepath.Join(f.TempDir(), "baseline.sarif")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		known, err := Load(file, root)
		if err != nil {
			if known != nil {
				t.Fatalf("findings returned with error %v", err)
			}
			if !strings.Contains(err.Error(), file) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if known == nil {
			t.Fatalf("no findings and no error")
		}
		for _, fd := range known {
			if fd.Tool == "" || fd.Rule.ID == "" {
				t.Fatalf("finding without tool or rule id: tool %q rule %q", fd.Tool, fd.Rule.ID)
			}
			if strings.HasPrefix(fd.Location.Path, "../") || filepath.IsAbs(fd.Location.Path) {
				t.Fatalf("baseline path escapes the root: %q", fd.Location.Path)
			}
		}
	})
}
