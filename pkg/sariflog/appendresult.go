package sariflog

import (
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/secgate/secgate/pkg/finding"
)

// appendResult appends one result as compact JSON. It writes the bytes that
// go-sarif's model marshalled by encoding/json would, members in the same
// order and strings escaped the same way, without building the model: a log
// of a few hundred thousand results spent most of its writing time building
// and reflecting over that model.
func appendResult(b []byte, r *Result, runTool string, index map[string]int, root string) []byte {
	f := r.Finding
	loc := cleanLocation(f.Location)
	id := ruleID(f)
	level := f.Severity.Level()

	b = append(b, `{"properties":`...)
	b = appendResultProperties(b, r, runTool)
	b = append(b, `,"ruleId":`...)
	b = appendString(b, id)
	b = append(b, `,"ruleIndex":`...)
	b = strconv.AppendInt(b, int64(index[id]), 10)
	if r.BaselineState == "absent" {
		// A fixed finding: the rule ran and no longer finds the problem.
		// SARIF says kind pass, and then level none, so it never reads as open.
		b = append(b, `,"kind":"pass"`...)
		level = "none"
	}
	b = append(b, `,"level":`...)
	b = appendString(b, level)
	b = append(b, `,"message":{"text":`...)
	b = appendString(b, firstNonEmpty(f.Message, f.Rule.Description, id))
	b = append(b, `},"locations":[`...)
	b = appendLocation(b, f, loc, root)
	b = append(b, ']')

	if f.Fingerprint != "" {
		b = append(b, `,"partialFingerprints":{"`+lineHashKey+`":`...)
		b = appendString(b, f.Fingerprint)
		b = append(b, `,"`+fingerprintKey+`":`...)
		b = appendString(b, f.Fingerprint)
		b = append(b, '}')
	}
	switch {
	case r.Outcome == OutcomeSuppressed:
		b = append(b, `,"suppressions":[`...)
		b = appendSuppressions(b, r, true)
		b = append(b, ']')
	case r.Outcome == "" && len(f.Suppressions) > 0:
		// No policy has run (secgate merge): the tool's own suppressions
		// stay for the gate that reads this log.
		b = append(b, `,"suppressions":[`...)
		b = appendSuppressions(b, r, false)
		b = append(b, ']')
	}
	if r.BaselineState != "" {
		b = append(b, `,"baselineState":`...)
		b = appendString(b, r.BaselineState)
	}
	if reg, ok := regionOf(loc); ok && f.Fix != "" && loc.HasFile() {
		b = appendFix(b, f, loc, reg, root)
	}
	return append(b, '}')
}

// appendLocation writes a file location relative to %SRCROOT%, or, for a
// finding with no file, a logical location only: anchoring those to a file
// is the publisher's decision, not the log's.
func appendLocation(b []byte, f *finding.Finding, loc finding.Location, root string) []byte {
	logical := loc.Logical
	if !loc.HasFile() && logical == "" {
		logical = noFileName(f)
	}

	b = append(b, '{')
	if loc.HasFile() {
		b = append(b, `"physicalLocation":{"artifactLocation":`...)
		b = appendArtifact(b, loc.Path, root)
		if reg, ok := regionOf(loc); ok {
			b = append(b, `,"region":`...)
			b = appendRegion(b, reg)
		}
		b = append(b, '}')
	}
	if logical != "" {
		if loc.HasFile() {
			b = append(b, ',')
		}
		b = append(b, `"logicalLocations":[{"name":`...)
		b = appendString(b, logical)
		b = append(b, `,"fullyQualifiedName":`...)
		b = appendString(b, logical)
		b = append(b, `}]`...)
	}
	return append(b, '}')
}

// appendArtifact writes a path as a URI. A relative path is relative to
// %SRCROOT%. An absolute path under root is made relative; any other
// absolute path (the normalizer could not place it) is written as a file URI.
func appendArtifact(b []byte, p, root string) []byte {
	uri, relative := artifactURI(p, root)
	b = append(b, `{"uri":`...)
	b = appendString(b, uri)
	if relative {
		b = append(b, `,"uriBaseId":"%SRCROOT%"`...)
	}
	return append(b, '}')
}

