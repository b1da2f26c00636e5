package report

import (
	"encoding/json"
	"io"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
)

// JSONSchemaVersion is bumped whenever a field of the JSON report changes meaning.
const JSONSchemaVersion = 1

// JSON renders the decision, counts, scanner states and every finding as one
// JSON document, for scripts and dashboards.
type JSON struct{}

var _ Renderer = JSON{}

type jsonReport struct {
	// Secgate marks the document as secgate's own, which also lets secgate tell
	// its own old report from a user's file before overwriting it.
	Secgate  jsonHeader     `json:"secgate"`
	Verdict  policy.Status  `json:"verdict"`
	Summary  string         `json:"summary"`
	Reasons  []string       `json:"reasons"`
	Warnings []string       `json:"warnings"`
	Counts   map[string]int `json:"counts"`
	Blocking int            `json:"blocking"`
	Scanners []jsonScanner  `json:"scanners"`
	Findings []jsonFinding  `json:"findings"`
	Notes    []string       `json:"notes,omitempty"`
	// Fixed lists baseline findings this scan no longer reports.
	Fixed []finding.Finding `json:"fixed,omitempty"`
}

type jsonHeader struct {
	Schema  int    `json:"schema"`
	Version string `json:"version"`
	Key     string `json:"key"`
}

type jsonScanner struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	State      string `json:"state"`
	Required   bool   `json:"required"`
	Version    string `json:"version,omitempty"`
	Message    string `json:"message,omitempty"`
	Findings   int    `json:"findings"`
	DurationMS int64  `json:"duration_ms"`
	Log        string `json:"log,omitempty"`
}

type jsonFinding struct {
	finding.Finding
	Outcome       policy.Outcome `json:"outcome"`
	Reason        string         `json:"reason"`
	BaselineState string         `json:"baseline_state,omitempty"`
}

// Render implements Renderer.
func (JSON) Render(w io.Writer, d *Data) error {
	rep := jsonReport{
		Secgate:  jsonHeader{Schema: JSONSchemaVersion, Version: d.Version, Key: d.Key},
		Verdict:  d.Decision.Status,
		Summary:  Summary(d.Decision),
		Reasons:  nonNil(d.Decision.Reasons),
		Warnings: nonNil(d.Decision.Warnings),
		Counts:   map[string]int{},
		Blocking: d.Decision.Blocking,
		Scanners: []jsonScanner{},
		Findings: []jsonFinding{},
		Notes:    d.Notes,
		Fixed:    d.Fixed,
	}
	for _, s := range finding.Severities {
		rep.Counts[s.String()] = d.Decision.Counts[s]
	}
	for i := range d.Scanners {
		o := &d.Scanners[i]
		js := jsonScanner{
			Name: o.Name, Type: o.Type, State: string(o.State), Required: o.Required,
			Version: o.Detection.Version, Message: o.Message,
			DurationMS: o.Duration.Milliseconds(), Log: o.LogPath,
		}
		js.Findings = o.FindingCount()
		rep.Scanners = append(rep.Scanners, js)
	}
	for _, e := range d.Decision.Findings {
		rep.Findings = append(rep.Findings, jsonFinding{Finding: e.Finding, Outcome: e.Outcome,
			Reason: e.Reason, BaselineState: e.BaselineState})
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
