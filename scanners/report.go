package scanners

// ReportReader is implemented by an adapter that reads a scanner's `report:`
// setting itself, because for it a report means more than "the tool's output,
// read instead of running the tool": the sbom scanner still writes its SBOM
// and imports only the vulnerability matcher's report, and the zap scanner
// applies its rules file to the alerts it imports.
//
// For every other adapter, the registry reads the report with its format's
// parser (see registry.Lookup) and the adapter's Run is not called.
type ReportReader interface {
	ReadsReport() bool
}
