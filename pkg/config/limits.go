package config

import (
	"fmt"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// DefaultMaxReportBytes bounds a report file secgate reads (a scanner's
// report, a SARIF log given to evaluate, a file given to convert): 256 MiB.
// Reports are decoded whole, costing a few times their size in memory, and
// real ones stay far below this; a larger file is a runaway scanner or a
// hostile input.
const DefaultMaxReportBytes int64 = 256 << 20

// maxReportLimit is the largest limit a config may set: 4 GiB.
const maxReportLimit int64 = 4 << 30

// Limits bounds what secgate reads (the limits: section).
type Limits struct {
	// MaxReportBytes caps a report file; zero means DefaultMaxReportBytes.
	MaxReportBytes int64
}

// ReportBytes returns the report size limit in effect.
func (l Limits) ReportBytes() int64 {
	if l.MaxReportBytes <= 0 {
		return DefaultMaxReportBytes
	}
	return l.MaxReportBytes
}

func decodeLimits(d *decoder, n *yaml.Node, cfg *Config) {
	fields, ok := d.mapping(n, "limits")
	if !ok {
		return
	}
	for _, f := range d.checkKeys(fields, "limits", []string{"max_report_bytes"}) {
		if v, ok := d.byteSize(f.value, "limits.max_report_bytes"); ok {
			cfg.Limits.MaxReportBytes = v
		}
	}
}

var sizePattern = regexp.MustCompile(`^([0-9]+)\s*(B|KiB|MiB|GiB)?$`)

var sizeUnits = map[string]int64{"": 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}

// byteSize reads a size in bytes: a whole number, or one with a KiB, MiB or
// GiB suffix ("64MiB"), above zero and at most 4 GiB.
func (d *decoder) byteSize(n *yaml.Node, path string) (int64, bool) {
	s, ok := d.text(n, path, "a size such as 64MiB")
	if !ok {
		return 0, false
	}
	v, err := ParseByteSize(s)
	if err != nil {
		d.errorf(n, "%s: %v", path, err)
		return 0, false
	}
	return v, true
}

// ParseByteSize reads a size as the limits: section and the
// --max-report-bytes flag take it: "1048576", "512KiB", "64MiB" or "1GiB",
// above zero and at most 4 GiB.
func ParseByteSize(s string) (int64, error) {
	m := sizePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size (write e.g. 1048576, 512KiB, 64MiB or 1GiB)", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= 0 || n > maxReportLimit/sizeUnits[m[2]] {
		return 0, fmt.Errorf("%q is out of range (above 0, at most 4GiB)", s)
	}
	return n * sizeUnits[m[2]], nil
}
