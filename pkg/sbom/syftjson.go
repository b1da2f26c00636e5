package sbom

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// maxSyftSchemaMajor is the newest Syft JSON schema major version known to keep
// the fields read here (syft v1.57.2 writes 16.1.13). A newer major version may
// have moved them, so it is refused rather than read wrongly.
const maxSyftSchemaMajor = 16

type syftJSON struct {
	Schema *struct {
		Version string `json:"version"`
	} `json:"schema"`
	Descriptor struct {
		Name string `json:"name"`
	} `json:"descriptor"`
	Artifacts []struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		Type      string `json:"type"`
		PURL      string `json:"purl"`
		Locations []struct {
			Path string `json:"path"`
		} `json:"locations"`
		Licenses []json.RawMessage `json:"licenses"`
	} `json:"artifacts"`
}

func decodeSyftJSON(data []byte, source string) (*Document, error) {
	var doc syftJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(source, data, err)
	}
	if doc.Artifacts == nil {
		// Every Syft JSON document lists its artifacts, if only as []; without
		// the key this is some other JSON, not an SBOM of zero packages.
		return nil, fmt.Errorf("%s: not a Syft JSON document: no \"artifacts\" array", source)
	}
	out := &Document{Format: FormatSyftJSON, Tool: doc.Descriptor.Name}
	if doc.Schema != nil {
		out.SpecVersion = doc.Schema.Version
		if err := checkSyftSchema(source, doc.Schema.Version); err != nil {
			return nil, err
		}
	}

	for _, a := range doc.Artifacts {
		p := Package{Name: a.Name, Version: a.Version, PURL: a.PURL}
		p.Type = PackageType(a.PURL, a.Type)
		for _, l := range a.Locations {
			p.Locations = appendUnique(p.Locations, l.Path)
		}
		for _, raw := range a.Licenses {
			if l := syftLicense(raw); l != "" {
				p.Licenses = append(p.Licenses, l)
			}
		}
		out.Packages = append(out.Packages, p)
	}
	return out, nil
}

// checkSyftSchema accepts schema versions 1 to maxSyftSchemaMajor. A document
// with no schema block at all (syft's own test goldens) is read as current.
func checkSyftSchema(source, version string) error {
	major, _, _ := strings.Cut(version, ".")
	n, err := strconv.Atoi(major)
	if err != nil || n < 1 || n > maxSyftSchemaMajor {
		return fmt.Errorf("%s: unsupported Syft JSON schema version %q (supported: 1.x to %d.x)",
			source, version, maxSyftSchemaMajor)
	}
	return nil
}

// syftLicense reads one licence in either of Syft's forms: a plain string
// (older schemas) or an object, preferring its SPDX expression to its raw value.
func syftLicense(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var obj struct {
		Value          string `json:"value"`
		SPDXExpression string `json:"spdxExpression"`
	}
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	if e := strings.TrimSpace(obj.SPDXExpression); e != "" {
		return e
	}
	return strings.TrimSpace(obj.Value)
}
