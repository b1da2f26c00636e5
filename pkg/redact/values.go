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
// the number of values per byte written: values are found by one matcher,
// and the held-back prefix by binary search.
var registry struct {
	sync.Mutex
	values map[string]bool

	// Built from values when first needed after a change.
	stale   bool
	matcher *matcher
}

// Register adds values to withhold from everything secgate writes, in every
// form an output may escape them to (see variants). Values shorter than
// MinValueLen, and surrounding white space, are ignored.
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
		for _, form := range variants(v) {
			if len(form) >= MinValueLen {
				registry.values[form] = true
			}
		}
		registry.stale = true
	}
}

// compiled returns the matcher, rebuilding it after a change. The caller
// holds the lock.
func compiled() *matcher {
	if registry.stale {
		registry.matcher = newMatcher(slices.Collect(maps.Keys(registry.values)))
		registry.stale = false
	}
	return registry.matcher
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
	return compiled().replace(s)
}

// Reset forgets every registered value; for tests.
func Reset() {
	registry.Lock()
	defer registry.Unlock()
	registry.values = nil
	registry.stale, registry.matcher = false, nil
}

// holdBack returns how many bytes at the end of s could be the start of a
// registered value, which a writer must keep until more text arrives.
func holdBack(s string) int {
	registry.Lock()
	defer registry.Unlock()

	if len(registry.values) == 0 {
		return 0
	}
	return compiled().heldBack(s)
}
