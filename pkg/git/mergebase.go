package git

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// BaseRequest asks for the merge base of Head with the base branch of a change.
type BaseRequest struct {
	// Ref is the base: a branch name ("main"), a remote-tracking ref
	// ("origin/main") or a commit.
	Ref string
	// Head is the commit under review; empty means HEAD.
	Head string
	// Remote is the remote the base branch lives on; empty means "origin".
	Remote string
	// Fetch allows fetching the base tip and deepening a shallow clone.
	Fetch bool
	// MaxDeepen caps how many commits of history may be fetched while
	// deepening; 0 means DefaultMaxDeepen.
	MaxDeepen int
}

// DefaultMaxDeepen is the most history MergeBase fetches into a shallow
// clone looking for the merge base, in commits.
const DefaultMaxDeepen = 2000

// firstDeepen is the first deepening step; each step doubles.
const firstDeepen = 32

// Base is a merge base found.
type Base struct {
	// SHA is the merge base of the head and the base tip.
	SHA string
	// Tip is the base branch's commit it was computed from.
	Tip string
	// Notes say what was done to find it (fetched, deepened).
	Notes []string
}

// ErrNoMergeBase is wrapped by the error MergeBase returns when the history
// at hand does not hold the merge base.
var ErrNoMergeBase = errors.New("no merge base")

// MergeBase finds the merge base of the head with the current tip of the base
// branch. The tip is fetched fresh when allowed: a base commit named in a CI
// event is frozen when the pull request opens and goes stale as the branch
// moves on. In a shallow clone the merge base may be missing, or present but
// wrong (a closer one lies beyond the cut), so a found merge base is accepted
// only when no shallow cut lies between it and the two tips; otherwise the
// history is deepened in doubling steps up to MaxDeepen commits.
func (r *Repo) MergeBase(ctx context.Context, req BaseRequest) (Base, error) {
	req = withDefaults(req)
	var b Base

	head, err := r.RevParse(ctx, req.Head)
	if err != nil {
		return b, err
	}
	tipRef, note, err := r.baseTip(ctx, req)
	if err != nil {
		return b, err
	}
	if note != "" {
		b.Notes = append(b.Notes, note)
	}
	if b.Tip, err = r.RevParse(ctx, tipRef); err != nil {
		if !req.Fetch {
			return b, fmt.Errorf("the base %s is not in this clone, and fetching is off: "+
				"fetch it first (git fetch %s %s) or allow fetching", req.Ref, req.Remote, req.Ref)
		}
		return b, err
	}

	deepened, step := 0, firstDeepen
	for {
		sha, found, err := r.checkedMergeBase(ctx, head, b.Tip)
		if err != nil {
			return b, err
		}
		if found {
			b.SHA = sha
			return b, nil
		}
		shallow, err := r.IsShallow(ctx)
		if err != nil {
			return b, err
		}
		if !shallow || !req.Fetch || deepened >= req.MaxDeepen {
			return b, r.noMergeBase(req, head, b.Tip, shallow, deepened)
		}
		step = min(step, req.MaxDeepen-deepened)
		if err := r.deepen(ctx, req, step); err != nil {
			return b, err
		}
		deepened += step
		b.Notes = append(b.Notes, fmt.Sprintf("deepened the shallow clone by %d commits", step))
		if b.Tip, err = r.RevParse(ctx, tipRef); err != nil {
			return b, err
		}
		step *= 2
	}
}

func withDefaults(req BaseRequest) BaseRequest {
	if req.Head == "" {
		req.Head = "HEAD"
	}
	if req.Remote == "" {
		req.Remote = "origin"
	}
	if req.MaxDeepen <= 0 {
		req.MaxDeepen = DefaultMaxDeepen
	}
	return req
}

