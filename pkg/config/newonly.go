package config

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// DiffScope says which findings of a change count as the change's own when
// new-only gating compares against the change's diff.
type DiffScope string

// The diff scopes.
const (
	// ScopeAdded counts findings on lines the change adds.
	ScopeAdded DiffScope = "added"
	// ScopeContext also counts the unchanged lines shown around them (the
	// hunks of the diff), where a change often moves the flagged code.
	ScopeContext DiffScope = "context"
	// ScopeFile counts every finding in a file the change touches.
	ScopeFile DiffScope = "file"
	// ScopeAll puts no diff restriction: only a baseline tells old from new.
	ScopeAll DiffScope = "all"
)

// DefaultDiffScope is the scope when the config names none.
const DefaultDiffScope = ScopeAdded

// DiffScopes lists the scopes in the order the docs give them.
var DiffScopes = []DiffScope{ScopeAdded, ScopeContext, ScopeFile, ScopeAll}

// ParseDiffScope reads a scope name, for the --diff-scope flag.
func ParseDiffScope(s string) (DiffScope, bool) {
	v := DiffScope(strings.ToLower(strings.TrimSpace(s)))
	return v, slices.Contains(DiffScopes, v)
}

// NewOnly holds the new_only, diff_scope, baseline and base_scan settings.
type NewOnly struct {
	// Enabled makes a finding block only when the change introduces it;
	// findings that existed before are reported with the outcome warn.
	Enabled bool
	// Scope is which part of the diff counts as the change.
	Scope DiffScope
	// Baseline is a SARIF file of known findings (secgate baseline create).
	Baseline string
	// BaseScan scans the files of the merge base with the same scanners to
	// tell old findings from new, instead of trusting line positions alone.
	BaseScan bool
}

func decodeNewOnly(d *decoder, n *yaml.Node, cfg *Config) {
	if v, ok := d.boolean(n, "new_only"); ok {
		cfg.NewOnly.Enabled = v
	}
}

func decodeDiffScope(d *decoder, n *yaml.Node, cfg *Config) {
	s, ok := d.text(n, "diff_scope", "a diff scope (added, context, file or all)")
	if !ok {
		return
	}
	scope, ok := ParseDiffScope(s)
	if !ok {
		d.errorf(n, "diff_scope: unknown scope %q (want added, context, file or all)", s)
		return
	}
	cfg.NewOnly.Scope = scope
}

func decodeBaseline(d *decoder, n *yaml.Node, cfg *Config) {
	setStr(d, n, "baseline", &cfg.NewOnly.Baseline)
}

func decodeBaseScan(d *decoder, n *yaml.Node, cfg *Config) {
	if v, ok := d.boolean(n, "base_scan"); ok {
		cfg.NewOnly.BaseScan = v
	}
}
