package baseline

import (
	"fmt"
	"sort"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/diff"
	"github.com/secgate/secgate/pkg/finding"
)

// Changes is what a change did to each file, built from one or more diffs.
type Changes struct {
	files   map[string]*fileChange // by path after the change
	deleted map[string]bool
	// renamedFrom maps a path after the change to the path before it.
	renamedFrom map[string]string
	// Notes say what the diff held that limits what it can tell: binary files,
	// deletions, pure renames.
	Notes []string
}

type fileChange struct {
	diffs []diff.File
	// whole marks a file whose lines cannot be told apart (binary): every
	// finding in it counts as the change's.
	whole bool
	// edited is false for a pure rename or mode change: the content is the
	// same as before under another name.
	edited bool
}

// maxRegion bounds how many lines of one finding's region are checked.
const maxRegion = 10_000

// FromDiff builds Changes from parsed diffs; several diffs (one per pushed
// ref) are merged.
func FromDiff(diffs ...[]diff.File) *Changes {
	c := &Changes{files: map[string]*fileChange{}, deleted: map[string]bool{},
		renamedFrom: map[string]string{}}
	for _, files := range diffs {
		for _, f := range files {
			c.add(f)
		}
	}
	c.notes()
	return c
}

func (c *Changes) add(f diff.File) {
	if f.Deleted {
		c.deleted[f.OldPath] = true
		return
	}
	fc := c.files[f.NewPath]
	if fc == nil {
		fc = &fileChange{}
		c.files[f.NewPath] = fc
	}
	fc.diffs = append(fc.diffs, f)
	fc.whole = fc.whole || f.Binary
	fc.edited = fc.edited || f.Binary || len(f.Hunks) > 0 || f.Added
	if f.Renamed && f.OldPath != "" && f.OldPath != f.NewPath {
		c.renamedFrom[f.NewPath] = f.OldPath
	}
}

// notes summarizes what the diff cannot show line by line.
func (c *Changes) notes() {
	var binary, pure []string
	for p, fc := range c.files {
		if fc.whole {
			binary = append(binary, p)
		}
		if !fc.edited && c.renamedFrom[p] != "" {
			pure = append(pure, p)
		}
	}
	sort.Strings(binary)
	sort.Strings(pure)
	if len(binary) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d binary file(s) changed (%s): "+
			"a finding anywhere in them counts as new", len(binary), listed(binary)))
	}
	if len(pure) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d file(s) only renamed (%s): "+
			"their findings count as existing", len(pure), listed(pure)))
	}
	if n := len(c.deleted); n > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d file(s) deleted: nothing in them "+
			"can be new", n))
	}
}

func listed(paths []string) string {
	if len(paths) > 3 {
		return fmt.Sprintf("%s, %s, %s and %d more", paths[0], paths[1], paths[2], len(paths)-3)
	}
	s := ""
	for i, p := range paths {
		if i > 0 {
			s += ", "
		}
		s += p
	}
	return s
}

// Touched reports whether the change adds or edits path (not a pure rename).
func (c *Changes) Touched(path string) bool {
	fc := c.files[path]
	return fc != nil && fc.edited
}

// Paths returns every path the change adds or edits, sorted.
func (c *Changes) Paths() []string {
	var out []string
	for p, fc := range c.files {
		if fc.edited {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// RenamedFrom returns the path a file had before the change, if renamed.
func (c *Changes) RenamedFrom(path string) (string, bool) {
	p, ok := c.renamedFrom[path]
	return p, ok
}

// InScope tells whether a finding lies in the part of the change that scope
// names, and why, in words for the report.
func (c *Changes) InScope(f *finding.Finding, scope config.DiffScope) (bool, string) {
	l := f.Location
	switch {
	case scope == config.ScopeAll:
		return true, "diff_scope is all"
	case !l.HasFile():
		return true, "it has no file, so the diff cannot place it"
	}
	fc := c.files[l.Path]
	switch {
	case fc == nil || !fc.edited:
		return false, l.Path + " is not changed by the change"
	case fc.whole:
		return true, l.Path + " is a binary file the change touches"
	case scope == config.ScopeFile:
		return true, l.Path + " is changed"
	case l.StartLine <= 0:
		return true, l.Path + " is changed and the finding has no line"
	}
	return c.linesInScope(fc, l, scope)
}

func (c *Changes) linesInScope(fc *fileChange, l finding.Location,
	scope config.DiffScope) (bool, string) {
	// A region is checked line by line; a runaway end line is capped.
	end := min(max(l.EndLine, l.StartLine), l.StartLine+maxRegion)
	for _, d := range fc.diffs {
		for line := l.StartLine; line <= end; line++ {
			if scope == config.ScopeAdded && d.AddedLine(line) {
				return true, fmt.Sprintf("%s:%d is a line the change adds", l.Path, line)
			}
			if scope == config.ScopeContext && d.CommentableRight(line) {
				return true, fmt.Sprintf("%s:%d is in a hunk of the change", l.Path, line)
			}
		}
	}
	what := "an added line"
	if scope == config.ScopeContext {
		what = "in a hunk"
	}
	return false, fmt.Sprintf("%s:%d is not %s (diff_scope %s)", l.Path, l.StartLine, what, scope)
}
