package zap

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

const (
	testKey    = "zap-key-5f1e9c7d"
	testTarget = "http://app:8080/"
)

// fakeZAP answers like a ZAP daemon's JSON API: the calls secgate makes, with
// the answers' real shapes (numbers as strings, risk and confidence as
// words), and ZAP's two ways of refusing a wrong API key. Each status call
// takes the next value of its list, and the last one repeats, so a list that
// ends below 100 is a scan that never finishes.
type fakeZAP struct {
	t *testing.T

	spider, ascan, records []string
	urls                   []string
	alerts                 []map[string]string
	// dropBadKey closes the connection on a wrong key, as ZAP 2.11 does;
	// otherwise it answers 400 bad_api_key, echoing the key it got.
	dropBadKey bool

	mu    sync.Mutex
	calls []string
	steps map[string]int
}

func (f *fakeZAP) start() *httptest.Server {
	srv := httptest.NewServer(f)
	f.t.Cleanup(srv.Close)
	return srv
}

func (f *fakeZAP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	call := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/JSON/"), "/")
	f.calls = append(f.calls, call)
	if r.URL.Query().Has("apikey") {
		f.t.Errorf("%s: the API key travelled in the URL", call)
	}
	if got := r.Header.Get("X-ZAP-API-Key"); got != testKey {
		f.refuse(w, got)
		return
	}
	answer, status := f.answer(call, r)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(answer); err != nil {
		f.t.Errorf("encode: %v", err)
	}
}

