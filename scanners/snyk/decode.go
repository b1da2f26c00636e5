package snyk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/secgate/secgate/pkg/wellformed"
	"io"
	"strings"
)

// maxReport bounds a report read from a file: 512 MiB, far above any real
// scan, so that a runaway file cannot exhaust memory.
const maxReport = 512 << 20

// The types below decode the parts of Snyk's JSON that secgate reads. The
// structure (arrays of projects, vulnerabilities, issues) is decoded strictly,
// so a broken report fails with a position; leaves that Snyk has written in
// more than one shape over the years are decoded leniently (see text).

// projectJSON is one result of `snyk test`, `snyk container test` or
// `snyk iac test`, or an error entry in their place.
type projectJSON struct {
	OK     *bool       `json:"ok"`
	Error  text        `json:"error"`
	Errors []errorJSON `json:"errors"`

	Path              text `json:"path"`
	TargetFile        text `json:"targetFile"`
	DisplayTargetFile text `json:"displayTargetFile"`
	ProjectName       text `json:"projectName"`
	PackageManager    text `json:"packageManager"`
	ProjectType       text `json:"projectType"`
	DependencyCount   int  `json:"dependencyCount"`

	Vulnerabilities []vulnJSON `json:"vulnerabilities"`
	IaCIssues       []iacJSON  `json:"infrastructureAsCodeIssues"`

	// Docker is set for `snyk container test`, whose application
	// dependencies come as further projects under Applications.
	Docker       json.RawMessage `json:"docker"`
	Applications []projectJSON   `json:"applications"`

	Filtered struct {
		Ignore []vulnJSON `json:"ignore"`
	} `json:"filtered"`

	// Remediation.Pin is Snyk's advice for ecosystems without upgrade paths
	// (pip): pin a package to a version that fixes the listed issues.
	Remediation struct {
		Pin map[string]struct {
			UpgradeTo text   `json:"upgradeTo"`
			Vulns     []text `json:"vulns"`
		} `json:"pin"`
	} `json:"remediation"`
}

// errorJSON is an entry of the errors list that newer CLI versions write
// instead of a plain error string.
type errorJSON struct {
	Title  text `json:"title"`
	Detail text `json:"detail"`
	Code   text `json:"code"`
}

// vulnJSON is one vulnerability or licence issue on one dependency path.
// Snyk repeats an issue once per path by which the package is pulled in.
type vulnJSON struct {
	ID                    text                       `json:"id"`
	Type                  text                       `json:"type"` // "license" for licence issues
	Title                 text                       `json:"title"`
	Severity              text                       `json:"severity"`
	SeverityWithCritical  text                       `json:"severityWithCritical"`
	PackageName           text                       `json:"packageName"`
	Name                  text                       `json:"name"`
	Version               text                       `json:"version"`
	PackageManager        text                       `json:"packageManager"`
	License               text                       `json:"license"`
	Identifiers           map[string]json.RawMessage `json:"identifiers"`
	From                  []text                     `json:"from"`
	UpgradePath           []text                     `json:"upgradePath"`
	IsUpgradable          bool                       `json:"isUpgradable"`
	IsPatchable           bool                       `json:"isPatchable"`
	FixedIn               []text                     `json:"fixedIn"`
	NearestFixedInVersion text                       `json:"nearestFixedInVersion"`
	Filtered              *struct {
		Ignored []struct {
			Reason  text `json:"reason"`
			Expires text `json:"expires"`
		} `json:"ignored"`
	} `json:"filtered"`
}

// iacJSON is one misconfiguration found by `snyk iac test`.
type iacJSON struct {
	ID             text `json:"id"`
	PublicID       text `json:"publicId"`
	Title          text `json:"title"`
	Issue          text `json:"issue"`
	Impact         text `json:"impact"`
	Resolve        text `json:"resolve"`
	Severity       text `json:"severity"`
	Msg            text `json:"msg"`
	Type           text `json:"type"`
	LineNumber     int  `json:"lineNumber"`
	Documentation  text `json:"documentation"`
	IsIgnored      bool `json:"isIgnored"`
	IaCDescription struct {
		Issue   text `json:"issue"`
		Impact  text `json:"impact"`
		Resolve text `json:"resolve"`
	} `json:"iacDescription"`
}

// text is a string leaf that Snyk does not always write as a string: a
// number is kept as written, and null, false, objects and arrays are empty,
// as upgradePath's leading false ("no upgrade here") needs.
type text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*t = text(b)
	default:
		*t = ""
	}
	return nil
}

// String returns the value without surrounding white space.
func (t text) String() string { return strings.TrimSpace(string(t)) }

// identifiers returns the ids of one kind ("CVE", "CWE", "GHSA"), which Snyk
// writes as a list and older reports sometimes as one string.
func (v *vulnJSON) identifiers(kind string) []string {
	raw, ok := v.Identifiers[kind]
	if !ok {
		return nil
	}
	var list []text
	if json.Unmarshal(raw, &list) != nil {
		var one text
		if json.Unmarshal(raw, &one) != nil {
			return nil
		}
		list = []text{one}
	}
	var out []string
	for _, s := range list {
		if s.String() != "" {
			out = append(out, s.String())
		}
	}
	return out
}

// readReport reads a whole report within maxReport.
func readReport(r io.Reader, source string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReport+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	if len(data) > maxReport {
		return nil, fmt.Errorf("%s: larger than %d MiB", source, maxReport>>20)
	}
	return data, nil
}

// shape is what a report's first token and keys say it is.
type shape int

const (
	shapeUnknown shape = iota
	shapeObject        // one project result, or one error
	shapeArray         // --all-projects: one element per project
	shapeSARIF         // --sarif, and what `snyk code test --json` writes
)

// shapeOf tells the kinds of Snyk output apart by the first token and, for
// an object, by whether it has SARIF's runs.
func shapeOf(data []byte) shape {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(data) == 0 {
		return shapeUnknown
	}
	switch data[0] {
	case '[':
		return shapeArray
	case '{':
		var probe struct {
			Runs json.RawMessage `json:"runs"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Runs != nil {
			return shapeSARIF
		}
		return shapeObject
	}
	return shapeUnknown
}

// decodeProjects decodes a Snyk JSON report, object or array, into its
// projects. An element that is not an object is an error: Snyk writes none,
// so the file is not what it claims to be.
func decodeProjects(data []byte, source string) ([]projectJSON, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	switch shapeOf(data) {
	case shapeObject:
		var p projectJSON
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", source, wellformed.Describe(data, err))
		}
		return []projectJSON{p}, nil
	case shapeArray:
		var list []projectJSON
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("%s: %w", source, wellformed.Describe(data, err))
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("%s: an empty array: Snyk lists one result per project, "+
				"so no project was tested", source)
		}
		return list, nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty, expected a Snyk JSON report", source)
	}
	return nil, fmt.Errorf("%s: expected a Snyk JSON report (an object or an array), found %q",
		source, firstBytes(data))
}

func firstBytes(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}
