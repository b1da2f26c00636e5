package snyk

import (
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners/scannertest"
)

// FuzzParseJSON feeds ParseJSON mutations of real Snyk Open Source, Container
// and IaC JSON reports (objects and --all-projects arrays).
func FuzzParseJSON(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:snyk/json/*.json", "fixtures:snyk-container/json/*.json",
		"fixtures:snyk-iac/json/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		scannertest.CheckParse(t, ParseJSON, data, "fuzz/snyk.json")
	})
}

// FuzzParseSARIF feeds ParseSARIF mutations of real Snyk SARIF logs.
func FuzzParseSARIF(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:snyk/sarif/*.sarif", "fixtures:snyk-container/sarif/*.sarif",
		"fixtures:snyk-iac/sarif/*.sarif")
	f.Fuzz(func(t *testing.T, data []byte) {
		scannertest.CheckParse(t, ParseSARIF, data, "fuzz/snyk.sarif")
	})
}

// FuzzParseCodeSARIF feeds ParseCodeSARIF mutations of real Snyk Code logs.
func FuzzParseCodeSARIF(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:snyk-code/sarif/*.sarif")
	f.Fuzz(func(t *testing.T, data []byte) {
		scannertest.CheckParse(t, ParseCodeSARIF, data, "fuzz/snyk-code.sarif")
	})
}
