package git

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// ShowFile returns the content of the file at path (relative to the top of
// the work tree, with forward slashes) as committed at rev. rev is resolved
// to a commit first, behind --end-of-options, so that a revision that looks
// like an option is never taken for one. A file rev does not have is
// os.ErrNotExist (wrapped).
func (r *Repo) ShowFile(ctx context.Context, rev, path string) ([]byte, error) {
	out, err := r.run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options",
		rev+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("%s is not a commit here (fetch it first): %w", rev, err)
	}
	sha := strings.TrimSpace(string(out))

	data, err := r.run(ctx, "cat-file", "blob", sha+":"+path)
	if err != nil {
		return nil, fmt.Errorf("%s has no file %s (%w): %w", rev, path, os.ErrNotExist, err)
	}
	return data, nil
}
