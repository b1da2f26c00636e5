package ci

import (
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// FuzzDetectPayload feeds Detect, as on GitHub Actions, mutations of real
// event payloads. A payload is accepted or refused with an error naming the
// payload file; an accepted one never yields a negative pull request number.
func FuzzDetectPayload(f *testing.F) {
	testenv.AddSeeds(f, "testdata/*.json")

	const path = "/fuzz/event.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		env := Env{
			Getenv: func(k string) string {
				return map[string]string{
					"GITHUB_ACTIONS":    "true",
					"GITHUB_REPOSITORY": "octo/shop",
					"GITHUB_EVENT_NAME": "pull_request",
					"GITHUB_EVENT_PATH": path,
					"GITHUB_SHA":        strings.Repeat("a", 40),
				}[k]
			},
			ReadFile: func(string) ([]byte, error) { return data, nil },
		}
		c, err := Detect(env)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the payload: %v", err)
			}
			return
		}
		if c.Provider != ProviderActions {
			t.Fatalf("provider %q, want %q", c.Provider, ProviderActions)
		}
		if c.PR < 0 {
			t.Fatalf("negative pull request number %d", c.PR)
		}
	})
}
