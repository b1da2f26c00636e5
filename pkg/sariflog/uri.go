package sariflog

import (
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// Reading: every artifact URI is reduced here to a decoded path, so that the
// normalizer deals only in paths and never sees percent escapes or file URIs:
//
//   - percent escapes are decoded exactly once; a '%' that does not start a
//     valid escape ("100% done.yaml") is kept as it is, so raw and encoded
//     forms are both accepted;
//   - raw backslashes, which a URI cannot hold, are taken as Windows
//     separators and become '/';
//   - file:// URIs become absolute paths: "file:///src/a.go" -> "/src/a.go",
//     "file:///C:/w/a.cs" and "file://C:/w/a.cs" -> "C:/w/a.cs",
//     "file://host/share/a" -> "//host/share/a", "file:////src/a" -> "/src/a";
//   - a bare drive path ("C:/w/a.cs") is kept as an absolute path, not read as
//     a URI with scheme "C";
//   - a URI with any other scheme (http, https, ...) is not a file: it becomes
//     the finding's logical location.

// fileFromURI turns an artifact URI into a decoded path, or reports false
// when the URI names something that is not a file.
func fileFromURI(uri string) (string, bool) {
	raw := strings.ReplaceAll(uri, `\`, "/")
	scheme, rest, ok := splitScheme(raw)
	switch {
	case !ok:
		return unescape(raw), true
	case strings.EqualFold(scheme, "file"):
		return filePath(rest), true
	}
	return "", false
}

// splitScheme splits "scheme:rest". A one-letter scheme is a drive letter,
// not a scheme, so "C:/x" reports false.
func splitScheme(s string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i < 2 {
		return "", s, false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		isAlpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		isOther := j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')
		if !isAlpha && !isOther {
			return "", s, false
		}
	}
	return s[:i], s[i+1:], true
}

// filePath decodes the part of a file URI after "file:".
func filePath(rest string) string {
	p := rest
	if strings.HasPrefix(rest, "//") {
		authority, tail, _ := strings.Cut(rest[2:], "/")
		tail = "/" + tail
		switch {
		case authority == "" || strings.EqualFold(authority, "localhost"):
			// "file:////src/a" comes from prepending "file:///" to "/src/a";
			// it is read as /src/a, not as a UNC path.
			p = "/" + strings.TrimLeft(tail, "/")
		case isDrive(authority):
			// file://C:/x puts the drive where the host belongs.
			p = authority + tail
		default:
			p = "//" + authority + tail
		}
	}
	p = unescape(p)
	if len(p) >= 3 && p[0] == '/' && isDrive(p[1:3]) {
		p = p[1:]
	}
	return p
}

// isDrive reports whether s starts with a Windows drive such as "C:".
func isDrive(s string) bool {
	if len(s) < 2 || s[1] != ':' {
		return false
	}
	c := s[0]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && (len(s) == 2 || s[2] == '/')
}

// isAbsURI reports whether a base URI is absolute: it has a scheme, or it is
// an absolute path.
func isAbsURI(s string) bool {
	s = strings.ReplaceAll(s, `\`, "/")
	if _, _, ok := splitScheme(s); ok {
		return true
	}
	return strings.HasPrefix(s, "/") || isDrive(s)
}

// unescape decodes each valid %XX escape once and keeps every other byte,
// including a '%' that starts no valid escape. If decoding gives invalid
// UTF-8 the input is returned unchanged.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	if !utf8.ValidString(b.String()) {
		return s
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// resolveRelative prefixes a relative URI with the relative base URIs of its
// uriBaseId chain (SRC -> "src/" -> %SRCROOT%). It stops at the first base
// that is absolute or not defined: the result stays relative to that base.
func resolveRelative(uri, baseID string, bases map[string]artifactLocJSON) string {
	// Chains are short; a small slice finds a cycle without allocating.
	var seenArr [4]string
	seen := seenArr[:0]
	for baseID != "" && !slices.Contains(seen, baseID) {
		seen = append(seen, baseID)
		b, ok := bases[baseID]
		if !ok || isAbsURI(string(b.URI)) {
			break
		}
		uri = joinURI(string(b.URI), uri)
		baseID = string(b.URIBaseID)
	}
	return uri
}

// joinURI joins a relative base and a relative reference. SARIF requires base
// URIs to end in '/'; one that does not is treated as if it did.
func joinURI(base, rel string) string {
	if base == "" {
		return rel
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + rel
}

// baseDir returns the directory %SRCROOT% names when it is a file URI.
func baseDir(bases map[string]artifactLocJSON) string {
	b, ok := bases["%SRCROOT%"]
	if !ok {
		return ""
	}
	scheme, rest, isURI := splitScheme(string(b.URI))
	if !isURI || !strings.EqualFold(scheme, "file") {
		return ""
	}
	dir := filePath(rest)
	if dir == "" {
		return ""
	}
	return path.Clean(dir)
}

// Writing: a repo-relative path becomes a URI reference with each segment
// percent-encoded. Only unreserved characters and a few sub-delimiters are
// kept; ':' is always encoded so that a first segment never reads as a
// scheme, and '+' is encoded because some consumers read it as a space.

// encodePath percent-encodes each '/'-separated segment of p.
func encodePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = escapeSegment(s)
	}
	return strings.Join(segs, "/")
}

func escapeSegment(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keepInSegment(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func keepInSegment(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*,;=@", c) >= 0
}

// dirURI turns an absolute directory into a file URI ending in '/', the form
// originalUriBaseIds requires.
func dirURI(dir string) string {
	p := strings.ReplaceAll(dir, `\`, "/")
	drive := ""
	if isDrive(p) {
		drive, p = "/"+p[:2], p[2:]
	}
	p = strings.TrimSuffix(p, "/")
	return "file://" + drive + encodePath(p) + "/"
}
