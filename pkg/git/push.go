package git

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// PushRef is one line git gives a pre-push hook on stdin.
type PushRef struct {
	LocalRef, LocalSHA   string
	RemoteRef, RemoteSHA string
}

// Deletes reports whether the line deletes the remote ref.
func (p PushRef) Deletes() bool { return IsZero(p.LocalSHA) }

// ParsePushLines reads "<local ref> <local oid> <remote ref> <remote oid>"
// lines. Empty input is no refs (git sends none when nothing is to be
// updated); a malformed line is an error, since a hook that cannot read
// what is pushed must not let it through.
func ParsePushLines(r io.Reader) ([]PushRef, error) {
	var refs []PushRef
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 || !isObjectID(f[1]) || !isObjectID(f[3]) {
			return nil, fmt.Errorf("pre-push input line %d: expected "+
				"\"<local ref> <local sha> <remote ref> <remote sha>\", got %q", n, line)
		}
		refs = append(refs, PushRef{LocalRef: f[0], LocalSHA: f[1], RemoteRef: f[2], RemoteSHA: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read pre-push input: %w", err)
	}
	return refs, nil
}

// isObjectID reports whether s is a full SHA-1 or SHA-256 object id.
func isObjectID(s string) bool {
	return (len(s) == 40 || len(s) == 64) && isHex(s)
}

// PushRange is what one pushed ref adds: the diff from Base to Head.
type PushRange struct {
	Ref  PushRef
	Base string // a commit, or the empty tree when every commit is new
	Head string
	// Commits counts the commits the push adds; 0 means nothing new.
	Commits int
	// How says in words how Base was chosen.
	How string
}

// PushRange works out what pushing ref to remote adds. For a ref the remote
// already has, and whose old tip is known here, it is merge-base(old, new)
// to new. For a new branch (zero remote id), or an old tip this clone never
// saw, it is the commits reachable from the new tip and from no ref of the
// remote: they are diffed from their single parent outside that set, from
// the merge base with the remote's default branch when there are several,
// or from the empty tree when the branch shares nothing with the remote.
func (r *Repo) PushRange(ctx context.Context, remote string, ref PushRef) (PushRange, error) {
	pr := PushRange{Ref: ref, Head: ref.LocalSHA}
	if ref.Deletes() {
		return pr, fmt.Errorf("%s deletes %s: nothing to scan", ref.LocalRef, ref.RemoteRef)
	}
	if !IsZero(ref.RemoteSHA) && r.HasCommit(ctx, ref.RemoteSHA) {
		return r.updateRange(ctx, pr)
	}

	commits, boundary, err := r.newCommits(ctx, remote, ref.LocalSHA)
	if err != nil {
		return pr, err
	}
	pr.Commits = len(commits)
	if pr.Commits == 0 {
		pr.Base, pr.How = ref.LocalSHA, "every commit is already on "+remote
		return pr, nil
	}
	return r.newBranchBase(ctx, remote, pr, boundary)
}

func (r *Repo) updateRange(ctx context.Context, pr PushRange) (PushRange, error) {
	out, err := r.run(ctx, "merge-base", pr.Ref.RemoteSHA, pr.Ref.LocalSHA)
	if err != nil && exitCode(err) != 1 {
		return pr, err
	}
	if base := strings.TrimSpace(string(out)); base != "" {
		pr.Base = base
	} else if pr.Base, err = r.EmptyTree(ctx); err != nil {
		return pr, err
	}
	n, err := r.count(ctx, pr.Ref.LocalSHA, "^"+pr.Ref.RemoteSHA)
	pr.Commits = n
	pr.How = fmt.Sprintf("the remote's %s is at %s", pr.Ref.RemoteRef, short(pr.Ref.RemoteSHA))
	return pr, err
}

// newCommits lists the commits reachable from sha and from no ref of remote,
// and the commits just outside that set (their parents already on remote).
func (r *Repo) newCommits(ctx context.Context, remote, sha string) (
	commits, boundary []string, err error) {
	out, err := r.run(ctx, "rev-list", "--boundary", sha, "--not", "--remotes="+remote)
	if err != nil {
		return nil, nil, err
	}
	for _, l := range strings.Fields(string(out)) {
		if b, ok := strings.CutPrefix(l, "-"); ok {
			boundary = append(boundary, b)
		} else {
			commits = append(commits, l)
		}
	}
	return commits, boundary, nil
}

func (r *Repo) newBranchBase(ctx context.Context, remote string, pr PushRange,
	boundary []string) (PushRange, error) {
	switch len(boundary) {
	case 0:
		tree, err := r.EmptyTree(ctx)
		pr.Base, pr.How = tree, "no commit of it is on "+remote+": the whole history is new"
		return pr, err
	case 1:
		pr.Base = boundary[0]
		pr.How = fmt.Sprintf("new on %s: %d commits since %s", remote, pr.Commits, short(pr.Base))
		return pr, nil
	}
	def, err := r.defaultBranch(ctx, remote)
	if err != nil {
		return pr, err
	}
	out, err := r.run(ctx, "merge-base", pr.Head, def)
	if err != nil {
		return pr, fmt.Errorf("merge base of %s with %s: %w", short(pr.Head), def, err)
	}
	pr.Base = strings.TrimSpace(string(out))
	pr.How = fmt.Sprintf("new on %s: %d commits since the merge base with %s", remote,
		pr.Commits, def)
	return pr, nil
}

// defaultBranch names the remote's default branch as a local ref, from
// refs/remotes/<remote>/HEAD, else main or master when they exist.
func (r *Repo) defaultBranch(ctx context.Context, remote string) (string, error) {
	out, err := r.run(ctx, "symbolic-ref", "--quiet", "refs/remotes/"+remote+"/HEAD")
	if err == nil {
		return strings.TrimSpace(string(out)), nil
	}
	for _, b := range []string{"main", "master"} {
		ref := "refs/remotes/" + remote + "/" + b
		if _, err := r.RevParse(ctx, ref); err == nil {
			return ref, nil
		}
	}
	return "", fmt.Errorf("cannot tell the default branch of %s: run "+
		"git remote set-head %s --auto", remote, remote)
}

func (r *Repo) count(ctx context.Context, revs ...string) (int, error) {
	out, err := r.run(ctx, append([]string{"rev-list", "--count"}, revs...)...)
	if err != nil {
		return 0, err
	}
	var n int
	_, err = fmt.Sscanf(strings.TrimSpace(string(out)), "%d", &n)
	return n, err
}
