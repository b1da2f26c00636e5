package fakegithub

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

func spec(t *testing.T) string {
	if p := os.Getenv("SECGATE_GITHUB_OPENAPI"); p != "" {
		return p
	}
	return filepath.Join(testenv.RepoRoot(t), "..", "shared", "github-openapi",
		"api.github.com.trimmed.json")
}

// TestContractCatchesBadRequests sends requests GitHub would refuse or
// misread and checks that the fake records each as a contract violation.
func TestContractCatchesBadRequests(t *testing.T) {
	anns := make([]string, 51)
	for i := range anns {
		anns[i] = `{"path":"a","start_line":1,"end_line":1,"annotation_level":"notice","message":"m"}`
	}
	tests := []struct {
		name, method, path, body, want string
	}{
		{"51 annotations", "POST", "/repos/octo/shop/check-runs",
			`{"name":"g","head_sha":"x","output":{"title":"t","summary":"s","annotations":[` +
				strings.Join(anns, ",") + `]}}`, "checks/create"},
		{"completed without a conclusion", "PATCH", "/repos/octo/shop/check-runs/1",
			`{"status":"completed"}`, "checks/update"},
		{"annotation level that does not exist", "POST", "/repos/octo/shop/check-runs",
			`{"name":"g","head_sha":"x","output":{"title":"t","summary":"s","annotations":[` +
				`{"path":"a","start_line":1,"end_line":1,"annotation_level":"error","message":"m"}]}}`,
			"checks/create"},
		{"status without a state", "POST", "/repos/octo/shop/statuses/abc", `{"context":"g"}`,
			"repos/create-commit-status"},
		{"review comment without a body", "POST", "/repos/octo/shop/pulls/1/reviews",
			`{"event":"COMMENT","body":"b","comments":[{"path":"a","line":1}]}`, "pulls/create-review"},
		{"misspelt field", "POST", "/repos/octo/shop/issues/1/comments",
			`{"body":"b","bdoy":"x"}`, "bdoy is not in the description"},
		{"wrong type", "POST", "/repos/octo/shop/issues/1/comments", `{"body":12}`,
			"issues/create-comment"},
		{"no such operation", "POST", "/repos/octo/shop/issues/1/labels", `{}`,
			"no such operation"},
		{"SARIF upload with a key GitHub does not take", "POST",
			"/repos/octo/shop/code-scanning/sarifs",
			`{"commit_sha":"` + strings.Repeat("a", 40) + `","ref":"refs/heads/main",` +
				`"sarif":"H4sI","category":"x"}`, "category"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(t, spec(t), "")
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+srv.Token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := srv.TakeViolations()
			if resp.StatusCode != 422 || !strings.Contains(fmt.Sprint(got), tt.want) {
				t.Errorf("status %d, violations %v; want 422 and one about %q",
					resp.StatusCode, got, tt.want)
			}
		})
	}
}

// TestValidRequestPasses: a correct request is served and breaks nothing.
func TestValidRequestPasses(t *testing.T) {
	srv := New(t, spec(t), "/api/v3")
	srv.AddPR(&PR{Number: 1, HeadSHA: strings.Repeat("a", 40)})
	req, _ := http.NewRequest("POST", srv.APIURL()+"/repos/octo/shop/issues/1/comments",
		strings.NewReader(`{"body":"hello"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 || len(srv.Snapshot().IssueComments) != 1 {
		t.Errorf("status %d, comments %d", resp.StatusCode, len(srv.Snapshot().IssueComments))
	}
}
