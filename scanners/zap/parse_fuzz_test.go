package zap

import (
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
	"github.com/secgate/secgate/scanners/scannertest"
)

// FuzzParseJSON feeds ParseJSON mutations of real ZAP JSON reports.
func FuzzParseJSON(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:zap/json/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		scannertest.CheckParse(t, ParseJSON, data, "fuzz/zap.json")
	})
}

// FuzzParseXML feeds ParseXML mutations of real ZAP XML reports.
func FuzzParseXML(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:zap/xml/*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		scannertest.CheckParse(t, ParseXML, data, "fuzz/zap.xml")
	})
}
