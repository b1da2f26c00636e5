package ci

import (
	"encoding/json"
	"fmt"
	"strings"
)

// actionsPayload holds the parts of an Actions event payload that Detect reads.
type actionsPayload struct {
	Number      int             `json:"number"`
	PullRequest *payloadPR      `json:"pull_request"`
	Repository  *payloadRepo    `json:"repository"`
	WorkflowRun *payloadWorkRun `json:"workflow_run"`
}

type payloadPR struct {
	Number int         `json:"number"`
	Head   payloadRef  `json:"head"`
	Base   payloadRef  `json:"base"`
	User   payloadUser `json:"user"`
}

type payloadRef struct {
	SHA  string       `json:"sha"`
	Ref  string       `json:"ref"`
	Repo *payloadRepo `json:"repo"`
}

type payloadRepo struct {
	FullName string `json:"full_name"`
	Fork     bool   `json:"fork"`
}

type payloadUser struct {
	Login string `json:"login"`
}

type payloadWorkRun struct {
	Event          string       `json:"event"`
	HeadSHA        string       `json:"head_sha"`
	HeadBranch     string       `json:"head_branch"`
	HeadRepository *payloadRepo `json:"head_repository"`
	Repository     *payloadRepo `json:"repository"`
	PullRequests   []payloadPR  `json:"pull_requests"`
}

// dependabot is the actor whose runs get a read-only token even on
// same-repository branches.
const dependabot = "dependabot[bot]"

// prEvents are the events whose payload carries the pull request and whose
// token is read-only for a fork.
var prEvents = map[string]bool{
	"pull_request":                true,
	"pull_request_review":         true,
	"pull_request_review_comment": true,
}

func detectActions(env Env) (Context, error) {
	c := Context{
		Provider:   ProviderActions,
		Repository: env.Getenv("GITHUB_REPOSITORY"),
		APIURL:     env.Getenv("GITHUB_API_URL"),
		ServerURL:  env.Getenv("GITHUB_SERVER_URL"),
		Event:      env.Getenv("GITHUB_EVENT_NAME"),
		SHA:        env.Getenv("GITHUB_SHA"),
		Ref:        env.Getenv("GITHUB_REF"),
		HeadRef:    env.Getenv("GITHUB_HEAD_REF"),
		BaseRef:    env.Getenv("GITHUB_BASE_REF"),
		Actor:      env.Getenv("GITHUB_ACTOR"),
		Workspace:  env.Getenv("GITHUB_WORKSPACE"),
		HeadSHA:    env.Getenv("GITHUB_SHA"),
	}
	if c.ServerURL != "" && c.Repository != "" && env.Getenv("GITHUB_RUN_ID") != "" {
		c.RunURL = strings.TrimSuffix(c.ServerURL, "/") + "/" + c.Repository +
			"/actions/runs/" + env.Getenv("GITHUB_RUN_ID")
	}

	if path := env.Getenv("GITHUB_EVENT_PATH"); path != "" {
		p, err := readPayload(env, path)
		if err != nil {
			return c, err
		}
		applyPayload(&c, p)
	}
	if c.Actor == dependabot && (prEvents[c.Event] || c.Event == "push") {
		c.ReadOnlyToken = true
	}
	return c, nil
}

func readPayload(env Env, path string) (*actionsPayload, error) {
	data, err := env.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the event payload (GITHUB_EVENT_PATH): %w", err)
	}
	var p actionsPayload
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("event payload %s is not the JSON expected: %w", path, err)
	}
	return &p, nil
}

func applyPayload(c *Context, p *actionsPayload) {
	if p.Repository != nil && c.Repository == "" {
		c.Repository = p.Repository.FullName
	}
	switch {
	case p.PullRequest != nil:
		applyPR(c, p.PullRequest, p.Number)
		if prEvents[c.Event] && c.Fork {
			c.ReadOnlyToken = true
		}
	case p.WorkflowRun != nil:
		applyWorkflowRun(c, p.WorkflowRun)
	}
}

func applyPR(c *Context, pr *payloadPR, number int) {
	c.PR = pr.Number
	if c.PR == 0 {
		c.PR = number
	}
	c.HeadSHA = pr.Head.SHA
	c.BaseSHA = pr.Base.SHA
	c.HeadRef = pr.Head.Ref
	c.BaseRef = pr.Base.Ref
	c.Fork = isFork(pr.Head.Repo, pr.Base.Repo, c.Repository)
}

// applyWorkflowRun reads the run that triggered a workflow_run job. GitHub
// leaves its pull_requests list empty for a fork, so the PR number may have
// to come from elsewhere (a result bundle) and be checked against HeadSHA.
func applyWorkflowRun(c *Context, run *payloadWorkRun) {
	c.HeadSHA = run.HeadSHA
	c.HeadRef = run.HeadBranch
	base := run.Repository
	if base == nil && c.Repository != "" {
		base = &payloadRepo{FullName: c.Repository}
	}
	c.Fork = isFork(run.HeadRepository, base, c.Repository)
	for _, pr := range run.PullRequests {
		if pr.Head.SHA == "" || pr.Head.SHA == run.HeadSHA {
			c.PR = pr.Number
			c.BaseSHA = pr.Base.SHA
			c.BaseRef = pr.Base.Ref
			break
		}
	}
}

// isFork treats a head repository that is gone (null) or that is not the base
// repository as a fork. A "fork": true flag alone is not enough: a pull
// request between two branches of a repository that is itself a fork has it.
func isFork(head, base *payloadRepo, repository string) bool {
	if head == nil {
		return true
	}
	baseName := repository
	if base != nil && base.FullName != "" {
		baseName = base.FullName
	}
	return !strings.EqualFold(head.FullName, baseName)
}
