package redact

import (
	"maps"
	"slices"
	"strings"
	"sync"
)

// MinValueLen is the shortest value Register accepts: a shorter one would
// match ordinary text everywhere and say nothing about the secret anyway.
const MinValueLen = 6

// TokenVars are the environment variables whose values are always secret:
// the tokens secgate itself or its scanners are given in CI.
var TokenVars = []string{
	"GITHUB_TOKEN", "GH_TOKEN", "SECGATE_GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SNYK_TOKEN", "ZAP_API_KEY",
}

// registry is process-wide on purpose: a secret learnt anywhere (a token at
// start, a value a secret finding quotes) must be withheld from every writer,
// including ones created before it was learnt.
//
// A secret scanner can report thousands of values, so nothing here may cost
// the number of values per byte written: values are matched by one
// strings.Replacer, and the held-back prefix is found by binary search.
var registry struct {
	sync.Mutex
	values map[string]bool
	maxLen int

	// Built from values when first needed after a change.
	stale    bool
	replacer *strings.Replacer
	sorted   []string // ascending, to find values by prefix
}

// Register adds values to withhold from everything secgate writes. Values
// shorter than MinValueLen, and surrounding white space, are ignored.
func Register(values ...string) {
	registry.Lock()
	defer registry.Unlock()

	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < MinValueLen || registry.values[v] {
			continue
		}
		if registry.values == nil {
			registry.values = map[string]bool{}
		}
		registry.values[v] = true
		registry.maxLen = max(registry.maxLen, len(v))
		registry.stale = true
	}
}

// compiled returns the replacer and the sorted values, rebuilding them after
// a change. The caller holds the lock.
func compiled() (*strings.Replacer, []string) {
	if !registry.stale {
		return registry.replacer, registry.sorted
	}
	registry.sorted = slices.Sorted(maps.Keys(registry.values))

	// Longest first: where two values start at the same place, the longer
	// one goes whole.
	byLen := slices.Clone(registry.sorted)
	slices.SortStableFunc(byLen, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(byLen))
	for _, v := range byLen {
		pairs = append(pairs, v, Redacted)
	}
	registry.replacer = strings.NewReplacer(pairs...)
	registry.stale = false
	return registry.replacer, registry.sorted
}

// RegisterEnv registers the values of the named environment variables, as
// getenv returns them.
func RegisterEnv(getenv func(string) string, names ...string) {
	for _, n := range names {
		Register(getenv(n))
	}
}

// Values replaces every registered value in s with Redacted.
func Values(s string) string {
	registry.Lock()
	defer registry.Unlock()

	if len(registry.values) == 0 {
		return s
	}
	r, _ := compiled()
	return r.Replace(s)
}

// Reset forgets every registered value; for tests.
func Reset() {
	registry.Lock()
	defer registry.Unlock()
	registry.values, registry.maxLen = nil, 0
	registry.stale, registry.replacer, registry.sorted = false, nil, nil
}

// holdBack returns how many bytes at the end of s could be the start of a
// registered value, which a writer must keep until more text arrives.
func holdBack(s string) int {
	registry.Lock()
	defer registry.Unlock()

	if len(registry.values) == 0 {
		return 0
	}
	_, sorted := compiled()
	// The longest suffix that begins some value; a value itself would have
	// been replaced already, so only shorter suffixes count.
	for n := min(registry.maxLen-1, len(s)); n > 0; n-- {
		tail := s[len(s)-n:]
		i, found := slices.BinarySearch(sorted, tail)
		if found {
			i++ // tail is a whole value; a longer one may start with it
		}
		if i < len(sorted) && strings.HasPrefix(sorted[i], tail) {
			return n
		}
	}
	return 0
}
