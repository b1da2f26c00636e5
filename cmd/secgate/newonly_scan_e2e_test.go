package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/git/gittest"
)

// featureClone makes main with one finding on the remote and a feature
// branch forked from it that adds a second finding; main then moves on. It
// returns a clone of the feature branch, shallow when depth is set.
func featureClone(t *testing.T, depth string) *gittest.Repo {
	t.Helper()
	src := sqliRepo(t, sqliConfig)
	src.Run("checkout", "-q", "-b", "feature")
	src.Commit("feature", map[string]string{"app.py": pyHead + oldSQLi + newSQLi})
	src.Run("push", "-q", "origin", "feature")
	src.Run("checkout", "-q", "main")
	for i := 0; i < 5; i++ {
		src.Commit("main moves on", map[string]string{"lib/util.py": "X = " + itoa(i) + "\n"})
	}
	src.Run("push", "-q", "origin", "main")
	url := "file://" + strings.TrimSpace(src.Run("remote", "get-url", "origin"))
	args := []string{"--branch=feature"}
	if depth != "" {
		args = append(args, depth)
	}
	return gittest.Clone(t, url, args...)
}

func TestScanNewOnlyAgainstBase(t *testing.T) {
	clearCIEnv()
	tests := []struct {
		name, depth string
		args        []string
		wantCode    int
		want        []string
		states      []string
	}{
		{"full clone", "", []string{"--new-only", "--base", "main"}, 1,
			[]string{"compared with the merge base", "1 new, 1 unchanged"},
			[]string{"app.py:4 unchanged", "app.py:6 new"}},
		{"shallow clone is deepened", "--depth=1", []string{"--new-only", "--base", "main"}, 1,
			[]string{"deepened the shallow clone"},
			[]string{"app.py:4 unchanged", "app.py:6 new"}},
		{"shallow clone without fetching falls back to all new", "--depth=1",
			[]string{"--new-only", "--base", "main", "--no-fetch"}, 1,
			[]string{"fetching is off", "every finding counts as new"},
			[]string{"app.py:4 new", "app.py:6 new"}},
		{"diff scope all without a baseline: everything is new", "",
			[]string{"--new-only", "--base", "main", "--diff-scope", "all"}, 1,
			[]string{"2 new"}, []string{"app.py:4 new", "app.py:6 new"}},
		{"bad diff scope", "", []string{"--diff-scope", "lines"}, 2,
			[]string{"want added, context, file or all"}, nil},
		{"new-only with nothing to compare: everything is new", "", []string{"--new-only"}, 1,
			[]string{"nothing to compare with", "2 new"}, []string{"app.py:4 new", "app.py:6 new"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := featureClone(t, tt.depth)
			sarif := filepath.Join(t.TempDir(), "out.sarif")
			args := append([]string{"scan", "--sarif", sarif}, tt.args...)
			res := secgate(t, c.Dir, []string{semgrepDir(t)}, args...)
			if res.code != tt.wantCode {
				t.Fatalf("exit %d, want %d:\n%s", res.code, tt.wantCode, res.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
			if tt.states != nil {
				if got := sarifStates(t, sarif); strings.Join(got, "|") != strings.Join(tt.states, "|") {
					t.Errorf("SARIF states: got %q, want %q", got, tt.states)
				}
			}
		})
	}
}

func TestScanNewOnlyFromJenkins(t *testing.T) {
	// A multibranch PR build names the base in CHANGE_TARGET.
	clearCIEnv()
	c := featureClone(t, "")
	t.Setenv("JENKINS_URL", "https://ci.example.com/")
	t.Setenv("CHANGE_ID", "12")
	t.Setenv("CHANGE_TARGET", "main")
	t.Setenv("GIT_URL", "https://github.com/acme/app.git")
	res := secgate(t, c.Dir, []string{semgrepDir(t)}, "scan", "--new-only")
	if res.code != 1 || !strings.Contains(res.stderr, "merge base") ||
		!strings.Contains(res.stderr, "of main") || !strings.Contains(res.stderr, "1 new, 1 unchanged") {
		t.Errorf("exit %d, want 1 with main as the base:\n%s", res.code, res.stderr)
	}
}

func TestBaselineCreateUpdate(t *testing.T) {
	clearCIEnv()
	r := sqliRepo(t, sqliConfig)
	sg := []string{semgrepDir(t)}
	file := "secgate-baseline.sarif"

	if res := secgate(t, r.Dir, sg, "baseline", "create"); res.code != 0 ||
		!strings.Contains(res.stderr, "1 findings") {
		t.Fatalf("create: %d\n%s", res.code, res.stderr)
	}
	if res := secgate(t, r.Dir, sg, "baseline", "create"); res.code != 2 ||
		!strings.Contains(res.stderr, "baseline update") {
		t.Errorf("create over an existing baseline: %d\n%s", res.code, res.stderr)
	}

	// The old finding moves down: still known. A new one blocks.
	r.Write(map[string]string{"app.py": pyHead + "\n\n# moved\n" + oldSQLi + newSQLi})
	sarif := filepath.Join(t.TempDir(), "out.sarif")
	res := secgate(t, r.Dir, sg, "scan", "--new-only", "--baseline", file, "--sarif", sarif)
	if res.code != 1 || !strings.Contains(res.stderr, "1 new, 1 unchanged, 0 updated, 0 fixed") {
		t.Errorf("scan against the baseline: %d\n%s", res.code, res.stderr)
	}
	if got := sarifStates(t, sarif); strings.Join(got, "|") != "app.py:7 unchanged|app.py:9 new" {
		t.Errorf("states: got %q", got)
	}

	// update does not take the new finding in silently.
	res = secgate(t, r.Dir, sg, "baseline", "update")
	if res.code != 0 || !strings.Contains(res.stderr, "1 kept, 0 removed (fixed), 1 new not added") {
		t.Errorf("update: %d\n%s", res.code, res.stderr)
	}

	// Fix the old finding: it is absent (fixed) in the scan, and update drops it.
	r.Write(map[string]string{"app.py": pyHead + newSQLi})
	res = secgate(t, r.Dir, sg, "scan", "--new-only", "--baseline", file, "--sarif", sarif)
	if !strings.Contains(res.stderr, "1 new, 0 unchanged, 0 updated, 1 fixed") {
		t.Errorf("scan after the fix: %d\n%s", res.code, res.stderr)
	}
	// The absent one is where update last saw it, line 7.
	if got := sarifStates(t, sarif); strings.Join(got, "|") != "app.py:4 new|app.py:7 absent pass" {
		t.Errorf("states after the fix: got %q", got)
	}
	res = secgate(t, r.Dir, sg, "baseline", "update", "--add-new")
	if res.code != 0 || !strings.Contains(res.stderr, "0 kept, 1 removed (fixed), 1 new added") {
		t.Errorf("update --add-new: %d\n%s", res.code, res.stderr)
	}
	if res := secgate(t, r.Dir, sg, "scan", "--new-only", "--baseline", file); res.code != 0 {
		t.Errorf("scan after accepting: %d\n%s", res.code, res.stderr)
	}
}

func TestShardsMergeEvaluate(t *testing.T) {
	clearCIEnv()
	r := sqliRepo(t, sqliConfig)
	files := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		files["pkg/"+n+".py"] = pyHead + oldSQLi
	}
	r.Commit("more", files)
	sg := []string{semgrepDir(t)}
	out := t.TempDir()

	full := secgate(t, r.Dir, sg, "scan", "--json", filepath.Join(out, "full.json"))
	var shards []string
	for _, s := range []string{"1/3", "2/3", "3/3"} {
		p := filepath.Join(out, "shard-"+s[:1]+".sarif")
		res := secgate(t, r.Dir, sg, "scan", "--shard", s, "--sarif", p)
		if res.code != 0 || !strings.Contains(res.stderr, "the verdict above covers this slice only") {
			t.Fatalf("shard %s: exit %d\n%s", s, res.code, res.stderr)
		}
		shards = append(shards, p)
	}
	merged := filepath.Join(out, "merged.sarif")
	res := secgate(t, r.Dir, nil, append([]string{"merge", "-o", merged}, shards...)...)
	if res.code != 0 {
		t.Fatalf("merge: %d\n%s", res.code, res.stderr)
	}
	eval := secgate(t, r.Dir, nil, "evaluate", merged, "--json", filepath.Join(out, "merged.json"))
	if eval.code != full.code {
		t.Errorf("evaluate of the merge: exit %d, the full scan %d", eval.code, full.code)
	}
	a := findingLines(readJSONReport(t, filepath.Join(out, "full.json")))
	b := findingLines(readJSONReport(t, filepath.Join(out, "merged.json")))
	if len(a) != 7 || strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("findings:\nfull   %q\nmerged %q", a, b)
	}
	other := filepath.Join(out, "other.sarif")
	if err := os.WriteFile(other, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dst := range []string{other, shards[1]} {
		if res := secgate(t, r.Dir, nil, "merge", "-o", dst, shards[1]); res.code != 2 ||
			!strings.Contains(res.stderr, "refusing") {
			t.Errorf("merge -o %s: exit %d, want a refusal\n%s", dst, res.code, res.stderr)
		}
	}
}

// TestMergeKeepsToolSuppressions: a result the tool itself suppressed stays
// suppressed through merge, so a shard that passed does not block once
// merged; and an empty run with no tool ("runs": [null]) is passed over.
func TestMergeKeepsToolSuppressions(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secgate.yaml"), "key: m\nscanners: {}\nfail_on: low\n")
	writeFile(t, filepath.Join(dir, "tool.sarif"), `{"version":"2.1.0","runs":[null,
		{"tool":{"driver":{"name":"lint"}},"results":[
		 {"ruleId":"a","message":{"text":"waived"},"suppressions":[{"kind":"external",
		  "justification":"accepted in review"}],
		  "locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.py"},"region":{"startLine":1}}}]},
		 {"ruleId":"b","message":{"text":"open"},
		  "locations":[{"physicalLocation":{"artifactLocation":{"uri":"b.py"},"region":{"startLine":2}}}]}]}]}`)

	direct := secgate(t, dir, nil, "evaluate", "--config", "secgate.yaml", "--json", "direct.json",
		"tool.sarif")
	if res := secgate(t, dir, nil, "merge", "-o", "merged.sarif", "tool.sarif"); res.code != 0 {
		t.Fatalf("merge: exit %d\n%s", res.code, res.stderr)
	}
	merged := secgate(t, dir, nil, "evaluate", "--config", "secgate.yaml", "--json", "merged.json",
		"merged.sarif")
	if direct.code != 1 || merged.code != direct.code {
		t.Errorf("exit codes: direct %d, merged %d, want 1 both", direct.code, merged.code)
	}
	for _, name := range []string{"direct.json", "merged.json"} {
		outcomes := map[string]string{}
		for _, f := range readJSONReport(t, filepath.Join(dir, name)).Findings {
			outcomes[f.Rule.ID] = f.Outcome
		}
		if outcomes["a"] != "suppressed" || outcomes["b"] != "fail" {
			t.Errorf("%s: outcomes %v, want a suppressed and b fail", name, outcomes)
		}
	}
}
