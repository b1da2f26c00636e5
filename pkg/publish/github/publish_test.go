package github

import (
	"strconv"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/publish/github/fakegithub"
	"github.com/secgate/secgate/pkg/report"
)

// TestFirstRunThenIdenticalRerun is the issue's definition of done: one
// summary comment, inline comments only on diff lines, one check run with
// every annotation, and a second identical run that posts nothing new.
func TestFirstRunThenIdenticalRerun(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	data := flaskData(t)
	p := newPublisher(t, srv, newFakeClock(), allFeatures(Settings{}))

	res := publish(t, p, Input{Data: data, Target: target(srv, 7)})
	if len(res.Problems) > 0 {
		t.Fatalf("first run problems: %v", res.Problems)
	}
	st := srv.Snapshot()
	if got := len(st.IssueComments); got != 1 {
		t.Fatalf("summary comments after the first run: got %d, want 1", got)
	}
	// In the diff: the template-string range 103-114 (one hunk), md5 on 141,
	// eqeq on loader.js:91 (a context line). Outside: app.py 271 and 329,
	// the four findings in tests/e2e_zap.py.
	wantInline := map[string]bool{"app/app.py:114": true, "app/app.py:141": true,
		"app/static/loader.js:91": true}
	if got := len(st.ReviewComments); got != len(wantInline) {
		t.Errorf("inline comments: got %d, want %d", got, len(wantInline))
	}
	for _, c := range st.ReviewComments {
		if at := c.Path + ":" + strconv.Itoa(c.Line); !wantInline[at] {
			t.Errorf("inline comment at %s, which is not a finding on a diff line", at)
		}
		if c.Side != "RIGHT" {
			t.Errorf("comment side: got %q, want RIGHT", c.Side)
		}
	}
	for _, rv := range st.Reviews {
		if rv.Event != "COMMENT" || rv.CommitID != headSHA {
			t.Errorf("review: event %q commit %q, want COMMENT on the head", rv.Event, rv.CommitID)
		}
	}
	if got := len(st.CheckRuns); got != 1 {
		t.Fatalf("check runs: got %d, want 1", got)
	}
	located := countLocated(data.Decision)
	if got := len(st.CheckRuns[0].Annotations); got != located {
		t.Errorf("annotations: got %d, want %d (every located finding)", got, located)
	}
	cr := st.CheckRuns[0]
	if cr.Name != "secgate" || cr.Conclusion != "failure" || cr.HeadSHA != headSHA {
		t.Errorf("check run: name %q conclusion %q head %q", cr.Name, cr.Conclusion, cr.HeadSHA)
	}

	writes := srv.Writes()
	res = publish(t, p, Input{Data: data, Target: target(srv, 7)})
	st2 := srv.Snapshot()
	if len(st2.IssueComments) != 1 || len(st2.ReviewComments) != len(st.ReviewComments) ||
		len(st2.Reviews) != len(st.Reviews) {
		t.Errorf("identical re-run: comments %d, inline %d, reviews %d; want 1, %d, %d",
			len(st2.IssueComments), len(st2.ReviewComments), len(st2.Reviews),
			len(st.ReviewComments), len(st.Reviews))
	}
	if st2.IssueComments[0].Body != st.IssueComments[0].Body {
		t.Errorf("identical re-run changed the summary")
	}
	// The only writes are the new check run, which belongs to the run.
	if got := srv.Writes() - writes; got != 1 {
		t.Errorf("writes in the identical re-run: got %d, want 1 (the check run); log %v",
			got, srv.Log[len(srv.Log)-5:])
	}
	if res.Created != 0 || res.Updated != 0 {
		t.Errorf("re-run result: created %d updated %d, want 0 0", res.Created, res.Updated)
	}
}

func countLocated(d *policy.Decision) int {
	n := 0
	for _, e := range d.Findings {
		if postable(e) && e.Finding.Location.HasFile() && e.Finding.Location.StartLine > 0 {
			n++
		}
	}
	return n
}

// TestRerunAfterFix drops a finding that had an inline comment: the comment
// is marked fixed in place, the summary is edited, nothing new is posted;
// when the finding comes back its comment is reopened.
func TestRerunAfterFix(t *testing.T) {
	srv := newFake(t, "")
	srv.AddPR(flaskPR())
	data := flaskData(t)
	p := newPublisher(t, srv, newFakeClock(), allFeatures(Settings{}))
	publish(t, p, Input{Data: data, Target: target(srv, 7)})
	before := srv.Snapshot()

	fixed := withoutRule(t, data, "python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-md5")
	res := publish(t, p, Input{Data: fixed, Target: target(srv, 7)})
	after := srv.Snapshot()

	if len(after.IssueComments) != 1 || len(after.ReviewComments) != len(before.ReviewComments) {
		t.Fatalf("after the fix: %d summaries, %d inline; want 1, %d",
			len(after.IssueComments), len(after.ReviewComments), len(before.ReviewComments))
	}
	states := map[string]string{}
	for _, c := range after.ReviewComments {
		_, _, state, ok := parseFindingMarker(c.Body)
		if !ok {
			t.Fatalf("comment %d lost its marker: %q", c.ID, c.Body)
		}
		states[c.Path+":"+strconv.Itoa(c.Line)] = state
	}
	want := map[string]string{"app/app.py:114": stateOpen, "app/app.py:141": stateFixed,
		"app/static/loader.js:91": stateOpen}
	for at, w := range want {
		if states[at] != w {
			t.Errorf("comment at %s: state %q, want %q", at, states[at], w)
		}
	}
	if res.Inline.Fixed != 1 || res.Created != 0 || res.Updated != 2 {
		t.Errorf("result: fixed %d created %d updated %d; want 1 0 2 (the comment, the summary)",
			res.Inline.Fixed, res.Created, res.Updated)
	}
	if after.IssueComments[0].Body == before.IssueComments[0].Body {
		t.Errorf("the summary was not updated after the fix")
	}

	res = publish(t, p, Input{Data: data, Target: target(srv, 7)})
	if res.Inline.Reopened != 1 || res.Created != 0 {
		t.Errorf("finding back: reopened %d created %d, want 1 0", res.Inline.Reopened, res.Created)
	}
}

