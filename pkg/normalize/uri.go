package normalize

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// EncodeURI writes a repository-relative path as a URI reference: each segment
// percent-encoded, so a space is %20, '#' is %23 and '%' is %25. ':' is always
// encoded, so a first segment never reads as a scheme or a drive letter.
func EncodeURI(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '/' || keepInURI(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// keepInURI reports the bytes a path segment may hold unencoded: RFC 3986
// unreserved characters and the sub-delimiters except '+', which some decoders
// read as a space.
func keepInURI(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*,;=@", c) >= 0
}

// slashPath reduces a location to a slash path: absolute ("/x", "C:/x", "//host/x")
// or relative. decode=false keeps percent signs literally.
//
// Every backslash, raw or written %5C, is taken as a separator, since Windows
// tools write them so; a POSIX file whose name holds a backslash is therefore
// not found, and its findings keep a path to a file that does not exist.
func slashPath(uri string, decode bool) (string, error) {
	if strings.TrimSpace(uri) == "" {
		return "", fmt.Errorf("empty location: %w", ErrNotFile)
	}

	p := strings.ReplaceAll(uri, `\`, "/")
	if rest, ok := cutFileScheme(p); ok {
		p = fileURIPath(rest)
	} else if scheme, ok := urlScheme(p); ok {
		return "", fmt.Errorf("location %q is a %s URL: %w", uri, scheme, ErrNotFile)
	}

	if decode {
		p = strings.ReplaceAll(decodePercent(p), `\`, "/")
	}
	if strings.IndexByte(p, 0) >= 0 {
		return "", fmt.Errorf("location %q holds a NUL byte: %w", uri, ErrNotFile)
	}

	if len(p) > 1 && p[0] == '/' && isDrive(p[1:]) {
		p = p[1:] // "/C:/x", the path of file:///C:/x
	}
	return p, nil
}

func cutFileScheme(p string) (string, bool) {
	if len(p) >= 5 && strings.EqualFold(p[:5], "file:") {
		return p[5:], true
	}
	return "", false
}

// fileURIPath returns the path of a file URI after "file:". The authority may be
// empty or localhost (the local machine), a drive letter (file://C:/x, a common
// mistake), or another host, which becomes a UNC path and so lies outside.
func fileURIPath(rest string) string {
	after, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return rest // file:/abs or file:relative
	}

	host, p, _ := strings.Cut(after, "/")
	p = "/" + p
	switch {
	case host == "" || strings.EqualFold(host, "localhost"):
		return p
	case len(host) == 2 && isLetter(host[0]) && (host[1] == ':' || host[1] == '|'):
		return host[:1] + ":" + p
	}
	return "//" + host + p
}

// urlScheme reports a "scheme://" prefix other than file. A bare "name:" is not
// taken as a scheme: raw paths such as "a:b.txt" are legal file names.
func urlScheme(p string) (string, bool) {
	scheme, _, ok := strings.Cut(p, "://")
	if !ok || len(scheme) < 2 || !isLetter(scheme[0]) {
		return "", false
	}
	for i := 1; i < len(scheme); i++ {
		c := scheme[i]
		if !isLetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return "", false
		}
	}
	return scheme, true
}

// decodePercent decodes every valid %XX escape once and keeps an invalid one
// ("100% done") as it is. When decoding would turn valid UTF-8 into invalid
// UTF-8 ("%de" in "100%de.txt"), the escapes were most likely literal text.
func decodePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}

	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}

	if !utf8.Valid(b) && utf8.ValidString(s) {
		return s
	}
	return string(b)
}

// splitAbs splits an absolute slash path into its drive and a cleaned rooted
// path. It reports false for a relative path and for a UNC path ("//host/x").
func splitAbs(p string) (vol, dir string, ok bool) {
	if isDrive(p) {
		return strings.ToUpper(p[:1]) + ":", path.Clean("/" + p[2:]), true
	}
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "", "", false
	}
	return "", path.Clean(p), true
}

// isDrive reports a Windows drive path: "C:" alone or followed by a slash.
func isDrive(p string) bool {
	return len(p) >= 2 && isLetter(p[0]) && p[1] == ':' && (len(p) == 2 || p[2] == '/')
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