func (f *fakeZAP) refuse(w http.ResponseWriter, got string) {
	if f.dropBadKey {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"code":"bad_api_key","message":"Bad API Key %s"}`, got)
}

func (f *fakeZAP) answer(call string, r *http.Request) (any, int) {
	q := r.URL.Query()
	switch call {
	case "core/view/version":
		return map[string]string{"version": "2.16.1"}, http.StatusOK
	case "spider/action/scan", "ascan/action/scan":
		if q.Get("url") != testTarget {
			f.t.Errorf("%s: url %q, want the target %q", call, q.Get("url"), testTarget)
		}
		return map[string]string{"scan": "7"}, http.StatusOK
	case "spider/view/status", "ascan/view/status":
		if q.Get("scanId") != "7" {
			return map[string]string{"code": "does_not_exist", "message": "Does Not Exist"},
				http.StatusBadRequest
		}
		list := f.spider
		if strings.HasPrefix(call, "ascan") {
			list = f.ascan
		}
		return map[string]string{"status": f.next(call, list)}, http.StatusOK
	case "spider/action/stop", "ascan/action/stop":
		return map[string]string{"Result": "OK"}, http.StatusOK
	case "spider/view/results":
		return map[string][]string{"results": f.urls}, http.StatusOK
	case "pscan/view/recordsToScan":
		return map[string]string{"recordsToScan": f.next(call, f.records)}, http.StatusOK
	case "core/view/alerts":
		return map[string][]map[string]string{"alerts": f.page(q.Get("baseurl"),
			q.Get("start"), q.Get("count"))}, http.StatusOK
	}
	return map[string]string{"code": "bad_view", "message": "Bad View"}, http.StatusBadRequest
}

func (f *fakeZAP) next(call string, list []string) string {
	if f.steps == nil {
		f.steps = map[string]int{}
	}
	i := min(f.steps[call], len(list)-1)
	f.steps[call]++
	return list[i]
}

// page filters the alerts by base URL and pages them as ZAP does.
func (f *fakeZAP) page(base, start, count string) []map[string]string {
	var under []map[string]string
	for _, a := range f.alerts {
		if strings.HasPrefix(a["url"], base) {
			under = append(under, a)
		}
	}
	from, _ := strconv.Atoi(start)
	n, _ := strconv.Atoi(count)
	from = min(from, len(under))
	return under[from:min(from+n, len(under))]
}

func (f *fakeZAP) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// apiAlerts turns a real report into the alerts the API gives for the same
// scan: one per instance, with risk and confidence as words, and every URL
// moved under testTarget.
func apiAlerts(t *testing.T, fixture string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(testenv.Fixture(t, "zap/"+fixture))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := decodeAny(data, fixture)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, a := range rep.Alerts {
		for _, in := range a.Instances {
			out = append(out, map[string]string{
				"pluginId": a.PluginID, "alertRef": a.AlertRef, "alert": a.Name, "name": a.Name,
				"risk": a.Risk.String(), "confidence": a.Confidence.String(),
				"description": a.Desc, "solution": a.Solution, "reference": a.Reference,
				"cweid": a.CWE, "wascid": a.WASC, "sourceid": "3", "messageId": "12",
				"url": strings.Replace(in.URI, a.Site+"/", testTarget, 1), "method": in.Method,
				"param": in.Param, "attack": "", "evidence": "", "other": "", "id": "1",
			})
		}
	}
	return out
}

func daemonRequest(srv *httptest.Server, z config.ZAP, timeout time.Duration) (scanners.Request,
	*bytes.Buffer) {
	z.Daemon, z.Target, z.APIKeyEnv = srv.URL, testTarget, "ZAP_API_KEY"
	log := &bytes.Buffer{}
	return scanners.Request{Settings: config.Scanner{Name: "dast", Type: "zap", Timeout: timeout,
		ZAP: z}, Log: log}, log
}

func testScanner() *Scanner {
	s := New()
	s.PollInterval = time.Millisecond
	s.Getenv = func(name string) string {
		if name == "ZAP_API_KEY" {
			return testKey
		}
		return ""
	}
	return s
}

func runScan(t *testing.T, s *Scanner, req scanners.Request) (*scanners.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), req.Settings.Timeout)
	defer cancel()
	res, err := s.Run(ctx, req)
	if err != nil && strings.Contains(err.Error(), testKey) {
		t.Errorf("the API key is in the error: %v", err)
	}
	return res, err
}

// TestDaemonScan drives the fake through a whole scan and checks that the
// alerts the API gives become the same findings as the report ZAP wrote for
// the same scan.
func TestDaemonScan(t *testing.T) {
	fake := &fakeZAP{t: t, spider: []string{"0", "40", "100"}, records: []string{"5", "2", "0"},
		urls:   []string{testTarget, testTarget + "robots.txt"},
		alerts: apiAlerts(t, "json/bcgov-vhers-scan-2.14.0.json")}
	req, log := daemonRequest(fake.start(), config.ZAP{}, 10*time.Second)

	res, err := runScan(t, testScanner(), req)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	want := []string{"core/view/version", "spider/action/scan", "spider/view/status",
		"spider/view/status", "spider/view/status", "spider/view/results",
		"pscan/view/recordsToScan", "pscan/view/recordsToScan", "pscan/view/recordsToScan",
		"core/view/alerts"}
	if got := fake.called(); !slices.Equal(got, want) {
		t.Errorf("calls:\n got %v\nwant %v", got, want)
	}

	imported := parseFixture(t, "json/bcgov-vhers-scan-2.14.0.json")
	if got, want := findingKeys(res, testTarget), findingKeys(imported,
		"https://vhers-virus-scan-tools-c82b4c-tools.apps.silver.devops.gov.bc.ca/"); got != want {
		t.Errorf("findings from the API differ from the report's:\n got %s\nwant %s", got, want)
	}
	if res.Tool.Version != "2.16.1" {
		t.Errorf("version: got %q", res.Tool.Version)
	}
	for _, w := range []string{"zap: spider 40%", "zap: passive scan, 2 records to scan"} {
		if !strings.Contains(log.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, log)
		}
	}
}

// findingKeys lists findings as rule, severity, message and URL (relative
// to base), sorted, so that two results can be compared.
func findingKeys(res *scanners.Result, base string) string {
	var keys []string
	for _, f := range res.Findings {
		keys = append(keys, fmt.Sprintf("%s %s %s %s", f.Rule.ID, f.Severity, f.Message,
			strings.TrimPrefix(f.Location.Logical, base)))
	}
	slices.Sort(keys)
	return strings.Join(keys, "\n")
}

// TestDaemonLimits runs scans that finish, that hit their own time limit and
// that never finish before the scanner's timeout; a stuck passive scanner
// and a spider that found nothing are failures too.
func TestDaemonLimits(t *testing.T) {
	tests := []struct {
		name      string
		fake      *fakeZAP
		zap       config.ZAP
		timeout   time.Duration
		wantErr   string
		deadline  bool
		wantNote  string
		wantCalls []string // calls that must have been made
	}{
		{
			name: "active scan to the end",
			fake: &fakeZAP{spider: []string{"100"}, ascan: []string{"10", "60", "100"},
				records: []string{"0"}},
			zap:       config.ZAP{ActiveScan: true},
			timeout:   10 * time.Second,
			wantCalls: []string{"ascan/action/scan", "ascan/view/status"},
		},
		{
			name:    "active scan stopped at its limit",
			fake:    &fakeZAP{spider: []string{"100"}, ascan: []string{"30"}, records: []string{"0"}},
			zap:     config.ZAP{ActiveScan: true, ActiveScanLimit: 30 * time.Millisecond},
			timeout: 10 * time.Second,
			wantNote: "zap: the active scan was stopped at 30% when " +
				"scanners.dast.active_scan_limit (30ms) ran out",
			wantCalls: []string{"ascan/action/stop", "core/view/alerts"},
		},
		{
			name:      "spider stopped at its limit",
			fake:      &fakeZAP{spider: []string{"55"}, records: []string{"0"}},
			zap:       config.ZAP{SpiderLimit: 20 * time.Millisecond},
			timeout:   10 * time.Second,
			wantNote:  "zap: the spider was stopped at 55%",
			wantCalls: []string{"spider/action/stop", "core/view/alerts"},
		},
		{
			name:      "spider that never finishes",
			fake:      &fakeZAP{spider: []string{"10"}},
			timeout:   400 * time.Millisecond,
			wantErr:   "wait for the spider (at 10%)",
			deadline:  true,
			wantCalls: []string{"spider/action/stop"},
		},
		{
			name:      "active scan that never finishes, without a limit",
			fake:      &fakeZAP{spider: []string{"100"}, ascan: []string{"90"}, records: []string{"0"}},
			zap:       config.ZAP{ActiveScan: true},
			timeout:   400 * time.Millisecond,
			wantErr:   "wait for the active scan (at 90%)",
			deadline:  true,
			wantCalls: []string{"ascan/action/stop"},
		},
		{
			name:     "passive scanner that never drains",
			fake:     &fakeZAP{spider: []string{"100"}, records: []string{"9", "7"}},
			timeout:  400 * time.Millisecond,
			wantErr:  "wait for the passive scan (7 records left)",
			deadline: true,
		},
		{
			name:    "spider that found nothing",
			fake:    &fakeZAP{spider: []string{"100"}},
			timeout: 10 * time.Second,
			wantErr: "the ZAP spider found no URL at http://app:8080/",
		},
		{
			name:    "a status that is not a percentage",
			fake:    &fakeZAP{spider: []string{"running"}},
			timeout: 10 * time.Second,
			wantErr: `zap api spider/view/status: "running" is not a percentage`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := tt.fake
			fake.t = t
			if fake.urls == nil && tt.name != "spider that found nothing" {
				fake.urls = []string{testTarget}
			}
			req, log := daemonRequest(fake.start(), tt.zap, tt.timeout)
			res, err := runScan(t, testScanner(), req)

			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				if got := errors.Is(err, context.DeadlineExceeded); got != tt.deadline {
					t.Errorf("errors.Is(err, DeadlineExceeded): got %v, want %v", got, tt.deadline)
				}
			} else if err != nil {
				t.Fatalf("run: %v", err)
			}
			if tt.wantNote != "" && (res == nil || !containsPrefix(res.Stats.Notes, tt.wantNote)) {
				t.Errorf("notes: got %v, want one starting %q", notes(res), tt.wantNote)
			}
			calls := fake.called()
			for _, c := range tt.wantCalls {
				if !slices.Contains(calls, c) {
					t.Errorf("no call to %s among %v", c, calls)
				}
			}
			if strings.Contains(log.String(), testKey) {
				t.Errorf("the API key is in the log")
			}
		})
	}
}

func containsPrefix(list []string, prefix string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.HasPrefix(s, prefix) })
}

func notes(res *scanners.Result) []string {
	if res == nil {
		return nil
	}
	return res.Stats.Notes
}

// TestDaemonKey checks the API key's way: from the variable the config
// names, in a header, and never in an error, even when ZAP repeats the wrong
// key it was sent in its answer.
func TestDaemonKey(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		drop    bool
		wantErr string
	}{
		{"wrong key, answered", map[string]string{"ZAP_API_KEY": testKey + "-old"}, false,
			"ZAP answered 400 bad_api_key: Bad API Key [api key] (check the API key"},
		{"wrong key, connection closed", map[string]string{"ZAP_API_KEY": testKey + "x"}, true,
			"closed the connection without an answer, which it does when the API key is wrong"},
		{"variable not set", map[string]string{}, false,
			"scanners.dast.api_key_env: the variable ZAP_API_KEY is not set, or empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeZAP{t: t, dropBadKey: tt.drop, spider: []string{"100"}}
			req, _ := daemonRequest(fake.start(), config.ZAP{}, 10*time.Second)
			s := testScanner()
			s.Getenv = func(name string) string { return tt.env[name] }

			_, err := runScan(t, s, req)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
			}
			for _, v := range tt.env {
				if strings.Contains(err.Error(), v) {
					t.Errorf("the key is in the error: %v", err)
				}
			}
			d := s.Detect(context.Background(), req.Settings)
			if d.Installed || strings.Contains(d.Hint, testKey) {
				t.Errorf("detect: got installed %v, hint %q", d.Installed, d.Hint)
			}
		})
	}
}

func TestDetectDaemon(t *testing.T) {
	fake := &fakeZAP{t: t}
	srv := fake.start()
	req, _ := daemonRequest(srv, config.ZAP{}, time.Minute)
	d := testScanner().Detect(context.Background(), req.Settings)
	if !d.Installed || d.Version != "2.16.1" {
		t.Errorf("answering daemon: got %+v, want installed 2.16.1", d)
	}

	srv.Close()
	d = testScanner().Detect(context.Background(), req.Settings)
	if d.Installed || !strings.Contains(d.Hint, "no ZAP answers at "+srv.URL) {
		t.Errorf("closed daemon: got %+v, want a hint naming it", d)
	}
}

// TestDaemonAlertPages checks that alerts are read page by page until a
// short page, each page's size and start as ZAP's API takes them.
func TestDaemonAlertPages(t *testing.T) {
	var alerts []map[string]string
	for i := range alertPage + 500 {
		alerts = append(alerts, map[string]string{"pluginId": "10021", "alertRef": "10021",
			"alert": "X-Content-Type-Options Header Missing", "risk": "Low",
			"confidence": "Medium", "url": testTarget + "p" + strconv.Itoa(i), "method": "GET",
			"cweid": "693", "wascid": "15"})
	}
	alerts = append(alerts, map[string]string{"pluginId": "1", "alert": "elsewhere",
		"risk": "High", "confidence": "High", "url": "http://other/"})
	fake := &fakeZAP{t: t, spider: []string{"100"}, records: []string{"0"},
		urls: []string{testTarget}, alerts: alerts}
	req, _ := daemonRequest(fake.start(), config.ZAP{}, 10*time.Second)

	res, err := runScan(t, testScanner(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != alertPage+500 {
		t.Errorf("findings: got %d, want %d (none from outside the target)",
			len(res.Findings), alertPage+500)
	}
	pages := 0
	for _, c := range fake.called() {
		if c == "core/view/alerts" {
			pages++
		}
	}
	if pages != 2 {
		t.Errorf("alert pages: got %d calls, want 2", pages)
	}
}
