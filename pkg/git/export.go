package git

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Export writes the regular files of commit rev into dir, keeping their
// paths, for scanners to read the commit exactly as it was committed rather
// than the work tree. keep selects paths; nil keeps every file. Symbolic links
// and submodules are left out: a link could lead a scanner out of dir. It
// returns how many files were written.
func (r *Repo) Export(ctx context.Context, rev, dir string,
	keep func(path string) bool) (int, error) {
	entries, err := r.listTree(ctx, rev)
	if err != nil {
		return 0, err
	}
	var want []treeEntry
	for _, e := range entries {
		if e.kind == "blob" && e.mode != "120000" && (keep == nil || keep(e.path)) {
			want = append(want, e)
		}
	}
	if len(want) == 0 {
		return 0, nil
	}
	if err := r.writeBlobs(ctx, want, dir); err != nil {
		return 0, fmt.Errorf("export %s: %w", short(rev), err)
	}
	return len(want), nil
}

type treeEntry struct {
	mode, kind, sha, path string
}

// listTree lists every entry of the commit's tree, recursively.
func (r *Repo) listTree(ctx context.Context, rev string) ([]treeEntry, error) {
	out, err := r.run(ctx, "ls-tree", "-r", "-z", "--full-tree", "--end-of-options", rev)
	if err != nil {
		return nil, err
	}
	var entries []treeEntry
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, path, ok := strings.Cut(string(rec), "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 {
			return nil, fmt.Errorf("ls-tree %s: unexpected line %q", short(rev), rec)
		}
		entries = append(entries, treeEntry{mode: f[0], kind: f[1], sha: f[2], path: path})
	}
	return entries, nil
}

// writeBlobs streams the blobs through one cat-file --batch process.
func (r *Repo) writeBlobs(ctx context.Context, entries []treeEntry, dir string) error {
	bin := r.Git
	if bin == "" {
		bin = "git"
	}
	cmd := exec.CommandContext(ctx, bin, "cat-file", "--batch")
	cmd.Dir = r.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &tail{max: 4096, b: &stderr}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}

	// Requests go in from another goroutine: written all at once they could
	// fill the pipe while cat-file waits for its output to be read.
	go func() {
		w := bufio.NewWriter(stdin)
		for _, e := range entries {
			fmt.Fprintln(w, e.sha)
		}
		w.Flush()
		stdin.Close()
	}()

	readErr := readBlobs(bufio.NewReader(stdout), entries, dir)
	if readErr != nil {
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	if readErr != nil {
		return readErr
	}
	if waitErr != nil {
		return &Error{Args: []string{"cat-file", "--batch"}, Stderr: stderr.String(), Err: waitErr}
	}
	return nil
}

func readBlobs(rd *bufio.Reader, entries []treeEntry, dir string) error {
	for _, e := range entries {
		header, err := rd.ReadString('\n')
		if err != nil {
			return fmt.Errorf("read blob %s: %w", e.path, err)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			return fmt.Errorf("blob %s of %s: unexpected answer %q", e.sha, e.path, header)
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return fmt.Errorf("blob %s: bad size %q", e.sha, f[2])
		}
		if err := writeFile(dir, e, io.LimitReader(rd, size)); err != nil {
			return err
		}
		if _, err := rd.Discard(1); err != nil { // the newline after the content
			return fmt.Errorf("read blob %s: %w", e.path, err)
		}
	}
	return nil
}

// writeFile writes one blob under dir, refusing a path that would leave it.
func writeFile(dir string, e treeEntry, content io.Reader) error {
	rel := filepath.FromSlash(e.path)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("path %q leads outside the export directory", e.path)
	}
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if e.mode == "100755" {
		mode = 0o755
	}
	fh, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(fh, content); err != nil {
		fh.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	return fh.Close()
}
