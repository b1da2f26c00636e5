package normalize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/redact"
)

// Bounds on what the normalizer reads for snippets.
const (
	// MaxSnippetLines is how many flagged lines a snippet holds at most.
	MaxSnippetLines = 20
	// MaxSnippetBytes bounds a snippet after white space is folded.
	MaxSnippetBytes = 4 << 10
	// MaxFileBytes is the largest file read for snippets; bigger files get none.
	MaxFileBytes = 10 << 20
)

// binarySniff is how much of a file is searched for a NUL byte, as git does, to
// tell binary from text.
const binarySniff = 8000

// errTooLarge stops the default reader before it reads a file over MaxFileBytes.
var errTooLarge = errors.New("larger than the snippet file limit")

// sourceFile is one file read for snippets. skip says why it gives none; a quiet
// skip (the file is not in this checkout) is not worth a note.
type sourceFile struct {
	data   []byte
	starts []int // byte offset where each line starts
	skip   string
	quiet  bool
}

// snippets reads files for their flagged lines.
type snippets struct {
	res      *resolver
	readFile func(string) ([]byte, error)
}

// isSecret reports whether a finding's flagged text is likely a credential, so
// that no snippet is read or kept; redact.IsSecret is the one definition.
func isSecret(f *finding.Finding) bool { return redact.IsSecret(f) }

// snippet returns the folded text of the lines l flags, "" when the file has
// fewer lines than that (it changed since the scan, or the tool miscounted).
func (src *sourceFile) snippet(l finding.Location) string {
	if l.StartLine <= 0 || l.StartLine > len(src.starts) {
		return ""
	}

	end := max(l.EndLine, l.StartLine)
	end = min(end, l.StartLine+MaxSnippetLines-1, len(src.starts))
	stop := len(src.data)
	if end < len(src.starts) {
		stop = src.starts[end]
	}
	return fold(src.data[src.starts[l.StartLine-1]:stop], MaxSnippetBytes)
}

// read reads one file for snippets, or says in skip why it gives none.
func (s *snippets) read(rel string) *sourceFile {
	p, err := s.readablePath(rel)
	if err != nil {
		return &sourceFile{skip: err.Error()}
	}

	data, err := s.readFile(p)
	switch {
	case err != nil && isNotExist(err):
		return &sourceFile{skip: "not in this checkout", quiet: true}
	case errors.Is(err, errTooLarge), len(data) > MaxFileBytes:
		return &sourceFile{skip: fmt.Sprintf("%s is larger than %d bytes", rel, MaxFileBytes)}
	case err != nil:
		return &sourceFile{skip: fmt.Sprintf("read %s: %v", rel, err)}
	case bytes.IndexByte(data[:min(len(data), binarySniff)], 0) >= 0:
		return &sourceFile{skip: fmt.Sprintf("%s is binary", rel)}
	}
	return &sourceFile{data: data, starts: lineStarts(data)}
}

// readablePath resolves symlinks and checks again that the file is in the root,
// so that nothing outside it is ever read. A file missing on disk keeps its
// lexical path: the resolver already checked its existing parents.
func (s *snippets) readablePath(rel string) (string, error) {
	p := filepath.Join(s.res.rootOS, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(p)
	switch {
	case err != nil && isNotExist(err):
		return p, nil
	case err != nil:
		return "", fmt.Errorf("resolve %s: %w", rel, err)
	case s.res.realRoot == "" || !inside(s.res.realRoot, real):
		return "", fmt.Errorf("%s resolves outside the repository", rel)
	}
	return real, nil
}

// readCapped is the default ReadFile: it refuses what is not a regular file or is
// over MaxFileBytes before reading it all.
func readCapped(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > MaxFileBytes {
		return nil, errTooLarge
	}
	return io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
}

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	if len(data) == 0 {
		return nil
	}
	return starts
}

// fold joins runs of white space, line breaks included, into one space and trims
// the ends, stopping once the result reaches limit bytes (on a rune boundary).
// Invalid UTF-8 becomes U+FFFD so that reports can print the snippet.
func fold(b []byte, limit int) string {
	var out strings.Builder
	space := false
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		if unicode.IsSpace(r) {
			space = out.Len() > 0
			continue
		}

		if space {
			if out.Len()+1 > limit {
				break
			}
			out.WriteByte(' ')
			space = false
		}
		if out.Len()+utf8.RuneLen(r) > limit {
			break
		}
		out.WriteRune(r)
	}
	return out.String()
}
