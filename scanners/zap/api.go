package zap

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// requestTimeout bounds one API call; a long scan is many short calls.
const requestTimeout = 2 * time.Minute

// maxAnswer bounds one API answer. A page of alerts is the largest.
const maxAnswer = 256 << 20

// client calls a ZAP daemon's JSON API.
type client struct {
	base *url.URL
	key  string
	http *http.Client
}

func newClient(hc *http.Client, daemon, key string) (*client, error) {
	u, err := url.Parse(strings.TrimRight(daemon, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("daemon %q is not an http or https URL with a host", daemon)
	}
	return &client{base: u, key: key, http: hc}, nil
}

// apiError is the error body ZAP answers a bad call with.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// get calls /JSON/<component>/<view|action>/<name>/ and decodes the answer
// into out. The key travels in the X-ZAP-API-Key header, never in the URL,
// so that no URL in an error or a log can carry it.
func (c *client) get(ctx context.Context, call string, params url.Values, out any) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()

	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/JSON/" + call + "/"
	u.RawQuery = params.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return c.redact(fmt.Errorf("zap api %s: %w", call, err))
	}
	if c.key != "" {
		req.Header.Set("X-ZAP-API-Key", c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.redact(c.explain(call, err))
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return c.redact(fmt.Errorf("zap api %s: read the answer: %w", call, err))
	}
	if resp.StatusCode != http.StatusOK {
		return c.redact(c.statusError(call, resp.StatusCode, body))
	}
	if len(body) > maxAnswer {
		return fmt.Errorf("zap api %s: the answer is larger than %d MiB", call, maxAnswer>>20)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return c.redact(fmt.Errorf("zap api %s: the answer is not the JSON ZAP sends: %w",
			call, err))
	}
	return nil
}

// explain adds a hint to a failed request. ZAP closes the connection without
// an answer when the API key is wrong or missing.
func (c *client) explain(call string, err error) error {
	if errors.Is(err, io.EOF) || strings.Contains(err.Error(), "EOF") {
		return fmt.Errorf("zap api %s: ZAP at %s closed the connection without an answer, "+
			"which it does when the API key is wrong or missing (check api_key_env): %w",
			call, c.base.Redacted(), err)
	}
	return fmt.Errorf("zap api %s: %w", call, err)
}

func (c *client) statusError(call string, status int, body []byte) error {
	var e apiError
	if json.Unmarshal(body, &e) == nil && e.Code != "" {
		hint := ""
		if e.Code == "bad_api_key" {
			hint = " (check the API key in the variable api_key_env names)"
		}
		return fmt.Errorf("zap api %s: ZAP answered %d %s: %s%s", call, status, e.Code,
			e.Message, hint)
	}
	return fmt.Errorf("zap api %s: ZAP answered %d: %.200s", call, status, body)
}

// redact removes the API key from an error's text, in case something on the
// way (a proxy's error page, an echoing server) put it there. The original
// error stays reachable for errors.Is, for a deadline say.
func (c *client) redact(err error) error {
	if err == nil || c.key == "" || !strings.Contains(err.Error(), c.key) {
		return err
	}
	return &redacted{msg: strings.ReplaceAll(err.Error(), c.key, "[api key]"), err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// version asks ZAP for its version, which also proves the key works.
func (c *client) version(ctx context.Context) (string, error) {
	var out struct {
		Version string `json:"version"`
	}
	err := c.get(ctx, "core/view/version", nil, &out)
	return out.Version, err
}

// startScan starts a spider or an active scan and returns its id.
func (c *client) startScan(ctx context.Context, component, target string) (string, error) {
	var out struct {
		Scan string `json:"scan"`
	}
	params := url.Values{"url": {target}, "recurse": {"true"}}
	if err := c.get(ctx, component+"/action/scan", params, &out); err != nil {
		return "", err
	}
	if out.Scan == "" {
		return "", fmt.Errorf("zap api %s/action/scan: the answer has no scan id", component)
	}
	return out.Scan, nil
}

// status returns how far a spider or an active scan got, 0 to 100.
func (c *client) status(ctx context.Context, component, id string) (int, error) {
	var out struct {
		Status text `json:"status"`
	}
	if err := c.get(ctx, component+"/view/status", url.Values{"scanId": {id}}, &out); err != nil {
		return 0, err
	}
	return percent(component, string(out.Status))
}

func (c *client) stopScan(ctx context.Context, component, id string) error {
	var out map[string]any
	return c.get(ctx, component+"/action/stop", url.Values{"scanId": {id}}, &out)
}

// spiderResults returns the URLs the spider found.
func (c *client) spiderResults(ctx context.Context, id string) ([]string, error) {
	var out struct {
		Results []string `json:"results"`
	}
	err := c.get(ctx, "spider/view/results", url.Values{"scanId": {id}}, &out)
	return out.Results, err
}

// recordsToScan returns how many messages the passive scanner still has to read.
func (c *client) recordsToScan(ctx context.Context) (int, error) {
	var out struct {
		Records text `json:"recordsToScan"`
	}
	if err := c.get(ctx, "pscan/view/recordsToScan", nil, &out); err != nil {
		return 0, err
	}
	return count("pscan/view/recordsToScan", string(out.Records))
}
