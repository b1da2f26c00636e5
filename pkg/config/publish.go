package config

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Publishing defaults.
const (
	DefaultMaxInlineComments = 30
	PublishErrorsWarn        = "warn"
	PublishErrorsFail        = "fail"
)

// Publish says how results are posted to a pull request.
type Publish struct {
	// Errors is what a failure to publish does: "warn" (the default) reports
	// it and leaves the verdict alone; "fail" makes it count, so a run that
	// would pass ends as could-not-decide.
	Errors string
	// MaxInlineComments caps the inline review comments of this gate on one
	// pull request; the rest are listed in the summary comment. 0 posts none.
	MaxInlineComments int
	// UploadSARIF uploads the SARIF log to GitHub code scanning.
	UploadSARIF bool
}

func defaultPublish() Publish {
	return Publish{Errors: PublishErrorsWarn, MaxInlineComments: DefaultMaxInlineComments}
}

func decodePublishErrors(d *decoder, n *yaml.Node, cfg *Config) {
	s, ok := d.text(n, "publish_errors", "warn or fail")
	if !ok {
		return
	}
	switch v := strings.ToLower(s); v {
	case PublishErrorsWarn, PublishErrorsFail:
		cfg.Publish.Errors = v
	default:
		d.errorf(n, "publish_errors: unknown value %q (want warn or fail)", s)
	}
}

func decodeMaxInlineComments(d *decoder, n *yaml.Node, cfg *Config) {
	v, ok := d.integer(n, "max_inline_comments")
	switch {
	case !ok:
	case v < 0:
		d.errorf(n, "max_inline_comments: %d is negative (0 posts no inline comment)", v)
	default:
		cfg.Publish.MaxInlineComments = v
	}
}

func decodeUploadSARIF(d *decoder, n *yaml.Node, cfg *Config) {
	if v, ok := d.boolean(n, "upload_sarif"); ok {
		cfg.Publish.UploadSARIF = v
	}
}
