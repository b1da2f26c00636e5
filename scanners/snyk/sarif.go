package snyk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/pkg/sariflog"
	"github.com/secgate/secgate/pkg/sbom"
	"github.com/secgate/secgate/scanners"
)

// sarifProduct is a Snyk product as its SARIF driver names it.
type sarifProduct struct {
	display string
	tag     string
	code    bool // Snyk Code: findings are at a line of source, not a package
}

// sarifDrivers maps the driver names Snyk writes, in lowercase.
var sarifDrivers = map[string]sarifProduct{
	"snyk open source": {display: displayOpenSource, tag: "snyk:open-source"},
	"snyk container":   {display: displayContainer, tag: "snyk:container"},
	"snyk iac":         {display: displayIaC, tag: "snyk:iac"},
	"snykcode":         {display: displayCode, tag: "snyk:code", code: true},
	"snyk code":        {display: displayCode, tag: "snyk:code", code: true},
}

// sarifLog holds what the generic SARIF reader does not keep and Snyk's runs
// need: the rules' descriptions, which carry Snyk's severity word and the
// package, and the base URIs that Snyk IaC makes absolute.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name       text        `json:"name"`
				Rules      []sarifRule `json:"rules"`
				Properties struct {
					ArtifactsScanned int `json:"artifactsScanned"`
				} `json:"properties"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI text `json:"uri"`
		} `json:"originalUriBaseIds"`
		Properties struct {
			Coverage []struct {
				IsSupported bool `json:"isSupported"`
				Files       int  `json:"files"`
			} `json:"coverage"`
		} `json:"properties"`
	} `json:"runs"`
}

type sarifRule struct {
	ID               text `json:"id"`
	ShortDescription struct {
		Text text `json:"text"`
	} `json:"shortDescription"`
	FullDescription struct {
		Text text `json:"text"`
	} `json:"fullDescription"`
	Help struct {
		Markdown text `json:"markdown"`
	} `json:"help"`
	Properties struct {
		Tags    []text `json:"tags"`
		Problem struct {
			Severity text `json:"severity"`
		} `json:"problem"`
	} `json:"properties"`
}

// parseSARIF reads Snyk SARIF. accept says which products the caller takes
// (nil takes all); a run of another tool is an error, since a report that is
// not Snyk's would be read with the wrong meaning.
func parseSARIF(data []byte, source, base string, accept func(sarifProduct) error) (
	*scanners.Result, error) {
	runs, err := sariflog.Read(bytes.NewReader(data), source)
	if err != nil {
		return nil, err
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != len(runs) {
		return nil, fmt.Errorf("%s: the runs of this SARIF log cannot be read as Snyk's", source)
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("%s: a SARIF log without runs: Snyk writes one per test", source)
	}

	res := &scanners.Result{BaseDir: base}
	for i, run := range runs {
		prod, ok := sarifDrivers[strings.ToLower(strings.TrimSpace(run.Tool.DisplayName))]
		if !ok {
			return nil, fmt.Errorf("%s: run %d is from %q, not a Snyk product "+
				"(read other tools' SARIF with the sarif format)", source, i+1, run.Tool.DisplayName)
		}
		if accept != nil {
			if err := accept(prod); err != nil {
				return nil, fmt.Errorf("%s: %w", source, err)
			}
		}
		if !run.Successful {
			return nil, fmt.Errorf("%s: %s says its test did not complete: %s", source,
				prod.display, strings.Join(run.Errors, "; "))
		}
		sr := sarifRun{run: &run, prod: prod, log: &log, index: i}
		sr.addTo(res)
	}
	return res, nil
}

// sarifRun converts one run of a Snyk SARIF log.
type sarifRun struct {
	run   *sariflog.Run
	prod  sarifProduct
	log   *sarifLog
	index int
}

func (sr sarifRun) addTo(res *scanners.Result) {
	if res.Tool.Name == "" {
		res.Tool = tool
		res.Tool.Version = sr.run.Tool.Version
	}

	rules := map[string]*sarifRule{}
	lr := &sr.log.Runs[sr.index]
	for i := range lr.Tool.Driver.Rules {
		rules[lr.Tool.Driver.Rules[i].ID.String()] = &lr.Tool.Driver.Rules[i]
	}
	files := map[string]bool{}
	for _, f := range sr.run.Findings {
		sr.adjust(&f, rules[f.Rule.ID])
		res.Findings = append(res.Findings, f)
		if f.Location.Path != "" {
			files[f.Location.Path] = true
		}
	}
	res.Stats.FilesScanned += sr.scanned(len(files))
	res.Stats.Notes = append(res.Stats.Notes, fmt.Sprintf("%s: %d results",
		sr.prod.display, len(sr.run.Findings)))
	res.Stats.Notes = append(res.Stats.Notes, sr.run.Warnings...)
}

// scanned is how many files or images the run looked at, as far as the log
// says: Snyk Code's coverage, Snyk Container's artifact count, else the
// files that findings point at.
func (sr sarifRun) scanned(fallback int) int {
	lr := &sr.log.Runs[sr.index]
	n := 0
	for _, c := range lr.Properties.Coverage {
		if c.IsSupported {
			n += c.Files
		}
	}
	if n == 0 {
		n = lr.Tool.Driver.Properties.ArtifactsScanned
	}
	if n == 0 {
		n = fallback
	}
	return n
}

// adjust turns a finding the generic reader made into a Snyk finding: the
// tool's name, Snyk's own severity word, the package and its advisories, and
// a location that names a repository file only where there is one.
func (sr sarifRun) adjust(f *finding.Finding, rule *sarifRule) {
	f.Tool = toolName
	f.ToolVersion = sr.run.Tool.Version
	f.Rule.Tags = append(f.Rule.Tags, sr.prod.tag)
	if rule == nil {
		return
	}
	if word := ruleSeverity(rule); word != "" {
		f.Severity, f.ToolSeverity = severity(word)
	}
	switch {
	case sr.prod.code:
		sr.underBase(&f.Location)
		return
	case sr.prod.tag == "snyk:iac":
		sr.relativize(&f.Location)
		return
	}

	// Open Source and Container runs put every result at line 1 of the
	// manifest (or of the image's name); only the package says what it is.
	f.Location.StartLine, f.Location.StartColumn = 0, 0
	f.Location.EndLine, f.Location.EndColumn = 0, 0
	if sr.prod.tag == "snyk:container" {
		f.Location.Path = ""
	}
	sr.addPackage(f, rule)
}

// ruleSeverity reads Snyk's word: "High severity - ..." in the rule's short
// description, or the IaC rule's problem.severity.
func ruleSeverity(rule *sarifRule) string {
	if w := rule.Properties.Problem.Severity.String(); w != "" {
		return w
	}
	if m := severityPrefix.FindStringSubmatch(rule.ShortDescription.Text.String()); m != nil {
		return m[1]
	}
	return ""
}

var (
	// severityPrefix and titleOf read "High severity - Remote Memory Exposure
	// vulnerability in bl".
	severityPrefix = regexp.MustCompile(`^(?i)(critical|high|medium|low) severity - `)
	titleOf        = regexp.MustCompile(`^(?i)(?:\w+ severity - )?(.*?)(?: vulnerability in .*)?$`)
	// packageDesc reads the full description: "(CVE-2020-8244) bl@1.1.2".
	packageDesc = regexp.MustCompile(`^\s*(?:\(([^)]*)\)\s*)?(\S+)@(\S+)\s*$`)
	// fixVersion reads the remediation in the help: "Upgrade `bl` to
	// version 2.2.1, 3.0.1, 4.0.3, 1.2.3 or higher."
	fixVersion = regexp.MustCompile("(?i)upgrade `[^`]+` to version " +
		"([^\n]*?)(?: or higher)?\\.?\\s*(?:\n|$)")
)

