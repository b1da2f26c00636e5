package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/scan"
)

// shard is one slice of a repository's files: number I of N, 1-based.
type shard struct {
	I, N int
}

// parseShard reads "I/N".
func parseShard(s string) (shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return shard{}, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N, such as 2/4", s)
	}
	return shard{I: i, N: n}, nil
}

// holds tells whether the shard owns path. A hash of the path, not its place
// in a sorted list, decides, so a file added elsewhere moves no other file
// to another shard and every shard of a matrix agrees without talking.
func (s shard) holds(path string) bool {
	h := fnv.New32a()
	h.Write([]byte(path))
	return int(h.Sum32()%uint32(s.N)) == s.I-1
}

// prepare copies the shard's files under target into a temporary tree with
// the same layout, so every scanner sees exactly the slice. It returns the
// tree's root and target, and how many files it holds.
func (s shard) prepare(ctx context.Context, root, target string) (tree, treeTarget string,
	n int, err error) {
	files, err := listFiles(ctx, root, target)
	if err != nil {
		return "", "", 0, err
	}
	tree, err = os.MkdirTemp("", "secgate-shard-")
	if err == nil {
		// Scanners report resolved paths; the tree must be named the same way.
		tree, err = filepath.EvalSymlinks(tree)
	}
	if err != nil {
		return "", "", 0, err
	}
	for _, rel := range files {
		if !s.holds(rel) {
			continue
		}
		if err := copyRegular(filepath.Join(root, rel), filepath.Join(tree, rel)); err != nil {
			os.RemoveAll(tree)
			return "", "", 0, err
		}
		n++
	}
	relTarget, _ := filepath.Rel(root, target)
	treeTarget = filepath.Join(tree, relTarget)
	if err := os.MkdirAll(treeTarget, 0o755); err != nil {
		os.RemoveAll(tree)
		return "", "", 0, err
	}
	return tree, treeTarget, n, nil
}

// listFiles lists the files under target, relative to root with slashes:
// what git tracks plus untracked files it does not ignore, or, outside a git
// repository, every regular file but .git.
func listFiles(ctx context.Context, root, target string) ([]string, error) {
	relTarget, err := filepath.Rel(root, target)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "git", "-c", "core.quotePath=false", "ls-files", "-z",
		"--cached", "--others", "--exclude-standard", "--", filepath.ToSlash(relTarget))
	cmd.Dir = root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err == nil {
		var files []string
		for _, f := range strings.Split(out.String(), "\x00") {
			if f != "" {
				files = append(files, f)
			}
		}
		return files, nil
	}
	return walkFiles(root, target)
}

func walkFiles(root, target string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(target, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files, err
}

// copyRegular copies a regular file; a symbolic link or a file git lists but
// the work tree lacks (deleted, not yet committed) is skipped.
func copyRegular(src, dst string) error {
	info, err := os.Lstat(src)
	if errors.Is(err, fs.ErrNotExist) || err == nil && !info.Mode().IsRegular() {
		return nil
	}
	if err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// rebase moves what scanners reported about the shard's tree back onto the
// repository: the files are the same, only their directory differs.
func rebase(outcomes []scan.Outcome, from, to string) {
	move := func(p string) string {
		if rest, ok := strings.CutPrefix(p, from); ok && (rest == "" || rest[0] == os.PathSeparator) {
			return to + rest
		}
		return p
	}
	for _, o := range outcomes {
		if o.Result == nil {
			continue
		}
		o.Result.BaseDir = move(o.Result.BaseDir)
		for i := range o.Result.Findings {
			l := &o.Result.Findings[i].Location
			switch {
			case filepath.IsAbs(l.Path):
				l.Path = move(l.Path)
			case strings.HasPrefix(l.Path, "file://"):
				l.Path = "file://" + move(strings.TrimPrefix(l.Path, "file://"))
			}
		}
	}
}
