package git

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/secgate/secgate/pkg/diff"
)

// Diff returns the change from commit from to commit to, renames detected;
// an empty to means the work tree (tracked files). The options pin what a
// user's config could change: prefixes, colour, external diff drivers, the
// context size and the rename limit.
func (r *Repo) Diff(ctx context.Context, from, to string) ([]diff.File, error) {
	args := []string{"diff", "--no-color", "--no-ext-diff", "--no-textconv",
		"--src-prefix=a/", "--dst-prefix=b/", "-U3", "-M", "-l0", "--end-of-options", from}
	if to != "" {
		args = append(args, to)
	}
	out, err := r.run(ctx, args...)
	if err != nil {
		return nil, err
	}
	files, err := diff.Parse(bytes.NewReader(out))
	if err != nil {
		return nil, fmt.Errorf("diff %s..%s: %w", short(from), short(to), err)
	}
	return files, nil
}

// EmptyTree returns the id of the empty tree in this repository's hash, to
// diff a commit that has no parent against.
func (r *Repo) EmptyTree(ctx context.Context) (string, error) {
	out, err := r.runInput(ctx, []byte{}, "hash-object", "-t", "tree", "--stdin")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// short abbreviates a commit id for messages.
func short(sha string) string {
	if len(sha) > 12 && isHex(sha) {
		return sha[:12]
	}
	return sha
}

// IsZero reports whether id is git's all-zeros object id, as a pre-push hook
// receives it for a ref that does not exist; SHA-1 and SHA-256 ids alike.
func IsZero(id string) bool {
	return id != "" && strings.Trim(id, "0") == ""
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return s != ""
}
