package normalize

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/secgate/secgate/pkg/finding"
)

// compareFindings is the output order: tool, path, line, column, rule, message,
// then the rest of the location, so that no two distinct keys tie.
func compareFindings(a, b *finding.Finding) int {
	la, lb := &a.Location, &b.Location
	return cmp.Or(
		cmp.Compare(a.Tool, b.Tool),
		cmp.Compare(la.Path, lb.Path),
		cmp.Compare(la.StartLine, lb.StartLine),
		cmp.Compare(la.StartColumn, lb.StartColumn),
		cmp.Compare(a.Rule.ID, b.Rule.ID),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(la.EndLine, lb.EndLine),
		cmp.Compare(la.EndColumn, lb.EndColumn),
		cmp.Compare(la.Logical, lb.Logical),
	)
}

func sortItems(items []*item) {
	slices.SortStableFunc(items, func(a, b *item) int { return compareFindings(&a.f, &b.f) })
}

// mergeByKey folds findings with the same finding.Key into the first of them.
// items must be sorted, so the survivor does not depend on the input order.
func mergeByKey(items []*item) []*item {
	first := make(map[string]*item, len(items))
	out := items[:0]
	for _, it := range items {
		k := it.f.Key()
		if dst, ok := first[k]; ok {
			absorb(&dst.f, &it.f)
			continue
		}
		first[k] = it
		out = append(out, it)
	}
	return out
}

// mergeAcrossTools folds a finding into an earlier one with the same rule id,
// path and start line that came from other tools, such as one Semgrep scan
// imported both from its JSON and from SARIF. Two findings of one tool are
// never folded here: on one line they may be two real occurrences. It returns
// how many findings of each tool were folded into each other tool's.
// Dependency findings whose rule ids differ but name the same advisory (a CVE
// and its GHSA) are mergeAdvisories' case.
func mergeAcrossTools(items []*item) ([]*item, map[[2]string]int) {
	groups := make(map[string][]*item)
	merged := make(map[[2]string]int)
	out := items[:0]
	for _, it := range items {
		l := &it.f.Location
		if it.f.Rule.ID == "" || l.Path == "" || l.StartLine <= 0 {
			out = append(out, it)
			continue
		}

		k := it.f.Rule.ID + "\x00" + l.Path + "\x00" + strconv.Itoa(l.StartLine)
		if dst := otherTools(groups[k], it.f.Tools); dst != nil {
			merged[[2]string{it.f.Tool, dst.f.Tool}]++
			absorb(&dst.f, &it.f)
			continue
		}
		groups[k] = append(groups[k], it)
		out = append(out, it)
	}
	return out, merged
}

// otherTools returns the first finding in group that no tool in tools reported.
func otherTools(group []*item, tools []string) *item {
	for _, g := range group {
		if !slices.ContainsFunc(tools, func(t string) bool {
			_, found := slices.BinarySearch(g.f.Tools, t)
			return found
		}) {
			return g
		}
	}
	return nil
}

// absorb folds src into dst: the higher severity, every tool, and whatever dst
// lacks. dst keeps its tool, rule id, message and place.
func absorb(dst, src *finding.Finding) {
	if src.Severity > dst.Severity {
		dst.Severity, dst.ToolSeverity = src.Severity, src.ToolSeverity
	}
	dst.Tools = union(dst.Tools, src.Tools)
	dst.Rule.CWE = union(dst.Rule.CWE, src.Rule.CWE)
	dst.Rule.Tags = union(dst.Rule.Tags, src.Rule.Tags)
	dst.Rule.Security = dst.Rule.Security || src.Rule.Security
	fill(&dst.Rule.Name, src.Rule.Name)
	fill(&dst.Rule.Description, src.Rule.Description)
	fill(&dst.Rule.HelpURI, src.Rule.HelpURI)
	fill(&dst.Fix, src.Fix)
	fill(&dst.Snippet, src.Snippet)
	fill(&dst.ToolVersion, src.ToolVersion)

	fillInt(&dst.Location.StartColumn, src.Location.StartColumn)
	fillInt(&dst.Location.EndLine, src.Location.EndLine)
	fillInt(&dst.Location.EndColumn, src.Location.EndColumn)
	if dst.Package == nil {
		dst.Package = src.Package
	}
	for _, s := range src.Suppressions {
		if !slices.Contains(dst.Suppressions, s) {
			dst.Suppressions = append(slices.Clip(dst.Suppressions), s)
		}
	}
}

func fill(dst *string, src string) {
	if *dst == "" {
		*dst = src
	}
}

func fillInt(dst *int, src int) {
	if *dst == 0 {
		*dst = src
	}
}

// union returns the sorted set of a and b in a new slice, so that no input
// finding's slice is changed; nil when both are empty.
func union(a, b []string) []string {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// mergeNotes says, per pair of tools, how many findings were folded together
// and what they had in common.
func mergeNotes(merged map[[2]string]int, same string) []Note {
	var notes []Note
	for pair, n := range merged {
		notes = append(notes, Note{Tool: pair[0], Message: fmt.Sprintf(
			"%d finding(s) with the same %s as findings of %s were merged into them",
			n, same, pair[1])})
	}
	return notes
}
