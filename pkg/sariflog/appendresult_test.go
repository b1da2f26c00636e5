package sariflog

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendString checks appendString against encoding/json with HTML
// escaping off, which wrote every string of secgate's log before it: the
// two must agree byte for byte, so that logs do not change from one release
// to the next.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `"q" \ /`, "<a href=x>&amp;</a>", "\b\f\n\r\t\x00\x1f\x7f",
		"line\u2028para\u2029", "bad \xff\xfe utf8 \xe2\x80", "é 中文 🙂", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		got := appendString(nil, s)
		if !bytes.Equal(got, bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
			t.Fatalf("appendString(%q) = %s, encoding/json gives %s", s, got, want.Bytes())
		}
	})
}
