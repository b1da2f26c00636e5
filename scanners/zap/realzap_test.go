package zap

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners"
)

// zapStart bounds how long a real ZAP may take to start answering.
const zapStart = 3 * time.Minute

// TestRealZAPDaemon drives a real ZAP daemon through a whole scan of a small
// site on loopback. scripts/install-tools.sh installs ZAP's core from Maven
// Central; ZAP's scan rules are add-ons that no registry here serves, so
// this ZAP raises no alerts. What it checks is the API as the real ZAP
// speaks it: the key, the spider that must reach the site's pages, the
// passive scanner draining, the active scan and the alerts call; the
// alert shapes are checked against the fake and the real reports.
func TestRealZAPDaemon(t *testing.T) {
	zapsh := testenv.Tool(t, "zap.sh", "SECGATE_ZAP", ".tools/zap/zap.sh")
	site := &trackedSite{}
	target := httptest.NewServer(site)
	t.Cleanup(target.Close)
	key := randomKey(t)
	daemon := startZAP(t, zapsh, key)

	req := scanners.Request{Settings: config.Scanner{Name: "dast", Type: "zap",
		Timeout: 3 * time.Minute, ZAP: config.ZAP{Daemon: daemon, Target: target.URL + "/",
			APIKeyEnv: "ZAP_API_KEY", ActiveScan: true, ActiveScanLimit: time.Minute}}}
	s := New()
	s.PollInterval = 200 * time.Millisecond
	s.Getenv = func(string) string { return key }

	ctx, cancel := context.WithTimeout(context.Background(), req.Settings.Timeout)
	defer cancel()
	res, err := s.Run(ctx, req)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("ZAP %s: %v; %d findings", res.Tool.Version, res.Stats.Notes, len(res.Findings))
	if !containsPrefix(res.Stats.Notes, "zap: the spider found ") {
		t.Errorf("notes: got %v, want the spider's count", res.Stats.Notes)
	}
	for _, page := range []string{"/", "/a.html", "/b.html"} {
		if !site.requested(page) {
			t.Errorf("ZAP never requested %s; it requested %v", page, site.paths())
		}
	}
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.Location.Logical, target.URL) {
			t.Errorf("finding outside the target: %+v", f)
		}
	}

	// The same daemon with a wrong key refuses, and the error keeps the key out.
	s.Getenv = func(string) string { return key + "0" }
	_, err = s.Run(ctx, req)
	if err == nil || !strings.Contains(err.Error(), "API key") || strings.Contains(err.Error(), key) {
		t.Errorf("wrong key: got %v, want an error about the key that does not show it", err)
	}
}

// trackedSite is a three-page site that records what was requested.
type trackedSite struct {
	mu   sync.Mutex
	seen []string
}

func (s *trackedSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, r.URL.Path)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html")
	switch r.URL.Path {
	case "/":
		fmt.Fprint(w, `<html><body><a href="/a.html">a</a> <a href="/b.html?x=1">b</a>`+
			`<form action="/search"><input name="q"></form></body></html>`)
	case "/a.html", "/b.html", "/search":
		fmt.Fprint(w, `<html><body>page</body></html>`)
	default:
		http.NotFound(w, r)
	}
}

func (s *trackedSite) requested(path string) bool {
	return slices.Contains(s.paths(), path)
}

func (s *trackedSite) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

func randomKey(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// startZAP starts a ZAP daemon on a free loopback port, with its home in a
// temporary directory and -silent so that it makes no request of its own
// (no check for updates), and stops its whole process group at the end.
func startZAP(t *testing.T, zapsh, key string) string {
	t.Helper()
	port := freePort(t)
	home := t.TempDir()
	out, err := os.Create(filepath.Join(t.TempDir(), "zap.out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(zapsh, "-daemon", "-silent", "-host", "127.0.0.1", "-port", port,
		"-dir", home, "-config", "api.key="+key, "-config", "database.recoverylog=false")
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ZAP: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		out.Close()
	})

	daemon := "http://127.0.0.1:" + port
	c, err := newClient(New().HTTP, daemon, key)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(zapStart)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.version(ctx)
		cancel()
		if err == nil {
			return daemon
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(out.Name())
			t.Fatalf("ZAP did not answer within %s: %v\n%s", zapStart, err, tail(log))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
