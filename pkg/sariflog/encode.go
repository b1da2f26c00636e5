package sariflog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// encodeLog writes the planned runs as indented JSON ending in a newline,
// without HTML escaping (messages stay readable) and without null members.
//
// It writes one result at a time instead of marshalling the whole report:
// a log of a few hundred thousand results would otherwise be held three
// times over (the marshalled text, the text without nulls, the indented
// text), and go-sarif's pointer-rich model is already large. Results come
// last in each run object, which JSON readers do not mind, and each result
// is one line: indenting them costs more time than all the rest of the
// writing, and a line per result still diffs well.
func encodeLog(w io.Writer, runs []plannedRun, root string) error {
	head, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("new sarif report: %w", err)
	}
	head.Runs = nil // written below, one at a time
	headJSON, err := marshalClean(head, "", true)
	if err != nil {
		return err
	}
	// headJSON ends in `}` after its last member; the runs go before it.
	headJSON = bytes.TrimSuffix(headJSON, []byte("\n}"))
	if _, err := fmt.Fprintf(w, "%s,\n  \"runs\": [", headJSON); err != nil {
		return err
	}
	for i := range runs {
		if i > 0 {
			io.WriteString(w, ",")
		}
		if err := encodeRun(w, &runs[i], root); err != nil {
			return err
		}
	}
	if len(runs) == 0 {
		_, err = io.WriteString(w, "]\n}\n")
		return err
	}
	_, err = io.WriteString(w, "\n  ]\n}\n")
	return err
}

// encodeRun writes one run, its results streamed after its other members.
func encodeRun(w io.Writer, run *plannedRun, root string) error {
	const indent = "    "
	runJSON, err := marshalClean(run.shell, indent, true)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "\n%s%s,\n%s  \"results\": [", indent,
		bytes.TrimSuffix(runJSON, []byte("\n"+indent+"}")), indent); err != nil {
		return err
	}
	var line []byte
	for k := range run.order {
		line = line[:0]
		if k > 0 {
			line = append(line, ',')
		}
		line = append(line, "\n"+indent+"    "...)
		line = run.appendResult(line, k, root)
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	if len(run.order) > 0 {
		_, err = fmt.Fprintf(w, "\n%s  ]\n%s}", indent, indent)
	} else {
		_, err = fmt.Fprintf(w, "]\n%s}", indent)
	}
	return err
}

// marshalClean marshals v without HTML escaping or null members, indented
// with two spaces under prefix when indented is set.
func marshalClean(v any, prefix string, indented bool) ([]byte, error) {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("marshal sarif: %w", err)
	}
	clean := bytes.TrimSuffix(raw.Bytes(), []byte("\n"))
	if bytes.Contains(clean, []byte("null")) {
		var err error
		if clean, err = dropNulls(clean); err != nil {
			return nil, err
		}
	}
	if !indented {
		return clean, nil
	}

	var out bytes.Buffer
	if err := json.Indent(&out, clean, prefix, "  "); err != nil {
		return nil, fmt.Errorf("indent sarif: %w", err)
	}
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
