package sbom

import (
	"errors"
	"strings"
)

// licenseExpr is a parsed SPDX licence expression: a leaf (one licence id, with
// an optional WITH exception) or an AND / OR of sub-expressions.
type licenseExpr struct {
	op        string // "AND", "OR", or "" for a leaf
	id        string // leaf only, as written ("GPL-2.0+" keeps its plus)
	exception string // leaf only, the WITH exception
	kids      []*licenseExpr
}

// parseLicense parses an SPDX expression ("MIT OR (Apache-2.0 AND BSD-3-Clause)").
// Operators are read in any case. Text that is not an expression, such as a
// free-text name ("BSD License", "Apache License, Version 2.0"), becomes a
// single leaf holding the whole text, so that it is still compared as a name.
func parseLicense(text string) *licenseExpr {
	text = strings.TrimSpace(text)
	p := &exprParser{tokens: tokenize(text)}
	e, err := p.parseOr()
	if err != nil || p.pos != len(p.tokens) {
		return &licenseExpr{id: text}
	}
	return e
}

func tokenize(s string) []string {
	s = strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)
	return strings.Fields(s)
}

type exprParser struct {
	tokens []string
	pos    int
}

var errBadExpression = errors.New("not an SPDX licence expression")

func (p *exprParser) peek() string {
	if p.pos < len(p.tokens) {
		return p.tokens[p.pos]
	}
	return ""
}

func (p *exprParser) isOp(word string) bool { return strings.EqualFold(p.peek(), word) }

// parseOr and parseAnd give AND a tighter binding than OR, as the SPDX
// specification does: "A OR B AND C" is "A OR (B AND C)".
func (p *exprParser) parseOr() (*licenseExpr, error) {
	return p.parseList("OR", p.parseAnd)
}

func (p *exprParser) parseAnd() (*licenseExpr, error) {
	return p.parseList("AND", p.parseWith)
}

func (p *exprParser) parseList(op string, next func() (*licenseExpr, error)) (*licenseExpr, error) {
	first, err := next()
	if err != nil {
		return nil, err
	}
	kids := []*licenseExpr{first}
	for p.isOp(op) {
		p.pos++
		kid, err := next()
		if err != nil {
			return nil, err
		}
		kids = append(kids, kid)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &licenseExpr{op: op, kids: kids}, nil
}

func (p *exprParser) parseWith() (*licenseExpr, error) {
	e, err := p.parseAtom()
	if err != nil || !p.isOp("WITH") {
		return e, err
	}
	if e.op != "" {
		return nil, errBadExpression
	}
	p.pos++
	exc := p.peek()
	if exc == "" || isReserved(exc) {
		return nil, errBadExpression
	}
	p.pos++
	e.exception = exc
	return e, nil
}

func (p *exprParser) parseAtom() (*licenseExpr, error) {
	tok := p.peek()
	switch {
	case tok == "(":
		p.pos++
		e, err := p.parseOr()
		if err != nil || p.peek() != ")" {
			return nil, errBadExpression
		}
		p.pos++
		return e, nil
	case tok == "" || isReserved(tok):
		return nil, errBadExpression
	}
	p.pos++
	return &licenseExpr{id: tok}, nil
}

func isReserved(tok string) bool {
	switch strings.ToUpper(tok) {
	case "AND", "OR", "WITH", "(", ")":
		return true
	}
	return false
}

// licenseSet is a list of SPDX ids (or "id WITH exception" entries), compared
// case-insensitively as SPDX requires.
type licenseSet map[string]bool

func newLicenseSet(ids []string) licenseSet {
	set := licenseSet{}
	for _, id := range ids {
		set[canonical(id)] = true
	}
	return set
}

// canonical folds case and white space: "gpl-2.0-only  with Classpath-exception-2.0"
// and "GPL-2.0-only WITH Classpath-exception-2.0" are the same entry.
func canonical(id string) string {
	return strings.ToLower(strings.Join(strings.Fields(id), " "))
}

// has reports whether a leaf is in the set. A leaf with an exception matches an
// entry for the whole "id WITH exception" or for its id alone: an exception
// only adds permissions, so the base licence is what a list is about.
func (s licenseSet) has(leaf *licenseExpr) bool {
	if leaf.exception != "" && s[canonical(leaf.id+" WITH "+leaf.exception)] {
		return true
	}
	return s[canonical(leaf.id)]
}

// denied reports whether every way of satisfying e uses a licence in s: an OR
// is denied only when all its alternatives are, an AND when any part is.
func (e *licenseExpr) denied(s licenseSet) bool {
	switch e.op {
	case "OR":
		for _, k := range e.kids {
			if !k.denied(s) {
				return false
			}
		}
		return true
	case "AND":
		for _, k := range e.kids {
			if k.denied(s) {
				return true
			}
		}
		return false
	}
	return s.has(e)
}

// allowed reports whether e can be satisfied with licences in s alone: an OR
// needs one allowed alternative, an AND needs every part allowed.
func (e *licenseExpr) allowed(s licenseSet) bool {
	switch e.op {
	case "OR":
		for _, k := range e.kids {
			if k.allowed(s) {
				return true
			}
		}
		return false
	case "AND":
		for _, k := range e.kids {
			if !k.allowed(s) {
				return false
			}
		}
		return true
	}
	return s.has(e)
}

// leaves lists the leaves of e, as written, that in(leaf) selects.
func (e *licenseExpr) leaves(in func(*licenseExpr) bool) []string {
	if e.op == "" {
		if !in(e) {
			return nil
		}
		if e.exception != "" {
			return []string{e.id + " WITH " + e.exception}
		}
		return []string{e.id}
	}
	var out []string
	for _, k := range e.kids {
		for _, l := range k.leaves(in) {
			out = appendUnique(out, l)
		}
	}
	return out
}
