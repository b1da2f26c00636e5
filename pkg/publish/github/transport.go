package github

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Retry and pacing bounds. GitHub asks integrations to serialise requests,
// to pause between content-creating ones, and never to retry in a tight loop
// while limited: integrations that do are blocked.
const (
	DefaultMaxRetries   = 3
	DefaultMaxWait      = 10 * time.Minute
	DefaultWriteSpacing = time.Second
	// secondaryBackoff is the first wait after a secondary rate limit that
	// says nothing about when to come back; it doubles on each retry.
	secondaryBackoff = time.Minute
	// serverBackoff is the first wait after a 5xx answer; it doubles too.
	serverBackoff = 2 * time.Second
	// maxErrorBody is how much of an error answer is read to classify it.
	maxErrorBody = 64 << 10
)

// Transport sends requests to GitHub one at a time, with the token, spacing
// the ones that create or change content and retrying, within bounds, the
// answers that say "later": rate limits and server errors.
type Transport struct {
	Base  http.RoundTripper
	Token string
	Clock Clock
	Log   *slog.Logger

	// MaxRetries bounds the retries of one request; MaxWait bounds the time
	// spent waiting over the whole run. Zero means the defaults.
	MaxRetries int
	MaxWait    time.Duration
	// WriteSpacing is the least time between two writes; zero means the
	// default, a negative value none.
	WriteSpacing time.Duration

	mu        sync.Mutex
	lastWrite time.Time
	waited    time.Duration
}

// RoundTrip implements http.RoundTripper. Requests go out one at a time.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	defer t.mu.Unlock()

	if isWrite(req.Method) {
		if err := t.space(req); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		resp, err := t.send(req)
		if err != nil {
			return nil, err
		}
		wait, why := t.retryAfter(resp, attempt)
		if wait < 0 {
			return resp, nil
		}
		if attempt >= t.maxRetries() || t.waited+wait > t.maxWait() {
			t.logger().Warn("giving up on a request GitHub keeps deferring",
				"method", req.Method, "path", req.URL.Path, "status", resp.StatusCode,
				"reason", why, "retries", attempt)
			return resp, nil
		}
		resp.Body.Close()
		t.logger().Info("waiting before retrying a GitHub request", "method", req.Method,
			"path", req.URL.Path, "status", resp.StatusCode, "reason", why, "wait", wait)
		if err := t.Clock.Sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		t.waited += wait
	}
}

func (t *Transport) send(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
		r.Body = body
	}
	if t.Token != "" {
		r.Header.Set("Authorization", "Bearer "+t.Token)
	}
	r.Header.Set("X-GitHub-Api-Version", "2022-11-28")

	resp, err := t.base().RoundTrip(r)
	if isWrite(req.Method) {
		t.lastWrite = t.Clock.Now()
	}
	return resp, err
}

// space waits until WriteSpacing has passed since the last write.
func (t *Transport) space(req *http.Request) error {
	spacing := t.WriteSpacing
	if spacing == 0 {
		spacing = DefaultWriteSpacing
	}
	if spacing < 0 || t.lastWrite.IsZero() {
		return nil
	}
	if wait := t.lastWrite.Add(spacing).Sub(t.Clock.Now()); wait > 0 {
		return t.Clock.Sleep(req.Context(), wait)
	}
	return nil
}

// retryAfter says how long to wait before trying resp's request again, or a
// negative duration when the answer is final.
func (t *Transport) retryAfter(resp *http.Response, attempt int) (time.Duration, string) {
	limited := resp.StatusCode == http.StatusForbidden ||
		resp.StatusCode == http.StatusTooManyRequests
	if !limited && resp.StatusCode < 500 {
		return -1, ""
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), t.Clock.Now()); ok {
		return d, "retry-after"
	}
	if !limited {
		return serverBackoff << attempt, "server error"
	}
	if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(reset, 0).Sub(t.Clock.Now()), 0) + time.Second,
				"primary rate limit"
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || isSecondaryLimit(resp) {
		return secondaryBackoff << attempt, "secondary rate limit"
	}
	return -1, ""
}

// isSecondaryLimit reads the body of a 403 to tell a secondary rate limit
// from a refused permission, and puts the body back for the caller.
func isSecondaryLimit(resp *http.Response) bool {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	text := strings.ToLower(string(data))
	return strings.Contains(text, "secondary rate limit") || strings.Contains(text, "abuse")
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) maxRetries() int {
	if t.MaxRetries > 0 {
		return t.MaxRetries
	}
	return DefaultMaxRetries
}

func (t *Transport) maxWait() time.Duration {
	if t.MaxWait > 0 {
		return t.MaxWait
	}
	return DefaultMaxWait
}

func (t *Transport) logger() *slog.Logger {
	if t.Log != nil {
		return t.Log
	}
	return slog.New(slog.DiscardHandler)
}
