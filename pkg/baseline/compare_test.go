package baseline

import (
	"context"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/git"
	"github.com/secgate/secgate/pkg/git/gittest"
)

func fnd(tool, rule, fp, path string, line int) finding.Finding {
	return finding.Finding{Tool: tool, Rule: finding.Rule{ID: rule}, Fingerprint: fp,
		Severity: finding.SeverityHigh, Message: rule + " found",
		Location: finding.Location{Path: path, StartLine: line}}
}

func TestCompareWithBaseline(t *testing.T) {
	known := []finding.Finding{
		fnd("semgrep", "sqli", "fp-moved", "app/db.py", 5),
		fnd("semgrep", "md5", "fp-sev", "app/hash.py", 3),
		fnd("semgrep", "xss", "fp-gone", "app/view.py", 8),
		fnd("gitleaks", "aws-key", "fp-other-tool", "conf/x.env", 1),
		fnd("semgrep", "dup", "fp-dup", "app/d.py", 1),
	}
	moved := fnd("semgrep", "sqli", "fp-moved", "app/db.py", 40)
	sev := fnd("semgrep", "md5", "fp-sev", "app/hash.py", 3)
	sev.Severity = finding.SeverityCritical
	fresh := fnd("semgrep", "cmdi", "fp-new", "app/run.py", 2)
	dup1 := fnd("semgrep", "dup", "fp-dup", "app/d.py", 1)
	dup2 := fnd("semgrep", "dup", "fp-dup", "app/d.py", 1)
	dup2.Fingerprint = "fp-dup-2"

	current := []finding.Finding{moved, sev, fresh, dup1, dup2}
	c := Compare(Reference{Known: known, KnownFrom: "baseline b.sarif",
		Tools: map[string]bool{"semgrep": true}}, current)

	tests := []struct {
		f         finding.Finding
		state, in string
	}{
		{moved, StateUnchanged, "in baseline b.sarif"},
		{sev, StateUpdated, "another severity"},
		{fresh, StateNew, "not in baseline b.sarif"},
		{dup1, StateUnchanged, "in baseline"},
		{dup2, StateNew, "not in baseline"},
	}
	for _, tt := range tests {
		state, why := c.State(&tt.f)
		if state != tt.state || !strings.Contains(why, tt.in) {
			t.Errorf("%s: got %s (%s), want %s (%s)", tt.f.Fingerprint, state, why, tt.state, tt.in)
		}
	}
	if len(c.Absent) != 1 || c.Absent[0].Fingerprint != "fp-gone" {
		t.Errorf("absent: got %v, want only fp-gone (gitleaks did not run)", c.Absent)
	}
	if got := c.Summary(); got != "2 new, 2 unchanged, 1 updated, 1 fixed" {
		t.Errorf("summary: got %q", got)
	}
}

// changeRepo commits a base and a head that adds lines, renames, deletes
// and touches a binary file, and returns the real diff between them.
func changeRepo(t *testing.T) *Changes {
	t.Helper()
	gittest.Isolate(t)
	r := gittest.Init(t)
	base := r.Commit("base", map[string]string{
		"app/a.py":    "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\n",
		"app/old.py":  "keep me\nsame\n",
		"app/edit.py": "one\ntwo\n",
		"gone.py":     "bye\n",
		"img.bin":     "\x00\x01",
		"other.py":    "untouched\n",
	})
	r.Run("mv", "app/old.py", "app/new.py")
	r.Run("mv", "app/edit.py", "app/edited.py")
	r.Run("rm", "-q", "gone.py")
	r.Commit("head", map[string]string{
		"app/a.py":      "l1\nl2\nl3\nl4\nl5\nADDED\nl6\nl7\nl8\nl9\nl10\nl11\nl12\n",
		"app/edited.py": "one\ntwo\nthree\n",
		"img.bin":       "\x00\x02",
	})
	files, err := (&git.Repo{Dir: r.Dir}).Diff(context.Background(), base, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	return FromDiff(files)
}

func TestInScope(t *testing.T) {
	ch := changeRepo(t)
	at := func(path string, line int) finding.Finding { return fnd("t", "r", "", path, line) }
	tests := []struct {
		f                         finding.Finding
		added, context, file, all bool
	}{
		{at("app/a.py", 6), true, true, true, true},
		{at("app/a.py", 4), false, true, true, true},   // context line
		{at("app/a.py", 12), false, false, true, true}, // outside the hunk
		{at("app/new.py", 1), false, false, false, true},
		{at("app/edited.py", 3), true, true, true, true},
		{at("img.bin", 0), true, true, true, true},
		{at("other.py", 1), false, false, false, true},
		{at("", 0), true, true, true, true},
		{at("app/a.py", 0), true, true, true, true},
	}
	scopes := []config.DiffScope{config.ScopeAdded, config.ScopeContext, config.ScopeFile,
		config.ScopeAll}
	for _, tt := range tests {
		want := []bool{tt.added, tt.context, tt.file, tt.all}
		for i, s := range scopes {
			if got, why := ch.InScope(&tt.f, s); got != want[i] {
				t.Errorf("%s:%d in %s: got %v (%s), want %v", tt.f.Location.Path,
					tt.f.Location.StartLine, s, got, why, want[i])
			}
		}
	}
	notes := strings.Join(ch.Notes, "\n")
	for _, want := range []string{"1 binary file(s) changed (img.bin)",
		"1 file(s) only renamed (app/new.py)", "1 file(s) deleted"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes: %q lacks %q", notes, want)
		}
	}
}

func TestCompareWithDiffAndRename(t *testing.T) {
	ch := changeRepo(t)
	known := []finding.Finding{fnd("semgrep", "r", "fp-old-path", "app/edit.py", 1)}
	renamed := fnd("semgrep", "r", "fp-new-path", "app/edited.py", 1)
	added := fnd("semgrep", "r", "fp-added", "app/a.py", 6)
	untouched := fnd("semgrep", "r", "fp-untouched", "other.py", 1)

	c := Compare(Reference{Known: known, KnownFrom: "the base", Changes: ch,
		Scope: config.ScopeAdded}, []finding.Finding{renamed, added, untouched})
	tests := []struct {
		f         finding.Finding
		state, in string
	}{
		{renamed, StateUpdated, "as app/edit.py, which the change renamed"},
		{added, StateNew, "not in the base, and app/a.py:6 is a line the change adds"},
		{untouched, StateUnchanged, "outside the change: other.py is not changed"},
	}
	for _, tt := range tests {
		state, why := c.State(&tt.f)
		if state != tt.state || !strings.Contains(why, tt.in) {
			t.Errorf("%s: got %s (%s), want %s (%s)", tt.f.Fingerprint, state, why, tt.state, tt.in)
		}
	}
	if len(c.Absent) != 0 {
		t.Errorf("absent: got %v, want none (the rename matched)", c.Absent)
	}

	unknown := fnd("semgrep", "r", "never-seen", "x.py", 1)
	if state, _ := c.State(&unknown); state != StateNew {
		t.Errorf("a finding outside the comparison: got %s, want new (fail closed)", state)
	}
}
