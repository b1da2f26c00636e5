package redact

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
)

// variants returns the forms a value takes in what secgate writes. Writers
// redact the bytes they are about to write, after any escaping, so a value
// with a quote, a backslash, '<', '&' or a line break in it would otherwise
// go out in its escaped form unseen. The forms: as given, with its white
// space collapsed (as snippets are), and each of those escaped for a JSON
// string (with HTML escaping and without), for XML text (the JUnit report),
// and for a GitHub Actions workflow command's message and properties.
func variants(v string) []string {
	forms := []string{v}
	if collapsed := strings.Join(strings.Fields(v), " "); collapsed != v {
		forms = append(forms, collapsed)
	}

	out := make([]string, 0, 6*len(forms))
	for _, f := range forms {
		out = append(out, f, jsonEscaped(f, true), jsonEscaped(f, false), xmlEscaped(f),
			actionsData.Replace(f), actionsProperty.Replace(f))
	}
	return out
}

// jsonEscaped is f as the inside of a JSON string.
func jsonEscaped(f string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(f) != nil {
		return f
	}
	quoted := strings.TrimSuffix(b.String(), "\n")
	return quoted[1 : len(quoted)-1]
}

func xmlEscaped(f string) string {
	var b bytes.Buffer
	if xml.EscapeText(&b, []byte(f)) != nil {
		return f
	}
	return b.String()
}

// The escaping of workflow commands, as package actions does it (which
// imports this package, so it cannot be used from here).
var (
	actionsData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	actionsProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A",
		",", "%2C")
)
