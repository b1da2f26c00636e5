package fakegithub

import (
	"github.com/secgate/secgate/pkg/diff"
)

// PR is a pull request the fake knows.
type PR struct {
	Number  int
	HeadSHA string
	BaseSHA string
	Files   []PRFile
}

// PRFile is one entry of the PR's list of files. An empty Patch is left out
// of the answer, as GitHub does for binary and very large files.
type PRFile struct {
	Filename         string
	Status           string // added, modified, removed, renamed
	Patch            string
	PreviousFilename string
}

// IssueComment is a comment on the PR's conversation.
type IssueComment struct {
	ID     int64
	Issue  int
	Body   string
	Author string
}

// ReviewComment is an inline comment on a line of the diff.
type ReviewComment struct {
	ID        int64
	PR        int
	ReviewID  int64
	Path      string
	Line      int
	StartLine int
	Side      string
	Body      string
	Author    string
	CommitID  string
}

// Review is a review; Event is empty for a pending (unsubmitted) one.
type Review struct {
	ID       int64
	PR       int
	Body     string
	Event    string
	CommitID string
	Comments int
}

// CheckRun is a check run with every annotation it was given.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	Title       string
	Summary     string
	Annotations []Annotation
	// Updates counts the PATCH requests.
	Updates int
}

// Annotation is one check run annotation.
type Annotation struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Level     string `json:"annotation_level"`
	Message   string `json:"message"`
	Title     string `json:"title"`
}

// Status is a commit status.
type Status struct {
	SHA         string
	State       string
	Context     string
	Description string
	TargetURL   string
}

// SARIFUpload is one code scanning upload, decoded.
type SARIFUpload struct {
	ID        string
	CommitSHA string
	Ref       string
	// SARIF is the log after base64 and gunzip.
	SARIF []byte
	// GzipSize is the size of the upload after gzip.
	GzipSize int
	// Polls counts the status requests.
	Polls int
}

// diffOf parses the patch of path in pr, or reports that it has none.
func (pr *PR) diffOf(path string) (*diff.File, bool) {
	for _, f := range pr.Files {
		if f.Filename != path || f.Patch == "" {
			continue
		}
		d, err := diff.ParsePatch(f.Filename, f.Patch)
		if err != nil {
			return nil, false
		}
		return &d, true
	}
	return nil, false
}

// AddPR registers a pull request.
func (s *Server) AddPR(pr *PR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.PRs[pr.Number] = pr
}

// Snapshot returns copies of the state, for assertions.
func (s *Server) Snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{}
	for _, c := range s.IssueComments {
		st.IssueComments = append(st.IssueComments, *c)
	}
	for _, c := range s.ReviewComments {
		st.ReviewComments = append(st.ReviewComments, *c)
	}
	for _, r := range s.Reviews {
		st.Reviews = append(st.Reviews, *r)
	}
	for _, c := range s.CheckRuns {
		cc := *c
		cc.Annotations = append([]Annotation(nil), c.Annotations...)
		st.CheckRuns = append(st.CheckRuns, cc)
	}
	for _, x := range s.Statuses {
		st.Statuses = append(st.Statuses, *x)
	}
	for _, u := range s.Uploads {
		st.Uploads = append(st.Uploads, *u)
	}
	return st
}

// State is a copy of what the fake holds.
type State struct {
	IssueComments  []IssueComment
	ReviewComments []ReviewComment
	Reviews        []Review
	CheckRuns      []CheckRun
	Statuses       []Status
	Uploads        []SARIFUpload
}

// AddIssueComment puts a comment on the PR as someone else would.
func (s *Server) AddIssueComment(pr int, author, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	s.IssueComments = append(s.IssueComments, &IssueComment{ID: id, Issue: pr, Body: body,
		Author: author})
	return id
}
