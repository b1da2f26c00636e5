// Command gen writes large, realistic SARIF logs for secgate's benchmarks: one
// file per tool run, each with many rules, long messages, code flows and
// results spread over many files, as big scanners write them. The output is
// the same for the same flags, so runs on different machines compare.
//
// With -from it instead scales up real tools' logs: each keeps its tool's
// shape (member order, rules, artifacts, property bags, code flows) and has
// its results repeated, moved to other lines, until the files hold -results.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

type options struct {
	out     string
	runs    int
	results int // in all runs together
	rules   int // in all runs together
	msgLen  int
	flows   int // code-flow steps on every tenth result
	seed    uint64

	// from lists real tools' SARIF logs to repeat instead of generating.
	from string
}

func main() {
	var o options
	flag.StringVar(&o.out, "out", "bench/out", "directory for the SARIF files")
	flag.IntVar(&o.runs, "runs", 5, "tool runs, one file each")
	flag.IntVar(&o.results, "results", 200000, "results in all files together")
	flag.IntVar(&o.rules, "rules", 2000, "rules in all files together")
	flag.IntVar(&o.msgLen, "msg", 300, "characters per message")
	flag.IntVar(&o.flows, "flows", 8, "code-flow steps on every tenth result")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed")
	flag.StringVar(&o.from, "from", "", "comma-separated real SARIF logs: write each "+
		"with its results repeated, instead of generating logs")
	flag.Parse()

	var err error
	if o.from != "" {
		err = replicateAll(o.out, strings.Split(o.from, ","), o.results)
	} else {
		err = generate(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func generate(o options) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(o.seed, o.seed^0x5eca7e))
	words := strings.Fields(lorem)
	for i := range o.runs {
		log := makeRun(o, i, rng, words)
		path := filepath.Join(o.out, fmt.Sprintf("tool%d.sarif", i+1))
		if err := writeJSON(path, log); err != nil {
			return err
		}
		fmt.Println(path)
	}
	return nil
}

func writeJSON(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	if err := enc.Encode(v); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type obj = map[string]any

var levels = []string{"error", "warning", "note"}

func makeRun(o options, i int, rng *rand.Rand, words []string) obj {
	nRules := o.rules / o.runs
	rules := make([]any, nRules)
	for r := range rules {
		rules[r] = obj{
			"id":                   fmt.Sprintf("T%d.R%04d", i+1, r),
			"name":                 fmt.Sprintf("Rule%d", r),
			"shortDescription":     obj{"text": sentence(rng, words, 60)},
			"fullDescription":      obj{"text": sentence(rng, words, 400)},
			"defaultConfiguration": obj{"level": levels[r%3]},
			"properties": obj{
				"security-severity": fmt.Sprintf("%.1f", 1+rng.Float64()*9),
				"tags":              []any{"security", fmt.Sprintf("CWE-%d", 20+r%900)},
			},
		}
	}

	nResults := o.results / o.runs
	results := make([]any, nResults)
	for k := range results {
		results[k] = makeResult(o, i, k, nRules, rng, words)
	}
	return obj{
		"version": "2.1.0",
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"runs": []any{obj{
			"tool": obj{"driver": obj{
				"name": fmt.Sprintf("BenchTool%d", i+1), "version": "1.0.0", "rules": rules}},
			"invocations": []any{obj{"executionSuccessful": true}},
			"results":     results,
		}},
	}
}

func makeResult(o options, i, k, nRules int, rng *rand.Rand, words []string) obj {
	rule := rng.IntN(nRules)
	file := fmt.Sprintf("src/module%03d/file%04d.go", k%500, k%4000)
	line := 1 + rng.IntN(2000)
	res := obj{
		"ruleId":    fmt.Sprintf("T%d.R%04d", i+1, rule),
		"ruleIndex": rule,
		"message":   obj{"text": sentence(rng, words, o.msgLen)},
		"locations": []any{location(file, line, words, rng)},
	}
	if o.flows > 0 && k%10 == 0 {
		steps := make([]any, o.flows)
		for s := range steps {
			steps[s] = obj{"location": location(file, 1+rng.IntN(2000), words, rng)}
		}
		res["codeFlows"] = []any{obj{"threadFlows": []any{obj{"locations": steps}}}}
	}
	return res
}

func location(file string, line int, words []string, rng *rand.Rand) obj {
	return obj{"physicalLocation": obj{
		"artifactLocation": obj{"uri": file, "uriBaseId": "%SRCROOT%"},
		"region": obj{"startLine": line, "startColumn": 1 + rng.IntN(40),
			"endLine": line, "endColumn": 41 + rng.IntN(40),
			"snippet": obj{"text": sentence(rng, words, 50)}},
	}}
}

func sentence(rng *rand.Rand, words []string, n int) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()[:n]
}

// lorem is filler text for messages; what matters is its length and variety.
const lorem = `input reaches query without sanitization tainted value flows from request
parameter into sink user controlled data is concatenated into command string call
weak algorithm used for hashing credential path traversal possible when filename
comes from archive entry deserialization of untrusted bytes may execute code
certificate validation disabled redirect target taken from header cookie without
secure flag regular expression with catastrophic backtracking integer overflow in
length computation format string controlled by caller temporary file created with
predictable name cross site scripting in template output server side request
forgery through url parameter missing authorization check on handler`
