package github

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRateLimits answers the first request of a kind with a limit and
// checks that the publisher waits as told, with the fake clock, then goes on.
func TestRateLimits(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		status   int
		header   map[string]string
		body     string
		wantWait time.Duration
	}{
		{"secondary limit with retry-after", "POST", 403,
			map[string]string{"Retry-After": "30"},
			"You have exceeded a secondary rate limit", 30 * time.Second},
		{"429 with retry-after", "POST", 429, map[string]string{"Retry-After": "7"}, "", 7 * time.Second},
		{"primary limit until reset", "GET", 403,
			map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "RESET+120"},
			"API rate limit exceeded", 121 * time.Second},
		{"secondary limit without headers", "POST", 403, nil,
			"You have exceeded a secondary rate limit", time.Minute},
		{"server error", "GET", 502, nil, "bad gateway", 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, "")
			srv.AddPR(flaskPR())
			clock := newFakeClock()
			var fired atomic.Bool
			srv.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != tt.method || fired.Swap(true) {
					return false
				}
				for k, v := range tt.header {
					if strings.HasPrefix(v, "RESET+") {
						s, _ := strconv.Atoi(strings.TrimPrefix(v, "RESET+"))
						v = strconv.FormatInt(clock.Now().Unix()+int64(s), 10)
					}
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(`{"message":"` + tt.body + `"}`))
				return true
			}
			p := newPublisher(t, srv, clock, Settings{Summary: true, Checks: true})

			res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
			if len(res.Problems) != 0 {
				t.Fatalf("problems after one limited answer: %v", res.Problems)
			}
			if !containsWait(clock.sleeps(), tt.wantWait) {
				t.Errorf("waits %v, want one of %v", clock.sleeps(), tt.wantWait)
			}
			if st := srv.Snapshot(); len(st.IssueComments) != 1 || len(st.CheckRuns) != 1 {
				t.Errorf("after the retry: %d summaries %d check runs", len(st.IssueComments),
					len(st.CheckRuns))
			}
		})
	}
}

func containsWait(waits []time.Duration, want time.Duration) bool {
	for _, w := range waits {
		if w == want {
			return true
		}
	}
	return false
}

// TestRetriesAreBounded keeps answering 503: the request is tried
// 1+DefaultMaxRetries times with growing waits, then reported.
func TestRetriesAreBounded(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	srv.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(503)
		return true
	}
	clock := newFakeClock()
	p := newPublisher(t, srv, clock, Settings{Checks: true})

	res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
	if got := len(srv.Log); got != 1+DefaultMaxRetries {
		t.Errorf("requests: got %d, want %d", got, 1+DefaultMaxRetries)
	}
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}
	if got := clock.sleeps(); len(got) != len(want) || got[0] != want[0] || got[2] != want[2] {
		t.Errorf("waits: got %v, want %v", got, want)
	}
	if len(res.Problems) != 1 || res.Problems[0].Status != 503 {
		t.Errorf("problems: %v", res.Problems)
	}
}

// TestWritesAreSpaced: two writes are at least a second apart.
func TestWritesAreSpaced(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	clock := newFakeClock()
	p := newPublisher(t, srv, clock, allFeatures(Settings{}))
	publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
	if writes := srv.Writes(); len(clock.sleeps()) < writes-1 {
		t.Errorf("%d writes but only %d pauses", writes, len(clock.sleeps()))
	}
	for _, d := range clock.sleeps() {
		if d != DefaultWriteSpacing {
			t.Errorf("pause of %v, want %v", d, DefaultWriteSpacing)
		}
	}
}

// TestBadToken: a 401 stops the run after the first call and says why; the
// token never appears in what is reported.
func TestBadToken(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	srv.Token = "the-right-one"
	client, err := NewClient(ClientOptions{APIURL: srv.APIURL(), Token: "ghp_wrongtokenvalue123",
		Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	client.BaseURL.Path = "/"
	p := &Publisher{Client: client, Clock: newFakeClock(), Settings: allFeatures(Settings{Key: "secgate"})}

	res := publish(t, p, Input{Data: flaskData(t), Target: target(srv, 7)})
	if len(res.Problems) != 1 || res.Problems[0].Status != 401 {
		t.Fatalf("problems: %v", res.Problems)
	}
	if len(srv.Log) != 1 {
		t.Errorf("requests after a 401: got %d, want 1: %v", len(srv.Log), srv.Log)
	}
	if msg := res.Problems[0].Error(); strings.Contains(msg, "wrongtoken") ||
		!strings.Contains(msg, "Bad credentials") {
		t.Errorf("401 message: %q", msg)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"12", 12 * time.Second, true},
		{"Thu, 01 Jan 2026 00:00:30 GMT", 30 * time.Second, true},
		{"soon", 0, false},
		{"-3", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseRetryAfter(%q): got %v %v, want %v %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
