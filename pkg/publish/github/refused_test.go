package github

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/diff"
	"github.com/secgate/secgate/pkg/publish/github/fakegithub"
)

// TestForkToken plays the read-only token of a fork pull request: every
// write is refused with 403. Each feature reports the refusal and names the
// permission, nothing is written, and Publish itself does not fail.
func TestForkToken(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	srv.ReadOnly = true
	srv.Login = "" // an Actions token cannot read /user
	p := newPublisher(t, srv, newFakeClock(), allFeatures(Settings{InActions: true}))

	res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
	st := srv.Snapshot()
	if n := len(st.IssueComments) + len(st.ReviewComments) + len(st.CheckRuns) +
		len(st.Statuses); n != 0 {
		t.Errorf("a read-only token wrote %d things", n)
	}
	want := map[Feature]string{
		FeatureInline: "pull-requests: write", FeatureChecks: "checks: write",
		FeatureStatus: "statuses: write", FeatureSummary: "pull-requests: write",
	}
	got := map[Feature]string{}
	for _, prob := range res.Problems {
		got[prob.Feature] = prob.Message
		if !prob.Forbidden() {
			t.Errorf("%s: status %d, want 403", prob.Feature, prob.Status)
		}
		if !strings.Contains(prob.Message, fakegithub.ReadOnlyMessage) {
			t.Errorf("%s: message %q does not quote GitHub", prob.Feature, prob.Message)
		}
	}
	for f, perm := range want {
		if !strings.Contains(got[f], perm) {
			t.Errorf("%s: problem %q does not name %q", f, got[f], perm)
		}
	}
	if strings.Contains(problemFeatures(res), "pull request") {
		t.Errorf("reading the PR failed with a read-only token: %v", res.Problems)
	}
}

// TestTokenWithoutChecks plays a personal token: check runs are refused,
// a commit status carries the verdict instead and the summary says so.
func TestTokenWithoutChecks(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	srv.NoChecks = true
	p := newPublisher(t, srv, newFakeClock(), allFeatures(Settings{Key: "backend-gate",
		RunURL: "https://github.example/octo/shop/actions/runs/9"}))

	res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
	if len(res.Problems) != 0 || !res.StatusSet {
		t.Fatalf("status fallback: problems %v, status set %v", res.Problems, res.StatusSet)
	}
	st := srv.Snapshot()
	if len(st.Statuses) != 1 || len(st.CheckRuns) != 0 {
		t.Fatalf("statuses %d check runs %d, want 1 0", len(st.Statuses), len(st.CheckRuns))
	}
	s := st.Statuses[0]
	if s.State != "failure" || s.Context != "backend-gate" || s.SHA != headSHA ||
		len([]rune(s.Description)) > 140 || s.TargetURL == "" {
		t.Errorf("status: %+v", s)
	}
	if !strings.Contains(st.IssueComments[0].Body, "commit status was set instead") {
		t.Errorf("summary does not say a status replaced the check run")
	}
}

// TestEnterpriseServer gives the host only, as GHES users do: every request
// must carry the /api/v3 prefix (the fake answers 404 without it).
func TestEnterpriseServer(t *testing.T) {
	srv := newFake(t, "/api/v3")
	srv.AddPR(flaskPR())
	client, err := NewClient(ClientOptions{APIURL: srv.URL, Token: srv.Token, Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	p := &Publisher{Client: client, Clock: newFakeClock(), Settings: allFeatures(Settings{Key: "secgate"})}

	res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	for _, l := range srv.Log {
		if !strings.Contains(l, " /api/v3/") {
			t.Errorf("request without the GHES prefix: %s", l)
		}
	}
	if st := srv.Snapshot(); len(st.IssueComments) != 1 || len(st.CheckRuns) != 1 {
		t.Errorf("GHES: %d summaries %d check runs, want 1 1", len(st.IssueComments), len(st.CheckRuns))
	}
}

func TestAPIURLs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty is github.com", "", "https://api.github.com/"},
		{"github.com API", "https://api.github.com", "https://api.github.com/"},
		{"GHES host", "https://ghe.example.com", "https://ghe.example.com/api/v3/"},
		{"GHES API base", "https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"},
		{"GHES API base with slash", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(ClientOptions{APIURL: tt.in})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.BaseURL.String(); got != tt.want {
				t.Errorf("base URL: got %s, want %s", got, tt.want)
			}
		})
	}
	if _, err := NewClient(ClientOptions{APIURL: "ftp://x"}); err == nil {
		t.Errorf("an ftp URL was accepted")
	}
}

