package baseline

import (
	"sort"

	"github.com/secgate/secgate/pkg/finding"
)

// matcher pairs the scan's findings with known ones. Each known finding is
// used once, so two identical findings where the baseline had one leave one
// of them new.
type matcher struct {
	byFingerprint map[string][]int
	// byPlace indexes known findings by tool, rule, path and message, for a
	// file renamed by the change: its fingerprints changed with its path.
	byPlace map[string][]int
	known   []finding.Finding
	used    []bool
}

func newMatcher(known []finding.Finding, tools map[string]bool) *matcher {
	m := &matcher{byFingerprint: map[string][]int{}, byPlace: map[string][]int{}}
	for _, k := range known {
		if tools != nil && !tools[k.Tool] {
			continue
		}
		i := len(m.known)
		m.known = append(m.known, k)
		if k.Fingerprint != "" {
			m.byFingerprint[k.Fingerprint] = append(m.byFingerprint[k.Fingerprint], i)
		}
		pk := placeKey(&k, k.Location.Path)
		m.byPlace[pk] = append(m.byPlace[pk], i)
	}
	m.used = make([]bool, len(m.known))
	return m
}

func placeKey(f *finding.Finding, path string) string {
	return f.Tool + "\x00" + f.Rule.ID + "\x00" + path + "\x00" + f.Message
}

// match finds f among the known findings, by fingerprint first, then, when
// the change renamed f's file, by rule and message under the old path.
func (m *matcher) match(f *finding.Finding, ref Reference) (verdict, bool) {
	if i, ok := m.take(m.byFingerprint[f.Fingerprint]); ok && f.Fingerprint != "" {
		k := &m.known[i]
		if k.Severity != f.Severity || k.Message != f.Message {
			return verdict{StateUpdated, "in " + ref.KnownFrom + " with another severity " +
				"or message"}, true
		}
		return verdict{StateUnchanged, "in " + ref.KnownFrom}, true
	}
	if ref.Changes == nil || !f.Location.HasFile() {
		return verdict{}, false
	}
	old, renamed := ref.Changes.RenamedFrom(f.Location.Path)
	if !renamed {
		return verdict{}, false
	}
	if _, ok := m.take(m.byPlace[placeKey(f, old)]); ok {
		return verdict{StateUpdated, "in " + ref.KnownFrom + " as " + old +
			", which the change renamed"}, true
	}
	return verdict{}, false
}

// take marks the first unused index of idx used.
func (m *matcher) take(idx []int) (int, bool) {
	for _, i := range idx {
		if !m.used[i] {
			m.used[i] = true
			return i, true
		}
	}
	return 0, false
}

// unmatched returns the known findings nothing matched, in a stable order.
func (m *matcher) unmatched() []finding.Finding {
	var out []finding.Finding
	for i, k := range m.known {
		if !m.used[i] {
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a].Location, out[b].Location
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		return x.StartLine < y.StartLine
	})
	return out
}
