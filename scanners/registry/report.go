package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/scanners"
	"github.com/secgate/secgate/scanners/detect"
)

// maxReportSize bounds a report read for `report:`: 1 GiB, as for SARIF.
const maxReportSize = 1 << 30

// withReports wraps an adapter so that a scanner with `report: PATH` reads
// that report, which the tool wrote in an earlier step, instead of running
// the tool. Adapters that give `report:` a meaning of their own say so with
// scanners.ReportReader and are returned as they are.
func withReports(s scanners.Scanner) scanners.Scanner {
	if rr, ok := s.(scanners.ReportReader); ok && rr.ReadsReport() {
		return s
	}
	return &reportImporter{Scanner: s}
}

// reportImporter runs its adapter, or reads the configured report instead.
type reportImporter struct {
	scanners.Scanner
}

// Unwrap returns the adapter itself, for callers that look for optional
// abilities by type assertion.
func (r *reportImporter) Unwrap() scanners.Scanner { return r.Scanner }

// Detect needs no tool when there is a report to read.
func (r *reportImporter) Detect(ctx context.Context, s config.Scanner) scanners.Detection {
	if s.Report == "" {
		return r.Scanner.Detect(ctx, s)
	}
	return scanners.Detection{Installed: true}
}

// Run reads the report when there is one, else runs the adapter.
func (r *reportImporter) Run(ctx context.Context, req scanners.Request) (*scanners.Result, error) {
	if req.Settings.Report == "" {
		return r.Scanner.Run(ctx, req)
	}
	return ReadReport(req.Root, req.Settings, req.Config)
}

// ReadReport reads the report a scanner's settings name, relative to the
// repository root unless absolute, in the format report_format names or, when
// it names none, the format recognised from the content, which must be one
// of the scanner type's own. The format's parser does the reading, exactly
// as secgate convert would; cfg, when set, gives SBOM formats their policy.
func ReadReport(root string, s config.Scanner, cfg *config.Config) (*scanners.Result, error) {
	path := s.Report
	if !filepath.IsAbs(path) && root != "" {
		path = filepath.Join(root, path)
	}
	data, err := readBounded(path)
	if err != nil {
		return nil, fmt.Errorf("scanners.%s.report: %w", s.Name, err)
	}
	format, how, err := reportFormat(s, data, path)
	if err != nil {
		return nil, err
	}

	parse := format.Parse
	if format.WithPolicy != nil && cfg != nil {
		parse = format.WithPolicy(cfg)
	}
	res, err := parse(bytes.NewReader(data), path)
	if err != nil {
		return nil, err
	}
	res.Stats.Notes = append(res.Stats.Notes, fmt.Sprintf("%s: read %s (%s, %s) instead of "+
		"running the tool", s.Name, path, format.Name, how))
	return res, nil
}

// reportFormat picks the format of a scanner's report.
func reportFormat(s config.Scanner, data []byte, path string) (Format, string, error) {
	if s.ReportFormat != "" {
		f, ok := Formats()[s.ReportFormat]
		if !ok {
			return Format{}, "", fmt.Errorf("scanners.%s.report_format: unknown format %q "+
				"(known: %s)", s.Name, s.ReportFormat, strings.Join(FormatNames(), ", "))
		}
		return f, "as report_format says", nil
	}

	f, m, err := DetectFormat(data, path)
	if err != nil {
		return Format{}, "", fmt.Errorf("scanners.%s.report: %w; set report_format to name it",
			s.Name, err)
	}
	if !fits(s.Type, m.Format) {
		return Format{}, "", fmt.Errorf("scanners.%s.report: %s holds a %s report (%s), not "+
			"one of a %s scanner; fix the path, or set report_format if it is right",
			s.Name, path, m.Format, m.Evidence, s.Type)
	}
	return f, "recognised by " + m.Evidence, nil
}

// fits reports whether a recognised format belongs to a scanner type: its
// name starts with the type ("snyk-json" for snyk), any SARIF suits the sarif
// type, and a command, which runs any tool, takes any format.
func fits(typ, format string) bool {
	switch typ {
	case "sarif":
		return format == detect.SARIF || strings.HasSuffix(format, "-sarif")
	case "command":
		return true
	}
	return strings.HasPrefix(format, typ+"-")
}

// DetectFormat recognises a report's format from its content (never from
// its name) and returns the format that reads it: the tool's own, else a
// general one that can ("sarif" for a tool's SARIF without a parser of its
// own). The error names the source and, when the content fits several
// formats, each of them; when it fits none, the formats there are.
func DetectFormat(data []byte, source string) (Format, detect.Match, error) {
	m, err := detect.Detect(data)
	if err != nil {
		var amb *detect.AmbiguousError
		if errors.As(err, &amb) {
			return Format{}, m, fmt.Errorf("%s: cannot tell the format from the content: %w",
				source, err)
		}
		return Format{}, m, fmt.Errorf("%s: cannot tell the format from the content: %w "+
			"(known formats: %s)", source, err, strings.Join(FormatNames(), ", "))
	}
	formats := Formats()
	if f, ok := formats[m.Format]; ok {
		return f, m, nil
	}
	if f, ok := formats[m.General]; ok {
		return f, m, nil
	}
	return Format{}, m, fmt.Errorf("%s: looks like %s (%s), which this build of secgate "+
		"cannot read (known formats: %s)", source, m.Format, m.Evidence,
		strings.Join(FormatNames(), ", "))
}

// readBounded reads a whole file within maxReportSize.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxReportSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxReportSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, maxReportSize>>20)
	}
	return data, nil
}
