package fakegithub

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Code scanning's limits, as the fake enforces them.
const (
	maxGzip        = 10 << 20
	maxRuns        = 20
	maxRunResults  = 25000
	maxDescription = 140
)

type outputJSON struct {
	Title       *string      `json:"title"`
	Summary     *string      `json:"summary"`
	Annotations []Annotation `json:"annotations"`
}

func (s *Server) checkRunJSON(c *CheckRun) map[string]any {
	return map[string]any{"id": c.ID, "node_id": "CR", "name": c.Name, "head_sha": c.HeadSHA,
		"status": c.Status, "conclusion": c.Conclusion, "html_url": s.htmlURL("runs", c.ID),
		"url": s.URL, "external_id": "", "details_url": s.URL,
		"output": map[string]any{"title": c.Title, "summary": c.Summary,
			"annotations_count": len(c.Annotations), "annotations_url": s.URL}}
}

func (s *Server) createCheckRun(w http.ResponseWriter, r *http.Request) {
	if s.NoChecks {
		writeError(w, 403, "Resource not accessible by personal access token", nil)
		return
	}
	var in struct {
		Name       string      `json:"name"`
		HeadSHA    string      `json:"head_sha"`
		Status     string      `json:"status"`
		Conclusion string      `json:"conclusion"`
		Output     *outputJSON `json:"output"`
	}
	if !decode(w, r, &in) {
		return
	}
	c := &CheckRun{ID: s.id(), Name: in.Name, HeadSHA: in.HeadSHA, Status: in.Status,
		Conclusion: in.Conclusion}
	if in.Output != nil {
		c.apply(in.Output)
	}
	s.CheckRuns = append(s.CheckRuns, c)
	writeJSON(w, 201, s.checkRunJSON(c))
}

// apply sets the title and summary and appends the annotations, as GitHub
// does on every create and update.
func (c *CheckRun) apply(o *outputJSON) {
	if o.Title != nil {
		c.Title = *o.Title
	}
	if o.Summary != nil {
		c.Summary = *o.Summary
	}
	c.Annotations = append(c.Annotations, o.Annotations...)
}

func (s *Server) updateCheckRun(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in struct {
		Output *outputJSON `json:"output"`
	}
	if !decode(w, r, &in) {
		return
	}
	for _, c := range s.CheckRuns {
		if c.ID == id {
			if in.Output != nil {
				c.apply(in.Output)
			}
			c.Updates++
			writeJSON(w, 200, s.checkRunJSON(c))
			return
		}
	}
	writeError(w, 404, "Not Found", nil)
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	var in struct {
		State       string `json:"state"`
		Context     string `json:"context"`
		Description string `json:"description"`
		TargetURL   string `json:"target_url"`
	}
	if !decode(w, r, &in) || tooLong(w, "description", in.Description, maxDescription) {
		return
	}
	st := &Status{SHA: r.PathValue("sha"), State: in.State, Context: in.Context,
		Description: in.Description, TargetURL: in.TargetURL}
	s.Statuses = append(s.Statuses, st)
	writeJSON(w, 201, map[string]any{"id": s.id(), "state": st.State, "context": st.Context,
		"description": st.Description, "url": s.URL})
}

func (s *Server) uploadSARIF(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CommitSHA string `json:"commit_sha"`
		Ref       string `json:"ref"`
		SARIF     string `json:"sarif"`
	}
	if !decode(w, r, &in) {
		return
	}
	zipped, err := base64.StdEncoding.DecodeString(in.SARIF)
	if err != nil {
		writeError(w, 400, "Invalid request: sarif is not base64", nil)
		return
	}
	if len(zipped) > maxGzip {
		writeError(w, 413, "Payload Too Large", nil)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		writeError(w, 400, "Invalid request: sarif is not gzip", nil)
		return
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		writeError(w, 400, "Invalid request: sarif is not gzip", nil)
		return
	}
	u := &SARIFUpload{ID: fmt.Sprintf("upload-%d", s.id()), CommitSHA: in.CommitSHA,
		Ref: in.Ref, SARIF: plain, GzipSize: len(zipped)}
	s.Uploads = append(s.Uploads, u)
	writeJSON(w, 202, map[string]any{"id": u.ID, "url": s.URL + "/sarifs/" + u.ID})
}

// getSARIF answers "pending" on the first poll, then the processing result.
func (s *Server) getSARIF(w http.ResponseWriter, r *http.Request) {
	for _, u := range s.Uploads {
		if u.ID != r.PathValue("id") {
			continue
		}
		u.Polls++
		status, errs := "pending", []string(nil)
		if u.Polls > 1 {
			status, errs = s.process(u)
		}
		writeJSON(w, 200, map[string]any{"processing_status": status,
			"analyses_url": s.URL, "errors": errs})
		return
	}
	writeError(w, 404, "Not Found", nil)
}

func (s *Server) process(u *SARIFUpload) (string, []string) {
	if s.Processing != nil {
		return s.Processing(u)
	}
	if errs := CheckSARIF(u.SARIF); len(errs) > 0 {
		return "failed", errs
	}
	return "complete", nil
}

// sarifShape is what CheckSARIF reads of a log.
type sarifShape struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name string `json:"name"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Results []struct {
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation *struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// CheckSARIF applies the processing rules of code scanning that are known
// to reject whole files: the version, the number of runs, one run per tool
// and category, a file location on every result, results per run.
func CheckSARIF(data []byte) []string {
	var log sarifShape
	if err := json.Unmarshal(data, &log); err != nil {
		return []string{"could not parse SARIF: " + err.Error()}
	}
	var errs []string
	if log.Version != "2.1.0" {
		errs = append(errs, "unsupported SARIF version "+log.Version)
	}
	if len(log.Runs) > maxRuns {
		errs = append(errs, fmt.Sprintf("rejecting SARIF, as there are more runs than "+
			"allowed (%d > %d)", len(log.Runs), maxRuns))
	}
	seen := map[string]bool{}
	for _, run := range log.Runs {
		cat := run.AutomationDetails.ID
		if i := strings.LastIndex(cat, "/"); i >= 0 {
			cat = cat[:i]
		}
		k := run.Tool.Driver.Name + "\x00" + cat
		if seen[k] {
			errs = append(errs, "A delivery cannot contain multiple runs with the same "+
				"category. Please upload a single run per category.")
		}
		seen[k] = true
		if len(run.Results) > maxRunResults {
			errs = append(errs, fmt.Sprintf("rejecting SARIF, as there are more results "+
				"per run than allowed (%d > %d)", len(run.Results), maxRunResults))
		}
		for _, res := range run.Results {
			if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil ||
				res.Locations[0].PhysicalLocation.ArtifactLocation == nil {
				errs = append(errs, "locationFromSarifResult: expected at least one location")
				break
			}
		}
	}
	return errs
}
