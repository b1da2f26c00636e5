package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/secgate/secgate/pkg/finding"
)

// Defaults that a config file may override.
const (
	DefaultKey            = "secgate"
	DefaultTarget         = "."
	DefaultFailOn         = finding.SeverityHigh
	DefaultWarnBefore     = 14 * 24 * time.Hour
	DefaultScannerTimeout = 10 * time.Minute
	DefaultSBOMFormat     = "cyclonedx-json"
)

// Load reads and validates the config file at path. A file that cannot be read
// gives the read error; every problem inside the file comes back at once as a
// *Diagnostics.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(data, path)
}

// Default returns the config that an empty policy would mean: every default
// set and no scanners.
func Default() *Config {
	return &Config{
		Key:         DefaultKey,
		Target:      DefaultTarget,
		FailOn:      DefaultFailOn,
		WarnBefore:  DefaultWarnBefore,
		Max:         map[finding.Severity]int{},
		Licenses:    Licenses{Severity: finding.SeverityHigh},
		Packages:    Packages{Severity: finding.SeverityHigh},
		SeverityMap: map[string]map[string]finding.Severity{},
		NewOnly:     NewOnly{Scope: DefaultDiffScope},
		Hook:        Hook{Timeout: DefaultHookTimeout},
		Publish:     defaultPublish(),
	}
}

// Parse validates data as the contents of a config file; file names it in
// diagnostics and in Config.File.
func Parse(data []byte, file string) (*Config, error) {
	d := &decoder{file: file}
	root := d.document(data)
	if root == nil {
		return nil, d.err()
	}

	cfg := Default()
	cfg.File = file
	d.top(root, cfg)
	addZAPRules(cfg)
	if err := d.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// err returns the collected problems as one error, or nil when there are none.
func (d *decoder) err() error {
	if len(d.diags) == 0 {
		return nil
	}
	diags := &Diagnostics{Items: d.diags}
	diags.sort()
	return diags
}

// yamlLine picks the line number out of a yaml.v3 error message.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document parses the single YAML document in data and returns its top-level
// node, or nil after recording why there is none.
func (d *decoder) document(data []byte) *yaml.Node {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) || (err == nil && len(doc.Content) == 0) {
		d.errorf(nil, "the file is empty; write at least the scanners section")
		return nil
	}
	if err != nil {
		d.syntaxError(err)
		return nil
	}

	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.errorf(&extra, "the file holds more than one YAML document; secgate reads one")
		return nil
	case !errors.Is(err, io.EOF):
		d.syntaxError(err)
		return nil
	}
	return doc.Content[0]
}

// parserProblems are the yaml.v3 messages that come from its parser rather
// than its scanner. yaml.v3 prints the line of these counting from zero (and
// leaves it out when it is zero); its scanner errors count from one.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found duplicate %TAG directive",
	"found incompatible YAML document",
}

// syntaxError turns a yaml.v3 parse error into a diagnostic on the line the
// problem (or the construct it breaks) starts.
func (d *decoder) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if line == 0 || slices.Contains(parserProblems, msg) {
		line++
	}
	d.diags = append(d.diags, Diagnostic{
		File: d.file, Line: line, Message: "not valid YAML: " + msg,
	})
}

// section decodes one top-level key into cfg.
type section struct {
	key    string
	decode func(d *decoder, n *yaml.Node, cfg *Config)
}

// topLevel lists the top-level keys in the order the docs present them.
var topLevel = []section{
	{"key", func(d *decoder, n *yaml.Node, cfg *Config) { setStr(d, n, "key", &cfg.Key) }},
	{"target", func(d *decoder, n *yaml.Node, cfg *Config) { setStr(d, n, "target", &cfg.Target) }},
	{"fail_on", decodeFailOn},
	{"rules", decodeRules},
	{"paths", decodePaths},
	{"suppressions", decodeSuppressions},
	{"warn_before", decodeWarnBefore},
	{"max", decodeMax},
	{"licenses", decodeLicenses},
	{"packages", decodePackages},
	{"scanners", decodeScanners},
	{"severity_map", decodeSeverityMap},
	{"reports", decodeReports},
	{"new_only", decodeNewOnly},
	{"diff_scope", decodeDiffScope},
	{"baseline", decodeBaseline},
	{"base_scan", decodeBaseScan},
	{"hook", decodeHook},
	{"publish_errors", decodePublishErrors},
	{"max_inline_comments", decodeMaxInlineComments},
	{"upload_sarif", decodeUploadSARIF},
	{"limits", decodeLimits},
	{"secrets", decodeSecrets},
	{"allow_inline_suppressions", decodeAllowInline},
}

func (d *decoder) top(root *yaml.Node, cfg *Config) {
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "expected a mapping of settings at the top level, got %s", describe(root))
		return
	}
	fields, _ := d.mapping(root, "")

	allowed := make([]string, len(topLevel))
	for i, s := range topLevel {
		allowed[i] = s.key
	}
	for _, f := range d.checkKeys(fields, "", allowed) {
		for _, s := range topLevel {
			if s.key == f.key {
				s.decode(d, f.value, cfg)
			}
		}
	}
}

// setStr stores a non-empty string setting.
func setStr(d *decoder, n *yaml.Node, path string, dst *string) {
	if s, ok := d.nonEmpty(n, path); ok {
		*dst = s
	}
}

func decodeFailOn(d *decoder, n *yaml.Node, cfg *Config) {
	if s, ok := d.severity(n, "fail_on"); ok {
		cfg.FailOn = s
	}
}

func decodeWarnBefore(d *decoder, n *yaml.Node, cfg *Config) {
	if v, ok := d.duration(n, "warn_before"); ok {
		cfg.WarnBefore = v
	}
}
