package config

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// scannerType is one adapter type and the settings it reads beyond the common ones.
type scannerType struct {
	name string
	keys []string
}

// commonScannerKeys apply to every scanner type. report and report_format
// read a report the tool wrote earlier instead of running it (see report.go).
var commonScannerKeys = []string{"type", "required", "timeout", "report", "report_format"}

// scannerTypes is the one table of scanner types and the keys each accepts.
// A key that another type reads (files on a semgrep scanner) is an error, not
// ignored, because the user plainly expected it to do something.
var scannerTypes = []scannerType{
	{name: "semgrep", keys: []string{"config", "args", "env"}},
	{name: "sbom", keys: []string{"formats", "vulnerabilities", "input", "report", "args", "env"}},
	{name: "sarif", keys: []string{"files", "command", "output", "env"}},
	{name: "snyk", keys: []string{"product", "image", "all_projects", "args", "env"}},
	{name: "command", keys: []string{"command", "format", "output", "dir", "env"}},
	{name: "zap", keys: append(slices.Clone(zapKeys), "args", "env")},
}

// sbomFormats are the documents the sbom scanner can write.
var sbomFormats = []string{"cyclonedx-json", "spdx-json"}

// snykProducts are what the snyk scanner can test; empty means "test".
var snykProducts = []string{"test", "code", "container", "iac"}

// ScannerTypes returns the scanner types a config may name, in table order.
func ScannerTypes() []string {
	names := make([]string, len(scannerTypes))
	for i, t := range scannerTypes {
		names[i] = t.name
	}
	return names
}

