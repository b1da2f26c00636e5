package fakegithub

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"
)

func (s *Server) route(w http.ResponseWriter, r *http.Request, path string) {
	mux := s.mux()
	r2 := r.Clone(r.Context())
	r2.URL.Path = path
	r2.URL.RawPath = ""
	mux.ServeHTTP(w, r2)
}

func (s *Server) mux() *http.ServeMux {
	m := http.NewServeMux()
	repo := "/repos/{owner}/{repo}"
	m.HandleFunc("GET /user", s.getUser)
	m.HandleFunc("GET "+repo+"/pulls/{n}", s.repoOnly(s.getPR))
	m.HandleFunc("GET "+repo+"/pulls/{n}/files", s.repoOnly(s.listFiles))
	m.HandleFunc("GET "+repo+"/issues/{n}/comments", s.repoOnly(s.listIssueComments))
	m.HandleFunc("POST "+repo+"/issues/{n}/comments", s.write(s.createIssueComment))
	m.HandleFunc("PATCH "+repo+"/issues/comments/{id}", s.write(s.editIssueComment))
	m.HandleFunc("DELETE "+repo+"/issues/comments/{id}", s.write(s.deleteIssueComment))
	m.HandleFunc("GET "+repo+"/pulls/{n}/comments", s.repoOnly(s.listReviewComments))
	m.HandleFunc("PATCH "+repo+"/pulls/comments/{id}", s.write(s.editReviewComment))
	m.HandleFunc("POST "+repo+"/pulls/{n}/reviews", s.write(s.createReview))
	m.HandleFunc("POST "+repo+"/check-runs", s.write(s.createCheckRun))
	m.HandleFunc("PATCH "+repo+"/check-runs/{id}", s.write(s.updateCheckRun))
	m.HandleFunc("POST "+repo+"/statuses/{sha}", s.write(s.createStatus))
	m.HandleFunc("POST "+repo+"/code-scanning/sarifs", s.write(s.uploadSARIF))
	m.HandleFunc("GET "+repo+"/code-scanning/sarifs/{id}", s.repoOnly(s.getSARIF))
	return m
}

// repoOnly answers 404 for any repository but the fake's own.
func (s *Server) repoOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("owner") != s.Owner || r.PathValue("repo") != s.Repo {
			writeError(w, 404, "Not Found", nil)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		h(w, r)
	}
}

// write is repoOnly for requests that change something: a read-only token
// is refused as GitHub refuses a fork's.
func (s *Server) write(h http.HandlerFunc) http.HandlerFunc {
	return s.repoOnly(func(w http.ResponseWriter, r *http.Request) {
		if s.ReadOnly {
			writeError(w, 403, ReadOnlyMessage, nil)
			return
		}
		h(w, r)
	})
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	if s.Login == "" {
		writeError(w, 403, ReadOnlyMessage, nil)
		return
	}
	writeJSON(w, 200, map[string]any{"login": s.Login, "id": 1})
}

func (s *Server) pr(w http.ResponseWriter, r *http.Request) *PR {
	n, _ := strconv.Atoi(r.PathValue("n"))
	pr := s.PRs[n]
	if pr == nil {
		writeError(w, 404, "Not Found", nil)
	}
	return pr
}

func (s *Server) getPR(w http.ResponseWriter, r *http.Request) {
	if pr := s.pr(w, r); pr != nil {
		writeJSON(w, 200, map[string]any{"number": pr.Number,
			"head": map[string]any{"sha": pr.HeadSHA, "ref": "feature"},
			"base": map[string]any{"sha": pr.BaseSHA, "ref": "main"}})
	}
}

func (s *Server) listFiles(w http.ResponseWriter, r *http.Request) {
	pr := s.pr(w, r)
	if pr == nil {
		return
	}
	var items []any
	for _, f := range pr.Files {
		item := map[string]any{"sha": "0123456789abcdef0123456789abcdef01234567",
			"filename": f.Filename, "status": f.Status, "additions": 1, "deletions": 0,
			"changes": 1, "blob_url": s.URL, "raw_url": s.URL, "contents_url": s.URL}
		if f.Patch != "" {
			item["patch"] = f.Patch
		}
		if f.PreviousFilename != "" {
			item["previous_filename"] = f.PreviousFilename
		}
		items = append(items, item)
	}
	s.page(w, r, items)
}

// page answers one page of items, with a Link header to the next and last
// pages as GitHub gives it.
func (s *Server) page(w http.ResponseWriter, r *http.Request, items []any) {
	q := r.URL.Query()
	per := s.PerPage
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		per = min(v, 100)
	}
	page := 1
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	last := max((len(items)+per-1)/per, 1)
	start, end := min((page-1)*per, len(items)), min(page*per, len(items))
	if page < last {
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next", <%s>; rel="last"`,
			s.pageURL(r, page+1, per), s.pageURL(r, last, per)))
	}
	out := items[start:end]
	if out == nil {
		out = []any{}
	}
	writeJSON(w, 200, out)
}

func (s *Server) pageURL(r *http.Request, page, per int) string {
	q := url.Values{}
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", strconv.Itoa(per))
	return s.URL + s.Prefix + r.URL.Path + "?" + q.Encode()
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	data, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(data, v); err != nil {
		writeError(w, 400, "Problems parsing JSON", nil)
		return false
	}
	return true
}

func tooLong(w http.ResponseWriter, field, body string, limit int) bool {
	if utf8.RuneCountInString(body) <= limit {
		return false
	}
	writeError(w, 422, "Validation Failed",
		[]string{fmt.Sprintf("%s is too long (maximum is %d characters)", field, limit)})
	return true
}
