package actions

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/policy"
	"github.com/secgate/secgate/pkg/redact"
)

func TestAnnotationString(t *testing.T) {
	tests := []struct {
		name string
		a    Annotation
		want string
	}{
		{"escapes", Annotation{Level: "error", File: "a,b:c%.py", Line: 3, Col: 2, EndCol: 9,
			Title: "high x: y", Message: "50% sure\r\nsecond line"},
			"::error file=a%2Cb%3Ac%25.py,line=3,col=2,endColumn=9,title=high x%3A y::" +
				"50%25 sure%0D%0Asecond line"},
		{"multi-line region drops columns", Annotation{Level: "error", File: "f", Line: 3,
			EndLine: 5, Col: 2, EndCol: 4, Message: "m"}, "::error file=f,line=3,endLine=5::m"},
		{"no file", Annotation{Level: "notice", Message: "just text"}, "::notice::just text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	if got, ok := Mask("s3cr3t-value"); !ok || got != "::add-mask::s3cr3t-value" {
		t.Errorf("mask: got %q, %v", got, ok)
	}
	for _, v := range []string{"", "ab", "two\nlines"} {
		if _, ok := Mask(v); ok {
			t.Errorf("mask %q: accepted", v)
		}
	}
}

func TestWriteOutputs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "output")
	if err := os.WriteFile(path, []byte("earlier=kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteOutputs(path, []Output{{"verdict", "blocked"},
		{"counts", "{\"high\": 1}\nsecond line"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	re := regexp.MustCompile(`^earlier=kept\nverdict=blocked\ncounts<<(secgate_[0-9a-f]{32})\n` +
		`\{"high": 1\}\nsecond line\n(secgate_[0-9a-f]{32})\n$`)
	m := re.FindStringSubmatch(string(data))
	if m == nil || m[1] != m[2] {
		t.Errorf("output file:\n%s", data)
	}
	if err := WriteOutputs("", nil); err == nil {
		t.Errorf("no GITHUB_OUTPUT: got no error")
	}
}

func TestAppendSummaryLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary")
	if err := os.WriteFile(path, []byte(strings.Repeat("x", MaxSummary-100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AppendSummary(path, strings.Repeat("é", 500)); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if info.Size() > MaxSummary {
		t.Errorf("summary: %d bytes, over the limit %d", info.Size(), MaxSummary)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasSuffix(string(data), "limited to 1 MiB)\n") {
		t.Errorf("no cut notice at the end")
	}
	full := filepath.Join(t.TempDir(), "full")
	if err := os.WriteFile(full, []byte(strings.Repeat("x", MaxSummary)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AppendSummary(full, "more"); err == nil {
		t.Errorf("full summary: got no error")
	}
}

func TestBlockingAnnotations(t *testing.T) {
	d := &policy.Decision{}
	for i := 0; i < 13; i++ {
		d.Findings = append(d.Findings, policy.Evaluated{Outcome: policy.OutcomeFail,
			Finding: finding.Finding{Tool: "semgrep", Rule: finding.Rule{ID: "r"},
				Severity: finding.SeverityHigh, Message: "token ghp_" + strings.Repeat("a", 36),
				Location: finding.Location{Path: "a.go", StartLine: i + 1}}})
	}
	d.Findings = append(d.Findings, policy.Evaluated{Outcome: policy.OutcomeWarn})
	got := BlockingAnnotations(d, "the job summary")
	if len(got) != PerLevel+1 {
		t.Fatalf("annotations: got %d, want %d", len(got), PerLevel+1)
	}
	if last := got[PerLevel]; last.Level != "notice" ||
		!strings.Contains(last.Message, "3 more blocking findings") {
		t.Errorf("last: got %+v", last)
	}
	if s := got[0].String(); strings.Contains(s, "ghp_aaaa") ||
		!strings.HasPrefix(s, "::error file=a.go,line=1,title=high r (semgrep)::") {
		t.Errorf("first: got %s", s)
	}
}

// TestEscapedSecretsRedacted: the redactor knows a secret in the form these
// escapes give it (it keeps its own copy of them, since this package imports
// it), so a workflow command cannot carry it out escaped.
func TestEscapedSecretsRedacted(t *testing.T) {
	redact.Reset()
	t.Cleanup(redact.Reset)
	secret := "100%:sure,\r\nSECRET-BBB2"
	redact.Register(secret)
	for _, escaped := range []string{EscapeData(secret), EscapeProperty(secret)} {
		if got := redact.Values("::error::" + escaped); strings.Contains(got, "SECRET-BBB2") {
			t.Errorf("escaped form %q not redacted: %q", escaped, got)
		}
	}
}
