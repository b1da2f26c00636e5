// Package report renders one gate result in every format secgate writes: the
// terminal table, JSON and SARIF. Every renderer reads the same Data, so the
// formats cannot disagree about what was found or decided.
package report

import (
	"io"
	"sort"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/scan"
	"github.com/secgate/secgate/scanners"
)

// Data is everything a report shows.
type Data struct {
	// Key is the gate's name from the config.
	Key string
	// Version is secgate's own version.
	Version string
	// Root is the absolute repository root that paths are relative to.
	Root string

	Decision *policy.Decision
	Scanners []scan.Outcome
	// Notes are facts from normalization worth showing (a path outside the root).
	Notes []string
	// Fixed are the findings of a baseline that this scan no longer reports
	// (baselineState absent); nil when nothing was compared with a baseline.
	Fixed []finding.Finding
}

// Renderer writes one format.
type Renderer interface {
	Render(w io.Writer, d *Data) error
}

// Tools returns every tool that ran or that findings name, keyed by tool name,
// with what the scanners told about themselves. Tools seen only in findings
// (an imported SARIF file) get their name alone.
func (d *Data) Tools() map[string]scanners.ToolInfo {
	tools := make(map[string]scanners.ToolInfo)
	for _, o := range d.Scanners {
		if o.Result == nil {
			continue
		}
		for _, t := range append([]scanners.ToolInfo{o.Result.Tool}, o.Result.Tools...) {
			if t.Name != "" {
				tools[t.Name] = t
			}
		}
	}
	if d.Decision != nil {
		for _, e := range d.Decision.Findings {
			if _, ok := tools[e.Finding.Tool]; !ok {
				tools[e.Finding.Tool] = scanners.ToolInfo{Name: e.Finding.Tool}
			}
		}
	}
	return tools
}

// toolNames returns the keys of Tools in order.
func toolNames(tools map[string]scanners.ToolInfo) []string {
	names := make([]string, 0, len(tools))
	for n := range tools {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
