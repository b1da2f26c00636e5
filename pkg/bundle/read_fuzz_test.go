package bundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// FuzzRead feeds Read mutations of a bundle.json that Write produced. A
// bundle is written by a job that ran untrusted code, so whatever its content,
// Read returns a checked bundle or an error naming bundle.json.
func FuzzRead(f *testing.F) {
	dir := filepath.Join(f.TempDir(), "seed")
	d := sampleData()
	pr := PR{Repository: "octo/shop", Number: 7, HeadSHA: head}
	if err := Write(dir, FromData(d, pr, "secgate.yaml", ""), d); err != nil {
		f.Fatalf("Write: %v", err)
	}
	seed, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"secgate_bundle":1,"verdict":"passed","pr":{"number":1}}`))

	// One directory per fuzzing process, rewritten for each input: a
	// temporary directory per input would cost more than the read.
	dir = f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		if err := os.WriteFile(filepath.Join(dir, MetaFile), data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, sarif, err := Read(dir)
		if err != nil {
			if b != nil || sarif != nil {
				t.Fatalf("bundle returned with error %v", err)
			}
			if !strings.Contains(err.Error(), MetaFile) {
				t.Fatalf("error does not name %s: %v", MetaFile, err)
			}
			return
		}
		if b == nil {
			t.Fatalf("no bundle and no error")
		}
		for i, fd := range b.Findings {
			if fd.Tool == "" || fd.Rule.ID == "" {
				t.Fatalf("findings[%d] without tool or rule id: tool %q rule %q",
					i, fd.Tool, fd.Rule.ID)
			}
		}
	})
}
