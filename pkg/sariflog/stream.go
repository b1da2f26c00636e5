package sariflog

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/secgate/secgate/pkg/finding"
)

// decodeOptions keep the reader as lenient as SARIF producers need, and as
// encoding/json was: member names match in any case, and a member named twice
// is read twice (the last wins). The members the reader walks itself (the
// log's "version" and "runs", a run's "tool", "results" and the like) are the
// exception: results converted as they stream cannot be taken back, so a
// second one is an error.
var decodeOptions = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	json.MatchCaseInsensitiveNames(true),
)

// decodeLog reads a log one result at a time: the text of the log is never
// held, only the findings and, for a run whose results come before what
// converting them needs (its tool, artifacts or base URIs), those results
// until the run ends.
//
// It checks what the document claims to be as it goes: the first member that
// settles it (a "runs" that is not an array, a "version" that is not 2.1.0)
// ends the read, so that a wrong document gets an error about what it is
// rather than about the first field that fails to decode.
func decodeLog(in *input) ([]Run, error) {
	dec := jsontext.NewDecoder(in, decodeOptions)
	tok, err := dec.ReadToken()
	if errors.Is(err, io.EOF) {
		return nil, errEmpty
	}
	if err != nil {
		return nil, err
	}
	if tok.Kind() != '{' {
		return nil, in.errorf("not a SARIF log: the document is %s, expected an object",
			jsonKindName(tok.Kind()))
	}

	var version jsontext.Value
	var runs []Run
	sawRuns := false
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		// Names match in any case, as everywhere else in the log, so that a
		// "Runs" beside "runs" is a second runs, not a member to skip.
		switch strings.ToLower(name.String()) {
		case "version":
			if version != nil {
				return nil, in.errorAt(dec.InputOffset(), `"version" appears twice`, nil)
			}
			v, err := dec.ReadValue()
			if err != nil {
				return nil, err
			}
			version = v.Clone()
		case "runs":
			if sawRuns {
				return nil, in.errorAt(dec.InputOffset(), `"runs" appears twice`, nil)
			}
			sawRuns = true
			if err := checkRunsKind(in, dec); err != nil {
				return nil, err
			}
			if version != nil {
				if err := checkVersion(in, version); err != nil {
					return nil, err
				}
			}
			if runs, err = decodeRuns(in, dec); err != nil {
				if version == nil {
					// The version, further on, may explain the failure.
					err = firstError(versionFurtherOn(in), err)
				}
				return nil, err
			}
		default:
			if err := dec.SkipValue(); err != nil {
				return nil, err
			}
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	if err := checkEnd(in, dec); err != nil {
		return nil, err
	}

	switch {
	case !sawRuns && version == nil:
		return nil, in.errorf(`not a SARIF log: no "version" and no "runs"`)
	case !sawRuns:
		return nil, in.errorf(`not a SARIF log: no "runs" (version %s)`, version)
	case version == nil:
		return nil, in.errorf(`no "version", expected "2.1.0"`)
	}
	if err := checkVersion(in, version); err != nil {
		return nil, err
	}
	if runs == nil {
		runs = []Run{}
	}
	return runs, nil
}

// firstError returns the first of its errors that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkVersion(in *input, v jsontext.Value) error {
	var s string
	if json.Unmarshal(v, &s) != nil || s != "2.1.0" {
		return in.errorf(`SARIF version %s is not supported, expected "2.1.0"`, v)
	}
	return nil
}

// versionFurtherOn reads the top level of the log again, skipping "runs",
// and returns the error a missing or unsupported version calls for, if any.
// It returns nil when the log breaks before that is known: the error that
// stopped the first read stands.
func versionFurtherOn(in *input) error {
	if _, err := in.rs.Seek(in.start, io.SeekStart); err != nil {
		return nil
	}
	in.n = 0
	dec := jsontext.NewDecoder(in, decodeOptions)
	if _, err := dec.ReadToken(); err != nil {
		return nil
	}
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return nil
		}
		if !strings.EqualFold(name.String(), "version") {
			if dec.SkipValue() != nil {
				return nil
			}
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return nil
		}
		return checkVersion(in, v)
	}
	if dec.PeekKind() != '}' {
		return nil
	}
	return in.errorf(`no "version", expected "2.1.0"`)
}

// checkEnd fails when anything but white space follows the log.
func checkEnd(in *input, dec *jsontext.Decoder) error {
	end := dec.InputOffset()
	_, err := dec.ReadToken()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return err
	}
	return in.errorAt(end, "malformed JSON: more data after the end of the log, which ends here", nil)
}

// checkRunsKind fails unless the value of "runs" is an array.
func checkRunsKind(in *input, dec *jsontext.Decoder) error {
	switch k := dec.PeekKind(); k {
	case '[':
		return nil
	case 'n':
		return in.errorf(`"runs" is null: the producer reports that it could not run`)
	case 0:
		_, err := dec.ReadToken()
		return err
	default:
		return in.errorf(`"runs" is %s, expected an array`, jsonKindName(k))
	}
}

// decodeRuns reads the array of runs.
func decodeRuns(in *input, dec *jsontext.Decoder) ([]Run, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	var runs []Run
	for dec.PeekKind() != ']' {
		run, err := decodeRun(in, dec, len(runs))
		if err != nil {
			return nil, err
		}
		runs = append(runs, run)
	}
	_, err := dec.ReadToken()
	return runs, err
}

