package normalize

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrOutside reports a location that lies outside the repository: a "../" path, an
// absolute path elsewhere, another drive or host, or a symlink that resolves out.
var ErrOutside = errors.New("outside the repository")

// ErrNotFile reports a location that names no file of the repository: a URL with
// a scheme other than file, the repository root itself, or an empty string.
var ErrNotFile = errors.New("not a file of the repository")

// RelPath turns a location as a tool wrote it into a path relative to root, with
// forward slashes and no percent escapes. It accepts raw OS paths and URI
// references: percent escapes are decoded once (an invalid escape stays as it is),
// backslashes become slashes, file:// URIs and Windows drive letters are
// understood, and a relative uri is taken against baseDir ("" means root).
//
// The result is lexical unless root exists on disk: then a path whose symlinks
// resolve outside root is refused, and a literal '%' in a file name is kept when
// only the undecoded name exists. An error about the location wraps ErrOutside
// or ErrNotFile; any other error is about root.
func RelPath(root, baseDir, uri string) (string, error) {
	r, err := newResolver(root)
	if err != nil {
		return "", err
	}
	return r.rel(baseDir, uri)
}

// resolver maps tool locations onto the repository. It is built once per Apply
// so that the root's real path and every answer are computed once.
type resolver struct {
	vol, dir string // the root in slash form: drive ("C:" or "") and rooted path
	rootOS   string // the root as the OS writes it
	realRoot string // the root with symlinks resolved; "" when it is not on disk
	cache    map[string]resolved
}

type resolved struct {
	rel string
	err error
}

func newResolver(root string) (*resolver, error) {
	vol, dir, ok := splitAbs(strings.ReplaceAll(root, `\`, "/"))
	if !ok {
		return nil, fmt.Errorf("repository root %q is not an absolute path", root)
	}

	r := &resolver{vol: vol, dir: dir, rootOS: filepath.FromSlash(vol + dir)}
	if real, err := filepath.EvalSymlinks(r.rootOS); err == nil {
		r.realRoot = real
	}
	r.cache = make(map[string]resolved)
	return r, nil
}

// rel is RelPath with the resolver's root, cached per (baseDir, uri).
func (r *resolver) rel(baseDir, uri string) (string, error) {
	key := baseDir + "\x00" + uri
	if c, ok := r.cache[key]; ok {
		return c.rel, c.err
	}

	rel, err := r.resolve(baseDir, uri, true)
	if strings.Contains(uri, "%") && r.realRoot != "" && (err != nil || !r.exists(rel)) {
		// A native tool writes the name as it is: "a%20b.txt" may be a real file.
		if lit, litErr := r.resolve(baseDir, uri, false); litErr == nil && r.exists(lit) {
			rel, err = lit, nil
		}
	}

	r.cache[key] = resolved{rel, err}
	return rel, err
}

func (r *resolver) resolve(baseDir, uri string, decode bool) (string, error) {
	p, err := slashPath(uri, decode)
	if err != nil {
		return "", err
	}

	if strings.HasPrefix(p, "//") {
		return "", fmt.Errorf("location %q is on another host: %w", uri, ErrOutside)
	}
	if _, _, abs := splitAbs(p); !abs {
		base := strings.ReplaceAll(baseDir, `\`, "/")
		if _, _, baseAbs := splitAbs(base); !baseAbs {
			base = path.Join(r.vol+r.dir, base)
		}
		p = base + "/" + p
	}

	rel, err := r.within(p)
	if err != nil {
		return "", fmt.Errorf("location %q: %w", uri, err)
	}
	if err := r.checkSymlinks(rel); err != nil {
		return "", fmt.Errorf("location %q: %w", uri, err)
	}
	return rel, nil
}

// within makes the absolute slash path p relative to the root, lexically. A tool
// may report the root's real path (/private/tmp for /tmp), so that counts too.
func (r *resolver) within(p string) (string, error) {
	vol, dir, ok := splitAbs(p)
	if !ok {
		return "", ErrOutside // a UNC path: another host
	}

	rel, err := relTo(r.vol, r.dir, vol, dir)
	if errors.Is(err, ErrOutside) && r.realRoot != "" {
		rvol, rdir, _ := splitAbs(filepath.ToSlash(r.realRoot))
		if rrel, rerr := relTo(rvol, rdir, vol, dir); rerr == nil {
			return rrel, nil
		}
	}
	return rel, err
}

// relTo compares drive letters in any case but the rest byte for byte, also on
// Windows: a tool that changes the case of a directory there gets its
// location refused as outside rather than matched to the wrong file.
func relTo(rootVol, rootDir, vol, dir string) (string, error) {
	if !strings.EqualFold(rootVol, vol) {
		return "", ErrOutside
	}
	if dir == rootDir {
		return "", fmt.Errorf("the repository root itself: %w", ErrNotFile)
	}
	if rootDir == "/" {
		return dir[1:], nil
	}
	if rel, ok := strings.CutPrefix(dir, rootDir+"/"); ok {
		return rel, nil
	}
	return "", ErrOutside
}

// checkSymlinks refuses rel when the deepest part of it that exists resolves
// outside the real root. A missing file under a symlinked directory is caught
// through the directory.
func (r *resolver) checkSymlinks(rel string) error {
	if r.realRoot == "" {
		return nil // the root is not on disk, so there is nothing to follow
	}

	for p := filepath.Join(r.rootOS, filepath.FromSlash(rel)); p != r.rootOS; {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			if !inside(r.realRoot, real) {
				return fmt.Errorf("a symlink resolves to %s: %w", real, ErrOutside)
			}
			return nil
		}
		if !isNotExist(err) {
			// A loop or an unreadable directory: what it leads to is unknown,
			// so it is not followed.
			return fmt.Errorf("resolve symlinks (%v): %w", err, ErrOutside)
		}

		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	return nil
}

// exists reports whether rel names something in the root, without following it.
func (r *resolver) exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(r.rootOS, filepath.FromSlash(rel)))
	return err == nil
}

// inside reports whether the OS path p is root or below it.
func inside(root, p string) bool {
	if p == root {
		return true
	}
	return strings.HasPrefix(p, strings.TrimSuffix(root, string(filepath.Separator))+
		string(filepath.Separator))
}

func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
