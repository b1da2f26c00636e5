package snyk

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/scanners"
)

// toolName is the name every Snyk finding carries, whatever the product, so
// that one policy pattern ("snyk:*") reaches them all. The findings of all
// products therefore share one SARIF run, whose tool is plain "Snyk"; the
// product is a tag of each rule ("snyk:code").
const toolName = "snyk"

// tool describes Snyk in results.
var tool = scanners.ToolInfo{Name: toolName, DisplayName: "Snyk",
	InformationURI: "https://snyk.io"}

// The products, as their SARIF drivers and secgate's tags name them.
const (
	displayOpenSource = "Snyk Open Source"
	displayContainer  = "Snyk Container"
	displayIaC        = "Snyk IaC"
	displayCode       = "Snyk Code"
)

// report is what one Snyk report held: the findings of the projects Snyk
// tested and the projects it could not test.
type report struct {
	result   *scanners.Result
	failures []scanners.Failure
	projects int // every project the report names, failed or not
	deps     int // dependencies of the projects tested
	product  string
}

// convertProjects turns decoded projects into a report. Paths are resolved
// against base unless a project names an existing absolute directory of its
// own, as reports written on this machine do.
func convertProjects(projects []projectJSON, base string) *report {
	rep := &report{result: &scanners.Result{Tool: tool, BaseDir: base}}
	for i := range projects {
		rep.addEntry(&projects[i], &projects[i], base)
	}
	rep.result.Stats.Notes = append(rep.result.Stats.Notes, rep.summary())
	return rep
}

// addEntry converts one entry: an error becomes a failure, a project its
// findings. The applications found inside a container image follow it, with
// the image as their place.
func (rep *report) addEntry(p, image *projectJSON, base string) {
	rep.projects++
	if msg := p.errorMessage(); msg != "" {
		rep.failures = append(rep.failures, scanners.Failure{Target: p.target(), Reason: msg})
		return
	}
	if rep.product == "" {
		rep.product = image.display()
	}
	rep.deps += p.DependencyCount
	rep.result.Stats.FilesScanned++

	ctx := projectContext{p: p, image: image, base: base}
	for _, is := range groupIssues(p.Vulnerabilities) {
		rep.result.Findings = append(rep.result.Findings, ctx.vulnFinding(is, nil))
	}
	for _, is := range groupIssues(p.Filtered.Ignore) {
		rep.result.Findings = append(rep.result.Findings, ctx.vulnFinding(is, ignoredBy(is)))
	}
	for i := range p.IaCIssues {
		rep.result.Findings = append(rep.result.Findings, ctx.iacFinding(&p.IaCIssues[i]))
	}
	for i := range p.Applications {
		rep.addEntry(&p.Applications[i], image, base)
	}
}

func (rep *report) summary() string {
	s := fmt.Sprintf("%s: %d of %d projects tested", firstOf(rep.product, displayOpenSource),
		rep.projects-len(rep.failures), rep.projects)
	if rep.deps > 0 {
		s += fmt.Sprintf(", %d dependencies", rep.deps)
	}
	return s
}

// errorMessage is the error an entry reports in place of a result, or "".
func (p *projectJSON) errorMessage() string {
	var msgs []string
	if e := p.Error.String(); e != "" {
		msgs = append(msgs, e)
	}
	for _, e := range p.Errors {
		msg := strings.TrimSpace(e.Title.String() + ": " + e.Detail.String())
		msg = strings.Trim(msg, ": ")
		if c := e.Code.String(); c != "" {
			msg += " (" + c + ")"
		}
		if msg != "" {
			msgs = append(msgs, msg)
		}
	}
	// Snyk's messages run over several lines, with advice; the first says what.
	for i, m := range msgs {
		msgs[i], _, _ = strings.Cut(m, "\n")
	}
	return strings.Join(msgs, "; ")
}

// target names the project for messages: its manifest, else its path.
func (p *projectJSON) target() string {
	for _, s := range []text{p.DisplayTargetFile, p.TargetFile, p.Path, p.ProjectName} {
		if s.String() != "" && s.String() != "." {
			return s.String()
		}
	}
	return ""
}

// isContainer reports whether the result is of `snyk container test`.
func (p *projectJSON) isContainer() bool {
	return len(p.Docker) > 0 && string(p.Docker) != "null"
}

// isIaC reports whether the result is of `snyk iac test`.
func (p *projectJSON) isIaC() bool {
	return p.IaCIssues != nil || strings.HasSuffix(p.ProjectType.String(), "config")
}

func (p *projectJSON) display() string {
	switch {
	case p.isContainer():
		return displayContainer
	case p.isIaC():
		return displayIaC
	}
	return displayOpenSource
}

// projectContext is what converting one project's issues needs.
type projectContext struct {
	p     *projectJSON
	image *projectJSON // the container image the project is in, or p itself
	base  string
}

// manifest returns where the project's findings point: its manifest or IaC
// file, as a path relative to base or, when the project names an absolute
// directory that exists here, an absolute path under it. Inside a container
// image there is no repository file, so it returns "".
func (c projectContext) manifest() string {
	if c.image.isContainer() {
		return ""
	}
	file := firstText(c.p.DisplayTargetFile, c.p.TargetFile)
	if file == "" {
		return ""
	}
	// Reports written on Windows use backslashes (project-a\pom.xml).
	file = strings.ReplaceAll(file, `\`, "/")
	dir := c.p.Path.String()
	if filepath.IsAbs(file) || !filepath.IsAbs(dir) {
		return file
	}
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return filepath.Join(dir, filepath.FromSlash(file))
	}
	return file
}

// productTag is the tag that tells the Snyk products apart in reports.
func (c projectContext) productTag() string {
	switch {
	case c.image.isContainer():
		return "snyk:container"
	case c.p.isIaC():
		return "snyk:iac"
	}
	return "snyk:open-source"
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func firstText(values ...text) string {
	for _, v := range values {
		if s := v.String(); s != "" {
			return s
		}
	}
	return ""
}

// ignoredBy describes the Snyk policy ignore that filtered an issue out.
func ignoredBy(is *issue) []finding.Suppression {
	why := "ignored in the Snyk policy (.snyk)"
	if f := is.v.Filtered; f != nil && len(f.Ignored) > 0 {
		ig := f.Ignored[0]
		if r := ig.Reason.String(); r != "" {
			why += ": " + r
		}
		if e := ig.Expires.String(); e != "" {
			why += " (until " + e + ")"
		}
	}
	return []finding.Suppression{{Kind: "external", Justification: why}}
}
