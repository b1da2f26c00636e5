package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// PRCommits asks GitHub for a pull request's head and base commits: where
// the environment cannot tell the head (a Jenkins build of a local merge),
// and to check a bundle's claim about which pull request it is for.
func PRCommits(ctx context.Context, c *gh.Client, owner, repo string, pr int) (
	head, base string, err error) {
	p, _, err := c.PullRequests.Get(ctx, owner, repo, pr)
	if err != nil {
		return "", "", fmt.Errorf("read pull request #%d: %w", pr,
			problemOf(FeatureTarget, "read the pull request", err))
	}
	return p.GetHead().GetSHA(), p.GetBase().GetSHA(), nil
}
