package config

import "gopkg.in/yaml.v3"

// decodeSecrets reads `secrets: [NAME, ...]`: environment variables whose
// values secgate withholds from everything it writes, on top of the tokens
// it always withholds (redact.TokenVars).
func decodeSecrets(d *decoder, n *yaml.Node, cfg *Config) {
	names, ok := d.strList(n, "secrets")
	if !ok {
		return
	}
	for i, name := range names {
		if !envName.MatchString(name) {
			d.errorf(n.Content[i], "secrets[%d]: expected an environment variable name "+
				"(letters, digits, _), got %q", i, name)
			continue
		}
		cfg.Secrets = append(cfg.Secrets, name)
	}
}

// decodeAllowInline reads allow_inline_suppressions: whether a suppression
// written in the code under review (nosemgrep and the like) may hide a
// finding. Off by default, so that a change cannot silence its own findings.
func decodeAllowInline(d *decoder, n *yaml.Node, cfg *Config) {
	if v, ok := d.boolean(n, "allow_inline_suppressions"); ok {
		cfg.AllowInlineSuppressions = v
	}
}

// SecretVars returns every environment variable this config says holds a
// secret: the secrets: list and each ZAP scanner's api_key_env.
func (c *Config) SecretVars() []string {
	names := append([]string(nil), c.Secrets...)
	for _, s := range c.Scanners {
		if s.ZAP.APIKeyEnv != "" {
			names = append(names, s.ZAP.APIKeyEnv)
		}
	}
	return names
}
