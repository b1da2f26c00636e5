// Package redact is the one place where secgate removes secrets from text it
// writes: the values of tokens and of variables the config marks secret, the
// values detected secret findings quote, and credentials recognised by their
// shape. Every stream and file secgate writes goes through it (see Writer),
// and every renderer of finding text calls Text or Message.
package redact

import (
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/finding"
)

// Redacted replaces a secret wherever secgate shows text.
const Redacted = "[redacted]"

// tokenPatterns match credentials by their documented shapes. They are
// replaced whole wherever they appear, in any finding.
var tokenPatterns = []*regexp.Regexp{
	regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?` +
		`(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)`),
	regexp.MustCompile(`\b(AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b`),
	regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{30,}\b`),
	regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{20,}\b`),
	regexp.MustCompile(`\bglpat-[A-Za-z0-9_\-]{20,}`),
	regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9\-]{10,}`),
	regexp.MustCompile(`\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]{10,}\b`),
	regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`),
	regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`),
	regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}`),
}

// assignment matches "password = value" and the like; the value goes.
var assignment = regexp.MustCompile(
	`(?i)\b([a-z0-9_\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|` +
		`private[_\-]?key|credential|auth)[a-z0-9_\-]*)(["']?\s*[:=]\s*["']?)([^\s"',;]{4,})`)

// urlCredentials matches the password of scheme://user:password@host.
var urlCredentials = regexp.MustCompile(`(://[^/\s:@]+:)([^/\s@]+)(@)`)

// longToken is a candidate for the entropy test: long runs of characters
// that keys and tokens are made of.
var longToken = regexp.MustCompile(`[A-Za-z0-9+/_\-]{32,}={0,2}`)

// hexOnly runs are left alone by the entropy test: commit ids and digests
// look random but are not secrets, and secgate's own messages carry them.
var hexOnly = regexp.MustCompile(`^[0-9a-fA-F]+$`)

// Text removes credentials from finding text: the registered values (see
// Register), known token formats, the values of password- and key-like
// assignments, passwords in URLs, and long random looking strings. It is
// for text shown to people (messages, comments); whole reports go through
// Values, since shape-based redaction would damage digests and identifiers.
func Text(s string) string {
	s = Values(s)
	for _, p := range tokenPatterns {
		s = p.ReplaceAllString(s, Redacted)
	}
	s = assignment.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = urlCredentials.ReplaceAllString(s, "${1}"+Redacted+"${3}")
	return longToken.ReplaceAllStringFunc(s, func(t string) string {
		if hexOnly.MatchString(t) || entropy(t) < 4.0 || strings.Count(t, "/") > 2 {
			return t
		}
		return Redacted
	})
}

// secretTools are scanners whose every finding is a detected secret.
var secretTools = []string{"gitleaks", "trufflehog", "detect-secrets", "ggshield"}

// secretCWEs are the weaknesses whose findings point at a credential.
var secretCWEs = []string{"CWE-798", "CWE-259", "CWE-321", "CWE-522", "CWE-540"}

// IsSecret reports whether a finding is about a detected secret, whose text
// may quote it: a secret scanner's finding, a rule named or tagged as about
// secrets, or a hard-coded credential CWE. It errs towards yes.
func IsSecret(f *finding.Finding) bool {
	for _, tool := range append([]string{f.Tool}, f.Tools...) {
		if slices.Contains(secretTools, strings.ToLower(tool)) {
			return true
		}
	}
	if strings.Contains(strings.ToLower(f.Rule.ID), "secret") {
		return true
	}
	for _, t := range f.Rule.Tags {
		if strings.Contains(strings.ToLower(t), "secret") {
			return true
		}
	}
	for _, c := range f.Rule.CWE {
		if slices.Contains(secretCWEs, strings.ToUpper(c)) {
			return true
		}
	}
	return false
}

// secretish is what a value quoted by a secret finding may look like.
var secretish = regexp.MustCompile(`[A-Za-z0-9+/_\-.=]{8,}`)

// Message returns the text to show for a finding's message. For a secret
// finding every run of eight or more token characters that mixes letters and
// digits is removed too, since the message may quote the secret itself.
func Message(f *finding.Finding) string {
	msg := Text(f.Message)
	if !IsSecret(f) {
		return msg
	}
	return Quoted(msg)
}

// Quoted removes from s, besides what Text removes, every run of eight or
// more token characters that mixes letters and digits: the text of a secret
// finding (its message, a rule description built from the message) may
// quote the secret in a shape no pattern knows.
func Quoted(s string) string {
	return secretish.ReplaceAllStringFunc(Text(s), func(t string) string {
		if strings.ContainsAny(t, "0123456789") && strings.IndexFunc(t, isLetter) >= 0 {
			return Redacted
		}
		return t
	})
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	for _, r := range s {
		counts[r]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}