func withoutRule(t *testing.T, data *report.Data, rule string) *report.Data {
	t.Helper()
	var kept []finding.Finding
	for _, e := range data.Decision.Findings {
		if e.Finding.Rule.ID != rule {
			kept = append(kept, e.Finding)
		}
	}
	if len(kept) == len(data.Decision.Findings) {
		t.Fatalf("no finding of rule %s", rule)
	}
	out := *data
	out.Decision = policy.Evaluate(config.Default(), kept, nil, policy.Options{})
	return &out
}

// TestMoreFindingsThanTheCaps runs a real 48-finding Semgrep report on a PR
// that touches every flagged line: the inline comments stop at the cap, the
// rest are in the summary, and the check run gets every annotation in
// batches of at most 50 (the contract refuses bigger ones).
func TestMoreFindingsThanTheCaps(t *testing.T) {
	data := fixtureData(t, "semgrep/json/defectdojo-many-vulns.json", "/src")
	extra := synthetic(70, "app/extra.py")
	data = gateFindings(t, "/src", append(findingsOf(data), extra...))
	srv := newFake(t, "")
	srv.AddPR(prCovering(9, data))
	p := newPublisher(t, srv, newFakeClock(), allFeatures(Settings{MaxInlineComments: 12}))

	res := publish(t, p, Input{Data: data, Target: target(srv, 9)})
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	st := srv.Snapshot()
	if got := len(st.ReviewComments); got != 12 {
		t.Errorf("inline comments: got %d, want the cap of 12", got)
	}
	located := countLocated(data.Decision)
	if located <= 100 {
		t.Fatalf("test data: only %d located findings, want more than two batches", located)
	}
	cr := st.CheckRuns[0]
	if len(cr.Annotations) != located {
		t.Errorf("annotations: got %d, want %d", len(cr.Annotations), located)
	}
	if want := (located+annotationBatch-1)/annotationBatch - 1; cr.Updates != want {
		t.Errorf("annotation updates: got %d, want %d", cr.Updates, want)
	}
	body := st.IssueComments[0].Body
	if !strings.Contains(body, "over the inline cap of 12 (max\\_inline\\_comments)") {
		t.Errorf("summary does not say findings were over the cap:\n%s", tail(body, 600))
	}

	// A second run with the same findings posts no inline comment: the
	// twelve are there, the rest still over the cap.
	publish(t, p, Input{Data: data, Target: target(srv, 9)})
	if got := len(srv.Snapshot().ReviewComments); got != 12 {
		t.Errorf("inline comments after a re-run: got %d, want 12", got)
	}
}

func findingsOf(d *report.Data) []finding.Finding {
	var out []finding.Finding
	for _, e := range d.Decision.Findings {
		out = append(out, e.Finding)
	}
	return out
}

// synthetic makes n high findings on successive lines of path, for volume.
func synthetic(n int, path string) []finding.Finding {
	var out []finding.Finding
	for i := 0; i < n; i++ {
		out = append(out, finding.Finding{Tool: "semgrep", Severity: finding.SeverityHigh,
			Rule:     finding.Rule{ID: "demo.volume." + strconv.Itoa(i)},
			Message:  "volume finding " + strconv.Itoa(i),
			Location: finding.Location{Path: path, StartLine: i + 1}})
	}
	return out
}

// prCovering makes a PR whose patch adds every line any finding is on.
func prCovering(n int, data *report.Data) *fakegithub.PR {
	lines := map[string]int{}
	for _, e := range data.Decision.Findings {
		l := e.Finding.Location
		if l.HasFile() {
			lines[l.Path] = max(lines[l.Path], max(l.EndLine, l.StartLine))
		}
	}
	pr := &fakegithub.PR{Number: n, HeadSHA: headSHA, BaseSHA: baseSHA}
	for path, last := range lines {
		var added []int
		for i := 1; i <= last; i++ {
			added = append(added, i)
		}
		pr.Files = append(pr.Files, fakegithub.PRFile{Filename: path, Status: "added",
			Patch: strings.Replace(hunk(1, last, 0, added...), "@@ -1,0", "@@ -0,0", 1)})
	}
	return pr
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
