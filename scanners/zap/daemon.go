package zap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/scanners"
)

// detectTimeout bounds the version call that tells whether a daemon answers.
const detectTimeout = 10 * time.Second

// stopTimeout bounds the call that stops a scan after secgate gave up on it.
const stopTimeout = 10 * time.Second

// Alerts are fetched in pages; maxAlertPages bounds how many, so that a
// daemon that keeps answering full pages cannot keep secgate busy forever.
const (
	alertPage     = 1000
	maxAlertPages = 1000
)

func (s *Scanner) detectDaemon(ctx context.Context, cfg config.Scanner) scanners.Detection {
	c, err := s.client(cfg)
	if err != nil {
		return scanners.Detection{Hint: err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, detectTimeout)
	defer cancel()
	version, err := c.version(ctx)
	if err != nil {
		return scanners.Detection{Hint: fmt.Sprintf("no ZAP answers at %s (%v); start one "+
			"(zap.sh -daemon) or import its report with report", cfg.ZAP.Daemon, err)}
	}
	return scanners.Detection{Installed: true, Version: version, Path: cfg.ZAP.Daemon}
}

// client builds the API client with the key from the environment.
func (s *Scanner) client(cfg config.Scanner) (*client, error) {
	key := ""
	if name := cfg.ZAP.APIKeyEnv; name != "" {
		if key = s.Getenv(name); key == "" {
			return nil, fmt.Errorf("scanners.%s.api_key_env: the variable %s is not set, or "+
				"empty", cfg.Name, name)
		}
	}
	return newClient(s.HTTP, cfg.ZAP.Daemon, key)
}

// runDaemon drives a running ZAP: spider the target, let the passive scanner
// read everything the spider fetched, optionally attack with an active scan,
// and fetch the alerts raised on the target. Every wait is a loop of short
// calls that ends at the scanner's deadline (ctx) or at its own limit.
func (s *Scanner) runDaemon(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	cfg := &req.Settings
	z := &cfg.ZAP
	if err := checkTarget(cfg.Name, z.Target); err != nil {
		return nil, err
	}
	c, err := s.client(*cfg)
	if err != nil {
		return nil, err
	}
	version, err := c.version(ctx)
	if err != nil {
		return nil, fmt.Errorf("reach the ZAP daemon: %w", err)
	}

	r := &run{c: c, log: req.Log, every: s.PollInterval, name: cfg.Name}
	if r.log == nil {
		r.log = io.Discard
	}
	if err := r.scans(ctx, z); err != nil {
		return nil, err
	}
	alerts, err := r.alerts(ctx, z.Target)
	if err != nil {
		return nil, err
	}

	rep := &report{Program: "ZAP", Version: version, Sites: 1, Alerts: alerts}
	res := rep.result(optionsOf(z))
	res.Stats.Notes = append(res.Stats.Notes, r.notes...)
	return res, nil
}

// checkTarget refuses to scan anything but an http or https URL with a host.
func checkTarget(name, target string) error {
	u, err := url.Parse(target)
	if target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("scanners.%s.target: %q is not an http or https URL; secgate scans "+
			"no URL it was not given", name, target)
	}
	return nil
}

// run is one drive of a daemon.
type run struct {
	c     *client
	log   io.Writer
	every time.Duration
	name  string
	notes []string
}

func (r *run) scans(ctx context.Context, z *config.ZAP) error {
	id, err := r.scan(ctx, "spider", z.Target, z.SpiderLimit, "spider_limit")
	if err != nil {
		return err
	}
	urls, err := r.c.spiderResults(ctx, id)
	if err != nil {
		return err
	}
	if len(urls) == 0 {
		return fmt.Errorf("the ZAP spider found no URL at %s: is the target reachable from "+
			"where ZAP runs?", z.Target)
	}
	r.notes = append(r.notes, fmt.Sprintf("zap: the spider found %d URLs", len(urls)))
	if err := r.passive(ctx); err != nil {
		return err
	}

	if !z.ActiveScan {
		return nil
	}
	if _, err := r.scan(ctx, "ascan", z.Target, z.ActiveScanLimit, "active_scan_limit"); err != nil {
		return err
	}
	// The active scan's own requests are passively scanned as well.
	return r.passive(ctx)
}

var phases = map[string]string{"spider": "spider", "ascan": "active scan"}

