package config

import (
	"strings"
	"testing"
)

// parseCase parses yaml as secgate.yaml. With wantErr set, it checks that
// parsing fails with an error holding "secgate.yaml"+wantErr and returns nil;
// otherwise it fails the test on any error and returns the config.
func parseCase(t *testing.T, yaml, wantErr string) *Config {
	t.Helper()
	cfg, err := Parse([]byte(yaml), "secgate.yaml")
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), "secgate.yaml"+wantErr) {
			t.Fatalf("error: got %v, want one containing %q", err, wantErr)
		}
		return nil
	}
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cfg
}
