package snyk

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// parseFixture runs a parser on one shared fixture.
func parseFixture(t *testing.T, rel string, parse scanners.Parser) (*scanners.Result, error) {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return parse(f, rel)
}

// severities counts findings by severity name, as "critical:1 high:2".
func severityCounts(fs []finding.Finding) string {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Severity.String()]++
	}
	return counts(m)
}

// counts renders a map of counts in a stable order.
func counts(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", k, m[k]))
		}
	}
	return strings.Join(parts, " ")
}

// ruleIDs returns the distinct rule ids of findings.
func ruleIDs(fs []finding.Finding) map[string]bool {
	ids := map[string]bool{}
	for _, f := range fs {
		ids[f.Rule.ID] = true
	}
	return ids
}
