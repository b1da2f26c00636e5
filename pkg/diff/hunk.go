package diff

import (
	"fmt"
	"strconv"
	"strings"
)

// maxLineNumber bounds the numbers of a hunk header so that arithmetic on
// them can never overflow, whatever the input.
const maxLineNumber = 1 << 40

// parseHunks reads every hunk that follows a file header.
func parseHunks(lr *lineReader, f *File) error {
	for {
		line, ok := lr.next()
		if !ok {
			return nil
		}
		if !strings.HasPrefix(line, "@@ ") {
			lr.back(line)
			return nil
		}

		h, err := parseHunkHeader(line)
		if err != nil {
			return lr.errorf("%v", err)
		}
		if err := checkOrder(f.Hunks, h); err != nil {
			return lr.errorf("%v", err)
		}
		if err := readHunkBody(lr, &h); err != nil {
			return err
		}
		f.Hunks = append(f.Hunks, h)
	}
}

// parseHunkHeader reads "@@ -OldStart[,OldLines] +NewStart[,NewLines] @@",
// where a missing count means 1.
func parseHunkHeader(line string) (Hunk, error) {
	var h Hunk
	bad := fmt.Errorf("malformed hunk header %q: expected \"@@ -l,s +l,s @@\"", trimCR(line))
	fields := strings.SplitN(line, " ", 4)
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "@@") {
		return h, bad
	}
	if !strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return h, bad
	}

	var ok1, ok2 bool
	h.OldStart, h.OldLines, ok1 = parseRange(fields[1][1:])
	h.NewStart, h.NewLines, ok2 = parseRange(fields[2][1:])
	if !ok1 || !ok2 {
		return h, bad
	}
	return h, nil
}

// parseRange reads "start[,count]".
func parseRange(s string) (start, count int, ok bool) {
	count = 1
	a, b, hasCount := strings.Cut(s, ",")
	start, err := strconv.Atoi(a)
	if err != nil || start < 0 || start > maxLineNumber || a[0] == '+' {
		return 0, 0, false
	}
	if hasCount {
		count, err = strconv.Atoi(b)
		if err != nil || count < 0 || count > maxLineNumber || b[0] == '+' {
			return 0, 0, false
		}
	}
	return start, count, true
}

// checkOrder rejects a hunk that starts before the previous one ends: git
// never writes one, and the line lookups rely on hunks being in order.
func checkOrder(prev []Hunk, h Hunk) error {
	if len(prev) == 0 {
		return nil
	}
	p := prev[len(prev)-1]
	if h.NewStart < p.NewStart+p.NewLines || h.OldStart < p.OldStart+p.OldLines {
		return fmt.Errorf("hunk -%d +%d overlaps or precedes the hunk before it",
			h.OldStart, h.NewStart)
	}
	return nil
}

// readHunkBody reads exactly the lines the header announces. An empty line
// counts as a blank context line: some tools strip the single space git
// writes there.
func readHunkBody(lr *lineReader, h *Hunk) error {
	oldLeft, newLeft := h.OldLines, h.NewLines
	oldNo, newNo := h.OldStart, h.NewStart
	for oldLeft > 0 || newLeft > 0 {
		line, ok := lr.next()
		if !ok {
			return lr.errorf("diff ends inside a hunk: %d old and %d new lines missing",
				oldLeft, newLeft)
		}
		kind := byte(' ')
		if line != "" {
			kind = line[0]
		}

		switch {
		case kind == '\\':
			continue
		case kind == ' ' && oldLeft > 0 && newLeft > 0:
			h.Lines = append(h.Lines, Line{Kind: ' ', Old: oldNo, New: newNo})
			oldNo, newNo, oldLeft, newLeft = oldNo+1, newNo+1, oldLeft-1, newLeft-1
		case kind == '-' && oldLeft > 0:
			h.Lines = append(h.Lines, Line{Kind: '-', Old: oldNo})
			oldNo, oldLeft = oldNo+1, oldLeft-1
		case kind == '+' && newLeft > 0:
			h.Lines = append(h.Lines, Line{Kind: '+', New: newNo})
			newNo, newLeft = newNo+1, newLeft-1
		default:
			return lr.errorf("unexpected line in hunk (%d old and %d new lines still due): %q",
				oldLeft, newLeft, clip(line))
		}
	}

	skipNoNewline(lr)
	return nil
}

// skipNoNewline consumes a "\ No newline at end of file" after the last line.
func skipNoNewline(lr *lineReader) {
	if line, ok := lr.peek(); ok && strings.HasPrefix(line, `\`) {
		lr.next()
	}
}

// clip shortens a line quoted in an error.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// ParsePatch reads the patch GitHub's list-files endpoint gives for one file:
// hunks without any file header. path names the file (GitHub's filename);
// the caller sets Renamed, OldPath and Binary from the entry's status. An
// empty patch gives a file with no hunks. A patch of one hunk from line 0
// marks the file added (-0,0) or deleted (+0,0).
func ParsePatch(path, patch string) (File, error) {
	f := File{OldPath: path, NewPath: path}
	lr := newLineReader(strings.NewReader(patch))
	for {
		line, ok := lr.peek()
		if !ok || strings.TrimSpace(line) != "" {
			break
		}
		lr.next()
	}
	if line, ok := lr.next(); ok {
		if !strings.HasPrefix(line, "@@ ") {
			err := lr.errorf("expected a hunk header \"@@ ...\", got %q", clip(line))
			return f, fmt.Errorf("patch for %s: %w", path, err)
		}
		lr.back(line)
	}

	if err := parseHunks(lr, &f); err != nil {
		return f, fmt.Errorf("patch for %s: %w", path, err)
	}
	for line, ok := lr.next(); ok; line, ok = lr.next() {
		if strings.TrimSpace(line) != "" {
			err := lr.errorf("unexpected line after the hunks: %q", clip(line))
			return f, fmt.Errorf("patch for %s: %w", path, err)
		}
	}
	markWhole(&f)
	return f, nil
}

// markWhole sets Added or Deleted for a patch that is one hunk from nothing
// or to nothing.
func markWhole(f *File) {
	if len(f.Hunks) != 1 {
		return
	}
	h := f.Hunks[0]
	switch {
	case h.OldStart == 0 && h.OldLines == 0 && h.NewLines > 0:
		f.Added, f.OldPath = true, ""
	case h.NewStart == 0 && h.NewLines == 0 && h.OldLines > 0:
		f.Deleted, f.NewPath = true, ""
	}
}
