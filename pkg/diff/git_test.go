package diff

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// TestParseRealGit makes a repository with every path git must quote or
// that confuses a naive parser, lets real git diff it in several modes, and
// checks the parsed paths against git's own NUL-separated name-status.
func TestParseRealGit(t *testing.T) {
	gitBin := testenv.Tool(t, "git", "SECGATE_GIT")
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, errb.String())
		}
		return out.String()
	}
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	run("init", "-q", "-b", "main")
	names := []string{"plain.txt", "with space/My Notes.md", "x b/y.txt", "été/naïve.txt",
		"tab\there.txt", "new\nline.txt", `quo"te\back.txt`, "p b/q", "img.bin"}
	for _, n := range names {
		write(n, "one\ntwo\nthree\n")
	}
	write("img.bin", "\x00\x01\x02binary")
	run("add", "-A")
	run("commit", "-qm", "base")

	for _, n := range names[:7] {
		write(n, "one\ntwo changed\nthree\nfour\n")
	}
	write("img.bin", "\x00\x01\x03binary")
	if err := os.MkdirAll(filepath.Join(dir, "r b"), 0o755); err != nil {
		t.Fatal(err)
	}
	run("mv", "p b/q", "r b/s")
	run("add", "-A")
	run("commit", "-qm", "change")

	want := nameStatus(run("-c", "core.quotePath=false", "diff", "-z", "-M", "--name-status",
		"HEAD~1", "HEAD"))
	modes := [][]string{
		{"-c", "core.quotePath=true", "diff", "-M", "HEAD~1", "HEAD"},
		{"-c", "core.quotePath=false", "diff", "-M", "HEAD~1", "HEAD"},
		{"-c", "core.quotePath=false", "diff", "-M", "--binary", "HEAD~1", "HEAD"},
		{"-c", "core.quotePath=false", "diff", "-M", "-U0", "HEAD~1", "HEAD"},
		{"-c", "core.quotePath=true", "show", "-M", "--format=commit %H%n%n    %s%n", "HEAD"},
	}
	for _, args := range modes {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			files, err := Parse(strings.NewReader(run(args...)))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got := parsedStatus(files)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("paths:\ngot  %q\nwant %q", got, want)
			}
			for _, f := range files {
				if !f.Binary && !f.Renamed && len(f.AddedLines()) == 0 {
					t.Errorf("%q: no added lines parsed", f.Path())
				}
			}
		})
	}
}

// nameStatus turns `git diff -z --name-status` into sorted "S old>new" lines.
func nameStatus(out string) []string {
	fields := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	var lines []string
	for i := 0; i < len(fields); i++ {
		status := fields[i][:1]
		old := fields[i+1]
		i++
		newp := old
		if status == "R" || status == "C" {
			newp = fields[i+1]
			i++
		}
		lines = append(lines, status+" "+old+">"+newp)
	}
	sort.Strings(lines)
	return lines
}

func parsedStatus(files []File) []string {
	var lines []string
	for _, f := range files {
		status := "M"
		if f.Renamed {
			status = "R"
		}
		lines = append(lines, status+" "+f.OldPath+">"+f.NewPath)
	}
	sort.Strings(lines)
	return lines
}
