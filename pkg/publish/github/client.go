package github

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// DefaultAPIURL is GitHub.com's REST API.
const DefaultAPIURL = "https://api.github.com"

// ClientOptions say how to reach GitHub.
type ClientOptions struct {
	// APIURL is the REST base: empty for GitHub.com, the Enterprise Server
	// host (https://HOST, to which /api/v3 is added) or its API base.
	APIURL string
	// Token authenticates every request. It is only ever put in the
	// Authorization header.
	Token string
	Clock Clock
	Log   *slog.Logger
	// Base is the underlying transport; nil means http.DefaultTransport.
	Base http.RoundTripper
	// WriteSpacing overrides the pause between writes (tests set it).
	WriteSpacing time.Duration
}

// NewClient builds a go-github client whose requests go through Transport.
func NewClient(o ClientOptions) (*gh.Client, error) {
	clock := o.Clock
	if clock == nil {
		clock = RealClock{}
	}
	tr := &Transport{Base: o.Base, Token: o.Token, Clock: clock, Log: o.Log,
		WriteSpacing: o.WriteSpacing}
	c := gh.NewClient(&http.Client{Transport: tr})
	c.UserAgent = "secgate"

	api := strings.TrimSpace(o.APIURL)
	if api == "" || strings.EqualFold(strings.TrimSuffix(api, "/"), DefaultAPIURL) {
		return c, nil
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("API URL %q is not an http(s) URL", api)
	}
	// Enterprise Server serves the API under /api/v3/ and uploads under
	// /api/uploads/; go-github adds both unless the URL already has them.
	return c.WithEnterpriseURLs(api, api)
}
