package sbom

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// The XML shapes name elements by local name only, which encoding/xml matches in
// any namespace: one set of types reads every CycloneDX version from 1.0 to 1.7.
type cdxXML struct {
	XMLName  xml.Name `xml:"bom"`
	Metadata struct {
		Tools struct {
			Tool       []cdxXMLNamed `xml:"tool"`
			Components []cdxXMLNamed `xml:"components>component"`
			Services   []cdxXMLNamed `xml:"services>service"`
		} `xml:"tools"`
	} `xml:"metadata"`
	Components      []cdxXMLComponent `xml:"components>component"`
	Vulnerabilities []cdxXMLVuln      `xml:"vulnerabilities>vulnerability"`
}

type cdxXMLNamed struct {
	Name string `xml:"name"`
}

type cdxXMLComponent struct {
	Type     string `xml:"type,attr"`
	BOMRef   string `xml:"bom-ref,attr"`
	Name     string `xml:"name"`
	Version  string `xml:"version"`
	PURL     string `xml:"purl"`
	Licenses struct {
		License []struct {
			ID   string `xml:"id"`
			Name string `xml:"name"`
		} `xml:"license"`
		Expression []string `xml:"expression"`
	} `xml:"licenses"`
	Properties []cdxProperty     `xml:"properties>property"`
	Components []cdxXMLComponent `xml:"components>component"`
}

type cdxXMLVuln struct {
	ID         string   `xml:"id"`
	References []string `xml:"references>reference>id"`
	Ratings    []struct {
		Score    string `xml:"score"`
		Severity string `xml:"severity"`
	} `xml:"ratings>rating"`
	Description string `xml:"description"`
	Affects     []struct {
		Ref      string `xml:"ref"`
		Versions []struct {
			Version string `xml:"version"`
			Status  string `xml:"status"`
		} `xml:"versions>version"`
	} `xml:"affects>target"`
}

func decodeCycloneDXXML(data []byte, source string) (*Document, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var bom cdxXML
	if err := dec.Decode(&bom); err != nil {
		line, col := dec.InputPos()
		return nil, fmt.Errorf("%s:%d:%d: malformed CycloneDX XML: %w", source, line, col, err)
	}

	version, ok := strings.CutPrefix(bom.XMLName.Space, cycloneDXNamespace)
	if !ok {
		return nil, fmt.Errorf("%s: XML root <bom> has namespace %q, want %s<version>",
			source, bom.XMLName.Space, cycloneDXNamespace)
	}
	if err := checkCycloneDXVersion(source, version); err != nil {
		return nil, err
	}

	doc := &Document{Format: FormatCycloneDXXML, SpecVersion: version}
	tools := bom.Metadata.Tools
	for _, l := range [][]cdxXMLNamed{tools.Tool, tools.Components, tools.Services} {
		if len(l) > 0 && doc.Tool == "" {
			doc.Tool = strings.TrimSpace(l[0].Name)
		}
	}

	refs := map[string]string{}
	doc.Packages = appendXMLComponents(nil, bom.Components, refs)
	for _, v := range bom.Vulnerabilities {
		doc.Vulnerabilities = append(doc.Vulnerabilities, xmlVulnerability(v, refs))
	}
	return doc, nil
}

func appendXMLComponents(pkgs []Package, comps []cdxXMLComponent, refs map[string]string) []Package {
	for _, c := range comps {
		if isFileComponent(c.Type) {
			continue
		}
		p := Package{
			Name:    strings.TrimSpace(c.Name),
			Version: strings.TrimSpace(c.Version),
			PURL:    strings.TrimSpace(c.PURL),
		}
		for _, l := range c.Licenses.License {
			if id := strings.TrimSpace(l.ID); id != "" {
				p.Licenses = append(p.Licenses, id)
			} else if name := strings.TrimSpace(l.Name); name != "" {
				p.Licenses = append(p.Licenses, name)
			}
		}
		for _, e := range c.Licenses.Expression {
			if e = strings.TrimSpace(e); e != "" {
				p.Licenses = append(p.Licenses, e)
			}
		}
		finishComponent(&p, c.Properties)
		recordRef(refs, c.BOMRef, p.PURL)

		pkgs = append(pkgs, p)
		pkgs = appendXMLComponents(pkgs, c.Components, refs)
	}
	return pkgs
}

func xmlVulnerability(v cdxXMLVuln, refs map[string]string) Vulnerability {
	out := Vulnerability{ID: strings.TrimSpace(v.ID), Description: strings.TrimSpace(v.Description)}
	for _, r := range v.References {
		out.Aliases = appendAlias(out.Aliases, out.ID, strings.TrimSpace(r))
	}
	for _, r := range v.Ratings {
		if out.Severity == "" {
			out.Severity = strings.TrimSpace(r.Severity)
		}
		// a score that is not a number is treated as absent, as in JSON
		score, err := strconv.ParseFloat(strings.TrimSpace(r.Score), 64)
		if err == nil && out.Score == 0 {
			out.Score = score
		}
	}
	for _, a := range v.Affects {
		out.PackageRefs = appendUnique(out.PackageRefs, resolveRef(refs, strings.TrimSpace(a.Ref)))
		for _, ver := range a.Versions {
			if strings.EqualFold(strings.TrimSpace(ver.Status), "unaffected") {
				out.FixedVersions = appendUnique(out.FixedVersions, strings.TrimSpace(ver.Version))
			}
		}
	}
	return out
}
