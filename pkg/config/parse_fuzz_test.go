package config

import (
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// FuzzParse feeds Parse mutations of the repository's own policy, the
// examples and the good and bad test configs. A config is accepted or refused
// with diagnostics that name the file; never both, never neither.
func FuzzParse(f *testing.F) {
	testenv.AddSeeds(f, "testdata/good/*.yaml", "testdata/bad/*.yaml", "../../secgate.yaml",
		"../../examples/*.yaml", "../../examples/*/*.yaml")

	const file = "fuzz/secgate.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		cfg, err := Parse(data, file)
		if err != nil {
			if cfg != nil {
				t.Fatalf("config returned with error %v", err)
			}
			if !strings.Contains(err.Error(), file) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if cfg == nil {
			t.Fatalf("no config and no error")
		}
		if cfg.File != file {
			t.Fatalf("config file %q, want %q", cfg.File, file)
		}
	})
}

// FuzzParseZAPRules feeds ParseZAPRules mutations of a real rules file. Every
// problem names the file and line; every rule has an id and an action.
func FuzzParseZAPRules(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:zap/conf/*")
	f.Add([]byte("10020\tWARN\t(X-Frame-Options)\n10016\tOUTOFSCOPE\thttp://x/.*\n"))

	const file = "fuzz/zap-rules.conf"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		rules, _, problems := ParseZAPRules(data, file)
		for _, p := range problems {
			if !strings.HasPrefix(p, file+":") {
				t.Fatalf("problem does not name the file and line: %q", p)
			}
		}
		for _, r := range rules {
			if r.ID == "" || r.Action == "" {
				t.Fatalf("rule without id or action: %+v", r)
			}
		}
	})
}
