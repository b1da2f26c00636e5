package redact

import (
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
var registry struct {
	sync.RWMutex
	values []string // longest first, so a value containing another goes whole
	maxLen int
}

// Register adds values to withhold from everything secgate writes. Values
// shorter than MinValueLen, and surrounding white space, are ignored.
func Register(values ...string) {
	registry.Lock()
	defer registry.Unlock()

	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < MinValueLen || slices.Contains(registry.values, v) {
			continue
		}
		registry.values = append(registry.values, v)
		registry.maxLen = max(registry.maxLen, len(v))
	}
	slices.SortStableFunc(registry.values, func(a, b string) int { return len(b) - len(a) })
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
	registry.RLock()
	defer registry.RUnlock()

	for _, v := range registry.values {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return s
}

// Reset forgets every registered value; for tests.
func Reset() {
	registry.Lock()
	defer registry.Unlock()
	registry.values, registry.maxLen = nil, 0
}

// holdBack returns how many bytes at the end of s could be the start of a
// registered value, which a writer must keep until more text arrives.
func holdBack(s string) int {
	registry.RLock()
	defer registry.RUnlock()

	longest := 0
	for _, v := range registry.values {
		for n := min(len(v)-1, len(s)); n > longest; n-- {
			if strings.HasSuffix(s, v[:n]) {
				longest = n
				break
			}
		}
	}
	return longest
}
