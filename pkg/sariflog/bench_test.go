package sariflog

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

// benchLog is a log of 5 tools with n results in all, 400 rules each, and
// messages of about 300 characters, in the shape secgate writes.
func benchLog(n int) Log {
	msg := strings.Repeat("tainted input reaches a query ", 10)
	log := Log{Root: "/src"}
	for t := range 5 {
		run := OutRun{Tool: Tool{Name: fmt.Sprintf("tool%d", t), Version: "1.0"}, Successful: true}
		for i := range n / 5 {
			f := finding.Finding{
				Tool:     run.Tool.Name,
				Rule:     finding.Rule{ID: fmt.Sprintf("R%03d", i%400), Security: true},
				Severity: finding.Severity(i % 5),
				Message:  msg,
				Location: finding.Location{Path: fmt.Sprintf("src/m%d/f%d.go", i%50, i%900),
					StartLine: i%400 + 1, StartColumn: 3, EndLine: i%400 + 1, EndColumn: 40},
				Fingerprint: fmt.Sprintf("%032x", i),
			}
			run.Results = append(run.Results, Result{Finding: &f, Outcome: OutcomeWarn})
		}
		log.Runs = append(log.Runs, run)
	}
	return log
}

func BenchmarkWrite(b *testing.B) {
	log := benchLog(20000)
	var size int64
	b.ReportAllocs()
	for b.Loop() {
		cw := &countingWriter{}
		if err := Write(cw, log); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.SetBytes(size)
}

func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, benchLog(20000)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		runs, err := Read(bytes.NewReader(data), "bench.sarif")
		if err != nil || len(runs) != 5 || len(runs[0].Findings) != 4000 {
			b.Fatalf("read: %v", err)
		}
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
