package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// lineStride is how far each copy of a result moves its lines, so that no two
// copies are the same finding to a deduplicating reader.
const lineStride = 10000

// replicateAll writes, for each real tool's SARIF log in fixtures, a log of
// the same shape with about results/len(fixtures) results: the tool's own
// members, in the tool's own order, around its results repeated.
func replicateAll(out string, fixtures []string, results int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, src := range fixtures {
		name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		dst := filepath.Join(out, name+".sarif")
		if err := replicate(src, dst, results/len(fixtures)); err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		fmt.Println(dst)
	}
	return nil
}

// replicate copies src to dst token by token, so that member order and
// everything but the results stay as the tool wrote them, and writes each
// run's results array as copies of itself until the log holds at least n
// results. Copy k moves every startLine and endLine by k*lineStride and
// suffixes the tool's own fingerprints with "/k".
func replicate(src, dst string, n int) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	copies, err := copiesFor(data, n)
	if err != nil {
		return err
	}

	file, err := os.Create(dst)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(file, 1<<16)
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	enc := jsontext.NewEncoder(bw)
	if err := copyTokens(dec, enc, copies); err != nil {
		file.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// copiesFor is how many copies of every run's results make n results.
func copiesFor(data []byte, n int) (int, error) {
	var log struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		return 0, err
	}
	total := 0
	for _, r := range log.Runs {
		total += len(r.Results)
	}
	if total == 0 {
		return 0, fmt.Errorf("no results to repeat")
	}
	return max(1, (n+total-1)/total), nil
}

func copyTokens(dec *jsontext.Decoder, enc *jsontext.Encoder, copies int) error {
	for {
		if isResults(dec) {
			if err := writeCopies(dec, enc, copies); err != nil {
				return err
			}
			continue
		}
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		if err := enc.WriteToken(tok); err != nil {
			return err
		}
		if dec.StackDepth() == 0 {
			return nil
		}
	}
}

// isResults reports whether the next value is the results array of a run.
func isResults(dec *jsontext.Decoder) bool {
	ptr := string(dec.StackPointer())
	return strings.HasPrefix(ptr, "/runs/") && strings.HasSuffix(ptr, "/results") &&
		strings.Count(ptr, "/") == 3 && dec.PeekKind() == '['
}

func writeCopies(dec *jsontext.Decoder, enc *jsontext.Encoder, copies int) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	var results []any
	if err := json.Unmarshal(raw, &results); err != nil {
		return err
	}
	if err := enc.WriteToken(jsontext.BeginArray); err != nil {
		return err
	}
	for k := range copies {
		for _, r := range results {
			b, err := json.Marshal(shifted(r, k, ""))
			if err != nil {
				return err
			}
			if err := enc.WriteValue(b); err != nil {
				return err
			}
		}
	}
	return enc.WriteToken(jsontext.EndArray)
}

// shifted returns a deep copy of v, the value of member key, for copy k.
func shifted(v any, k int, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for name, val := range x {
			if s, ok := val.(string); ok && k > 0 && isFingerprints(key) {
				out[name] = fmt.Sprintf("%s/%d", s, k)
				continue
			}
			out[name] = shifted(val, k, name)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = shifted(val, k, key)
		}
		return out
	case float64:
		if key == "startLine" || key == "endLine" {
			return x + float64(k*lineStride)
		}
	}
	return v
}

func isFingerprints(key string) bool {
	return key == "partialFingerprints" || key == "fingerprints"
}
