// Package bundle writes and reads a result bundle: a gate's evaluated
// findings, its SARIF log and the pull request it is about, in one
// directory. A pull request from a fork is scanned in a job whose token
// cannot write; that job leaves a bundle as an artifact, and a privileged
// job publishes it without ever running code from the pull request.
//
// A bundle is written by a job that ran the pull request's code, so its
// reader treats every field as untrusted: sizes are bounded, values are
// checked, and the repository, commit and pull request it names are
// confirmed against the trusted side before anything is posted.
package bundle

import (
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
)

// File names inside a bundle directory.
const (
	MetaFile  = "bundle.json"
	SARIFFile = "secgate.sarif"
)

// Schema is the bundle format version; a reader refuses any other.
const Schema = 1

// Limits on what a reader accepts.
const (
	maxMetaBytes  = 64 << 20
	maxSARIFBytes = 256 << 20
)

// PR is the change a bundle is about, as the scanning job saw it.
type PR struct {
	Repository string `json:"repository"`
	Number     int    `json:"number"`
	HeadSHA    string `json:"head_sha"`
	BaseSHA    string `json:"base_sha,omitempty"`
	HeadRef    string `json:"head_ref,omitempty"`
	BaseRef    string `json:"base_ref,omitempty"`
}

// Bundle is the content of bundle.json.
type Bundle struct {
	Schema  int    `json:"secgate_bundle"`
	Version string `json:"version"`
	Key     string `json:"key"`
	// Config is the config file's path relative to the repository root.
	Config string `json:"config,omitempty"`
	PR     PR     `json:"pr"`
	RunURL string `json:"run_url,omitempty"`

	Verdict  policy.Status  `json:"verdict"`
	Reasons  []string       `json:"reasons"`
	Warnings []string       `json:"warnings"`
	Counts   map[string]int `json:"counts"`
	Blocking int            `json:"blocking"`
	Scanners []Scanner      `json:"scanners"`
	Findings []Finding      `json:"findings"`
	// Fixed are baseline findings the scan no longer reports.
	Fixed []finding.Finding `json:"fixed,omitempty"`
	Notes []string          `json:"notes,omitempty"`
}

// Scanner is how one scanner ran.
type Scanner struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	State    string `json:"state"`
	Required bool   `json:"required"`
	Message  string `json:"message,omitempty"`
}

// Finding is a finding with the policy's outcome.
type Finding struct {
	finding.Finding
	Outcome       policy.Outcome `json:"outcome"`
	Reason        string         `json:"reason"`
	BaselineState string         `json:"baseline_state,omitempty"`
}
