package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/report"
)

// Read loads the bundle in dir and its SARIF log (nil when absent). Any
// problem is an error naming the file and what was expected.
func Read(dir string) (*Bundle, []byte, error) {
	metaPath := filepath.Join(dir, MetaFile)
	data, err := readCapped(metaPath, maxMetaBytes)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Bundle
	if err := dec.Decode(&b); err != nil {
		return nil, nil, fmt.Errorf("%s: not a secgate bundle: %w", metaPath, err)
	}
	if err := b.check(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", metaPath, err)
	}

	sarif, err := readCapped(filepath.Join(dir, SARIFFile), maxSARIFBytes)
	if errors.Is(err, os.ErrNotExist) {
		return &b, nil, nil
	}
	return &b, sarif, err
}

func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read the bundle: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes; refusing it", path, limit)
	}
	return data, nil
}

var outcomes = map[policy.Outcome]bool{policy.OutcomeFail: true, policy.OutcomeWarn: true,
	policy.OutcomeIgnore: true, policy.OutcomeSuppressed: true}

// check refuses values no secgate would write.
func (b *Bundle) check() error {
	switch {
	case b.Schema != Schema:
		return fmt.Errorf("bundle format %d, want %d (publish with the secgate version "+
			"that scanned)", b.Schema, Schema)
	case b.Verdict != policy.StatusPassed && b.Verdict != policy.StatusBlocked &&
		b.Verdict != policy.StatusError:
		return fmt.Errorf("verdict %q is not passed, blocked or error", b.Verdict)
	case b.PR.Number < 0:
		return fmt.Errorf("pr.number %d is negative", b.PR.Number)
	case b.PR.HeadSHA != "" && !IsSHA(b.PR.HeadSHA):
		return fmt.Errorf("pr.head_sha %q is not a commit id", b.PR.HeadSHA)
	}
	for i, f := range b.Findings {
		if !outcomes[f.Outcome] {
			return fmt.Errorf("findings[%d].outcome %q is not fail, warn, ignore or suppressed",
				i, f.Outcome)
		}
		// Every finding secgate writes names its tool and rule; one that does
		// not would be reported and matched against baselines as nothing.
		if f.Tool == "" || f.Rule.ID == "" {
			return fmt.Errorf("findings[%d] has no tool or no rule.id", i)
		}
	}
	return nil
}

// IsSHA reports whether s is a full SHA-1 or SHA-256 commit id.
func IsSHA(s string) bool {
	return (len(s) == 40 || len(s) == 64) &&
		strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// FindingsOnly returns the findings without outcomes, for a trusted config
// to evaluate again.
func (b *Bundle) FindingsOnly() []finding.Finding {
	out := make([]finding.Finding, len(b.Findings))
	for i, f := range b.Findings {
		out[i] = f.Finding
	}
	return out
}

// ScannerOutcomes returns how the scanners ran, for the policy.
func (b *Bundle) ScannerOutcomes() []policy.ScannerOutcome {
	out := make([]policy.ScannerOutcome, len(b.Scanners))
	for i, s := range b.Scanners {
		out[i] = policy.ScannerOutcome{Name: s.Name, Required: s.Required, State: s.State,
			Message: s.Message}
	}
	return out
}

// Data rebuilds the report data with the bundle's own decision.
func (b *Bundle) Data() *report.Data {
	dec := &policy.Decision{Status: b.Verdict, Reasons: b.Reasons, Warnings: b.Warnings,
		Blocking: b.Blocking, Counts: map[finding.Severity]int{}}
	for _, s := range finding.Severities {
		dec.Counts[s] = b.Counts[s.String()]
	}
	for _, f := range b.Findings {
		dec.Findings = append(dec.Findings, policy.Evaluated{Finding: f.Finding,
			Outcome: f.Outcome, Reason: f.Reason, BaselineState: f.BaselineState})
	}
	return &report.Data{Key: b.Key, Version: b.Version, Decision: dec, Notes: b.Notes,
		Fixed: b.Fixed}
}

// Baseline gives the policy the new/unchanged states the scanning job
// found, so that a trusted config evaluated again keeps new_only working;
// nil when the bundle has none.
func (b *Bundle) Baseline() policy.Baseline {
	states := map[string]string{}
	for _, f := range b.Findings {
		if f.BaselineState != "" && f.Fingerprint != "" {
			states[f.Fingerprint] = f.BaselineState
		}
	}
	if len(states) == 0 {
		return nil
	}
	return bundleStates(states)
}

type bundleStates map[string]string

func (s bundleStates) State(f *finding.Finding) (string, string) {
	if st, ok := s[f.Fingerprint]; ok {
		return st, "as the scanning job compared it"
	}
	return "new", "not compared by the scanning job"
}
