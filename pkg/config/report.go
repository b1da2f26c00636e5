package config

import (
	"strings"
)

// reportField reads report and report_format, which every scanner type
// accepts. The format name is checked against secgate's formats when the
// report is read: the table of formats lives with the parsers, which this
// package cannot import.
func (d *decoder) reportField(f field, at string, s *Scanner) bool {
	var ok bool
	switch f.key {
	case "report":
		s.Report, ok = d.nonEmpty(f.value, at)
	case "report_format":
		s.ReportFormat, ok = d.nonEmpty(f.value, at)
		s.ReportFormat = strings.ToLower(strings.TrimSpace(s.ReportFormat))
	}
	return ok
}

// checkReport refuses a report_format without the report it describes.
func (d *decoder) checkReport(path string, fields []field) bool {
	if n := fieldValue(fields, "report_format"); n != nil && !hasAny(fields, "report") {
		d.errorf(n, "%s.report_format: only makes sense with report", path)
		return false
	}
	return true
}