// scan starts a spider or an active scan and waits for it. Reaching limit
// stops it and keeps what it found, with a note; reaching ctx's deadline
// stops it too, and is an error, since the scan did not finish.
func (r *run) scan(ctx context.Context, component, target string, limit time.Duration,
	limitKey string) (string, error) {
	what := phases[component]
	id, err := r.c.startScan(ctx, component, target)
	if err != nil {
		return "", fmt.Errorf("start the %s: %w", what, err)
	}

	wait, cancel := ctx, context.CancelFunc(func() {})
	if limit > 0 {
		wait, cancel = context.WithTimeout(ctx, limit)
	}
	defer cancel()
	last := -1
	err = r.waitFor(wait, func(ctx context.Context) (bool, error) {
		p, err := r.c.status(ctx, component, id)
		if err == nil && p != last {
			fmt.Fprintf(r.log, "zap: %s %d%%\n", what, p)
			last = p
		}
		return p >= 100, err
	})
	if err == nil {
		return id, nil
	}

	r.stop(ctx, component, id)
	if ctx.Err() == nil && errors.Is(wait.Err(), context.DeadlineExceeded) {
		r.notes = append(r.notes, fmt.Sprintf("zap: the %s was stopped at %d%% when "+
			"scanners.%s.%s (%s) ran out; what it found so far is reported",
			what, max(last, 0), r.name, limitKey, limit))
		return id, nil
	}
	return "", fmt.Errorf("wait for the %s (at %d%%): %w", what, max(last, 0), err)
}

// stop asks ZAP to stop a scan that secgate no longer waits for, so that it
// does not go on attacking the target. It has its own short deadline, since
// ctx may be the one that ran out; a failure only goes to the log.
func (r *run) stop(ctx context.Context, component, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	if err := r.c.stopScan(ctx, component, id); err != nil {
		fmt.Fprintf(r.log, "zap: could not stop the %s: %v\n", phases[component], err)
	}
}

// passive waits until the passive scanner has read every recorded message.
func (r *run) passive(ctx context.Context) error {
	left := -1
	err := r.waitFor(ctx, func(ctx context.Context) (bool, error) {
		n, err := r.c.recordsToScan(ctx)
		if err == nil && n != left {
			fmt.Fprintf(r.log, "zap: passive scan, %d records to scan\n", n)
			left = n
		}
		return n == 0, err
	})
	if err != nil {
		return fmt.Errorf("wait for the passive scan (%d records left): %w", max(left, 0), err)
	}
	return nil
}

// waitFor calls check until it reports done or fails, pausing r.every
// between calls, and gives up when ctx ends.
func (r *run) waitFor(ctx context.Context, check func(context.Context) (bool, error)) error {
	ticker := time.NewTicker(max(r.every, time.Millisecond))
	defer ticker.Stop()
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

// apiAlert is an alert as the API returns it: one per place it was seen,
// risk and confidence as words.
type apiAlert struct {
	PluginID    text `json:"pluginId"`
	AlertRef    text `json:"alertRef"`
	Alert       text `json:"alert"`
	Name        text `json:"name"`
	Risk        text `json:"risk"`
	Confidence  text `json:"confidence"`
	Description text `json:"description"`
	Solution    text `json:"solution"`
	Reference   text `json:"reference"`
	CWE         text `json:"cweid"`
	WASC        text `json:"wascid"`
	URL         text `json:"url"`
	Method      text `json:"method"`
	Param       text `json:"param"`
}

func (a *apiAlert) raw() rawAlert {
	return rawAlert{
		PluginID: string(a.PluginID), AlertRef: string(a.AlertRef), Alert: string(a.Alert),
		Name: string(a.Name), RiskCode: string(a.Risk), Confidence: string(a.Confidence),
		Desc: string(a.Description), Solution: string(a.Solution),
		Reference: string(a.Reference), CWE: string(a.CWE), WASC: string(a.WASC),
		Instances: []instance{{URI: string(a.URL), Method: string(a.Method),
			Param: string(a.Param)}},
	}
}

// alerts fetches the alerts ZAP raised on URLs under target, page by page.
func (r *run) alerts(ctx context.Context, target string) ([]alert, error) {
	var out []alert
	for page := range maxAlertPages {
		var answer struct {
			Alerts []apiAlert `json:"alerts"`
		}
		params := url.Values{"baseurl": {target}, "start": {strconv.Itoa(page * alertPage)},
			"count": {strconv.Itoa(alertPage)}}
		if err := r.c.get(ctx, "core/view/alerts", params, &answer); err != nil {
			return nil, fmt.Errorf("fetch the alerts: %w", err)
		}
		raws := make([]rawAlert, len(answer.Alerts))
		for i := range answer.Alerts {
			raws[i] = answer.Alerts[i].raw()
		}
		alerts, err := siteAlerts(target, raws, 0)
		if err != nil {
			return nil, fmt.Errorf("zap api core/view/alerts: %w", err)
		}
		out = append(out, alerts...)
		if len(answer.Alerts) < alertPage {
			return out, nil
		}
	}
	return nil, fmt.Errorf("ZAP holds more than %d alerts for %s; secgate stops reading there",
		alertPage*maxAlertPages, target)
}

// percent reads a scan's status, a percentage as text.
func percent(component, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 100 {
		return 0, fmt.Errorf("zap api %s/view/status: %q is not a percentage", component, s)
	}
	return n, nil
}

// count reads a whole number that ZAP wrote as text.
func count(call, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("zap api %s: %q is not a count", call, s)
	}
	return n, nil
}
