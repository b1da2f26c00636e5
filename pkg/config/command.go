package config

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// commandField reads the settings only the command scanner has.
func (d *decoder) commandField(f field, at string, s *Scanner) bool {
	var ok bool
	switch f.key {
	case "format":
		s.Format, ok = d.nonEmpty(f.value, at)
		s.Format = strings.ToLower(strings.TrimSpace(s.Format))
	case "dir":
		s.Dir, ok = d.nonEmpty(f.value, at)
		if ok {
			ok = d.insideRepo(f.value, at, s.Dir)
		}
	}
	return ok
}

// insideRepo refuses a directory that is absolute or climbs out of the
// repository. Symbolic links are checked again when the scanner runs, since
// only then does the directory exist for certain.
func (d *decoder) insideRepo(n *yaml.Node, at, dir string) bool {
	slash := strings.ReplaceAll(dir, `\`, "/")
	clean := path.Clean(slash)
	if path.IsAbs(slash) || (len(slash) > 1 && slash[1] == ':') {
		d.errorf(n, "%s: %q must be relative to the repository root", at, dir)
		return false
	}
	if clean == ".." || strings.HasPrefix(clean, "../") {
		d.errorf(n, "%s: %q leads outside the repository", at, dir)
		return false
	}
	return true
}

// checkCommand requires the program and the format of its report: without
// the format secgate would have to guess, and a guess is how a report that
// says nothing passes for a clean one.
func (d *decoder) checkCommand(at *yaml.Node, path string, fields []field, s Scanner) bool {
	ok := true
	if len(s.Command) == 0 && !hasAny(fields, "command") {
		d.errorf(at, "%s: a command scanner needs command: the program and its arguments, "+
			"as a list", path)
		ok = false
	}
	if s.Format == "" && !hasAny(fields, "format") {
		d.errorf(at, "%s: a command scanner needs format: sarif, or the name of a format "+
			"secgate convert reads", path)
		ok = false
	}
	return ok
}
