package detect

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// cycloneDXNamespace prefixes the namespace of every CycloneDX XML version.
const cycloneDXNamespace = "http://cyclonedx.org/schema/bom/"

// detectXML recognises an XML report by its root element: ZAP's
// <OWASPZAPReport> or CycloneDX's <bom> in a CycloneDX namespace, whatever
// the root holds (an empty <components> is still a BOM).
func detectXML(text []byte) (Match, error) {
	dec := xml.NewDecoder(bytes.NewReader(text))
	// Declarations of other encodings are the parser's concern; the root is
	// all that is read here.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return Match{}, &UnknownError{Why: "XML without a root element"}
		}
		if err != nil {
			line, _ := dec.InputPos()
			return Match{}, &UnknownError{Why: fmt.Sprintf("malformed XML at line %d: %v",
				line, err)}
		}
		root, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case root.Name.Local == "OWASPZAPReport":
			return Match{Format: ZAPXML, Evidence: "an <OWASPZAPReport> root"}, nil
		case root.Name.Local == "bom" && strings.HasPrefix(root.Name.Space, cycloneDXNamespace):
			return Match{Format: CycloneDXXML, Evidence: "a <bom> root in namespace " +
				root.Name.Space}, nil
		}
		return Match{}, &UnknownError{Why: fmt.Sprintf("XML whose root <%s> (namespace %q) "+
			"no known format has", root.Name.Local, root.Name.Space)}
	}
}
