package wellformed

import (
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	const want = "a demo report"
	tests := []struct {
		name, data, err string
	}{
		{"object", `{"a":[1,2]}`, ""},
		{"bom and spaces", "\xef\xbb\xbf {\"a\":1}\n", ""},
		{"array", `[{"a":"é"}]`, ""},
		{"empty", "", "x.json: empty file, expected a demo report"},
		{"blank", " \n\t", "x.json: empty file"},
		{"truncated", "{\"a\":\n[1,", "x.json:2:4: truncated: the JSON ends early"},
		{"malformed", "{\"a\":1,,}", "x.json:1:8: malformed JSON (invalid character ','"},
		{"latin-1", "{\"a\":\n\"caf\xe9\"}", "x.json:2:5: invalid UTF-8, expected a demo report in UTF-8"},
		{"utf-16", "\xff\xfe{\x00}\x00", "x.json:1:1: the file is UTF-16"},
		{"trailing data", "{}\n{}", "x.json:2:2: more data after the JSON value"},
		{"xml", "<a/>", "x.json:1:1: malformed JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := JSON([]byte(tt.data), "x.json", want)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("got %v, want an error starting %q", err, tt.err)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	data := []byte("ab\ncd\n")
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {6, 3, 1}, {99, 3, 1}, {-1, 1, 1},
	}
	for _, tt := range tests {
		line, col := Position(data, tt.off)
		if line != tt.line || col != tt.col {
			t.Errorf("Position(%d): got %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
}

func TestUTF8(t *testing.T) {
	tests := []struct{ name, data, err string }{
		{"ascii", `{"a":1}`, ""},
		{"empty is left to the parser", "", ""},
		{"multi-byte", "{\"a\":\"été ✓\"}", ""},
		{"latin-1 on line 3", "{\n\"a\":\n  \"caf\xe9\"}", "r.json:3:7: invalid UTF-8, expected r in UTF-8"},
		{"cut multi-byte", "\"\xc3", "r.json:1:2: invalid UTF-8"},
		{"utf-16 be", "\xfe\xff\x00{", "r.json:1:1: the file is UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := UTF8([]byte(tt.data), "r.json", "r")
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
				t.Errorf("got %v, want an error starting %q", err, tt.err)
			}
		})
	}
}