// addPackage fills in the package from the rule's full description (or, in
// a Container run, the logical location Snyk gives the source package) and
// rewrites the message in the form the JSON reports produce.
func (sr sarifRun) addPackage(f *finding.Finding, rule *sarifRule) {
	m := packageDesc.FindStringSubmatch(rule.FullDescription.Text.String())
	if m == nil {
		return
	}
	name, version := m[2], m[3]
	if l := f.Location.Logical; sr.prod.tag == "snyk:container" && strings.Contains(l, "@") {
		name, version = l[:strings.LastIndex(l, "@")], l[strings.LastIndex(l, "@")+1:]
	}
	typ := ecosystemTag(rule)
	purl := packageURL(typ, name, version)
	p := &finding.Package{Name: name, Version: version, Type: sbom.PackageType(purl, typ),
		PURL: purl}
	for _, id := range strings.Split(m[1], ",") {
		if id = strings.TrimSpace(id); id != "" {
			p.Advisories = append(p.Advisories, id)
		}
	}
	p.Advisories = append(p.Advisories, f.Rule.ID)
	if fm := fixVersion.FindStringSubmatch(rule.Help.Markdown.String()); fm != nil {
		p.FixedVersion = nearestFix(version, splitVersions(fm[1]))
	}
	f.Package = p
	f.Location.Logical = name + "@" + version

	title := titleOf.FindStringSubmatch(rule.ShortDescription.Text.String())[1]
	f.Message = fmt.Sprintf("%s in %s@%s (%s).", title, name, version, f.Rule.ID)
	if p.FixedVersion != "" {
		f.Message += fmt.Sprintf(" Fixed in %s %s.", name, p.FixedVersion)
	}
}

// splitVersions splits "2.2.1, 3.0.1, 4.0.3, 1.2.3" and "1.2 and 1.3".
func splitVersions(s string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if v != "and" && v != "or" {
			out = append(out, v)
		}
	}
	return out
}

// ecosystemTag finds the package manager among a rule's tags
// (["security", "CWE-20", "maven"]).
func ecosystemTag(rule *sarifRule) string {
	for _, t := range rule.Properties.Tags {
		pm, _, _ := strings.Cut(strings.ToLower(t.String()), ":")
		if typ, ok := purlTypes[pm]; ok {
			return typ
		}
	}
	return ""
}

// underBase places a relative path under the directory the log names as
// %SRCROOT%, when it names one: that is where Snyk Code ran.
func (sr sarifRun) underBase(loc *finding.Location) {
	if sr.run.BaseDir != "" && loc.Path != "" && !filepath.IsAbs(loc.Path) {
		loc.Path = filepath.Join(sr.run.BaseDir, filepath.FromSlash(loc.Path))
	}
}

// relativize turns an absolute path under one of the run's base URIs back
// into a path relative to it: Snyk IaC resolves its results against the
// directory it ran in (PROJECTROOT), which is not where the report is read.
func (sr sarifRun) relativize(loc *finding.Location) {
	if !filepath.IsAbs(loc.Path) {
		return
	}
	for _, b := range sr.log.Runs[sr.index].OriginalURIBaseIDs {
		u, err := url.Parse(b.URI.String())
		if err != nil || u.Scheme != "file" || u.Path == "" {
			continue
		}
		dir := strings.TrimSuffix(u.Path, "/") + "/"
		if rel, ok := strings.CutPrefix(loc.Path, dir); ok && rel != "" {
			loc.Path = rel
			return
		}
	}
}
