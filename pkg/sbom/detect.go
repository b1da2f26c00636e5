package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// cycloneDXNamespace prefixes the XML namespace of every CycloneDX version; the
// version follows it ("http://cyclonedx.org/schema/bom/1.4").
const cycloneDXNamespace = "http://cyclonedx.org/schema/bom/"

// Detect recognises an SBOM format from the content alone, never from a file
// name: CycloneDX JSON by bomFormat, CycloneDX XML by the namespace of its <bom>
// root, SPDX JSON by spdxVersion, Syft JSON by its schema block or descriptor,
// and SPDX tag-value by its SPDXVersion line. It does not check versions:
// Decode does, so that the error can say which version it found.
func Detect(data []byte) (string, error) {
	text := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(text) == 0 {
		return "", errors.New("empty document: expected a CycloneDX, SPDX or Syft SBOM")
	}

	switch text[0] {
	case '{':
		return detectJSON(text)
	case '<':
		return detectXML(text)
	}
	if isSPDXTagValue(text) {
		return FormatSPDXTagValue, nil
	}
	return "", errors.New("not an SBOM: expected a JSON object, an XML <bom> or SPDX tag-value")
}

// jsonProbe holds the keys that tell the JSON formats apart. Artifacts is raw so
// that probing a large Syft document does not decode its packages.
type jsonProbe struct {
	BOMFormat   string `json:"bomFormat"`
	SPDXVersion string `json:"spdxVersion"`
	Schema      *struct {
		URL string `json:"url"`
	} `json:"schema"`
	Descriptor *struct {
		Name string `json:"name"`
	} `json:"descriptor"`
	Artifacts json.RawMessage `json:"artifacts"`
}

func detectJSON(data []byte) (string, error) {
	var p jsonProbe
	if err := json.Unmarshal(data, &p); err != nil {
		return "", jsonError("", data, err)
	}

	switch {
	case strings.EqualFold(p.BOMFormat, "CycloneDX"):
		return FormatCycloneDXJSON, nil
	case p.BOMFormat != "":
		return "", fmt.Errorf("bomFormat %q is not CycloneDX", p.BOMFormat)
	case strings.HasPrefix(p.SPDXVersion, "SPDX-"):
		return FormatSPDXJSON, nil
	case p.Schema != nil && strings.Contains(p.Schema.URL, "anchore/syft"):
		return FormatSyftJSON, nil
	case p.Descriptor != nil && p.Artifacts != nil:
		return FormatSyftJSON, nil
	}
	return "", errors.New("JSON is not an SBOM: expected bomFormat (CycloneDX), " +
		"spdxVersion (SPDX) or a Syft schema/descriptor")
}

func detectXML(data []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", errors.New("XML has no root element")
			}
			line, col := dec.InputPos()
			return "", fmt.Errorf("%d:%d: malformed XML: %w", line, col, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if start.Name.Local == "bom" && strings.HasPrefix(start.Name.Space, cycloneDXNamespace) {
			return FormatCycloneDXXML, nil
		}
		return "", fmt.Errorf("XML root <%s> in namespace %q is not a CycloneDX <bom> "+
			"(namespace %s<version>)", start.Name.Local, start.Name.Space, cycloneDXNamespace)
	}
}

// isSPDXTagValue reports whether the first line that is neither blank nor a
// comment is an SPDXVersion tag.
func isSPDXTagValue(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return strings.HasPrefix(line, "SPDXVersion:")
	}
	return false
}

// jsonError names the source and, when the error has one, the line and column
// of a JSON error: "sbom.cdx.json:3:14: malformed JSON: ...".
func jsonError(source string, data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%s: malformed JSON: %w", where(source, position(data, syn.Offset)), err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("%s: unexpected JSON type: %w",
			where(source, position(data, typ.Offset)), err)
	}
	if source == "" {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	return fmt.Errorf("%s: malformed JSON: %w", source, err)
}

// where joins a source name and a "line:column" position, either of which may be empty.
func where(source, pos string) string {
	switch {
	case source == "":
		return pos
	case pos == "":
		return source
	}
	return source + ":" + pos
}
