package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/exitcode"
)

// registerReportLimit adds --max-report-bytes, which overrides the config's
// limits.max_report_bytes for one run.
func registerReportLimit(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "max-report-bytes", "",
		"refuse report files larger than this (e.g. 64MiB; default: the config's "+
			"limits.max_report_bytes, else 256MiB)")
}

// reportLimit returns the report size limit: the flag when given, else the
// config's (cfg may be nil), else the default.
func reportLimit(flag string, cfg *config.Config) (int64, error) {
	if flag != "" {
		v, err := config.ParseByteSize(flag)
		if err != nil {
			return 0, exitcode.Undecide(fmt.Errorf("--max-report-bytes: %w", err))
		}
		return v, nil
	}
	if cfg != nil {
		return cfg.Limits.ReportBytes(), nil
	}
	return config.DefaultMaxReportBytes, nil
}

// readReport reads a whole report file, refusing one larger than limit bytes
// before decoding anything.
func readReport(path string, limit int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open report: %w", err)
	}
	defer file.Close()

	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit)
	}
	return data, nil
}

// openReport opens a report file, refusing one larger than limit bytes
// before anything is decoded. What is not a regular file (a pipe) is read
// into memory within the limit instead, since its size is not known.
func openReport(path string, limit int64) (io.ReadSeekCloser, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open report: %w", err)
	}
	info, err := file.Stat()
	if err == nil && info.Mode().IsRegular() {
		if info.Size() > limit {
			file.Close()
			return nil, tooLarge(path, limit)
		}
		return file, nil
	}
	file.Close()

	data, err := readReport(path, limit)
	if err != nil {
		return nil, err
	}
	return nopCloser{bytes.NewReader(data)}, nil
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func tooLarge(path string, limit int64) error {
	return fmt.Errorf("%s: larger than the report size limit of %d bytes; "+
		"raise limits.max_report_bytes or --max-report-bytes if it is genuine", path, limit)
}

// inFile names path in err unless the parser already did, so that messages
// read "x.sarif:3:7: ..." rather than "x.sarif: x.sarif:3:7: ...".
func inFile(path string, err error) error {
	if strings.HasPrefix(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}