// runReader reads one run. Converting a result needs the run's tool (its
// rules), and, for some locations, its artifacts and base URIs; SARIF does
// not order a run's members, and many tools write "results" first. A result
// is converted as soon as what it needs has been read, else kept until the
// run ends.
type runReader struct {
	rj  runJSON
	run Run
	rc  *runContext // nil until the tool is read

	seen    map[string]bool // the run's members read so far, in lowercase
	pending []pendingResult
}

type pendingResult struct {
	index int
	res   resultJSON
}

// decodeRun reads run i of the log.
func decodeRun(in *input, dec *jsontext.Decoder, i int) (Run, error) {
	rr := &runReader{run: Run{Successful: true}, seen: map[string]bool{}}
	if dec.PeekKind() != '{' {
		// null is an empty run; the decoder phrases the error for any other
		// kind.
		if err := json.UnmarshalDecode(dec, &rr.rj); err != nil {
			return Run{}, err
		}
		return rr.finish(in, i)
	}

	if _, err := dec.ReadToken(); err != nil {
		return Run{}, err
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return Run{}, err
		}
		if err := rr.member(in, dec, tok.String(), i); err != nil {
			return Run{}, err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return Run{}, err
	}
	return rr.finish(in, i)
}

// member reads one member of the run object, whose name matches in any case.
func (rr *runReader) member(in *input, dec *jsontext.Decoder, given string, i int) error {
	name := strings.ToLower(given)
	var dst any
	switch name {
	case "tool":
		dst = &rr.rj.Tool
	case "results":
	case "originaluribaseids":
		dst = &rr.rj.OriginalURIBaseIDs
	case "artifacts":
		dst = &rr.rj.Artifacts
	case "invocations":
		dst = &rr.rj.Invocations
	default:
		return dec.SkipValue()
	}
	if rr.seen[name] {
		// Results already converted cannot be taken back.
		return in.errorAt(dec.InputOffset(), fmt.Sprintf("runs[%d] has two %q members", i, given),
			nil)
	}
	rr.seen[name] = true

	if name == "results" {
		return rr.readResults(dec)
	}
	if err := json.UnmarshalDecode(dec, dst); err != nil {
		return err
	}
	if name == "tool" {
		rr.setTool()
	}
	return nil
}

// setTool records the run's tool, which makes its results convertible.
func (rr *runReader) setTool() {
	d := rr.rj.Tool.Driver
	rr.run.Tool = Tool{
		Name:           strings.ToLower(strings.TrimSpace(string(d.Name))),
		DisplayName:    string(d.Name),
		Version:        firstNonEmpty(string(d.Version), string(d.SemanticVersion)),
		InformationURI: string(d.InformationURI),
	}
	if own := d.Properties.str(propTool); own != "" {
		rr.run.Tool.Name = own
	}
	rr.rc = newRunContext(&rr.rj, &rr.run)
}

// readResults reads "results" one result at a time.
func (rr *runReader) readResults(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case '[':
	case 'n':
		return dec.SkipValue()
	default:
		// Let the decoder phrase the error.
		var rs []resultJSON
		return json.UnmarshalDecode(dec, &rs)
	}

	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		var res resultJSON
		if err := json.UnmarshalDecode(dec, &res); err != nil {
			return err
		}
		i := len(rr.run.Findings)
		if rr.ready(&res) {
			rr.run.Findings = append(rr.run.Findings, rr.rc.convertResult(i, &res))
			continue
		}
		rr.run.Findings = append(rr.run.Findings, finding.Finding{})
		rr.pending = append(rr.pending, pendingResult{index: i, res: res})
	}
	_, err := dec.ReadToken()
	return err
}

// ready reports whether everything converting res needs has been read: the
// tool, and the artifacts and base URIs if its locations refer to them.
func (rr *runReader) ready(res *resultJSON) bool {
	if rr.rc == nil {
		return false
	}
	haveArtifacts, haveBases := rr.seen["artifacts"], rr.seen["originaluribaseids"]
	if haveArtifacts && haveBases {
		return true
	}
	needs := func(a artifactLocJSON) bool {
		byIndex := a.URI == "" && a.Index.set
		return byIndex && !haveArtifacts || (byIndex || a.URIBaseID != "") && !haveBases
	}
	for _, l := range res.Locations {
		if l.PhysicalLocation != nil && needs(l.PhysicalLocation.ArtifactLocation) {
			return false
		}
	}
	for _, fx := range res.Fixes {
		for _, ch := range fx.ArtifactChanges {
			if needs(ch.ArtifactLocation) {
				return false
			}
		}
	}
	return true
}

// finish converts the results that waited for the end of the run.
func (rr *runReader) finish(in *input, i int) (Run, error) {
	if rr.rc == nil {
		rr.setTool()
	}
	rr.run.BaseDir = baseDir(rr.rj.OriginalURIBaseIDs)
	readInvocations(&rr.run, rr.rj.Invocations)
	for _, p := range rr.pending {
		rr.run.Findings[p.index] = rr.rc.convertResult(p.index, &p.res)
	}

	if rr.run.Tool.Name == "" && len(rr.run.Findings) > 0 {
		// Policy, severity maps and suppressions name tools; results that
		// name none could be matched by nothing.
		return Run{}, in.errorf("runs[%d].tool.driver.name is empty, expected the name of "+
			"the tool that reported its results", i)
	}
	if rr.run.Findings == nil {
		rr.run.Findings = []finding.Finding{}
	}
	return rr.run, nil
}
