package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// MaxFuzzInput is the largest input a fuzz target of secgate feeds its parser.
// The parsers accept far larger files; the cap keeps each fuzz execution fast
// and makes a target's memory use bounded by construction, so that growth the
// parser does not bound shows up as a failure rather than as a slow run.
const MaxFuzzInput = 1 << 20

// maxSeed is the largest part of a file used as a seed. Larger fixtures are
// cut to this size: a truncated report is a case worth mutating too, and big
// seeds make every mutation slow.
const maxSeed = 64 << 10

// AddSeeds adds to f the contents of every file matching the patterns. A
// pattern starting with "fixtures:" is a glob under FixturesDir, any other one
// a glob relative to the test's package directory (its testdata). It fails the
// target when the patterns match nothing, since an unseeded target mostly
// mutates noise.
func AddSeeds(f *testing.F, patterns ...string) {
	f.Helper()
	n := 0
	for _, pattern := range patterns {
		for _, p := range seedFiles(f, pattern) {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatalf("seed: %v", err)
			}
			f.Add(data[:min(len(data), maxSeed)])
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files match %q", patterns)
	}
}

func seedFiles(f *testing.F, pattern string) []string {
	f.Helper()
	const prefix = "fixtures:"
	if len(pattern) > len(prefix) && pattern[:len(prefix)] == prefix {
		pattern = filepath.Join(FixturesDir(f), filepath.FromSlash(pattern[len(prefix):]))
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		f.Fatalf("seed pattern %q: %v", pattern, err)
	}
	return matches
}
