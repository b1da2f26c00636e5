package ci

import (
	"path/filepath"
	"testing"
)

// TestDetectRealPayloads reads event payloads in the shape GitHub sends
// (testdata/README.md says where they come from).
func TestDetectRealPayloads(t *testing.T) {
	tests := []struct {
		name, event, file, sha string
		want                   Context
	}{
		{
			name: "pull_request synchronize", event: "pull_request",
			file: "octokit-pull_request-synchronize.json",
			sha:  "1111111111111111111111111111111111111111",
			want: Context{PR: 2, HeadSHA: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
				BaseSHA: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", HeadRef: "changes",
				BaseRef: "master"},
		},
		{
			// Numbers where the pull request payload has strings must not
			// break the reading; a push has no pull request.
			name: "push creating a branch", event: "push", file: "octokit-push-new-branch.json",
			sha:  "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
			want: Context{HeadSHA: "6113728f27ae82c7b1a177c8d03f9e96e0adf246"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": tt.event,
				"GITHUB_EVENT_PATH": filepath.Join("testdata", tt.file), "GITHUB_SHA": tt.sha,
				"GITHUB_REPOSITORY": "Codertocat/Hello-World"}
			c, err := Detect(MapEnv(env))
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			got := Context{PR: c.PR, HeadSHA: c.HeadSHA, BaseSHA: c.BaseSHA, HeadRef: c.HeadRef,
				BaseRef: c.BaseRef}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if c.Fork || c.ReadOnlyToken {
				t.Errorf("fork %v, read-only %v: want neither", c.Fork, c.ReadOnlyToken)
			}
		})
	}
}
