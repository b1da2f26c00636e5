package github

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// Polling of the processing status after an upload. The upload call only
// queues the file; GitHub may still reject it while processing, so a gate
// that stops at the upload call would show green for a rejected file.
const (
	pollFirst   = 2 * time.Second
	pollMax     = 15 * time.Second
	pollTimeout = 5 * time.Minute
)

// UploadResult says what happened to the code scanning upload.
type UploadResult struct {
	ID string
	// Processed is set once GitHub reports the upload processed.
	Processed bool
	Fit       *Fitted
}

// sarifStatus is GitHub's answer on an upload's processing.
type sarifStatus struct {
	ProcessingStatus string   `json:"processing_status"`
	AnalysesURL      string   `json:"analyses_url"`
	Errors           []string `json:"errors"`
}

// sarif uploads the SARIF log to code scanning, fitted to its limits, and
// waits until GitHub has processed it.
func (r *run) sarif(ctx context.Context) {
	if r.stopped() {
		return
	}
	fit, err := FitSARIF(r.in.SARIF, FitOptions{Limits: DefaultLimits,
		Key: r.p.Settings.Key, Anchor: r.p.Settings.AnchorPath})
	if err != nil {
		r.fail(FeatureSARIF, "prepare the SARIF log", err)
		return
	}
	r.res.SARIF = &UploadResult{Fit: fit}
	r.noteFit(fit)

	t := r.in.Target
	analysis := &gh.SarifAnalysis{
		CommitSHA: gh.String(firstSet(t.CommitSHA, t.HeadSHA)),
		Ref:       gh.String(r.sarifRef()),
		Sarif:     gh.String(base64.StdEncoding.EncodeToString(fit.Gzip)),
		ToolName:  gh.String("secgate"),
	}
	if fit.CheckoutURI != "" {
		analysis.CheckoutURI = gh.String(fit.CheckoutURI)
	}
	id, _, err := r.p.Client.CodeScanning.UploadSarif(ctx, t.Owner, t.Repo, analysis)
	if err != nil {
		r.fail(FeatureSARIF, "upload the SARIF log", err)
		return
	}
	r.res.SARIF.ID = id.GetID()
	r.poll(ctx, id.GetID())
}

// sarifRef pairs with the commit: the PR head's ref for a PR head commit.
func (r *run) sarifRef() string {
	t := r.in.Target
	if t.Ref != "" {
		return t.Ref
	}
	if t.PR > 0 {
		return fmt.Sprintf("refs/pull/%d/head", t.PR)
	}
	return ""
}

// poll waits for the processing status, backing off, within pollTimeout.
func (r *run) poll(ctx context.Context, id string) {
	clock := r.p.clock()
	deadline := clock.Now().Add(pollTimeout)
	wait := pollFirst
	for {
		st, err := r.sarifStatus(ctx, id)
		switch {
		case err != nil && !isStatus(err, 404):
			r.fail(FeatureSARIF, "read the upload's processing status", err)
			return
		case err == nil && st.ProcessingStatus == "complete":
			r.res.SARIF.Processed = true
			return
		case err == nil && st.ProcessingStatus == "failed":
			r.res.Problems = append(r.res.Problems, &Problem{Feature: FeatureSARIF,
				Message: "code scanning rejected the upload: " + strings.Join(st.Errors, "; ")})
			return
		}
		if clock.Now().Add(wait).After(deadline) {
			r.res.Problems = append(r.res.Problems, &Problem{Feature: FeatureSARIF,
				Message: fmt.Sprintf("code scanning had not processed the upload after %s; "+
					"it is not confirmed", pollTimeout)})
			return
		}
		if err := clock.Sleep(ctx, wait); err != nil {
			r.fail(FeatureSARIF, "wait for the upload to be processed", err)
			return
		}
		wait = min(wait*2, pollMax)
	}
}

func (r *run) sarifStatus(ctx context.Context, id string) (*sarifStatus, error) {
	t := r.in.Target
	u := fmt.Sprintf("repos/%s/%s/code-scanning/sarifs/%s", t.Owner, t.Repo, id)
	req, err := r.p.Client.NewRequest("GET", u, nil)
	if err != nil {
		return nil, err
	}
	st := &sarifStatus{}
	if _, err := r.p.Client.Do(ctx, req, st); err != nil {
		return nil, err
	}
	return st, nil
}

// noteFit puts what fitting changed into the summary.
func (r *run) noteFit(fit *Fitted) {
	for _, n := range fit.Notes {
		r.folded = append(r.folded, "Code scanning upload: "+n+".")
	}
	if len(fit.Unlocated) > 0 {
		shown := fit.Unlocated[:min(20, len(fit.Unlocated))]
		more := ""
		if len(fit.Unlocated) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(fit.Unlocated)-len(shown))
		}
		r.folded = append(r.folded, fmt.Sprintf("Code scanning upload: %d results without a "+
			"file were left out: %s%s.", len(fit.Unlocated), strings.Join(shown, ", "), more))
	}
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
