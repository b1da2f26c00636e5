package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/secgate/secgate/pkg/bundle"
	"github.com/secgate/secgate/pkg/ci"
	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/iostreams"
	ghpub "github.com/secgate/secgate/pkg/publish/github"
	"github.com/secgate/secgate/pkg/redact"
	"github.com/secgate/secgate/pkg/report"
)

// publishJob is one publication of a gate's result to GitHub.
type publishJob struct {
	f      *factory
	Data   *report.Data
	SARIF  []byte
	Config *config.Config
	Root   string
	CI     ci.Context
	Flags  publishFlags
	Getenv func(string) string
	// Claim is what a result bundle says about its pull request. It was
	// written by a job that ran the pull request's code, so it is checked
	// against the trusted side before use.
	Claim *bundle.PR
	// Anchor is the config's path in the repository, for results without a file.
	Anchor string
}

// envName is what an environment variable name may be.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// run publishes and returns how many features had problems. An error means
// nothing could be published at all.
func (j *publishJob) run(ctx context.Context) (int, error) {
	token, err := j.token()
	if err != nil {
		return 0, err
	}
	// The token may come from any variable --token-env names; withhold it
	// from every output of the run from here on.
	redact.Register(token)
	client, err := ghpub.NewClient(ghpub.ClientOptions{APIURL: j.apiURL(), Token: token,
		Clock: j.Flags.clock, Log: j.f.Logger()})
	if err != nil {
		return 0, err
	}
	target, err := j.target(ctx, client)
	if err != nil {
		return 0, scrub(err, token)
	}

	p := &ghpub.Publisher{Client: client, Clock: j.Flags.clock, Log: j.f.Logger(),
		Settings: j.settings(target)}
	res, err := p.Publish(ctx, ghpub.Input{Data: j.Data, SARIF: j.SARIF, Target: target})
	if err != nil {
		return 0, scrub(err, token)
	}
	j.report(res, target, token)
	return len(res.Problems), nil
}

// strict reports whether publishing problems count against the verdict.
func (j *publishJob) strict() bool {
	return j.Config != nil && j.Config.Publish.Errors == config.PublishErrorsFail
}

func (j *publishJob) token() (string, error) {
	name := firstSet(j.Flags.TokenEnv, "GITHUB_TOKEN")
	if !envName.MatchString(name) {
		return "", fmt.Errorf("--token-env %q is not an environment variable name "+
			"(pass the variable's name, never the token)", name)
	}
	token := strings.TrimSpace(j.Getenv(name))
	if token == "" {
		return "", fmt.Errorf("no GitHub token: $%s is empty (in Actions pass "+
			"GITHUB_TOKEN: ${{ github.token }} in env)", name)
	}
	return token, nil
}

func (j *publishJob) apiURL() string {
	return firstSet(j.Flags.APIURL, j.CI.APIURL, j.Getenv("GITHUB_API_URL"))
}

// serverURL is the web base for links: GitHub.com, or the GHES host.
func (j *publishJob) serverURL() string {
	if j.CI.ServerURL != "" {
		return j.CI.ServerURL
	}
	api := strings.TrimSuffix(j.apiURL(), "/")
	if api == "" || strings.EqualFold(api, ghpub.DefaultAPIURL) {
		return "https://github.com"
	}
	return strings.TrimSuffix(api, "/api/v3")
}

// target decides where to publish from trusted sources (flags, then the CI
// environment) and checks a bundle's claim against them and GitHub.
func (j *publishJob) target(ctx context.Context, client *gh.Client) (ghpub.Target, error) {
	claim := j.Claim
	if claim == nil {
		claim = &bundle.PR{}
	}
	repo := firstSet(j.Flags.Repo, j.CI.Repository)
	if repo == "" {
		return ghpub.Target{}, fmt.Errorf("no repository: pass --repo owner/name " +
			"(GitHub Actions and Jenkins give it themselves)")
	}
	if claim.Repository != "" && !strings.EqualFold(claim.Repository, repo) {
		return ghpub.Target{}, fmt.Errorf("the bundle is for %s, but this job publishes to %s; "+
			"refusing it", claim.Repository, repo)
	}
	owner, name, err := ci.SplitRepository(repo)
	if err != nil {
		return ghpub.Target{}, err
	}

	head, pr, err := j.headAndPR(ctx, client, owner, name, claim)
	if err != nil {
		return ghpub.Target{}, err
	}
	return ghpub.Target{Owner: owner, Repo: name, PR: pr, HeadSHA: head,
		Ref: j.Flags.Ref, CommitSHA: j.Flags.CommitSHA, ServerURL: j.serverURL()}, nil
}

