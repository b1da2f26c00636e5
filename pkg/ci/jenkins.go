package ci

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// detectJenkins reads a Jenkins build. A multibranch pull request build sets
// CHANGE_ID and friends; a branch build sets none of them.
func detectJenkins(env Env) (Context, error) {
	c := Context{
		Provider:  ProviderJenkins,
		SHA:       env.Getenv("GIT_COMMIT"),
		HeadRef:   env.Getenv("CHANGE_BRANCH"),
		BaseRef:   env.Getenv("CHANGE_TARGET"),
		Actor:     env.Getenv("CHANGE_AUTHOR"),
		RunURL:    env.Getenv("BUILD_URL"),
		Workspace: env.Getenv("WORKSPACE"),
		Fork:      env.Getenv("CHANGE_FORK") != "",
	}
	c.ServerURL, c.Repository = repositoryFromURL(env.Getenv("CHANGE_URL"))
	if c.Repository == "" {
		c.ServerURL, c.Repository = repositoryFromURL(env.Getenv("GIT_URL"))
	}
	c.APIURL = APIURLFor(c.ServerURL)

	id := env.Getenv("CHANGE_ID")
	if id == "" {
		c.HeadSHA = c.SHA
		c.HeadRef = env.Getenv("BRANCH_NAME")
		return c, nil
	}
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 {
		return c, fmt.Errorf("CHANGE_ID %q is not a pull request number", id)
	}
	// GIT_COMMIT may be a merge of the head with the target that exists only
	// on the agent, so the head is left for the API to say.
	c.PR = n
	return c, nil
}

// APIURLFor gives the REST API base of a GitHub web base: api.github.com for
// github.com, HOST/api/v3 for an Enterprise Server. Empty stays empty.
func APIURLFor(server string) string {
	switch {
	case server == "":
		return ""
	case strings.EqualFold(strings.TrimSuffix(server, "/"), "https://github.com"):
		return "https://api.github.com"
	}
	return strings.TrimSuffix(server, "/") + "/api/v3"
}

// repositoryFromURL reads the web base and "owner/name" from a pull request
// URL (https://host/o/r/pull/12) or a clone URL (https://host/o/r.git,
// git@host:o/r.git, ssh://git@host/o/r.git).
func repositoryFromURL(raw string) (server, repo string) {
	if raw == "" {
		return "", ""
	}
	if user, rest, ok := strings.Cut(raw, "@"); ok && !strings.Contains(user, "/") &&
		!strings.Contains(raw, "://") {
		host, path, ok := strings.Cut(rest, ":")
		if !ok {
			return "", ""
		}
		return "https://" + host, ownerName(path)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", ""
	}
	return "https://" + u.Hostname(), ownerName(u.Path)
}

// ownerName keeps the first two segments of a path, without a .git suffix.
func ownerName(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return parts[0] + "/" + strings.TrimSuffix(parts[1], ".git")
}
