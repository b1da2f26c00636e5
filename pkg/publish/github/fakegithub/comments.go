package fakegithub

import (
	"net/http"
	"strconv"
)

// maxBody is GitHub's limit on a comment body.
const maxBody = 65536

func (s *Server) issueCommentJSON(c *IssueComment) map[string]any {
	author := map[string]any{"login": c.Author, "id": 7}
	return map[string]any{"id": c.ID, "node_id": "IC_" + strconv.FormatInt(c.ID, 10),
		"body": c.Body, "user": author, "html_url": s.htmlURL("issuecomment", c.ID),
		"url": s.htmlURL("api/issuecomment", c.ID), "issue_url": s.URL,
		"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
		"author_association": "NONE"}
}

func (s *Server) listIssueComments(w http.ResponseWriter, r *http.Request) {
	if s.pr(w, r) == nil {
		return
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	var items []any
	for _, c := range s.IssueComments {
		if c.Issue == n {
			items = append(items, s.issueCommentJSON(c))
		}
	}
	s.page(w, r, items)
}

func (s *Server) createIssueComment(w http.ResponseWriter, r *http.Request) {
	pr := s.pr(w, r)
	var in struct{ Body string }
	if pr == nil || !decode(w, r, &in) || tooLong(w, "Body", in.Body, maxBody) {
		return
	}
	c := &IssueComment{ID: s.id(), Issue: pr.Number, Body: in.Body, Author: s.user()["login"].(string)}
	s.IssueComments = append(s.IssueComments, c)
	writeJSON(w, 201, s.issueCommentJSON(c))
}

func (s *Server) findIssueComment(w http.ResponseWriter, r *http.Request) (int, *IssueComment) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for i, c := range s.IssueComments {
		if c.ID == id {
			return i, c
		}
	}
	writeError(w, 404, "Not Found", nil)
	return -1, nil
}

func (s *Server) editIssueComment(w http.ResponseWriter, r *http.Request) {
	_, c := s.findIssueComment(w, r)
	var in struct{ Body string }
	if c == nil || !decode(w, r, &in) || tooLong(w, "Body", in.Body, maxBody) {
		return
	}
	if c.Author != s.user()["login"] {
		writeError(w, 403, ReadOnlyMessage, nil)
		return
	}
	c.Body = in.Body
	writeJSON(w, 200, s.issueCommentJSON(c))
}

func (s *Server) deleteIssueComment(w http.ResponseWriter, r *http.Request) {
	i, c := s.findIssueComment(w, r)
	if c == nil {
		return
	}
	s.IssueComments = append(s.IssueComments[:i], s.IssueComments[i+1:]...)
	w.WriteHeader(204)
}

func (s *Server) reviewCommentJSON(c *ReviewComment) map[string]any {
	m := map[string]any{"id": c.ID, "node_id": "RC", "body": c.Body, "path": c.Path,
		"line": c.Line, "side": c.Side, "commit_id": c.CommitID,
		"user":     map[string]any{"login": c.Author, "id": 7},
		"html_url": s.htmlURL("reviewcomment", c.ID), "pull_request_review_id": c.ReviewID}
	if c.StartLine > 0 {
		m["start_line"] = c.StartLine
	}
	return m
}

func (s *Server) listReviewComments(w http.ResponseWriter, r *http.Request) {
	if s.pr(w, r) == nil {
		return
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	var items []any
	for _, c := range s.ReviewComments {
		if c.PR == n {
			items = append(items, s.reviewCommentJSON(c))
		}
	}
	s.page(w, r, items)
}

func (s *Server) editReviewComment(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in struct{ Body string }
	if !decode(w, r, &in) || tooLong(w, "Body", in.Body, maxBody) {
		return
	}
	for _, c := range s.ReviewComments {
		if c.ID == id {
			c.Body = in.Body
			writeJSON(w, 200, s.reviewCommentJSON(c))
			return
		}
	}
	writeError(w, 404, "Not Found", nil)
}

type draftJSON struct {
	Path      string `json:"path"`
	Body      string `json:"body"`
	Line      int    `json:"line"`
	Side      string `json:"side"`
	StartLine int    `json:"start_line"`
	StartSide string `json:"start_side"`
	Position  int    `json:"position"`
}

// createReview creates a review and its comments, all or nothing: one
// comment off the diff rejects the whole review with 422, as GitHub does.
func (s *Server) createReview(w http.ResponseWriter, r *http.Request) {
	pr := s.pr(w, r)
	var in struct {
		CommitID string      `json:"commit_id"`
		Body     string      `json:"body"`
		Event    string      `json:"event"`
		Comments []draftJSON `json:"comments"`
	}
	if pr == nil || !decode(w, r, &in) || tooLong(w, "Body", in.Body, maxBody) {
		return
	}
	for _, c := range in.Comments {
		if msg := checkDraft(pr, c); msg != "" {
			writeError(w, 422, "Unprocessable Entity", []string{msg})
			return
		}
	}
	rv := &Review{ID: s.id(), PR: pr.Number, Body: in.Body, Event: in.Event,
		CommitID: in.CommitID, Comments: len(in.Comments)}
	s.Reviews = append(s.Reviews, rv)
	for _, c := range in.Comments {
		s.ReviewComments = append(s.ReviewComments, &ReviewComment{ID: s.id(), PR: pr.Number,
			ReviewID: rv.ID, Path: c.Path, Line: c.Line, StartLine: c.StartLine,
			Side: c.Side, Body: c.Body, Author: s.user()["login"].(string), CommitID: in.CommitID})
	}
	state := "COMMENTED"
	if in.Event == "" {
		state = "PENDING"
	}
	writeJSON(w, 200, map[string]any{"id": rv.ID, "node_id": "PRR", "body": in.Body,
		"state": state, "user": s.user(), "html_url": s.htmlURL("review", rv.ID),
		"commit_id": in.CommitID, "pull_request_url": s.URL, "_links": map[string]any{},
		"author_association": "NONE"})
}

// checkDraft says why GitHub would refuse a review comment, or "".
func checkDraft(pr *PR, c draftJSON) string {
	const prefix = "Pull request review thread "
	d, ok := pr.diffOf(c.Path)
	switch {
	case c.Body == "":
		return prefix + "body can't be blank"
	case !ok:
		return prefix + "path is invalid"
	case c.Line == 0:
		return prefix + "line must be part of the diff"
	case c.Side != "" && c.Side != "RIGHT":
		return prefix + "line must be part of the diff"
	case !d.CommentableRight(c.Line):
		return prefix + "line must be part of the diff"
	case c.StartLine != 0 && c.StartLine >= c.Line:
		return prefix + "start line must precede the end line"
	case c.StartLine != 0 && !d.SameHunk(c.StartLine, c.Line):
		return prefix + "start line must be part of the same hunk as the line."
	}
	return ""
}
