package sariflog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// encodeReport renders the report as indented JSON ending in a newline,
// without HTML escaping (messages stay readable) and without null members.
func encodeReport(report *sarif.Report) ([]byte, error) {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(report); err != nil {
		return nil, fmt.Errorf("marshal report: %w", err)
	}

	clean, err := dropNulls(raw.Bytes())
	if err != nil {
		return nil, err
	}

	var out bytes.Buffer
	if err := json.Indent(&out, clean, "", "  "); err != nil {
		return nil, fmt.Errorf("indent report: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// jsonFrame is an open object or array while rewriting.
type jsonFrame struct {
	object bool
	empty  bool // nothing written into it yet
}

// dropNulls removes the object members whose value is null, keeping the order
// of everything else. go-sarif v2.3.3 marshals a suppression's optional
// status, location, guid and justification without omitempty, as null, and
// the SARIF schema allows no null there (the validator reports JSON1001).
func dropNulls(in []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	var out bytes.Buffer
	var stack []jsonFrame
	key, haveKey := "", false

	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out.Bytes(), nil
		}
		if err != nil {
			return nil, fmt.Errorf("rewrite report: %w", err)
		}

		top := len(stack) - 1
		inObject := top >= 0 && stack[top].object
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			out.WriteByte(byte(d))
			stack = stack[:top]
			continue
		}
		if inObject && !haveKey {
			key, haveKey = tok.(string), true
			continue
		}
		if tok == nil && haveKey {
			haveKey = false
			continue
		}

		if top >= 0 {
			if !stack[top].empty {
				out.WriteByte(',')
			}
			stack[top].empty = false
		}
		if haveKey {
			writeJSONString(&out, key)
			out.WriteByte(':')
			haveKey = false
		}
		if d, ok := tok.(json.Delim); ok {
			out.WriteByte(byte(d))
			stack = append(stack, jsonFrame{object: d == '{', empty: true})
			continue
		}
		if err := writeScalar(&out, tok); err != nil {
			return nil, err
		}
	}
}

func writeScalar(out *bytes.Buffer, tok json.Token) error {
	switch v := tok.(type) {
	case string:
		writeJSONString(out, v)
	case json.Number:
		out.WriteString(v.String())
	case bool:
		out.WriteString(fmt.Sprint(v))
	case nil:
		out.WriteString("null")
	default:
		return fmt.Errorf("rewrite report: unexpected token %v", tok)
	}
	return nil
}

func writeJSONString(out *bytes.Buffer, s string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// Encoding a string cannot fail.
	_ = enc.Encode(s)
	out.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
