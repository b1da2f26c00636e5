package zap

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/secgate/secgate/pkg/wellformed"
)

// maxReport bounds a report. The "plus" reports carry every request and
// response, so they are large, but never near this.
const maxReport = 512 << 20

// report is what secgate reads from a ZAP report or from ZAP's API.
type report struct {
	Program string
	Version string
	// Sites counts the sites the report names; zero means ZAP reached nothing.
	Sites  int
	Alerts []alert
}

// alert is one ZAP alert type on one site, with the places it was seen. The
// attack and the evidence of each instance are not kept: the evidence is
// often the very thing the alert is about (a session token, for plugin
// 10112), and no secret may reach a report.
type alert struct {
	PluginID   string
	AlertRef   string
	Name       string
	Risk       Risk
	Confidence Confidence
	Desc       string
	Solution   string
	Reference  string
	CWE        string
	WASC       string
	Site       string
	Instances  []instance
}

type instance struct {
	URI    string
	Method string
	Param  string
}

// rawAlert is an alert's fields as text, whichever format they came from.
type rawAlert struct {
	PluginID, AlertRef, Alert, Name      string
	RiskCode, Confidence, RiskDesc       string
	Desc, Solution, Reference, CWE, WASC string
	URI, Method, Param                   string // pre-instance reports
	Instances                            []instance
}

// alert checks the fields and turns them into an alert of site.
func (r *rawAlert) alert(site string) (alert, error) {
	name := strings.TrimSpace(r.Alert)
	if name == "" {
		name = strings.TrimSpace(r.Name)
	}
	a := alert{
		PluginID: strings.TrimSpace(r.PluginID), AlertRef: strings.TrimSpace(r.AlertRef),
		Name: name, Desc: r.Desc, Solution: r.Solution, Reference: r.Reference,
		CWE: strings.TrimSpace(r.CWE), WASC: strings.TrimSpace(r.WASC), Site: site,
		Instances: r.Instances,
	}
	if a.PluginID == "" {
		return a, fmt.Errorf("alert %q has no plugin id", name)
	}
	var err error
	if a.Risk, err = parseRisk(r.RiskCode, r.RiskDesc); err != nil {
		return a, fmt.Errorf("alert %s (%s): %w", a.PluginID, name, err)
	}
	if a.Confidence, err = parseConfidence(r.Confidence, r.RiskDesc); err != nil {
		return a, fmt.Errorf("alert %s (%s): %w", a.PluginID, name, err)
	}
	if len(a.Instances) == 0 && strings.TrimSpace(r.URI) != "" {
		a.Instances = []instance{{URI: r.URI, Method: r.Method, Param: r.Param}}
	}
	return a, nil
}

// errNotZAP is returned for input that is neither of ZAP's report formats.
var errNotZAP = errors.New("not a ZAP report")

// readAll reads a report, bounded by maxReport.
func readAll(r io.Reader, source string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReport+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	if len(data) > maxReport {
		return nil, fmt.Errorf("%s: larger than %d MiB", source, maxReport>>20)
	}
	return bytes.TrimPrefix(data, []byte("\ufeff")), nil
}

// decodeAny tells a JSON report from an XML one by its first character.
func decodeAny(data []byte, source string) (*report, error) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("%s: empty file, expected a ZAP report", source)
	case trimmed[0] == '{':
		return decodeJSON(trimmed, source)
	case trimmed[0] == '<':
		return decodeXML(trimmed, source)
	}
	return nil, fmt.Errorf("%s: %w: expected ZAP's JSON or XML, found %q", source, errNotZAP,
		firstBytes(trimmed))
}

