package sbom

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// cycloneDXVersions are the spec versions the decoders accept. Only the fields
// this package reads are decoded, and those have kept their shape from 1.0 to
// 1.7, so a new version is added here once its changelog has been checked.
var cycloneDXVersions = []string{"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}

func checkCycloneDXVersion(source, version string) error {
	for _, v := range cycloneDXVersions {
		if v == version {
			return nil
		}
	}
	if version == "" {
		return fmt.Errorf("%s: CycloneDX document states no spec version; "+
			"expected a CycloneDX BOM with specVersion 1.x", source)
	}
	return fmt.Errorf("%s: unsupported CycloneDX spec version %q (supported: %s)",
		source, version, strings.Join(cycloneDXVersions, ", "))
}

// The JSON shapes below name only the fields the gate needs. Everything else,
// including fields that changed type between spec versions (evidence.identity
// became an array in 1.6), is skipped by encoding/json without being looked at.
type cdxJSON struct {
	SpecVersion string `json:"specVersion"`
	Metadata    struct {
		Tools json.RawMessage `json:"tools"`
	} `json:"metadata"`
	Components      []cdxJSONComponent `json:"components"`
	Vulnerabilities []cdxJSONVuln      `json:"vulnerabilities"`
}

type cdxJSONComponent struct {
	Type     string `json:"type"`
	BOMRef   string `json:"bom-ref"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	PURL     string `json:"purl"`
	Licenses []struct {
		License *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"license"`
		Expression string `json:"expression"`
	} `json:"licenses"`
	Properties []cdxProperty      `json:"properties"`
	Components []cdxJSONComponent `json:"components"`
}

type cdxProperty struct {
	Name  string `json:"name" xml:"name,attr"`
	Value string `json:"value" xml:",chardata"`
}

type cdxJSONVuln struct {
	ID         string `json:"id"`
	References []struct {
		ID string `json:"id"`
	} `json:"references"`
	Ratings []struct {
		Score    looseNumber `json:"score"`
		Severity string      `json:"severity"`
	} `json:"ratings"`
	Description string `json:"description"`
	Affects     []struct {
		Ref      string `json:"ref"`
		Versions []struct {
			Version string `json:"version"`
			Status  string `json:"status"`
		} `json:"versions"`
	} `json:"affects"`
}

// looseNumber is a score written as a JSON number or as a numeric string; null,
// an empty string or a word reads as absent.
type looseNumber struct {
	Value float64
	Set   bool
}

// UnmarshalJSON accepts a number or a string, and never fails on a word.
func (n *looseNumber) UnmarshalJSON(b []byte) error {
	text := strings.Trim(strings.TrimSpace(string(b)), `"`)
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		*n = looseNumber{}
		return nil
	}
	*n = looseNumber{Value: v, Set: true}
	return nil
}

func decodeCycloneDXJSON(data []byte, source string) (*Document, error) {
	var bom cdxJSON
	if err := json.Unmarshal(data, &bom); err != nil {
		return nil, jsonError(source, data, err)
	}
	if err := checkCycloneDXVersion(source, bom.SpecVersion); err != nil {
		return nil, err
	}

	doc := &Document{Format: FormatCycloneDXJSON, SpecVersion: bom.SpecVersion}
	doc.Tool = cycloneDXJSONTool(bom.Metadata.Tools)

	refs := map[string]string{}
	doc.Packages = appendJSONComponents(nil, bom.Components, refs)
	for _, v := range bom.Vulnerabilities {
		doc.Vulnerabilities = append(doc.Vulnerabilities, jsonVulnerability(v, refs))
	}
	return doc, nil
}

