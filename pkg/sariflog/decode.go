package sariflog

import (
	"bytes"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The types below decode only the parts of a SARIF log that secgate uses.
// Structure (runs, results, locations) is decoded strictly so that a broken
// log fails with a position; leaves that tools fill inconsistently (strings
// written as numbers, indexes written as strings, property bags) are decoded
// leniently so that one odd value does not sink a whole file.

type runJSON struct {
	Tool struct {
		Driver     componentJSON   `json:"driver"`
		Extensions []componentJSON `json:"extensions"`
	} `json:"tool"`
	Results            []resultJSON               `json:"results"`
	OriginalURIBaseIDs map[string]artifactLocJSON `json:"originalUriBaseIds"`
	Artifacts          []struct {
		Location artifactLocJSON `json:"location"`
	} `json:"artifacts"`
	Invocations []invocationJSON `json:"invocations"`
}

type componentJSON struct {
	Name            text       `json:"name"`
	Version         text       `json:"version"`
	SemanticVersion text       `json:"semanticVersion"`
	InformationURI  text       `json:"informationUri"`
	Rules           []ruleJSON `json:"rules"`
	Properties      bag        `json:"properties"`
}

type ruleJSON struct {
	ID                   text                   `json:"id"`
	Name                 text                   `json:"name"`
	ShortDescription     messageJSON            `json:"shortDescription"`
	FullDescription      messageJSON            `json:"fullDescription"`
	Help                 messageJSON            `json:"help"`
	HelpURI              text                   `json:"helpUri"`
	MessageStrings       map[string]messageJSON `json:"messageStrings"`
	DefaultConfiguration struct {
		Level text `json:"level"`
	} `json:"defaultConfiguration"`
	Relationships []struct {
		Target struct {
			ID            text `json:"id"`
			ToolComponent struct {
				Name text `json:"name"`
			} `json:"toolComponent"`
		} `json:"target"`
	} `json:"relationships"`
	Properties bag `json:"properties"`
}

type messageJSON struct {
	Text      text   `json:"text"`
	Markdown  text   `json:"markdown"`
	ID        text   `json:"id"`
	Arguments []text `json:"arguments"`
}

type resultJSON struct {
	RuleID    text   `json:"ruleId"`
	RuleIndex number `json:"ruleIndex"`
	Rule      struct {
		ID            text   `json:"id"`
		Index         number `json:"index"`
		ToolComponent struct {
			Index number `json:"index"`
			Name  text   `json:"name"`
		} `json:"toolComponent"`
	} `json:"rule"`
	Kind                text              `json:"kind"`
	Level               text              `json:"level"`
	Message             messageJSON       `json:"message"`
	Locations           []locationJSON    `json:"locations"`
	Fixes               []fixJSON         `json:"fixes"`
	Suppressions        []suppressionJSON `json:"suppressions"`
	PartialFingerprints map[string]text   `json:"partialFingerprints"`
	Properties          bag               `json:"properties"`
}

type locationJSON struct {
	PhysicalLocation *struct {
		ArtifactLocation artifactLocJSON `json:"artifactLocation"`
		Region           regionJSON      `json:"region"`
	} `json:"physicalLocation"`
	LogicalLocations []struct {
		Name               text `json:"name"`
		FullyQualifiedName text `json:"fullyQualifiedName"`
		DecoratedName      text `json:"decoratedName"`
	} `json:"logicalLocations"`
}

type artifactLocJSON struct {
	URI       text   `json:"uri"`
	URIBaseID text   `json:"uriBaseId"`
	Index     number `json:"index"`
}

type regionJSON struct {
	StartLine   number `json:"startLine"`
	StartColumn number `json:"startColumn"`
	EndLine     number `json:"endLine"`
	EndColumn   number `json:"endColumn"`
	Snippet     struct {
		Text text `json:"text"`
	} `json:"snippet"`
}

type fixJSON struct {
	ArtifactChanges []struct {
		ArtifactLocation artifactLocJSON `json:"artifactLocation"`
		Replacements     []struct {
			DeletedRegion   regionJSON `json:"deletedRegion"`
			InsertedContent *struct {
				Text *text `json:"text"`
			} `json:"insertedContent"`
		} `json:"replacements"`
	} `json:"artifactChanges"`
}

type suppressionJSON struct {
	Kind          text `json:"kind"`
	Status        text `json:"status"`
	Justification text `json:"justification"`
}

type invocationJSON struct {
	ExecutionSuccessful            *bool              `json:"executionSuccessful"`
	ToolExecutionNotifications     []notificationJSON `json:"toolExecutionNotifications"`
	ToolConfigurationNotifications []notificationJSON `json:"toolConfigurationNotifications"`
}

type notificationJSON struct {
	Level      text        `json:"level"`
	Message    messageJSON `json:"message"`
	Descriptor struct {
		ID text `json:"id"`
	} `json:"descriptor"`
}

// text is a JSON string read leniently: a number or boolean becomes its
// literal text, and an object, array or null becomes "".
type text string

// UnmarshalJSONFrom implements json.UnmarshalerFrom. Reading from the decoder
// rather than from a copy of the value is what keeps decoding fast: most of a
// log's leaves are texts.
func (t *text) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case '"':
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		*t = text(tok.String())
		return nil
	case '{', '[', 'n':
		*t = ""
		return dec.SkipValue()
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	*t = text(v)
	return nil
}

// number is a JSON integer read leniently: a numeric string or an integral
// float is accepted; anything else counts as absent.
type number struct {
	set bool
	v   int
}

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (n *number) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*n = number{}
	if k := dec.PeekKind(); k == '{' || k == '[' {
		return dec.SkipValue()
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	s := string(bytes.Trim(v, `"`))
	if i, err := strconv.Atoi(s); err == nil {
		*n = number{set: true, v: i}
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
		*n = number{set: true, v: int(f)}
	}
	return nil
}

// get returns the value, or 0 when absent.
func (n number) get() int {
	if !n.set {
		return 0
	}
	return n.v
}

// bag is a SARIF property bag. A value that is not an object is ignored.
type bag map[string]any

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (p *bag) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '{' {
		return dec.SkipValue()
	}
	var m map[string]any
	if err := json.UnmarshalDecode(dec, &m); err != nil {
		return err
	}
	*p = m
	return nil
}

// str returns a property as a string when it is one.
func (p bag) str(key string) string {
	s, _ := p[key].(string)
	return s
}

// strings returns a property as a list of strings, keeping only the string
// elements; a single string counts as a list of one.
func (p bag) strings(key string) []string {
	switch v := p[key].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
