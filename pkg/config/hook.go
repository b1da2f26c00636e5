package config

import (
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
)

// DefaultHookTimeout is the pre-push hook's time budget when the config sets none.
const DefaultHookTimeout = 60 * time.Second

// Hook configures the local pre-push hook.
type Hook struct {
	// Scanners names the configured scanners the hook runs: a fast local
	// subset. Empty means every configured scanner.
	Scanners []string
	// Timeout is the hook's whole budget; what has not finished by then is
	// reported as not finished instead of holding the push.
	Timeout time.Duration
	// RequireScanners makes a hook scanner that is not installed (or fails)
	// block the push; by default it is reported and the push goes on, since
	// CI gates again.
	RequireScanners bool
	Pos             Pos
}

func decodeHook(d *decoder, n *yaml.Node, cfg *Config) {
	fields, ok := d.mapping(n, "hook")
	if !ok {
		return
	}
	if r := d.resolve(n); r != nil {
		cfg.Hook.Pos = Pos{Line: r.Line, Column: r.Column}
	}
	for _, f := range d.checkKeys(fields, "hook", []string{"scanners", "timeout",
		"require_scanners"}) {
		switch f.key {
		case "scanners":
			cfg.Hook.Scanners, _ = d.strList(f.value, "hook.scanners")
		case "timeout":
			if v, ok := d.duration(f.value, "hook.timeout"); ok {
				d.positive(f.value, "hook.timeout", v, &cfg.Hook.Timeout)
			}
		case "require_scanners":
			cfg.Hook.RequireScanners, _ = d.boolean(f.value, "hook.require_scanners")
		}
	}
}

// positive stores a duration that must be above zero.
func (d *decoder) positive(n *yaml.Node, path string, v time.Duration, dst *time.Duration) {
	if v <= 0 {
		d.errorf(n, "%s: must be more than zero", path)
		return
	}
	*dst = v
}

// HookScanners returns the scanners the hook runs, in config order, or an
// error naming a hook.scanners entry that no scanner has.
func (c *Config) HookScanners() ([]Scanner, error) {
	if len(c.Hook.Scanners) == 0 {
		return c.Scanners, nil
	}
	var out []Scanner
	for _, name := range c.Hook.Scanners {
		found := false
		for _, s := range c.Scanners {
			if s.Name == name {
				out, found = append(out, s), true
			}
		}
		if !found {
			return nil, fmt.Errorf("%s:%d: hook.scanners names %q, which is not a "+
				"configured scanner", c.File, c.Hook.Pos.Line, name)
		}
	}
	return out, nil
}
