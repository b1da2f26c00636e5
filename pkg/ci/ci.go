// Package ci reads the context a run happens in from the CI system's
// environment: which system, which repository, which pull request and which
// commits. GitHub Actions (its variables and the event payload) and Jenkins
// (the multibranch CHANGE_* variables) are recognised; elsewhere the context
// is empty and flags must supply what a command needs.
package ci

import (
	"fmt"
	"os"
	"strings"
)

// Provider names a CI system.
type Provider string

// The systems Detect recognises; ProviderNone is a local run.
const (
	ProviderNone    Provider = ""
	ProviderActions Provider = "github-actions"
	ProviderJenkins Provider = "jenkins"
)

// Context is what the environment says about the run. Fields the environment
// does not give stay empty.
type Context struct {
	Provider Provider

	// Repository is the GitHub repository, "owner/name".
	Repository string
	// APIURL is the REST API base: https://api.github.com, or
	// https://HOST/api/v3 on GitHub Enterprise Server.
	APIURL string
	// ServerURL is the web base, such as https://github.com.
	ServerURL string

	// Event is the Actions event name (pull_request, push, workflow_run).
	Event string
	// PR is the pull request number; 0 when the run is not for one.
	PR int

	// HeadSHA is the commit a pull request's checks and reviews belong to: its
	// head, not the test merge commit. Without a pull request it is the commit
	// built. Empty when the environment cannot tell (a Jenkins PR build whose
	// GIT_COMMIT is a local merge): ask the API for the PR's head then.
	HeadSHA string
	// BaseSHA is the base commit the event payload names. It is frozen when the
	// PR opens, so it is not a merge base.
	BaseSHA string
	HeadRef string
	BaseRef string

	// SHA and Ref are what the job checked out: on pull_request, the test merge
	// commit and refs/pull/N/merge.
	SHA string
	Ref string

	// Fork reports a pull request whose head is in another repository (or in
	// a repository that was deleted).
	Fork bool
	// Actor is who started the run.
	Actor string
	// ReadOnlyToken reports that the job's token cannot write to the
	// repository whatever the workflow asks for: a fork pull request on the
	// pull_request event, or a run started by Dependabot.
	ReadOnlyToken bool

	// RunURL links to the page of this run.
	RunURL string
	// Workspace is the directory of the checkout.
	Workspace string
}

// Env is how Detect reads the environment; tests give it maps and temp files.
type Env struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
}

// OSEnv reads the process environment and the real file system.
func OSEnv() Env {
	return Env{Getenv: os.Getenv, ReadFile: os.ReadFile}
}

// MapEnv reads variables from m and files from the real file system.
func MapEnv(m map[string]string) Env {
	return Env{Getenv: func(k string) string { return m[k] }, ReadFile: os.ReadFile}
}

// Detect reads the context from env. It fails only when the environment
// claims a system and then contradicts itself: an event payload that cannot be
// read or is not JSON, or a PR number that is not a number.
func Detect(env Env) (Context, error) {
	switch {
	case env.Getenv("GITHUB_ACTIONS") == "true":
		return detectActions(env)
	case env.Getenv("JENKINS_URL") != "" || env.Getenv("BUILD_URL") != "" &&
		env.Getenv("JENKINS_HOME") != "":
		return detectJenkins(env)
	}
	return Context{}, nil
}

// ShortSHA abbreviates a commit id for people to read.
func ShortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// SplitRepository splits "owner/name" and checks both parts are there.
func SplitRepository(full string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(full, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("repository %q is not owner/name", full)
	}
	return owner, name, nil
}
