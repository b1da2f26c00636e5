package diff

import "strings"

// readExtended consumes the extended header lines that follow "diff --git",
// up to the first hunk, the next file or anything it does not know.
func (h *header) readExtended(lr *lineReader) error {
	for {
		line, ok := lr.next()
		if !ok {
			return nil
		}
		done, err := h.extendedLine(lr, trimCR(line))
		if err != nil || done {
			return err
		}
	}
}

// extendedLine applies one header line. done is true once the header is over;
// a line that belongs to what follows has then been pushed back.
func (h *header) extendedLine(lr *lineReader, line string) (done bool, err error) {
	keyword := func(k string) (string, bool) {
		if strings.HasPrefix(line, k) {
			return line[len(k):], true
		}
		return "", false
	}

	if v, ok := keyword("rename from "); ok {
		h.renamed = true
		h.fromPath, err = h.namedPath(lr, v)
		return false, err
	}
	if v, ok := keyword("rename to "); ok {
		h.renamed = true
		h.toPath, err = h.namedPath(lr, v)
		return false, err
	}
	if v, ok := keyword("copy from "); ok {
		h.copied = true
		h.fromPath, err = h.namedPath(lr, v)
		return false, err
	}
	if v, ok := keyword("copy to "); ok {
		h.copied = true
		h.toPath, err = h.namedPath(lr, v)
		return false, err
	}
	return h.otherLine(lr, line)
}

// otherLine handles the header lines that carry no path of their own.
func (h *header) otherLine(lr *lineReader, line string) (bool, error) {
	switch {
	case strings.HasPrefix(line, "new file mode "):
		h.added = true
	case strings.HasPrefix(line, "deleted file mode "):
		h.deleted = true
	case strings.HasPrefix(line, "old mode "), strings.HasPrefix(line, "new mode "),
		strings.HasPrefix(line, "similarity index "),
		strings.HasPrefix(line, "dissimilarity index "),
		strings.HasPrefix(line, "index "):
	case strings.HasPrefix(line, "Binary files "):
		h.binary = true
		return true, nil
	case line == "GIT binary patch":
		h.binary = true
		skipBinaryPatch(lr)
		return true, nil
	case strings.HasPrefix(line, "--- "):
		return true, h.readFileLines(lr, line)
	default:
		lr.back(line)
		return true, nil
	}
	return false, nil
}

// namedPath decodes the path of a rename or copy line; those carry no prefix.
func (h *header) namedPath(lr *lineReader, v string) (string, error) {
	p, err := fileLinePath(v)
	if err != nil {
		return "", lr.errorf("%v: %s", err, v)
	}
	return p, nil
}

// readFileLines reads the paths of a "---" line, already consumed, and of the
// "+++" line that must follow it.
func (h *header) readFileLines(lr *lineReader, minus string) error {
	plus, ok := lr.next()
	if !ok || !strings.HasPrefix(plus, "+++ ") {
		return lr.errorf("expected a \"+++\" line after %q", minus)
	}

	m, err := fileLinePath(minus[len("--- "):])
	if err != nil {
		return lr.errorf("%v: %s", err, minus)
	}
	p, err := fileLinePath(plus[len("+++ "):])
	if err != nil {
		return lr.errorf("%v: %s", err, plus)
	}
	h.minus, h.plus = stripPrefix(m, h.srcPre), stripPrefix(p, h.dstPre)
	h.hasMinus = true
	return nil
}

// skipBinaryPatch consumes the base85 data of a `git diff --binary` file,
// which runs until the next file.
func skipBinaryPatch(lr *lineReader) {
	for {
		line, ok := lr.next()
		if !ok {
			return
		}
		if strings.HasPrefix(line, "diff ") {
			lr.back(line)
			return
		}
	}
}