// ScannerKeys returns every key a scanner of the given type accepts, the
// common ones first, and false for an unknown type.
func ScannerKeys(typ string) ([]string, bool) {
	for _, t := range scannerTypes {
		if t.name == typ {
			// A type may list a common key again (report, which the sbom and
			// zap scanners read in their own way); it is allowed once.
			keys := slices.Clone(commonScannerKeys)
			for _, k := range t.keys {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			return keys, true
		}
	}
	return nil, false
}

func decodeScanners(d *decoder, n *yaml.Node, cfg *Config) {
	entries, _ := d.mapping(n, "scanners")
	for _, e := range entries {
		if s, ok := d.scanner(e); ok {
			cfg.Scanners = append(cfg.Scanners, s)
		}
	}
}

// scanner decodes one entry of the scanners section: its type first, since
// the type decides which other keys are allowed.
func (d *decoder) scanner(e field) (Scanner, bool) {
	path := "scanners." + e.key
	s := Scanner{
		Name: e.key, Type: e.key, Required: true, Timeout: DefaultScannerTimeout,
		Pos: Pos{Line: e.pos.Line, Column: e.pos.Column},
	}
	fields, ok := d.mapping(e.value, path)
	if !ok {
		return s, false
	}
	if !d.scannerType(e, fields, &s) {
		return s, false
	}

	allowed, _ := ScannerKeys(s.Type)
	for _, f := range d.scannerKeys(fields, path, s.Type, allowed) {
		ok = d.scannerField(f, path, &s) && ok
	}
	if s.Type == "sbom" && len(s.Formats) == 0 && ok {
		s.Formats = []string{DefaultSBOMFormat}
	}
	reportOK := d.checkReport(path, fields)
	return s, d.checkScanner(e.pos, path, fields, s) && reportOK && ok
}

// scannerType sets s.Type from the type key, if there is one, and reports an
// unknown type.
func (d *decoder) scannerType(e field, fields []field, s *Scanner) bool {
	at := e.pos
	for _, f := range fields {
		if f.key != "type" {
			continue
		}
		t, ok := d.nonEmpty(f.value, "scanners."+e.key+".type")
		if !ok {
			return false
		}
		s.Type, at = t, f.value
	}
	if _, known := ScannerKeys(s.Type); !known {
		d.errorf(at, "scanners.%s: unknown scanner type %q (known types: %s)",
			e.key, s.Type, strings.Join(ScannerTypes(), ", "))
		return false
	}
	return true
}

// scannerKeys reports keys that no scanner has and keys that belong to other
// types, and returns the fields that belong to this one.
func (d *decoder) scannerKeys(fields []field, path, typ string, allowed []string) []field {
	var known []field
	for _, f := range fields {
		switch {
		case slices.Contains(allowed, f.key):
			known = append(known, f)
		case otherTypeHas(f.key):
			d.errorf(f.pos, "%s: key %q does not apply to scanners of type %s (allowed: %s)",
				path, f.key, typ, strings.Join(allowed, ", "))
		default:
			d.checkKeys([]field{f}, path, allowed)
		}
	}
	return known
}

func otherTypeHas(key string) bool {
	return slices.ContainsFunc(scannerTypes, func(t scannerType) bool {
		return slices.Contains(t.keys, key)
	})
}

func (d *decoder) scannerField(f field, path string, s *Scanner) bool {
	var ok bool
	at := path + "." + f.key
	switch f.key {
	case "type":
		ok = true // read by scannerType
	case "required":
		s.Required, ok = d.boolean(f.value, at)
	case "timeout":
		s.Timeout, ok = d.duration(f.value, at)
		if ok && s.Timeout == 0 {
			d.errorf(f.value, "%s: must be more than zero", at)
			ok = false
		}
	case "config":
		s.Config, ok = d.strList(f.value, at)
	case "args":
		s.Args, ok = d.strList(f.value, at)
	case "env":
		s.Env, ok = d.envNames(f.value, at)
	case "files":
		s.Files, ok = d.globList(f.value, at)
	case "command":
		s.Command, ok = d.strList(f.value, at)
		if ok && len(s.Command) == 0 {
			d.errorf(f.value, "%s: must name the program to run", at)
			ok = false
		}
	case "output":
		s.Output, ok = d.nonEmpty(f.value, at)
	case "formats":
		s.Formats, ok = d.formats(f.value, at)
	case "product", "image", "all_projects":
		ok = d.snykField(f, at, s)
	case "report", "report_format":
		ok = d.reportField(f, at, s)
	case "vulnerabilities", "input":
		ok = d.sbomField(f, at, s)
	case "format", "dir":
		ok = d.commandField(f, at, s)
	default:
		if slices.Contains(zapKeys, f.key) {
			ok = d.zapField(f, at, s)
		}
	}
	return ok
}

// snykField reads the settings only the snyk scanner has.
func (d *decoder) snykField(f field, at string, s *Scanner) bool {
	var ok bool
	switch f.key {
	case "product":
		s.Product, ok = d.nonEmpty(f.value, at)
		if ok && !slices.Contains(snykProducts, s.Product) {
			d.errorf(f.value, "%s: unknown snyk product %q (known products: %s)",
				at, s.Product, strings.Join(snykProducts, ", "))
			ok = false
		}
	case "image":
		s.Image, ok = d.nonEmpty(f.value, at)
	case "all_projects":
		s.AllProjects, ok = d.boolean(f.value, at)
	}
	return ok
}

// envNames reads a list of environment variable names. A NAME=value entry is
// refused: values, secrets especially, do not belong in the config.
func (d *decoder) envNames(n *yaml.Node, path string) ([]string, bool) {
	names, ok := d.strList(n, path)
	items, _ := d.list(n, path)
	for i, name := range names {
		if strings.ContainsAny(name, "= \t") && i < len(items) {
			d.errorf(items[i], "%s[%d]: %q is not a variable name (list names only, no values)",
				path, i, name)
			ok = false
		}
	}
	return names, ok
}

func (d *decoder) formats(n *yaml.Node, path string) ([]string, bool) {
	formats, ok := d.strList(n, path)
	items, _ := d.list(n, path)
	for i, f := range formats {
		if !slices.Contains(sbomFormats, f) && i < len(items) {
			d.errorf(items[i], "%s[%d]: unknown SBOM format %q (known formats: %s)",
				path, i, f, strings.Join(sbomFormats, ", "))
			ok = false
		}
	}
	return formats, ok
}

// checkScanner reports settings that are each valid but make no sense together.
func (d *decoder) checkScanner(at *yaml.Node, path string, fields []field, s Scanner) bool {
	switch s.Type {
	case "snyk":
		return d.checkSnyk(at, path, fields, s)
	case "sbom":
		return d.checkSBOM(path, fields, s)
	case "command":
		return d.checkCommand(at, path, fields, s)
	case "zap":
		return d.checkZAP(at, path, fields, s)
	}
	if s.Type != "sarif" {
		return true
	}
	ok := true
	if len(s.Files) == 0 && len(s.Command) == 0 && !hasAny(fields, "files", "command", "report") {
		d.errorf(at, "%s: a sarif scanner needs files to import or a command to run", path)
		ok = false
	}
	if out := fieldValue(fields, "output"); out != nil && !hasAny(fields, "command") {
		d.errorf(out, "%s.output: only makes sense with command", path)
		ok = false
	}
	return ok
}

// fieldValue returns the value of key among fields, or nil.
func fieldValue(fields []field, key string) *yaml.Node {
	for _, f := range fields {
		if f.key == key {
			return f.value
		}
	}
	return nil
}

// checkSnyk reports snyk settings that contradict the product: an image is
// what the container product tests and nothing else reads it, and only the
// open-source product walks several manifests.
func (d *decoder) checkSnyk(at *yaml.Node, path string, fields []field, s Scanner) bool {
	product := s.Product
	if product == "" {
		product = "test"
	}
	ok := true
	if img := fieldValue(fields, "image"); img != nil && product != "container" {
		d.errorf(img, "%s.image: only makes sense with product: container", path)
		ok = false
	}
	if product == "container" && s.Image == "" && s.Report == "" &&
		!hasAny(fields, "image", "report") {
		d.errorf(at, "%s: product container needs the image to test (or a report to read)", path)
		ok = false
	}
	if all := fieldValue(fields, "all_projects"); all != nil && product != "test" {
		d.errorf(all, "%s.all_projects: only makes sense with product: test", path)
		ok = false
	}
	return ok
}
