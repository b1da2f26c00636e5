package sbom

import (
	"encoding/json"
	"fmt"
	"strings"
)

// spdxVersions are the SPDX 2 versions the JSON decoder accepts. SPDX 3 is a
// different (JSON-LD) model with no spdxVersion key, so it is not detected as
// SPDX JSON at all.
var spdxVersions = []string{"SPDX-2.0", "SPDX-2.1", "SPDX-2.2", "SPDX-2.3"}

type spdxJSON struct {
	SPDXVersion  string `json:"spdxVersion"`
	CreationInfo struct {
		Creators []string `json:"creators"`
	} `json:"creationInfo"`
	Packages []struct {
		Name             string `json:"name"`
		VersionInfo      string `json:"versionInfo"`
		LicenseConcluded string `json:"licenseConcluded"`
		LicenseDeclared  string `json:"licenseDeclared"`
		ExternalRefs     []struct {
			ReferenceType    string `json:"referenceType"`
			ReferenceLocator string `json:"referenceLocator"`
		} `json:"externalRefs"`
	} `json:"packages"`
}

// decodeSPDXJSON reads SPDX 2.x JSON. SPDX gives no structured place for the
// manifest a package came from (syft writes it into the free-text sourceInfo),
// so packages from SPDX have no Locations and their findings no file.
func decodeSPDXJSON(data []byte, source string) (*Document, error) {
	var doc spdxJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(source, data, err)
	}
	if !contains(spdxVersions, doc.SPDXVersion) {
		return nil, fmt.Errorf("%s: unsupported SPDX version %q (supported: %s)",
			source, doc.SPDXVersion, strings.Join(spdxVersions, ", "))
	}

	out := &Document{
		Format:      FormatSPDXJSON,
		SpecVersion: strings.TrimPrefix(doc.SPDXVersion, "SPDX-"),
		Tool:        spdxTool(doc.CreationInfo.Creators),
	}
	for _, p := range doc.Packages {
		pkg := Package{Name: p.Name, Version: p.VersionInfo}
		for _, ref := range p.ExternalRefs {
			if strings.EqualFold(ref.ReferenceType, "purl") && pkg.PURL == "" {
				pkg.PURL = ref.ReferenceLocator
			}
		}
		pkg.Type = typeFromPURL(pkg.PURL)
		if l := spdxLicense(p.LicenseConcluded, p.LicenseDeclared); l != "" {
			pkg.Licenses = []string{l}
		}
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}

// spdxLicense prefers the concluded licence to the declared one. NOASSERTION
// means nobody said; NONE is read the same way, because older syft versions
// wrote NONE for "no licence found" (see the hookz SPDX 2.2 fixture), so the
// gate cannot tell the two apart.
func spdxLicense(concluded, declared string) string {
	for _, l := range []string{concluded, declared} {
		l = strings.TrimSpace(l)
		if l != "" && !strings.EqualFold(l, "NOASSERTION") && !strings.EqualFold(l, "NONE") {
			return l
		}
	}
	return ""
}

// spdxTool reads the tool name from a "Tool: name-version" creator, where the
// version starts at the first hyphen followed by a digit, "v<digit>", "[" or
// "dev" ("Tool: syft-v0.42.0-bogus" is syft, "Tool: trivy-dev" is trivy).
func spdxTool(creators []string) string {
	for _, c := range creators {
		rest, ok := strings.CutPrefix(strings.TrimSpace(c), "Tool:")
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		for i := 0; i < len(rest); i++ {
			if rest[i] == '-' && isVersionStart(rest[i+1:]) {
				return rest[:i]
			}
		}
		return rest
	}
	return ""
}

func isVersionStart(s string) bool {
	switch {
	case s == "":
		return false
	case s[0] >= '0' && s[0] <= '9', s[0] == '[', strings.HasPrefix(s, "dev"):
		return true
	case s[0] == 'v' && len(s) > 1:
		return s[1] >= '0' && s[1] <= '9'
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
