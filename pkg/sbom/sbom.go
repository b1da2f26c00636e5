// Package sbom reads software bills of materials (CycloneDX JSON and XML, SPDX JSON,
// Syft JSON) into one small model and applies secgate's licence and package policy
// to it. It does not link Syft: scanners/sbom generates SBOMs, this package only
// reads them, so that `secgate convert` and the policy build without Syft.
package sbom

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/secgate/secgate/pkg/wellformed"
)

// The document formats this package knows. Detect reports one of them; Decode
// accepts one of them, or "" to detect the format from the content.
const (
	FormatCycloneDXJSON = "cyclonedx-json"
	FormatCycloneDXXML  = "cyclonedx-xml"
	FormatSPDXJSON      = "spdx-json"
	FormatSyftJSON      = "syft-json"
	// FormatSPDXTagValue is recognised by Detect but not decoded.
	FormatSPDXTagValue = "spdx-tag-value"
)

// MaxSize is the largest SBOM, in bytes, that Decode reads: 1 GiB. Decoding
// holds the whole document in memory; callers that read files apply the
// smaller, configurable limits.max_report_bytes before this.
const MaxSize int64 = 1 << 30

// Document is the part of an SBOM that the gate needs.
type Document struct {
	// Format is one of the Format constants.
	Format string
	// SpecVersion is the version of the format: "1.4" for CycloneDX, "2.3" for
	// SPDX, the schema version ("16.1.13") for Syft JSON (empty when absent).
	SpecVersion string
	// Tool is the name of the tool that wrote the document ("syft", "trivy").
	Tool            string
	Packages        []Package
	Vulnerabilities []Vulnerability
}

// Package is one component, package or artifact of an SBOM.
type Package struct {
	Name    string
	Version string
	// Type is the ecosystem, from the purl when there is one: npm, pypi,
	// go-module, maven, gem, deb, ... (see normalizeType).
	Type string
	PURL string
	// Licenses holds one SPDX id, SPDX expression or free-text licence name per
	// licence entry of the document.
	Licenses []string
	// Locations are the manifest or lock files that declare the package, as the
	// document writes them (Syft: its location paths; CycloneDX: syft's
	// syft:location:N:path properties). SPDX documents carry none.
	Locations []string
}

// Vulnerability is one CycloneDX vulnerability entry.
type Vulnerability struct {
	ID      string
	Aliases []string
	// Severity is the first severity word the ratings state, as stated; Score
	// is the first score the ratings state (0 when none does).
	Severity string
	Score    float64
	// PackageRefs are the purls of the affected packages (a bom-ref that names
	// no component is kept as it is).
	PackageRefs []string
	// FixedVersions are the versions listed as "unaffected".
	FixedVersions []string
	Description   string
}

// Decode reads a whole SBOM from r. source names it in errors (a file path). An
// empty format means: detect it from the content with Detect.
func Decode(r io.Reader, source string, format string) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read sbom %s: %w", source, err)
	}
	if int64(len(data)) > MaxSize {
		return nil, fmt.Errorf("%s: larger than the SBOM size limit of %d bytes", source, MaxSize)
	}

	if format == "" {
		format, err = Detect(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
	}

	if strings.HasSuffix(format, "-json") {
		if err := wellformed.Text(data, source, "a "+format+" SBOM"); err != nil {
			return nil, err
		}
	}

	doc, err := decodeAs(data, source, format)
	if err != nil {
		return nil, err
	}
	for i, v := range doc.Vulnerabilities {
		if v.ID == "" {
			return nil, fmt.Errorf("%s: vulnerabilities[%d] has no id, expected an advisory id "+
				"such as CVE-2021-44228", source, i)
		}
	}
	return doc, nil
}

// decodeAs decodes data in the format named.
func decodeAs(data []byte, source, format string) (*Document, error) {
	switch format {
	case FormatCycloneDXJSON:
		return decodeCycloneDXJSON(data, source)
	case FormatCycloneDXXML:
		if len(bytes.TrimSpace(data)) == 0 {
			return nil, fmt.Errorf("%s: empty file, expected a CycloneDX XML BOM", source)
		}
		return decodeCycloneDXXML(data, source)
	case FormatSPDXJSON:
		return decodeSPDXJSON(data, source)
	case FormatSyftJSON:
		return decodeSyftJSON(data, source)
	case FormatSPDXTagValue:
		return nil, fmt.Errorf("%s: SPDX tag-value documents are not supported; "+
			"write the SBOM as spdx-json or cyclonedx-json instead", source)
	}
	return nil, fmt.Errorf("%s: unknown sbom format %q (want one of %s)",
		source, format, strings.Join(decodableFormats, ", "))
}

var decodableFormats = []string{
	FormatCycloneDXJSON, FormatCycloneDXXML, FormatSPDXJSON, FormatSyftJSON,
}

// position turns a byte offset into a "line:column" string for error messages.
func position(data []byte, offset int64) string {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%d:%d", line, col)
}