// baseTip returns the ref to read the base tip from, fetching the branch
// first when allowed. A commit id is used as it is.
func (r *Repo) baseTip(ctx context.Context, req BaseRequest) (ref, note string, err error) {
	branch, isBranch := r.branchName(req)
	if !isBranch {
		return req.Ref, "", nil
	}
	tracking := "refs/remotes/" + req.Remote + "/" + branch
	if !req.Fetch || !r.HasRemote(ctx, req.Remote) {
		if _, err := r.RevParse(ctx, tracking); err == nil {
			return tracking, "", nil
		}
		return req.Ref, "", nil
	}

	args := []string{"fetch", "--quiet", "--no-tags", "--no-recurse-submodules"}
	if shallow, _ := r.IsShallow(ctx); shallow {
		// In a shallow clone a plain fetch would pull the base's whole
		// history; start from its tip and deepen only as far as needed.
		args = append(args, "--depth=1")
	}
	args = append(args, req.Remote, "+refs/heads/"+branch+":"+tracking)
	if _, err := r.run(ctx, args...); err != nil {
		return "", "", fmt.Errorf("fetch the base branch %s from %s: %w", branch, req.Remote, err)
	}
	return tracking, fmt.Sprintf("fetched the tip of %s from %s", branch, req.Remote), nil
}

// branchName tells whether the base names a branch ("main", "origin/main",
// "refs/heads/main") rather than a commit, and which.
func (r *Repo) branchName(req BaseRequest) (string, bool) {
	ref := req.Ref
	if len(ref) >= 40 && isHex(ref) {
		return "", false
	}
	ref = strings.TrimPrefix(ref, "refs/heads/")
	ref = strings.TrimPrefix(ref, "refs/remotes/")
	ref = strings.TrimPrefix(ref, req.Remote+"/")
	if ref == "" || strings.HasPrefix(ref, "refs/") || strings.ContainsAny(ref, "~^:@ ") {
		return "", false
	}
	return ref, true
}

// checkedMergeBase runs merge-base and rejects an answer the shallow
// history cannot vouch for.
func (r *Repo) checkedMergeBase(ctx context.Context, head, tip string) (string, bool, error) {
	out, err := r.run(ctx, "merge-base", head, tip)
	if err != nil {
		if exitCode(err) == 1 {
			return "", false, nil
		}
		return "", false, err
	}
	sha := strings.TrimSpace(string(out))
	cut, err := r.cutBetween(ctx, sha, head, tip)
	if err != nil {
		return "", false, err
	}
	return sha, !cut, nil
}

// cutBetween reports whether a shallow boundary commit lies on the history
// from base to either tip; then a closer merge base may exist beyond it.
func (r *Repo) cutBetween(ctx context.Context, base, head, tip string) (bool, error) {
	path, err := r.GitPath(ctx, "shallow")
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the shallow list: %w", err)
	}
	cuts := map[string]bool{}
	for _, l := range strings.Fields(string(data)) {
		cuts[l] = true
	}

	out, err := r.run(ctx, "rev-list", head, tip, "^"+base)
	if err != nil {
		return false, err
	}
	for _, c := range strings.Fields(string(out)) {
		if cuts[c] {
			return true, nil
		}
	}
	return false, nil
}

// deepen fetches step more commits of history behind the shallow cuts.
func (r *Repo) deepen(ctx context.Context, req BaseRequest, step int) error {
	args := []string{"fetch", "--quiet", "--no-tags", "--no-recurse-submodules",
		fmt.Sprintf("--deepen=%d", step), req.Remote}
	if branch, ok := r.branchName(req); ok {
		args = append(args, "+refs/heads/"+branch+":refs/remotes/"+req.Remote+"/"+branch)
	}
	if _, err := r.run(ctx, args...); err != nil {
		return fmt.Errorf("deepen the shallow clone from %s: %w", req.Remote, err)
	}
	return nil
}

// noMergeBase explains why there is no merge base and what to do about it.
func (r *Repo) noMergeBase(req BaseRequest, head, tip string, shallow bool, deepened int) error {
	what := fmt.Sprintf("between %s and %s (%s)", short(head), req.Ref, short(tip))
	switch {
	case shallow && !req.Fetch:
		return fmt.Errorf("%w %s in this shallow clone, and fetching is off: fetch the "+
			"full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow) "+
			"or allow fetching", ErrNoMergeBase, what)
	case shallow:
		return fmt.Errorf("%w %s within %d more commits of history: fetch the full "+
			"history (actions/checkout with fetch-depth: 0, or git fetch --unshallow), or "+
			"gate against a baseline file instead", ErrNoMergeBase, what, deepened)
	}
	return fmt.Errorf("%w %s: the two histories share no commit", ErrNoMergeBase, what)
}
