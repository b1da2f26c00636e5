package redact

import (
	"io"
	"sync"
)

// Writer passes text through to an io.Writer with every registered value
// replaced. A value split across two writes is still caught: the end of a
// write that could begin a value is held until the next write or Flush.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	pending string
}

// NewWriter returns a redacting Writer over w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write redacts p and writes what is certain not to be part of a secret. It
// reports len(p) written when the underlying write succeeds, since callers
// count what they handed over, not what reached the file.
func (rw *Writer) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()

	text := Values(rw.pending + string(p))
	keep := holdBack(text)
	rw.pending = text[len(text)-keep:]
	if _, err := io.WriteString(rw.w, text[:len(text)-keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what was held back. Call it before closing the underlying
// writer; held text is at most one value's length.
func (rw *Writer) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()

	text := Values(rw.pending)
	rw.pending = ""
	_, err := io.WriteString(rw.w, text)
	return err
}