func firstBytes(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

// siteAlerts turns the raw alerts of one site into alerts.
func siteAlerts(site string, raws []rawAlert, index int) ([]alert, error) {
	out := make([]alert, 0, len(raws))
	for i := range raws {
		a, err := raws[i].alert(site)
		if err != nil {
			return nil, fmt.Errorf("site %d (%s), alert %d: %w", index, site, i, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// The traditional JSON report, as zap-baseline.py -J, the other scan scripts
// and the automation framework's traditional-json(-plus) templates write it.

type jsonReport struct {
	Program *text           `json:"@programName"`
	Version *text           `json:"@version"`
	Site    json.RawMessage `json:"site"`
}

type jsonSite struct {
	Name   text        `json:"@name"`
	Alerts []jsonAlert `json:"alerts"`
}

type jsonAlert struct {
	PluginID   text           `json:"pluginid"`
	AlertRef   text           `json:"alertRef"`
	Alert      text           `json:"alert"`
	Name       text           `json:"name"`
	RiskCode   text           `json:"riskcode"`
	Confidence text           `json:"confidence"`
	RiskDesc   text           `json:"riskdesc"`
	Desc       text           `json:"desc"`
	Solution   text           `json:"solution"`
	Reference  text           `json:"reference"`
	CWE        text           `json:"cweid"`
	WASC       text           `json:"wascid"`
	Instances  []jsonInstance `json:"instances"`
	URI        text           `json:"uri"`
	Method     text           `json:"method"`
	Param      text           `json:"param"`
}

type jsonInstance struct {
	URI    text `json:"uri"`
	Method text `json:"method"`
	Param  text `json:"param"`
}

func (j *jsonAlert) raw() rawAlert {
	r := rawAlert{
		PluginID: string(j.PluginID), AlertRef: string(j.AlertRef), Alert: string(j.Alert),
		Name: string(j.Name), RiskCode: string(j.RiskCode), Confidence: string(j.Confidence),
		RiskDesc: string(j.RiskDesc), Desc: string(j.Desc), Solution: string(j.Solution),
		Reference: string(j.Reference), CWE: string(j.CWE), WASC: string(j.WASC),
		URI: string(j.URI), Method: string(j.Method), Param: string(j.Param),
	}
	for _, in := range j.Instances {
		r.Instances = append(r.Instances, instance{URI: string(in.URI),
			Method: string(in.Method), Param: string(in.Param)})
	}
	return r
}

func decodeJSON(data []byte, source string) (*report, error) {
	if err := wellformed.Text(data, source, "a ZAP JSON report"); err != nil {
		return nil, err
	}
	var doc jsonReport
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", source, wellformed.Describe(data, err))
	}
	if doc.Site == nil && doc.Version == nil && doc.Program == nil {
		return nil, fmt.Errorf("%s: %w: a JSON object without ZAP's site and @version keys",
			source, errNotZAP)
	}

	sites, err := jsonSites(doc.Site)
	if err != nil {
		return nil, fmt.Errorf("%s: site: %w", source, wellformed.Describe(doc.Site, err))
	}
	rep := &report{Program: textOf(doc.Program), Version: textOf(doc.Version), Sites: len(sites)}
	for i, s := range sites {
		raws := make([]rawAlert, len(s.Alerts))
		for j := range s.Alerts {
			raws[j] = s.Alerts[j].raw()
		}
		alerts, err := siteAlerts(string(s.Name), raws, i)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		rep.Alerts = append(rep.Alerts, alerts...)
	}
	return rep, nil
}

// jsonSites reads "site", which ZAP writes as a list but older reports, made
// by converting the XML, hold as a single object when there is one site.
func jsonSites(raw json.RawMessage) ([]jsonSite, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return nil, nil
	case raw[0] == '{':
		var one jsonSite
		err := json.Unmarshal(raw, &one)
		return []jsonSite{one}, err
	}
	var list []jsonSite
	err := json.Unmarshal(raw, &list)
	return list, err
}

func textOf(t *text) string {
	if t == nil {
		return ""
	}
	return string(*t)
}

// The traditional XML report (zap-baseline.py -x, traditional-xml(-plus)).

type xmlReport struct {
	XMLName xml.Name
	Version string    `xml:"version,attr"`
	Program string    `xml:"programName,attr"`
	Sites   []xmlSite `xml:"site"`
}

type xmlSite struct {
	Name   string     `xml:"name,attr"`
	Alerts []xmlAlert `xml:"alerts>alertitem"`
}

type xmlAlert struct {
	PluginID   string        `xml:"pluginid"`
	AlertRef   string        `xml:"alertRef"`
	Alert      string        `xml:"alert"`
	Name       string        `xml:"name"`
	RiskCode   string        `xml:"riskcode"`
	Confidence string        `xml:"confidence"`
	RiskDesc   string        `xml:"riskdesc"`
	Desc       string        `xml:"desc"`
	Solution   string        `xml:"solution"`
	Reference  string        `xml:"reference"`
	CWE        string        `xml:"cweid"`
	WASC       string        `xml:"wascid"`
	Instances  []xmlInstance `xml:"instances>instance"`
	URI        string        `xml:"uri"`
	Method     string        `xml:"method"`
	Param      string        `xml:"param"`
}

type xmlInstance struct {
	URI    string `xml:"uri"`
	Method string `xml:"method"`
	Param  string `xml:"param"`
}

func (x *xmlAlert) raw() rawAlert {
	r := rawAlert{
		PluginID: x.PluginID, AlertRef: x.AlertRef, Alert: x.Alert, Name: x.Name,
		RiskCode: x.RiskCode, Confidence: x.Confidence, RiskDesc: x.RiskDesc, Desc: x.Desc,
		Solution: x.Solution, Reference: x.Reference, CWE: x.CWE, WASC: x.WASC,
		URI: x.URI, Method: x.Method, Param: x.Param,
	}
	for _, in := range x.Instances {
		r.Instances = append(r.Instances, instance(in))
	}
	return r
}

func decodeXML(data []byte, source string) (*report, error) {
	var doc xmlReport
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charsetReader
	if err := dec.Decode(&doc); err != nil {
		return nil, xmlError(data, source, dec, err)
	}
	if doc.XMLName.Local != "OWASPZAPReport" {
		return nil, fmt.Errorf("%s: %w: the XML root is <%s>, not <OWASPZAPReport>", source,
			errNotZAP, doc.XMLName.Local)
	}

	rep := &report{Program: doc.Program, Version: doc.Version, Sites: len(doc.Sites)}
	for i, s := range doc.Sites {
		raws := make([]rawAlert, len(s.Alerts))
		for j := range s.Alerts {
			raws[j] = s.Alerts[j].raw()
		}
		alerts, err := siteAlerts(s.Name, raws, i)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		rep.Alerts = append(rep.Alerts, alerts...)
	}
	return rep, nil
}

// charsetReader lets the XML decoder read the encodings ZAP may declare
// besides UTF-8: ASCII, a subset of it, and Latin-1, whose bytes are the
// first 256 code points.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1":
		data, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		runes := make([]rune, len(data))
		for i, b := range data {
			runes[i] = rune(b)
		}
		return strings.NewReader(string(runes)), nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q (ZAP writes UTF-8)", label)
}

// xmlError says where and why a ZAP XML report did not decode. A file with no
// element at all gives the decoder's bare EOF, which says nothing to a user.
func xmlError(data []byte, source string, dec *xml.Decoder, err error) error {
	switch {
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
		return fmt.Errorf("%s: empty file, expected a ZAP XML report", source)
	case errors.Is(err, io.EOF):
		line, col := dec.InputPos()
		return fmt.Errorf("%s:%d:%d: no XML element, expected a ZAP XML report "+
			"(<OWASPZAPReport>)", source, line, col)
	}
	// A SyntaxError, which names its line.
	return fmt.Errorf("%s: %w, expected a ZAP XML report", source, err)
}