func artifactURI(p, root string) (uri string, relative bool) {
	if isAbsPath(p) {
		rel, ok := cutPrefix(p, root+"/")
		if root == "" || !ok {
			return absFileURI(p), false
		}
		p = rel
	}
	return encodePath(p), true
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

func absFileURI(p string) string {
	if isDrive(p) {
		return "file:///" + p[:2] + encodePath(p[2:])
	}
	return "file://" + encodePath(p)
}

// region is the lines and columns of a location that are known and
// consistent; a zero column is left out.
type region struct {
	startLine, startColumn, endLine, endColumn int
}

func regionOf(l finding.Location) (region, bool) {
	if l.StartLine <= 0 {
		return region{}, false
	}
	r := region{startLine: l.StartLine, startColumn: max(0, l.StartColumn),
		endLine: max(l.EndLine, l.StartLine)}
	if l.EndColumn > 0 && (r.endLine > l.StartLine || l.EndColumn >= l.StartColumn) {
		r.endColumn = l.EndColumn
	}
	return r, true
}

func appendRegion(b []byte, r region) []byte {
	b = append(b, `{"startLine":`...)
	b = strconv.AppendInt(b, int64(r.startLine), 10)
	if r.startColumn > 0 {
		b = append(b, `,"startColumn":`...)
		b = strconv.AppendInt(b, int64(r.startColumn), 10)
	}
	b = append(b, `,"endLine":`...)
	b = strconv.AppendInt(b, int64(r.endLine), 10)
	if r.endColumn > 0 {
		b = append(b, `,"endColumn":`...)
		b = strconv.AppendInt(b, int64(r.endColumn), 10)
	}
	return append(b, '}')
}

// appendFix writes the finding's fix, which is complete by the time it is
// called: a file, a line to replace and the text. A fix without an artifact
// change is invalid SARIF and makes GitHub reject the whole file.
func appendFix(b []byte, f *finding.Finding, loc finding.Location, reg region, root string) []byte {
	b = append(b, `,"fixes":[{"description":{"text":`...)
	b = appendString(b, "Replace the flagged code with the fix "+f.Tool+" suggests.")
	b = append(b, `},"artifactChanges":[{"artifactLocation":`...)
	b = appendArtifact(b, loc.Path, root)
	b = append(b, `,"replacements":[{"deletedRegion":`...)
	b = appendRegion(b, reg)
	b = append(b, `,"insertedContent":{"text":`...)
	b = appendString(b, f.Fix)
	return append(b, `}}]}]}]`...)
}

// appendSuppressions writes the tool's own suppressions and, when own is
// set, secgate's. A tool's suppression is not written for a result the
// policy did not suppress: GitHub would close an alert that the gate still
// counts.
func appendSuppressions(b []byte, r *Result, own bool) []byte {
	one := func(b []byte, kind, justification string) []byte {
		b = append(b, `{"kind":`...)
		b = appendString(b, kind)
		b = append(b, `,"status":"accepted"`...)
		if justification != "" {
			b = append(b, `,"justification":`...)
			b = appendString(b, justification)
		}
		return append(b, '}')
	}
	for i, s := range r.Finding.Suppressions {
		if i > 0 {
			b = append(b, ',')
		}
		b = one(b, firstNonEmpty(s.Kind, "external"), s.Justification)
	}
	if !own {
		return b
	}
	if len(r.Finding.Suppressions) > 0 {
		b = append(b, ',')
	}
	return one(b, "external", r.Justification)
}

// appendResultProperties writes the result's property bag, its members in
// the sorted order encoding/json gives a map.
func appendResultProperties(b []byte, r *Result, runTool string) []byte {
	f := r.Finding
	b = append(b, '{')
	if r.Outcome != "" {
		b = append(b, `"`+propOutcome+`":`...)
		b = appendString(b, r.Outcome)
		b = append(b, ',')
	}
	if p := f.Package; p != nil {
		b = append(b, `"`+propPackage+`":`...)
		b = appendPackage(b, p)
		b = append(b, ',')
	}
	b = append(b, `"`+propSeverity+`":`...)
	b = appendString(b, f.Severity.String())

	tools := appendNew(nil, f.Tools...)
	if len(tools) == 0 {
		tools = appendNew(tools, firstNonEmpty(f.Tool, runTool))
	}
	slices.Sort(tools)
	b = append(b, `,"`+propTools+`":`...)
	b = appendStrings(b, tools)
	return append(b, '}')
}

// appendPackage writes the "secgate/package" property, as packageJSON.
func appendPackage(b []byte, p *finding.Package) []byte {
	b = append(b, `{"name":`...)
	b = appendString(b, p.Name)
	for _, m := range []struct{ key, value string }{
		{"version", p.Version}, {"type", p.Type}, {"purl", p.PURL}, {"fixed", p.FixedVersion},
	} {
		if m.value != "" {
			b = append(b, `,"`+m.key+`":`...)
			b = appendString(b, m.value)
		}
	}
	if len(p.Licenses) > 0 {
		b = append(b, `,"licenses":`...)
		b = appendStrings(b, p.Licenses)
	}
	if len(p.Advisories) > 0 {
		b = append(b, `,"advisories":`...)
		b = appendStrings(b, p.Advisories)
	}
	return append(b, '}')
}

func appendStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendString appends s as a JSON string escaped as encoding/json escapes
// it with HTML escaping off: quote, backslash and control characters, the
// line and paragraph separators U+2028 and U+2029, and invalid UTF-8 as
// U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