// headAndPR settles the head commit and PR number. A number taken from a
// bundle must be a PR whose head is the commit this job trusts.
func (j *publishJob) headAndPR(ctx context.Context, client *gh.Client, owner, repo string,
	claim *bundle.PR) (string, int, error) {
	head := firstSet(j.Flags.HeadSHA, j.CI.HeadSHA)
	if head != "" && claim.HeadSHA != "" && !strings.EqualFold(head, claim.HeadSHA) {
		return "", 0, fmt.Errorf("the bundle was made for commit %s, but this job is for %s; "+
			"refusing it", ci.ShortSHA(claim.HeadSHA), ci.ShortSHA(head))
	}
	pr := j.Flags.PR
	if pr == 0 {
		pr = j.CI.PR
	}
	fromClaim := pr == 0 && claim.Number > 0
	if fromClaim {
		pr = claim.Number
	}
	if pr == 0 || (head != "" && !fromClaim) {
		return firstSet(head, claim.HeadSHA), pr, nil
	}

	prHead, _, err := ghpub.PRCommits(ctx, client, owner, repo, pr)
	if err != nil {
		return "", 0, err
	}
	switch {
	case head == "" && !fromClaim:
		return prHead, pr, nil
	case !strings.EqualFold(prHead, firstSet(head, claim.HeadSHA)):
		return "", 0, fmt.Errorf("the bundle names pull request #%d, whose head is %s, not "+
			"the commit %s it was made for; refusing it", pr, ci.ShortSHA(prHead),
			ci.ShortSHA(firstSet(head, claim.HeadSHA)))
	}
	return prHead, pr, nil
}

func (j *publishJob) settings(t ghpub.Target) ghpub.Settings {
	cfg := j.Config
	if cfg == nil {
		cfg = config.Default()
	}
	s := ghpub.Settings{
		Key:               cfg.Key,
		MaxInlineComments: cfg.Publish.MaxInlineComments,
		Summary:           !slices.Contains(j.Flags.Skip, "summary"),
		Inline:            !slices.Contains(j.Flags.Skip, "inline"),
		Checks:            !slices.Contains(j.Flags.Skip, "checks"),
		SARIF:             j.Flags.UploadSARIF || cfg.Publish.UploadSARIF,
		Author:            j.Flags.Author,
		InActions:         j.CI.Provider == ci.ProviderActions,
		AnchorPath:        j.Anchor,
		RunURL:            j.CI.RunURL,
		SARIFURL:          j.Flags.SARIFURL,
	}
	if s.MaxInlineComments == 0 {
		s.MaxInlineComments = -1 // 0 in the config turns inline comments off
	}
	if j.Flags.DiffSource == "git" {
		s.Diff = ghpub.GitDiff{Dir: j.Root, Base: firstSet(j.Flags.BaseSHA, j.CI.BaseSHA),
			Head: t.HeadSHA}
	}
	return s
}

// report tells on stderr what was posted and every problem.
func (j *publishJob) report(res *ghpub.Result, t ghpub.Target, token string) {
	w := j.f.IO.ErrOut
	where := t.Owner + "/" + t.Repo
	if t.PR > 0 {
		where += fmt.Sprintf("#%d", t.PR)
	}
	var parts []string
	if res.SummaryURL != "" {
		parts = append(parts, "summary "+res.SummaryURL)
	}
	if res.CheckRunURL != "" {
		parts = append(parts, "check run "+res.CheckRunURL)
	}
	if res.StatusSet {
		parts = append(parts, "commit status (the token cannot create check runs)")
	}
	in := res.Inline
	if in.Posted+in.Kept+in.Fixed > 0 {
		parts = append(parts, fmt.Sprintf("inline comments: %d new, %d already there, %d "+
			"marked fixed", in.Posted, in.Kept, in.Fixed))
	}
	if res.SARIF != nil && res.SARIF.Processed {
		parts = append(parts, "code scanning upload processed")
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "published to %s: %s\n", where, strings.Join(parts, "; "))
	}
	for _, p := range res.Problems {
		fmt.Fprintf(w, "secgate: could not publish the %s\n",
			iostreams.Clean(scrub(p, token).Error()))
	}
}

// scrub makes sure the token never reaches a message, whatever GitHub or a
// library put in it, before the message is stored or wrapped.
func scrub(err error, token string) error {
	if err == nil || !strings.Contains(err.Error(), token) {
		return err
	}
	return fmt.Errorf("%s", redact.Values(err.Error()))
}

// renderSARIF writes the SARIF log of d in memory.
func renderSARIF(d *report.Data) ([]byte, error) {
	var buf bytes.Buffer
	if err := (report.SARIF{}).Render(&buf, d); err != nil {
		return nil, fmt.Errorf("render the SARIF log: %w", err)
	}
	return buf.Bytes(), nil
}
