package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/policy"
)

// junitDoc reads JUnit XML back in the shape Jenkins' junit step reads it.
type junitDoc struct {
	counts
	Suites []struct {
		Name string `xml:"name,attr"`
		counts
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error   *struct{} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// counts are the attributes every level of a JUnit file carries.
type counts struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
}

func renderJUnit(t *testing.T, d *Data) junitDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := (JUnit{}).Render(&buf, d); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration:\n%s", buf.String())
	}
	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not valid XML: %v\n%s", err, buf.String())
	}
	return doc
}

func TestJUnit(t *testing.T) {
	d := sampleData()
	// A second finding of the same rule at the same place is the same case.
	twin := sqliFinding
	twin.Location.StartColumn = 20
	twin.Message = "second match <on> the line & more"
	d.Decision.Findings = append(d.Decision.Findings, policy.Evaluated{Finding: twin,
		Outcome: policy.OutcomeFail, Reason: "high is at or above fail_on"})

	doc := renderJUnit(t, d)

	type suiteWant struct {
		name                             string
		tests, failures, errors, skipped int
		caseName                         string
	}
	want := []suiteWant{
		{"semgrep", 1, 1, 0, 0, "src/db.py:12"},
		{"secrets", 1, 0, 0, 0, "no blocking findings"},
		{"sbom", 1, 0, 0, 0, "no blocking findings"},
		{"bandit", 1, 0, 0, 0, "no blocking findings"},
		{"trivy", 1, 0, 1, 0, "scanner ran"},
		{"secgate", 1, 1, 0, 0, "verdict"},
	}
	if len(doc.Suites) != len(want) {
		t.Fatalf("suites: got %d, want %d", len(doc.Suites), len(want))
	}
	for i, w := range want {
		s := doc.Suites[i]
		if s.Name != w.name || s.Tests != w.tests || s.Failures != w.failures ||
			s.Errors != w.errors || s.Skipped != w.skipped || s.Cases[0].Name != w.caseName {
			t.Errorf("suite %d: got %s %d/%d/%d/%d %q, want %+v", i, s.Name, s.Tests, s.Failures,
				s.Errors, s.Skipped, s.Cases[0].Name, w)
		}
	}
	if doc.Tests != 6 || doc.Failures != 2 || doc.Errors != 1 {
		t.Errorf("totals: got %d tests, %d failures, %d errors, want 6, 2, 1",
			doc.Tests, doc.Failures, doc.Errors)
	}

	fail := doc.Suites[0].Cases[0].Failure
	if fail.Message != "high python.lang.security.audit.formatted-sql-query: "+
		"SQL query built with string formatting" {
		t.Errorf("failure message: got %q", fail.Message)
	}
	for _, want := range []string{"location: src/db.py:12", "second match <on> the line & more",
		"fingerprint: fp-sqli", "why it blocks: high is at or above fail_on"} {
		if !strings.Contains(fail.Text, want) {
			t.Errorf("failure text lacks %q:\n%s", want, fail.Text)
		}
	}
}

func TestJUnitVerdicts(t *testing.T) {
	tests := []struct {
		status           policy.Status
		failures, errors int
	}{
		{policy.StatusPassed, 0, 0},
		{policy.StatusBlocked, 1, 0},
		{policy.StatusError, 0, 1},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			d := emptyData()
			d.Decision.Status = tt.status
			d.Decision.Reasons = []string{"1 high finding exceeds the budget of 0 (max.high)"}
			doc := renderJUnit(t, d)
			if doc.Failures != tt.failures || doc.Errors != tt.errors || doc.Tests != 1 {
				t.Errorf("got %d tests, %d failures, %d errors, want 1, %d, %d",
					doc.Tests, doc.Failures, doc.Errors, tt.failures, tt.errors)
			}
		})
	}
}

func TestJUnitControlCharacters(t *testing.T) {
	// Text XML 1.0 cannot hold must not make the file unreadable.
	d := sampleData()
	d.Decision.Findings[1].Finding.Message = "bad \x00\x1b[31m bytes"
	doc := renderJUnit(t, d)
	if doc.Failures != 2 {
		t.Errorf("failures: got %d, want 2", doc.Failures)
	}
}

func TestJUnitFileReplacesOnlyItsOwn(t *testing.T) {
	dir := t.TempDir()
	own := dir + "/own.xml"
	if err := WriteFile(own, JUnit{}, sampleData(), nil); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(own, JUnit{}, sampleData(), nil); err != nil {
		t.Errorf("rewrite own report: %v", err)
	}
	other := dir + "/other.xml"
	maven := []byte("<testsuites><!-- from maven --></testsuites>")
	if err := os.WriteFile(other, maven, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(other, JUnit{}, sampleData(), nil); err == nil {
		t.Errorf("overwrote another tool's JUnit file")
	}
}
