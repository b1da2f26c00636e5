// Package actions speaks to the GitHub Actions runner: workflow commands
// (annotations, masks) escaped as the runner's parser expects, step outputs
// in the GITHUB_OUTPUT file, and the job summary in the GITHUB_STEP_SUMMARY
// file within its size limit. It knows the protocol, not the gate: callers
// decide what to say.
package actions

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/redact"
)

// MaxSummary is the most the runner accepts in one step's summary: 1 MiB.
const MaxSummary = 1 << 20

// PerLevel is how many annotations of one level the runner shows for a step;
// the rest vanish without a word.
const PerLevel = 10

// EscapeData escapes a command's message: %, CR and LF.
func EscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// EscapeProperty escapes a command property's value: also ':' and ',', which
// would end the value early.
func EscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A",
		",", "%2C").Replace(s)
}

// Annotation is an ::error, ::warning or ::notice command.
type Annotation struct {
	Level   string // error, warning or notice
	File    string
	Line    int
	EndLine int
	Col     int
	EndCol  int
	Title   string
	Message string
}

// String renders the command on one line.
func (a Annotation) String() string {
	var props []string
	add := func(k, v string) {
		if v != "" {
			props = append(props, k+"="+EscapeProperty(v))
		}
	}
	num := func(k string, n int) {
		if n > 0 {
			add(k, strconv.Itoa(n))
		}
	}
	add("file", a.File)
	num("line", a.Line)
	num("endLine", a.EndLine)
	// Columns only mean something on one line; the runner ignores them otherwise.
	if a.EndLine == 0 || a.EndLine == a.Line {
		num("col", a.Col)
		num("endColumn", a.EndCol)
	}
	add("title", a.Title)

	cmd := "::" + a.Level
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + EscapeData(a.Message)
}

// Mask returns the command that makes the runner hide value in every log
// line after it. Values too short to be secrets are refused: masking "1"
// would blank every digit of the log.
func Mask(value string) (string, bool) {
	if len(strings.TrimSpace(value)) < 4 || strings.ContainsAny(value, "\r\n") {
		return "", false
	}
	return "::add-mask::" + EscapeData(value), true
}

// Output is one step output.
type Output struct {
	Name, Value string
}

// WriteOutputs appends outputs to the GITHUB_OUTPUT file. A value with a line
// break uses the heredoc form with a random delimiter, which the value
// cannot contain by accident or on purpose.
func WriteOutputs(path string, outputs []Output) error {
	if path == "" {
		return errors.New("GITHUB_OUTPUT is not set")
	}
	var b strings.Builder
	for _, o := range outputs {
		if !strings.ContainsAny(o.Value, "\r\n") {
			fmt.Fprintf(&b, "%s=%s\n", o.Name, o.Value)
			continue
		}
		delim, err := delimiter(o.Value)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.Name, delim, o.Value, delim)
	}
	return appendFile(path, b.String())
}

func delimiter(value string) (string, error) {
	for {
		buf := make([]byte, 16)
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("make an output delimiter: %w", err)
		}
		d := "secgate_" + hex.EncodeToString(buf)
		if !strings.Contains(value, d) {
			return d, nil
		}
	}
}

// AppendSummary appends markdown to the GITHUB_STEP_SUMMARY file, cut to
// what is left of MaxSummary for the step: a summary over the limit is
// refused by the runner and shows nothing at all.
func AppendSummary(path, markdown string) error {
	if path == "" {
		return errors.New("GITHUB_STEP_SUMMARY is not set")
	}
	used := int64(0)
	if info, err := os.Stat(path); err == nil {
		used = info.Size()
	}
	room := MaxSummary - used
	if room <= 0 {
		return fmt.Errorf("the job summary %s is already %d bytes, the limit", path, used)
	}
	if int64(len(markdown)) > room {
		const cut = "\n\n… (cut: the job summary is limited to 1 MiB)\n"
		markdown = validUTF8Prefix(markdown, int(room)-len(cut)) + cut
	}
	return appendFile(path, markdown)
}

// validUTF8Prefix cuts s to at most n bytes without splitting a character.
func validUTF8Prefix(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	// The runner shows these files to anyone who can read the run, so they
	// pass the redactor like every other output.
	if _, err := io.WriteString(f, redact.Values(text)); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
