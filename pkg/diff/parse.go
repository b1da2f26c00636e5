package diff

import (
	"fmt"
	"io"
	"strings"
)

// Parse reads the output of `git diff` (or `git log -p`, `git format-patch`,
// or a plain `diff -u`), and returns its files in order. Text outside the
// files, such as commit headers, is skipped. Non-blank text holding no file is
// an error, as is a hunk that does not match its header.
func Parse(r io.Reader) ([]File, error) {
	lr := newLineReader(r)
	var files []File
	sawText := false
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		if strings.TrimSpace(line) != "" {
			sawText = true
		}

		f, isFile, err := parseFileAt(lr, line)
		if err != nil {
			return nil, err
		}
		if isFile {
			files = append(files, f)
		}
	}

	if err := lr.failed(); err != nil {
		return nil, err
	}
	if len(files) == 0 && sawText {
		return nil, fmt.Errorf("diff has text but no file: " +
			"expected a \"diff --git\" line or a \"---\"/\"+++\" pair")
	}
	return files, nil
}

// parseFileAt parses one file if line starts one; isFile is false otherwise.
func parseFileAt(lr *lineReader, line string) (f File, isFile bool, err error) {
	switch {
	case strings.HasPrefix(line, "diff --git "):
		f, err = parseGitFile(lr, line[len("diff --git "):])
		return f, true, err
	case strings.HasPrefix(line, "diff --cc "), strings.HasPrefix(line, "diff --combined "):
		return f, false, lr.errorf("combined diff of a merge commit is not supported: " +
			"diff against one parent instead")
	case strings.HasPrefix(line, "--- "):
		next, ok := lr.peek()
		if !ok || !strings.HasPrefix(next, "+++ ") {
			return f, false, nil
		}
		f, err = parsePlainFile(lr, line)
		return f, true, err
	}
	return f, false, nil
}

// parsePlainFile parses a file of a diff without git's header, starting at
// its "---" line.
func parsePlainFile(lr *lineReader, minus string) (File, error) {
	var f File
	h := header{}
	if err := h.readFileLines(lr, minus); err != nil {
		return f, err
	}
	if strings.HasPrefix(h.minus, "a/") && strings.HasPrefix(h.plus, "b/") {
		h.minus, h.plus = h.minus[2:], h.plus[2:]
	}
	h.fill(&f)
	return f, parseHunks(lr, &f)
}

// header collects what the lines of a git file header say.
type header struct {
	gitOld, gitNew   string // from the "diff --git" line, prefixes stripped
	minus, plus      string // from "---" and "+++", prefixes stripped
	fromPath, toPath string // from "rename/copy from/to"
	hasMinus         bool
	added, deleted   bool
	renamed, copied  bool
	binary           bool
	srcPre, dstPre   string
}

// parseGitFile parses one file that starts with a "diff --git" line whose
// paths are rest.
func parseGitFile(lr *lineReader, rest string) (File, error) {
	var f File
	h := header{}
	o, n, ok := headerPaths(rest)
	if ok {
		h.srcPre, h.dstPre = prefixes(o, n)
		h.gitOld, h.gitNew = stripPrefix(o, h.srcPre), stripPrefix(n, h.dstPre)
	}

	if err := h.readExtended(lr); err != nil {
		return f, err
	}
	if !ok && h.fromPath == "" && !h.hasMinus {
		return f, lr.errorf("cannot tell the paths apart in \"diff --git %s\"", rest)
	}
	h.fill(&f)
	if f.Binary {
		return f, nil
	}
	return f, parseHunks(lr, &f)
}

// prefixes returns the source and destination prefixes a header uses: a/ and
// b/ normally, none with diff.noprefix.
func prefixes(o, n string) (string, string) {
	if strings.HasPrefix(o, "a/") && strings.HasPrefix(n, "b/") {
		return "a/", "b/"
	}
	return "", ""
}

// fill resolves the paths, preferring rename/copy lines, then ---/+++, then
// the diff --git line, which is the only ambiguous one.
func (h *header) fill(f *File) {
	f.Added, f.Deleted = h.added, h.deleted
	f.Renamed, f.Copied, f.Binary = h.renamed, h.copied, h.binary
	f.OldPath, f.NewPath = h.gitOld, h.gitNew

	if h.hasMinus {
		if h.minus == devNull {
			f.Added = true
		} else {
			f.OldPath = h.minus
		}
		if h.plus == devNull {
			f.Deleted = true
		} else {
			f.NewPath = h.plus
		}
	}
	if h.fromPath != "" {
		f.OldPath = h.fromPath
	}
	if h.toPath != "" {
		f.NewPath = h.toPath
	}
	if f.Added {
		f.OldPath = ""
	}
	if f.Deleted {
		f.NewPath = ""
	}
}
