package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// Feature is one thing the publisher posts.
type Feature string

// The features, each needing one permission of the token.
const (
	FeatureSummary Feature = "summary comment"
	FeatureInline  Feature = "inline comments"
	FeatureChecks  Feature = "check run"
	FeatureStatus  Feature = "commit status"
	FeatureSARIF   Feature = "code scanning upload"
	FeatureTarget  Feature = "pull request"
)

// Permissions names the one GitHub Actions permission each feature needs.
var Permissions = map[Feature]string{
	FeatureSummary: "pull-requests: write",
	FeatureInline:  "pull-requests: write",
	FeatureChecks:  "checks: write",
	FeatureStatus:  "statuses: write",
	FeatureSARIF:   "security-events: write",
	FeatureTarget:  "pull-requests: read",
}

// Problem is a feature that could not be published, and why.
type Problem struct {
	Feature Feature
	// Status is the HTTP status of the refused call, 0 when there was none.
	Status int
	// Message says what went wrong and what to do, for a person.
	Message string
	Err     error
}

func (p *Problem) Error() string { return string(p.Feature) + ": " + p.Message }

// Unwrap gives the underlying error.
func (p *Problem) Unwrap() error { return p.Err }

// Forbidden reports a refusal for lack of permission or a read-only token.
func (p *Problem) Forbidden() bool {
	return p.Status == http.StatusForbidden || p.Status == http.StatusNotFound
}

// problemOf explains err, returned by a call made for feature f, in words
// that name the permission to grant. GitHub answers 404 instead of 403 when
// the token may not even see the resource.
func problemOf(f Feature, what string, err error) *Problem {
	p := &Problem{Feature: f, Err: err}
	var rate *gh.RateLimitError
	var abuse *gh.AbuseRateLimitError
	var resp *gh.ErrorResponse
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		p.Message = what + ": stopped before it finished"
	case errors.As(err, &rate):
		p.Status = rate.Response.StatusCode
		p.Message = fmt.Sprintf("%s: the API rate limit is used up until %s; nothing more "+
			"was sent", what, rate.Rate.Reset.UTC().Format("15:04 MST"))
	case errors.As(err, &abuse):
		p.Status = abuse.Response.StatusCode
		p.Message = what + ": GitHub's secondary rate limit held after the retries; " +
			"nothing more was sent"
	case errors.As(err, &resp) && resp.Response != nil:
		p.Status = resp.Response.StatusCode
		p.Message = what + ": " + refusal(f, resp)
	default:
		p.Message = what + ": " + err.Error()
	}
	return p
}

// refusal words an error answer from GitHub.
func refusal(f Feature, resp *gh.ErrorResponse) string {
	status := resp.Response.StatusCode
	said := fmt.Sprintf("%d %s", status, strings.TrimSpace(resp.Message))
	for _, e := range resp.Errors {
		if e.Message != "" {
			said += "; " + e.Message
		}
	}
	switch status {
	case http.StatusUnauthorized:
		return said + " (the token is missing, expired or wrong)"
	case http.StatusForbidden, http.StatusNotFound:
		return said + " (the token lacks " + Permissions[f] + ", or it is the read-only " +
			"token of a fork or Dependabot pull request)"
	}
	return said
}

// isStatus reports whether err is an error answer with one of the statuses.
func isStatus(err error, statuses ...int) bool {
	var resp *gh.ErrorResponse
	if !errors.As(err, &resp) || resp.Response == nil {
		return false
	}
	for _, s := range statuses {
		if resp.Response.StatusCode == s {
			return true
		}
	}
	return false
}
