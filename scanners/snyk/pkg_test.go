package snyk

import (
	"strings"
	"testing"
)

func TestPackageURL(t *testing.T) {
	tests := []struct {
		typ, name, version, want string
	}{
		{"npm", "lodash", "4.17.20", "pkg:npm/lodash@4.17.20"},
		{"npm", "@babel/core", "7.0.0", "pkg:npm/%40babel/core@7.0.0"},
		{"maven", "org.apache.struts:struts2-core", "2.3.20",
			"pkg:maven/org.apache.struts/struts2-core@2.3.20"},
		{"pypi", "Django_Extensions", "1.0", "pkg:pypi/django-extensions@1.0"},
		{"golang", "golang.org/x/crypto/ssh", "0.0.0-2020", "pkg:golang/golang.org/x/crypto/ssh@0.0.0-2020"},
		{"gem", "rack", "2.0.1", "pkg:gem/rack@2.0.1"},
		{"maven", "g:a", "1.0 beta", "pkg:maven/g/a@1.0%20beta"},
		// An OS package's purl needs its distribution, which the report lacks.
		{"deb", "zlib", "1:1.2.11", ""},
		// Snyk writes a Go module it cannot version as a commit.
		{"golang", "golang.org/x/crypto/ssh", "#c2843e01d9a2", ""},
		{"", "x", "1.0", ""},
		{"npm", "x", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.name+"@"+tt.version, func(t *testing.T) {
			if got := packageURL(tt.typ, tt.name, tt.version); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEcosystem(t *testing.T) {
	tests := []struct {
		vuln, project, want string
	}{
		{"", "yarn", "npm"},
		{"npm", "yarn", "npm"},
		{"", "gradle", "maven"},
		{"", "poetry", "pypi"},
		{"debian:10", "deb", "deb"},
		{"alpine:3.12", "apk", "apk"},
		{"", "gomodules", "golang"},
		{"", "hypothetical", "hypothetical"},
	}
	for _, tt := range tests {
		t.Run(tt.vuln+"/"+tt.project, func(t *testing.T) {
			v := &vulnJSON{PackageManager: text(tt.vuln)}
			p := &projectJSON{PackageManager: text(tt.project)}
			if got := ecosystem(v, p); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNearestFix(t *testing.T) {
	tests := []struct {
		name      string
		installed string
		fixes     []string
		want      string
	}{
		{"lowest above", "1.6.1", []string{"1.4.11", "1.5.6", "1.6.3", "1.7.1"}, "1.6.3"},
		{"branches out of order", "1.1.2", []string{"2.2.1", "3.0.1", "4.0.3", "1.2.3"}, "1.2.3"},
		{"none above", "9.0.0", []string{"1.0.0", "2.0.0"}, "1.0.0"},
		{"installed not a version", "#c2843e", []string{"0.0.1", "0.0.2"}, "0.0.1"},
		{"a fix not a version", "1.0.0", []string{"2.0.0", "next"}, "2.0.0"},
		{"no fix", "1.0.0", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearestFix(tt.installed, tt.fixes); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCWEIDs(t *testing.T) {
	got := strings.Join(cweIDs([]string{"CWE-079", "cwe-79", "CWE-400", " ", "CWE-"}), ",")
	if got != "CWE-79,CWE-400" {
		t.Errorf("got %q, want CWE-79,CWE-400", got)
	}
}

func TestSeverityWords(t *testing.T) {
	tests := []struct {
		word, want, wantWord string
	}{
		{"critical", "critical", "critical"},
		{"High", "high", "high"},
		{" medium ", "medium", "medium"},
		{"low", "low", "low"},
		// A word Snyk has not used is medium, never below a medium gate.
		{"severe", "medium", "severe"},
		{"", "medium", ""},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			sev, word := severity(tt.word)
			if sev.String() != tt.want || word != tt.wantWord {
				t.Errorf("got %s (%q), want %s (%q)", sev, word, tt.want, tt.wantWord)
			}
		})
	}
}
