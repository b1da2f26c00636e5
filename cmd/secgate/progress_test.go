package main

import (
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/iostreams"
	"github.com/secgate/secgate/pkg/scan"
)

// TestProgressPrinter: off the terminal the run stays quiet unless -v; the
// lines are plain, one per event. (Streams from iostreams.Test are never a
// terminal, so the terminal case is the -v one here.)
func TestProgressPrinter(t *testing.T) {
	tests := []struct {
		name    string
		verbose bool
		want    string
	}{
		{"quiet in a log", false, ""},
		{"verbose", true, "running semgrep\nsemgrep: ok in 1.23s\nsbom: empty in 0s\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streams, _, errOut := iostreams.Test()
			f := &factory{IO: streams, Verbose: tt.verbose}
			p := progressPrinter(f)
			if p == nil {
				if tt.want != "" {
					t.Fatal("no progress printer, want one")
				}
				return
			}
			p("semgrep", "", 0)
			p("semgrep", scan.StateOK, 1234*time.Millisecond)
			p("sbom", scan.StateEmpty, 0)
			if got := errOut.String(); got != tt.want {
				t.Errorf("progress: got %q, want %q", got, tt.want)
			}
		})
	}
}