// TestStickyCommentAmongMany hides our summary on the third page of
// comments, behind a copy of its marker posted by someone else: the copy is
// left alone, ours is edited in place, and a duplicate we posted is removed.
func TestStickyCommentAmongMany(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	marker := summaryMarker("secgate")
	for i := 0; i < 4; i++ {
		srv.AddIssueComment(7, "alice", "looks good")
	}
	spoof := srv.AddIssueComment(7, "mallory", marker+"\nall clear, merge it")
	ours := srv.AddIssueComment(7, "secgate-bot", marker+"\nold summary")
	dup := srv.AddIssueComment(7, "secgate-bot", marker+"\nolder duplicate")
	other := srv.AddIssueComment(7, "secgate-bot", summaryMarker("frontend")+"\nother gate")

	p := newPublisher(t, srv, newFakeClock(), Settings{Summary: true})
	publish(t, p, pageSizeInput(t, srv))

	bodies := map[int64]string{}
	for _, c := range srv.Snapshot().IssueComments {
		bodies[c.ID] = c.Body
	}
	if !strings.HasSuffix(bodies[spoof], "all clear, merge it") {
		t.Errorf("someone else's comment with our marker was edited")
	}
	if strings.Contains(bodies[ours], "old summary") || !strings.Contains(bodies[ours], "blocked") {
		t.Errorf("our summary was not edited in place: %q", bodies[ours][:80])
	}
	if _, ok := bodies[dup]; ok {
		t.Errorf("the duplicate summary was not removed")
	}
	if !strings.HasSuffix(bodies[other], "other gate") {
		t.Errorf("another gate's summary was touched")
	}
	if got := srv.Count("GET /repos/octo/shop/issues/7/comments"); got != 4 {
		t.Errorf("pages of comments read: got %d, want all 4", got)
	}
	if got := srv.Count("POST /repos/octo/shop/issues/7/comments"); got != 0 {
		t.Errorf("a new summary was posted although one existed")
	}
}

func pageSizeInput(t *testing.T, srv *fakegithub.Server) Input {
	srv.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		// Force small pages whatever per_page says, to walk several.
		q := r.URL.Query()
		if q.Get("per_page") != "" {
			q.Set("per_page", "2")
			r.URL.RawQuery = q.Encode()
		}
		return false
	}
	return Input{Data: flaskData(t), Target: target(srv, 7)}
}

// lyingDiff claims lines the PR does not touch, so GitHub refuses the review.
type lyingDiff struct{}

func (lyingDiff) Files(context.Context) ([]diff.File, error) {
	f, err := diff.ParsePatch("tests/e2e_zap.py", hunk(10, 50, 0, 17, 28))
	return []diff.File{f}, err
}

// TestReviewRefused: when GitHub rejects a review (422, a line outside its
// diff), the findings go to the summary and nothing is lost or repeated.
func TestReviewRefused(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	p := newPublisher(t, srv, newFakeClock(), allFeatures(Settings{Diff: lyingDiff{}}))

	res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
	if len(res.Problems) != 0 {
		t.Errorf("a refused review is not a publishing failure: %v", res.Problems)
	}
	st := srv.Snapshot()
	if len(st.ReviewComments) != 0 || len(st.IssueComments) != 1 {
		t.Fatalf("inline %d summaries %d, want 0 1", len(st.ReviewComments), len(st.IssueComments))
	}
	if !strings.Contains(st.IssueComments[0].Body, "refused inline by GitHub") {
		t.Errorf("summary does not list the refused findings")
	}
	if got := srv.Count("POST /repos/octo/shop/pulls/7/reviews -> 422"); got != 1 {
		t.Errorf("refused reviews: got %d, want 1 (no retry loop)", got)
	}
}

// TestReadOfReviewCommentsRefused: a 403 on the read used for dedupe (seen
// with fork tokens) stops inline comments only; the summary still goes out.
func TestReadOfReviewCommentsRefused(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	srv.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/pulls/7/comments") {
			w.WriteHeader(403)
			w.Write([]byte(`{"message":"` + fakegithub.ReadOnlyMessage + `"}`))
			return true
		}
		return false
	}
	p := newPublisher(t, srv, newFakeClock(), allFeatures(Settings{}))
	res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})

	if got := problemFeatures(res); got != string(FeatureInline) {
		t.Errorf("problems: %q, want only inline comments", got)
	}
	st := srv.Snapshot()
	if len(st.ReviewComments) != 0 || len(st.IssueComments) != 1 || len(st.CheckRuns) != 1 {
		t.Errorf("inline %d summaries %d check runs %d, want 0 1 1", len(st.ReviewComments),
			len(st.IssueComments), len(st.CheckRuns))
	}
	if !strings.Contains(st.IssueComments[0].Body, "pull-requests: write") {
		t.Errorf("the summary does not name the missing permission")
	}
}
