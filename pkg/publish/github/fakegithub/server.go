package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// ReadOnlyMessage is what GitHub says when a token may not write: the token
// of a fork pull request, or one without the permission.
const ReadOnlyMessage = "Resource not accessible by integration"

// Server plays GitHub for one repository.
type Server struct {
	*httptest.Server
	t        testing.TB
	contract *Contract

	// Prefix is "/api/v3" for an Enterprise Server, "" for GitHub.com.
	Prefix string
	Owner  string
	Repo   string
	// Token is the only token accepted; any other gets 401.
	Token string
	// Login is who the token posts as. Empty makes GET /user answer 403,
	// as it does for an Actions token, which posts as github-actions[bot].
	Login string
	// PerPage is the default page size of lists (GitHub's is 30).
	PerPage int

	// ReadOnly refuses every write with 403, as for a fork's token.
	ReadOnly bool
	// NoChecks refuses check runs with 403, as for a personal token.
	NoChecks bool
	// Intercept, when set, may answer a request before the fake does (to
	// inject 5xx or rate limits); it returns false to let the request through.
	Intercept func(w http.ResponseWriter, r *http.Request) bool
	// Processing decides an upload's processing status; nil checks the
	// upload the way code scanning does.
	Processing func(u *SARIFUpload) (status string, errors []string)

	mu     sync.Mutex
	nextID int64
	PRs    map[int]*PR
	// The state secgate writes.
	IssueComments  []*IssueComment
	ReviewComments []*ReviewComment
	Reviews        []*Review
	CheckRuns      []*CheckRun
	Statuses       []*Status
	Uploads        []*SARIFUpload
	// Log lists every request as "METHOD path -> status".
	Log []string
	// Violations are requests that broke the OpenAPI contract.
	Violations []string
}

// New starts a fake for owner/repo on 127.0.0.1, checking requests against
// the OpenAPI description at specPath. The test fails at its end if any
// request broke the contract.
func New(t testing.TB, specPath, prefix string) *Server {
	t.Helper()
	s := &Server{
		t: t, Prefix: prefix, Owner: "octo", Repo: "shop", Token: "test-token",
		Login: "secgate-bot", PerPage: 30, PRs: map[int]*PR{}, nextID: 1000,
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	contract, err := LoadContract(specPath, s.URL+prefix)
	if err != nil {
		s.Close()
		t.Fatalf("fake GitHub: %v", err)
	}
	s.contract = contract
	t.Cleanup(func() {
		s.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, v := range s.Violations {
			t.Errorf("request broke GitHub's OpenAPI contract: %s", v)
		}
	})
	return s
}

// APIURL is what secgate is given as --api-url.
func (s *Server) APIURL() string { return s.URL + s.Prefix }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: 200}
	defer func() {
		s.mu.Lock()
		s.Log = append(s.Log, fmt.Sprintf("%s %s -> %d", r.Method, r.URL.Path, rec.status))
		s.mu.Unlock()
	}()

	if !strings.HasPrefix(r.URL.Path, s.Prefix+"/") {
		writeError(rec, 404, "Not Found", nil)
		return
	}
	if problems := s.contract.Check(r); len(problems) > 0 {
		s.mu.Lock()
		s.Violations = append(s.Violations, problems...)
		s.mu.Unlock()
		writeError(rec, 422, "Invalid request", problems)
		return
	}
	if s.Intercept != nil && s.Intercept(rec, r) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeError(rec, 401, "Bad credentials", nil)
		return
	}
	s.route(rec, r, strings.TrimPrefix(r.URL.Path, s.Prefix))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Count returns how many logged requests start with prefix ("POST /repos").
func (s *Server) Count(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.Log {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// Writes counts the requests that created or changed something.
func (s *Server) Writes() int {
	return s.Count("POST ") + s.Count("PATCH ") + s.Count("PUT ") + s.Count("DELETE ")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers like GitHub: a message, a documentation URL and, for
// validation errors, a list of plain strings.
func writeError(w http.ResponseWriter, status int, msg string, errs []string) {
	body := map[string]any{"message": msg,
		"documentation_url": "https://docs.github.com/rest", "status": strconv.Itoa(status)}
	if errs != nil {
		body["errors"] = errs
	}
	writeJSON(w, status, body)
}

func (s *Server) id() int64 {
	s.nextID++
	return s.nextID
}

func (s *Server) user() map[string]any {
	login := s.Login
	if login == "" {
		login = "github-actions[bot]"
	}
	return map[string]any{"login": login, "id": 41898282, "type": "Bot"}
}

func (s *Server) htmlURL(kind string, id int64) string {
	return fmt.Sprintf("%s/%s/%s/%s/%d", s.URL, s.Owner, s.Repo, kind, id)
}

// TakeViolations returns the contract violations so far and forgets them,
// for tests that send bad requests on purpose.
func (s *Server) TakeViolations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.Violations
	s.Violations = nil
	return v
}
