package ci

import (
	"os"
	"path/filepath"
	"testing"
)

func writePayload(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const samePR = `{"number": 12, "pull_request": {"number": 12,
 "head": {"sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ref": "feature",
   "repo": {"full_name": "octo/shop", "fork": false}},
 "base": {"sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "ref": "main", "repo": {"full_name": "octo/shop"}}},
 "repository": {"full_name": "octo/shop"}}`

const forkPR = `{"number": 13, "pull_request": {"number": 13,
 "head": {"sha": "cccccccccccccccccccccccccccccccccccccccc", "ref": "patch-1",
   "repo": {"full_name": "mallory/shop", "fork": true}},
 "base": {"sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "ref": "main", "repo": {"full_name": "octo/shop"}}}}`

const deletedFork = `{"number": 14, "pull_request": {"number": 14,
 "head": {"sha": "dddddddddddddddddddddddddddddddddddddddd", "ref": "x", "repo": null},
 "base": {"sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "ref": "main", "repo": {"full_name": "octo/shop"}}}}`

const workflowRun = `{"workflow_run": {"event": "pull_request", "head_sha": "cccccccccccccccccccccccccccccccccccccccc",
 "head_branch": "patch-1", "head_repository": {"full_name": "mallory/shop"},
 "repository": {"full_name": "octo/shop"}, "pull_requests": []}}`

func actionsEnv(event, payload string, extra map[string]string) map[string]string {
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_REPOSITORY": "octo/shop",
		"GITHUB_SHA": "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "GITHUB_REF": "refs/pull/12/merge",
		"GITHUB_API_URL": "https://api.github.com", "GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID": "77", "GITHUB_ACTOR": "alice", "GITHUB_EVENT_PATH": payload,
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func TestDetectActions(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		pr       int
		head     string
		fork     bool
		readOnly bool
	}{
		{"same-repository pull request", actionsEnv("pull_request", writePayload(t, samePR), nil),
			12, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false},
		{"fork pull request", actionsEnv("pull_request", writePayload(t, forkPR), nil),
			13, "cccccccccccccccccccccccccccccccccccccccc", true, true},
		{"deleted fork", actionsEnv("pull_request", writePayload(t, deletedFork), nil),
			14, "dddddddddddddddddddddddddddddddddddddddd", true, true},
		{"dependabot on its own branch", actionsEnv("pull_request", writePayload(t, samePR),
			map[string]string{"GITHUB_ACTOR": "dependabot[bot]"}),
			12, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, true},
		{"pull_request_target of a fork can write", actionsEnv("pull_request_target",
			writePayload(t, forkPR), nil), 13, "cccccccccccccccccccccccccccccccccccccccc", true, false},
		{"workflow_run after a fork", actionsEnv("workflow_run", writePayload(t, workflowRun), nil),
			0, "cccccccccccccccccccccccccccccccccccccccc", true, false},
		{"push", actionsEnv("push", "", nil), 0, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Detect(MapEnv(tt.env))
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if c.Provider != ProviderActions || c.Repository != "octo/shop" {
				t.Errorf("provider %q repository %q", c.Provider, c.Repository)
			}
			if c.PR != tt.pr || c.HeadSHA != tt.head || c.Fork != tt.fork ||
				c.ReadOnlyToken != tt.readOnly {
				t.Errorf("got pr %d head %s fork %v read-only %v; want %d %s %v %v",
					c.PR, c.HeadSHA, c.Fork, c.ReadOnlyToken, tt.pr, tt.head, tt.fork, tt.readOnly)
			}
			if c.RunURL != "https://github.com/octo/shop/actions/runs/77" {
				t.Errorf("run URL %q", c.RunURL)
			}
		})
	}
}

func TestDetectActionsBadPayload(t *testing.T) {
	tests := []struct{ name, path string }{
		{"missing file", filepath.Join(t.TempDir(), "nope.json")},
		{"not JSON", writePayload(t, "{not json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Detect(MapEnv(actionsEnv("pull_request", tt.path, nil))); err == nil {
				t.Errorf("no error for a payload that cannot be read")
			}
		})
	}
}

func TestDetectJenkins(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Context
	}{
		{"pull request build", map[string]string{
			"JENKINS_URL": "https://ci.example/", "BUILD_URL": "https://ci.example/job/1/",
			"CHANGE_ID": "42", "CHANGE_URL": "https://github.com/octo/shop/pull/42",
			"CHANGE_TARGET": "main", "CHANGE_BRANCH": "feature", "GIT_COMMIT": "f00d",
		}, Context{Provider: ProviderJenkins, Repository: "octo/shop", PR: 42,
			APIURL: "https://api.github.com", ServerURL: "https://github.com", SHA: "f00d",
			BaseRef: "main", HeadRef: "feature", RunURL: "https://ci.example/job/1/"}},
		{"fork on Enterprise Server", map[string]string{
			"JENKINS_URL": "https://ci.example/", "CHANGE_ID": "5", "CHANGE_FORK": "mallory",
			"CHANGE_URL": "https://ghe.example.com/octo/shop/pull/5",
		}, Context{Provider: ProviderJenkins, Repository: "octo/shop", PR: 5, Fork: true,
			APIURL: "https://ghe.example.com/api/v3", ServerURL: "https://ghe.example.com"}},
		{"branch build from an ssh remote", map[string]string{
			"JENKINS_URL": "https://ci.example/", "GIT_URL": "git@github.com:octo/shop.git",
			"GIT_COMMIT": "beef", "BRANCH_NAME": "main",
		}, Context{Provider: ProviderJenkins, Repository: "octo/shop", SHA: "beef",
			HeadSHA: "beef", HeadRef: "main", APIURL: "https://api.github.com",
			ServerURL: "https://github.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Detect(MapEnv(tt.env))
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if c != tt.want {
				t.Errorf("got %+v\nwant %+v", c, tt.want)
			}
		})
	}
	if _, err := Detect(MapEnv(map[string]string{"JENKINS_URL": "x", "CHANGE_ID": "PR-1"})); err == nil {
		t.Errorf("a CHANGE_ID that is not a number was accepted")
	}
}

func TestDetectNothing(t *testing.T) {
	c, err := Detect(MapEnv(map[string]string{}))
	if err != nil || c != (Context{}) {
		t.Errorf("local run: %+v %v", c, err)
	}
}
