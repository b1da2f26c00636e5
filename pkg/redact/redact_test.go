package redact

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/finding"
)

func TestValues(t *testing.T) {
	t.Cleanup(Reset)
	Reset()
	Register("tok-AAAA1111", "short", "  tok-AAAA1111-longer  ", "")

	tests := []struct{ name, in, want string }{
		{"plain", "auth tok-AAAA1111 ok", "auth [redacted] ok"},
		{"longer value wins", "x tok-AAAA1111-longer y", "x [redacted] y"},
		{"twice", "tok-AAAA1111tok-AAAA1111", "[redacted][redacted]"},
		{"too short to register", "short text", "short text"},
		{"no value", "nothing here", "nothing here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Values(tt.in); got != tt.want {
				t.Errorf("Values(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestWriterSplitsValues: a value cut across writes, at every possible
// place, never reaches the underlying writer.
func TestWriterSplitsValues(t *testing.T) {
	t.Cleanup(Reset)
	Reset()
	const secret = "ghs_FAKE0123456789abcdef"
	Register(secret)

	text := "before " + secret + " middle " + secret + " after tok"
	for cut := 0; cut <= len(text); cut++ {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		for _, part := range []string{text[:cut], text[cut:]} {
			if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
				t.Fatalf("cut %d: Write: %d, %v", cut, n, err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		want := "before [redacted] middle [redacted] after tok"
		if got := buf.String(); got != want {
			t.Errorf("cut %d: got %q, want %q", cut, got, want)
		}
	}
}

func TestWriterByteAtATime(t *testing.T) {
	t.Cleanup(Reset)
	Reset()
	Register("s3cr3t-value-XYZ")

	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, b := range []byte("a s3cr3t-value-XYZ b s3cr3t-value-XY") {
		_, _ = w.Write([]byte{b})
	}
	_ = w.Flush()
	if got, want := buf.String(), "a [redacted] b s3cr3t-value-XY"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRegisterEnv(t *testing.T) {
	t.Cleanup(Reset)
	Reset()
	env := map[string]string{"GITHUB_TOKEN": "ghp_envvalue123", "EMPTY": ""}
	RegisterEnv(func(k string) string { return env[k] }, "GITHUB_TOKEN", "EMPTY", "UNSET")
	if got := Values("x ghp_envvalue123"); got != "x [redacted]" {
		t.Errorf("Values: got %q", got)
	}
}

func TestMessageOfSecretFindings(t *testing.T) {
	t.Cleanup(Reset)
	Reset()
	tests := []struct {
		name   string
		f      finding.Finding
		secret string
	}{
		{"gitleaks quotes the value", finding.Finding{Tool: "gitleaks",
			Message: "generic-api-key found: Zx9kQ2mP7vR4"}, "Zx9kQ2mP7vR4"},
		{"merged from gitleaks", finding.Finding{Tool: "semgrep", Tools: []string{"gitleaks"},
			Message: "value q8W3eR5tY7u"}, "q8W3eR5tY7u"},
		{"CWE-798 rule", finding.Finding{Tool: "semgrep",
			Rule:    finding.Rule{ID: "hardcoded", CWE: []string{"cwe-798"}},
			Message: "password Abc12345xyz in code"}, "Abc12345xyz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !IsSecret(&tt.f) {
				t.Fatalf("IsSecret: got false, want true")
			}
			if got := Message(&tt.f); strings.Contains(got, tt.secret) {
				t.Errorf("Message kept the value: %q", got)
			}
		})
	}
}

// manyValues registers n distinct values, as a secret scanner reporting n
// leaked keys would, and returns them.
func manyValues(n int) []string {
	values := make([]string, n)
	for i := range values {
		values[i] = fmt.Sprintf("AKIA%012dXYZ", i*7919)
	}
	Register(values...)
	return values
}

func TestWriterManyValues(t *testing.T) {
	Reset()
	t.Cleanup(Reset)
	values := manyValues(5000)

	// Every value, each inside ordinary text, written through the same
	// buffering the SARIF writer uses, so values straddle write boundaries.
	var out bytes.Buffer
	w := NewWriter(&out)
	bw := bufio.NewWriterSize(w, 4096)
	for _, v := range values {
		fmt.Fprintf(bw, "{\"snippet\":\"key = %s\"}\n", v)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}

	got := out.String()
	for _, v := range values {
		if strings.Contains(got, v) {
			t.Fatalf("value %q was written", v)
		}
	}
	if n := strings.Count(got, Redacted); n != len(values) {
		t.Errorf("%d values redacted, want %d", n, len(values))
	}
}

// BenchmarkWriterManyValues writes 8 MiB of text through a Writer that
// withholds 10 or 10,000 values; the cost must not grow with the number.
// The values are made of the text's own words, the hard case for a matcher:
// their beginnings occur everywhere in it.
func BenchmarkWriterManyValues(b *testing.B) {
	words := strings.Fields("user input reaches query without escaping the secret token " +
		"key value password request handler file path command")
	line := strings.Join(words, " ") + "\n"
	chunk := []byte(strings.Repeat(line, 64<<10/len(line)))
	for _, n := range []int{10, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			Reset()
			b.Cleanup(Reset)
			for i := range n {
				Register(fmt.Sprintf("%s %s %s %d", words[i%len(words)], words[(i/7)%len(words)],
					words[(i/3)%len(words)], i))
			}
			b.SetBytes(int64(len(chunk)) * 128)
			for b.Loop() {
				w := NewWriter(io.Discard)
				for range 128 {
					w.Write(chunk)
				}
				w.Flush()
			}
		})
	}
}

// FuzzReplace checks the matcher against the plainest reading of its rule:
// from the left, at each byte, the longest value that starts there is
// replaced, and the search goes on after it.
func FuzzReplace(f *testing.F) {
	f.Add("AKIAIOSFODNN7EXAMPLE and AKIAIOSFODNN7EXAMPLE2", "AKIAIOSFODNN7EXAMPLE,AKIAIOSFODNN7EXAMPLE2")
	f.Add("abcdefghi abcdef", "abcdef,defghi,abcdefgh")
	f.Add("xxxxxxxxxxxx", "xxxxxx,xxxxxxx")
	f.Fuzz(func(t *testing.T, text, list string) {
		var values []string
		for _, v := range strings.Split(list, ",") {
			if len(v) >= MinValueLen && !slices.Contains(values, v) {
				values = append(values, v)
			}
		}
		if len(values) == 0 {
			return
		}
		got := newMatcher(values).replace(text)
		if want := naiveReplace(text, values); got != want {
			t.Fatalf("replace(%q) with %q:\n got %q\nwant %q", text, values, got, want)
		}
	})
}

func naiveReplace(s string, values []string) string {
	var out strings.Builder
	for i := 0; i < len(s); {
		best := ""
		for _, v := range values {
			if strings.HasPrefix(s[i:], v) && len(v) > len(best) {
				best = v
			}
		}
		if best == "" {
			out.WriteByte(s[i])
			i++
			continue
		}
		out.WriteString(Redacted)
		i += len(best)
	}
	return out.String()
}

func TestWriterRedactsEscapedForms(t *testing.T) {
	Reset()
	t.Cleanup(Reset)
	secret := "pw\"Q\\uote <tag>&amp;\n\tline\u2028SECRET-AAA1"
	Register(secret)

	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.Encode(secret) // HTML escaped, as encoding/json does by default
	enc.SetEscapeHTML(false)
	enc.Encode(secret)
	enc.Encode(strings.Join(strings.Fields(secret), " ")) // a snippet collapses white space
	xml.EscapeText(&b, []byte(secret))
	b.WriteString("\n" + strings.NewReplacer("%", "%25", "\n", "%0A", ":", "%3A").Replace(secret))

	var out bytes.Buffer
	w := NewWriter(&out)
	if _, err := w.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "SECRET-AAA1") {
		t.Errorf("an escaped form got out:\n%s", out.String())
	}
	if n := strings.Count(out.String(), Redacted); n != 5 {
		t.Errorf("%d forms redacted, want 5:\n%s", n, out.String())
	}
}
