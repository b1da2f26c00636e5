package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// fingerprintVersion starts every preimage. Changing what goes into a preimage
// means a new version, so that old and new fingerprints never collide silently.
const fingerprintVersion = "v1"

// fingerprintHexLen is how much of the sha256 is kept: 128 bits is plenty to keep
// the findings of one repository apart.
const fingerprintHexLen = 32

// fingerprintAll sets every fingerprint. items must be in output order, which
// sorts each file's findings by line, so the occurrence index counts in line order.
func fingerprintAll(items []*item) {
	seen := make(map[string]int, len(items))
	for _, it := range items {
		pre := preimage(it)
		n := seen[pre]
		seen[pre] = n + 1

		sum := sha256.Sum256([]byte(pre + "\x00" + strconv.Itoa(n)))
		it.f.Fingerprint = hex.EncodeToString(sum[:])[:fingerprintHexLen]
	}
}

// preimage is what a fingerprint hashes, before the occurrence index. It holds
// nothing that moves with lines, the checkout directory, the clock or the tool
// version; docs/fingerprints.md explains each part.
func preimage(it *item) string {
	f := &it.f
	return strings.Join([]string{
		fingerprintVersion, f.Tool, f.Rule.ID, f.Location.Path, content(it),
	}, "\x00")
}

// content is the line-independent description of what was flagged, tagged with
// its kind so that a snippet can never equal a message by accident.
func content(it *item) string {
	f := &it.f
	switch {
	case isSecret(f):
		// The flagged text is the secret; rule and path stand alone, and the
		// occurrence index tells two secrets of one rule in one file apart.
		if it.outside != "" {
			return "secret\x00outside:" + outsideBase(it)
		}
		return "secret\x00" + f.Location.Logical
	case f.Snippet != "":
		return "snippet:" + f.Snippet
	case it.outside != "":
		// The location was refused, so its text is absolute or relative to
		// something else; only its last element is stable across checkouts.
		return "outside:" + outsideBase(it) + "\x00" + fallback(f)
	case f.Location.Logical != "":
		return "logical:" + f.Location.Logical
	}
	return fallback(f)
}

func outsideBase(it *item) string { return path.Base(it.outside) }

func fallback(f *finding.Finding) string {
	if p := f.Package; p != nil {
		if p.PURL != "" {
			return "package:" + p.PURL
		}
		if p.Name != "" {
			return "package:" + p.Name + "@" + p.Version
		}
	}
	return "message:" + f.Message
}
