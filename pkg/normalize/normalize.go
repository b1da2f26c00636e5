// Package normalize turns what the scanner adapters reported into secgate's
// normalized findings: every path relative to the repository root with forward
// slashes, the flagged lines read as a snippet, the tool's severity words mapped
// by the config, duplicates merged, a fingerprint on every finding that survives
// line shifts, and one deterministic order.
package normalize

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// Options configures Apply.
type Options struct {
	// Root is the absolute repository root. Nothing outside it is ever read.
	Root string

	// SeverityMap is config.Config.SeverityMap: tool, then the tool's own
	// severity word in lowercase, to the severity that replaces the adapter's.
	SeverityMap map[string]map[string]finding.Severity

	// ReadFile reads a file for snippets, given its absolute OS path after
	// symlinks are resolved; nil reads the disk. Tests inject a map.
	ReadFile func(path string) ([]byte, error)
}

// Input is one scanner result.
type Input struct {
	// BaseDir is the absolute directory that relative paths in Findings are
	// relative to; "" means Options.Root.
	BaseDir  string
	Findings []finding.Finding
}

// Note is something Apply changed or dropped that is worth telling the user,
// such as a location outside the repository.
type Note struct {
	Tool    string
	Message string
}

// item is a finding on its way through Apply. outside holds the location a tool
// gave when it was refused for lying outside the repository.
type item struct {
	f       finding.Finding
	outside string
}

// Apply normalizes the findings of every input and returns them in output order
// (tool, path, line, column, rule, message), with notes in a stable order. It
// never fails: a location it cannot place becomes a logical location, and a file
// it cannot read gives no snippet.
//
// Apply clears each input's Findings once it has copied them, so that on a
// large scan the findings as reported can be collected while it works.
func Apply(opts Options, inputs []Input) ([]finding.Finding, []Note) {
	a := &applier{opts: opts, noted: make(map[Note]bool)}
	res, err := newResolver(opts.Root)
	if err != nil {
		a.note("secgate", err.Error()+"; no location was kept as a file and no file was read")
	}
	a.res = res

	items := a.collect(inputs)
	for i := range inputs {
		inputs[i].Findings = nil
	}
	sortItems(items)
	items = mergeByKey(items)
	items, merged := mergeAcrossTools(items)
	for _, n := range mergeNotes(merged, "rule, file and line") {
		a.note(n.Tool, n.Message)
	}
	items, merged = mergeAdvisories(items)
	for _, n := range mergeNotes(merged, "advisory on the same package and version") {
		a.note(n.Tool, n.Message)
	}

	sortItems(items)
	a.addSnippets(items)
	fingerprintAll(items)

	out := make([]finding.Finding, len(items))
	for i, it := range items {
		out[i] = it.f
		items[i] = nil // each copied item can go at once
	}
	return out, a.sortedNotes()
}

type applier struct {
	opts  Options
	res   *resolver // nil when Root is unusable
	notes []Note
	noted map[Note]bool
}

// collect copies every finding, places its path and maps its severity.
func (a *applier) collect(inputs []Input) []*item {
	var n int
	for _, in := range inputs {
		n += len(in.Findings)
	}

	items := make([]*item, 0, n)
	for _, in := range inputs {
		for _, f := range in.Findings {
			it := &item{f: f}
			it.f.Tools = union(f.Tools, []string{f.Tool})
			a.place(it, in.BaseDir)
			a.mapSeverity(&it.f)
			items = append(items, it)
		}
	}
	return items
}

// place rewrites the path relative to the root. A location that cannot be
// placed loses its path and is kept, as the tool wrote it, as the logical
// location; a logical location the tool gave as well wins, and the note then
// carries the refused text. The lines stay, so two places in one outside file
// remain two findings.
func (a *applier) place(it *item, baseDir string) {
	orig := it.f.Location.Path
	if orig == "" {
		return
	}

	if a.res != nil {
		rel, err := a.res.rel(baseDir, orig)
		if err == nil {
			it.f.Location.Path = rel
			return
		}
		a.note(it.f.Tool, err.Error()+"; kept as a logical location, no file read")
		if errors.Is(err, ErrOutside) {
			it.outside = outsideText(orig)
		}
	}

	it.f.Location.Path = ""
	if it.f.Location.Logical == "" {
		it.f.Location.Logical = orig
	}
}

// outsideText is the refused location as a slash path, for its last element.
func outsideText(orig string) string {
	if p, err := slashPath(orig, true); err == nil {
		return strings.TrimRight(p, "/")
	}
	return orig
}

func (a *applier) mapSeverity(f *finding.Finding) {
	words := a.opts.SeverityMap[strings.ToLower(f.Tool)]
	if s, ok := words[strings.ToLower(strings.TrimSpace(f.ToolSeverity))]; ok && f.ToolSeverity != "" {
		f.Severity = s
	}
}

// addSnippets reads the flagged lines of findings that have none, and clears the
// snippet of any finding whose flagged text is likely a secret. Findings are
// grouped by file so that each file is read once and released before the next.
func (a *applier) addSnippets(items []*item) {
	byFile := make(map[string][]*item)
	for _, it := range items {
		f := &it.f
		switch {
		case isSecret(f):
			withholdSecret(f)
		case f.Snippet != "":
			f.Snippet = fold([]byte(f.Snippet), MaxSnippetBytes)
		case a.res != nil && f.Location.Path != "" && f.Location.StartLine > 0:
			byFile[f.Location.Path] = append(byFile[f.Location.Path], it)
		}
	}

	read := a.opts.ReadFile
	if read == nil {
		read = readCapped
	}
	s := &snippets{res: a.res, readFile: read}
	for _, rel := range slices.Sorted(maps.Keys(byFile)) {
		group := byFile[rel]
		src := s.read(rel)
		if src.skip != "" {
			if !src.quiet {
				a.note(group[0].f.Tool, "no snippet: "+src.skip+
					"; fingerprints fall back to the package or the message")
			}
			continue
		}
		for _, it := range group {
			it.f.Snippet = src.snippet(it.f.Location)
		}
	}
}

func (a *applier) note(tool, msg string) {
	n := Note{Tool: tool, Message: msg}
	if a.noted[n] {
		return
	}
	a.noted[n] = true
	a.notes = append(a.notes, n)
}

func (a *applier) sortedNotes() []Note {
	slices.SortStableFunc(a.notes, func(x, y Note) int {
		return cmp.Or(cmp.Compare(x.Tool, y.Tool), cmp.Compare(x.Message, y.Message))
	})
	return a.notes
}

// String formats a note for a log line.
func (n Note) String() string { return fmt.Sprintf("%s: %s", n.Tool, n.Message) }
