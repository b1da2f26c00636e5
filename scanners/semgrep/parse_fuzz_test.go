package semgrep

import (
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners/scannertest"
)

// FuzzParseJSON feeds ParseJSON mutations of real Semgrep JSON reports.
func FuzzParseJSON(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:semgrep/json/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		scannertest.CheckParse(t, ParseJSON, data, "fuzz/semgrep.json")
	})
}

// FuzzParseSARIF feeds ParseSARIF mutations of real Semgrep SARIF logs.
func FuzzParseSARIF(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:semgrep/sarif/*.sarif")
	f.Fuzz(func(t *testing.T, data []byte) {
		scannertest.CheckParse(t, ParseSARIF, data, "fuzz/semgrep.sarif")
	})
}
