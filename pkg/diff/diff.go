// Package diff reads unified diffs, as `git diff` prints them or as GitHub's
// list-files endpoint returns them per file, into files, hunks and line
// numbers, so that findings can be placed on the lines a change touches.
//
// The parser is strict where a silent mistake would hide findings: text that
// is not empty but holds no file is an error, never "nothing changed", and a
// hunk whose line counts do not match its body is an error naming the line.
package diff

import "sort"

// File is one file of a diff.
type File struct {
	// OldPath is the path before the change and NewPath the path after it,
	// repository-relative, unquoted, without the a/ and b/ prefixes. OldPath is
	// empty for an added file and NewPath for a deleted one.
	OldPath, NewPath string

	Added, Deleted, Renamed bool

	// Copied marks a file git reports as a copy of OldPath.
	Copied bool

	// Binary marks a file whose content git did not diff: it changed, but no
	// line of it can carry a comment.
	Binary bool

	Hunks []Hunk
}

// Hunk is one @@ block. OldStart/OldLines and NewStart/NewLines are the
// numbers of its header; Lines holds every body line in order.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// Line is one body line of a hunk. Kind is '+', '-' or ' '. Old is its line
// number in the old file (0 for an added line), New in the new file (0 for a
// removed line).
type Line struct {
	Kind     byte
	Old, New int
}

// Path returns the path the file has after the change, or the path it had if
// the change deletes it.
func (f *File) Path() string {
	if f.NewPath != "" {
		return f.NewPath
	}
	return f.OldPath
}

// CommentableRight reports whether line of the new file is inside a hunk: an
// added line or a context line. Those are the only lines GitHub accepts a
// review comment on for the RIGHT side.
func (f *File) CommentableRight(line int) bool {
	return f.hunkAt(line) >= 0
}

// SameHunk reports whether the new-file range start..end lies inside a single
// hunk, which a multi-line review comment requires.
func (f *File) SameHunk(start, end int) bool {
	if start > end {
		return false
	}
	i := f.hunkAt(start)
	return i >= 0 && i == f.hunkAt(end)
}

// AddedLine reports whether line of the new file is one the change adds.
func (f *File) AddedLine(line int) bool {
	i := f.hunkAt(line)
	if i < 0 {
		return false
	}
	for _, l := range f.Hunks[i].Lines {
		if l.New == line {
			return l.Kind == '+'
		}
	}
	return false
}

// AddedLines returns the new-file numbers of every added line, in order.
func (f *File) AddedLines() []int {
	var out []int
	for _, h := range f.Hunks {
		for _, l := range h.Lines {
			if l.Kind == '+' {
				out = append(out, l.New)
			}
		}
	}
	return out
}

// hunkAt returns the index of the hunk whose new-side range holds line, or
// -1. New-side lines of a hunk are numbered without gaps from NewStart, so
// the range alone answers; hunks come sorted, so a binary search finds it.
func (f *File) hunkAt(line int) int {
	if line < 1 {
		return -1
	}
	i := sort.Search(len(f.Hunks), func(i int) bool {
		h := f.Hunks[i]
		return h.NewStart+h.NewLines > line
	})
	if i == len(f.Hunks) {
		return -1
	}
	h := f.Hunks[i]
	if h.NewLines > 0 && h.NewStart <= line {
		return i
	}
	return -1
}