// appendJSONComponents flattens nested components depth first, recording each
// bom-ref's purl so that vulnerabilities can name packages by purl.
func appendJSONComponents(pkgs []Package, comps []cdxJSONComponent, refs map[string]string) []Package {
	for _, c := range comps {
		if isFileComponent(c.Type) {
			continue
		}
		p := Package{Name: c.Name, Version: c.Version, PURL: c.PURL}
		for _, l := range c.Licenses {
			switch {
			case l.Expression != "":
				p.Licenses = append(p.Licenses, l.Expression)
			case l.License != nil && l.License.ID != "":
				p.Licenses = append(p.Licenses, l.License.ID)
			case l.License != nil && l.License.Name != "":
				p.Licenses = append(p.Licenses, l.License.Name)
			}
		}
		finishComponent(&p, c.Properties)
		recordRef(refs, c.BOMRef, c.PURL)

		pkgs = append(pkgs, p)
		pkgs = appendJSONComponents(pkgs, c.Components, refs)
	}
	return pkgs
}

// cycloneDXJSONTool reads metadata.tools in its array form (up to 1.4) or its
// object form (1.5 on: {"components": [...], "services": [...]}).
func cycloneDXJSONTool(raw json.RawMessage) string {
	type named struct {
		Name string `json:"name"`
	}
	var list []named
	if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
		return list[0].Name
	}
	var obj struct {
		Components []named `json:"components"`
		Services   []named `json:"services"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		for _, l := range [][]named{obj.Components, obj.Services} {
			if len(l) > 0 {
				return l[0].Name
			}
		}
	}
	return ""
}

func jsonVulnerability(v cdxJSONVuln, refs map[string]string) Vulnerability {
	out := Vulnerability{ID: v.ID, Description: v.Description}
	for _, r := range v.References {
		out.Aliases = appendAlias(out.Aliases, out.ID, r.ID)
	}
	for _, r := range v.Ratings {
		if out.Severity == "" {
			out.Severity = r.Severity
		}
		if r.Score.Set && out.Score == 0 {
			out.Score = r.Score.Value
		}
	}
	for _, a := range v.Affects {
		out.PackageRefs = appendUnique(out.PackageRefs, resolveRef(refs, a.Ref))
		for _, ver := range a.Versions {
			if strings.EqualFold(ver.Status, "unaffected") {
				out.FixedVersions = appendUnique(out.FixedVersions, ver.Version)
			}
		}
	}
	return out
}

// finishComponent sets what CycloneDX components share across encodings: the
// ecosystem from the purl (or from syft's own property), and the manifest
// paths syft records as syft:location:N:path properties, in N order.
func finishComponent(p *Package, props []cdxProperty) {
	p.Type = typeFromPURL(p.PURL)

	type loc struct {
		n    int
		path string
	}
	var locs []loc
	for _, prop := range props {
		if p.Type == "" && prop.Name == "syft:package:type" {
			p.Type = normalizeType(prop.Value)
		}
		rest, ok := strings.CutPrefix(prop.Name, "syft:location:")
		index, field, found := strings.Cut(rest, ":")
		if !ok || !found || field != "path" {
			continue
		}
		n, err := strconv.Atoi(index)
		if err == nil {
			locs = append(locs, loc{n, prop.Value})
		}
	}

	sort.SliceStable(locs, func(i, j int) bool { return locs[i].n < locs[j].n })
	for _, l := range locs {
		p.Locations = appendUnique(p.Locations, l.path)
	}
}

// isFileComponent reports a component of type "file": syft writes one per file
// it catalogued (a manifest, with its digests), which is not a package.
func isFileComponent(typ string) bool {
	return strings.EqualFold(strings.TrimSpace(typ), "file")
}

func recordRef(refs map[string]string, ref, purl string) {
	if ref != "" && purl != "" {
		refs[ref] = purl
	}
}

// resolveRef maps a bom-ref to its component's purl; a ref that names no
// component with a purl is kept, since many tools use the purl as the ref.
func resolveRef(refs map[string]string, ref string) string {
	if purl, ok := refs[ref]; ok {
		return purl
	}
	return ref
}

func appendAlias(aliases []string, id, alias string) []string {
	if alias == "" || strings.EqualFold(alias, id) {
		return aliases
	}
	return appendUnique(aliases, alias)
}

func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, have := range list {
		if have == s {
			return list
		}
	}
	return append(list, s)
}
