package scan

import (
	"testing"

	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/scanners"
)

func TestReleaseFindingsKeepsTheCount(t *testing.T) {
	o := Outcome{State: StateOK, Result: &scanners.Result{
		Findings: make([]finding.Finding, 3)}}
	if got := o.FindingCount(); got != 3 {
		t.Fatalf("count before release: got %d, want 3", got)
	}

	copied := o
	o.ReleaseFindings()
	o.ReleaseFindings() // a second release keeps the count
	if o.Result.Findings != nil {
		t.Errorf("findings still held: %d", len(o.Result.Findings))
	}
	if got := o.FindingCount(); got != 3 {
		t.Errorf("count after release: got %d, want 3", got)
	}
	if got := copied.FindingCount(); got != 3 {
		t.Errorf("count of a copy made before the release: got %d, want 3", got)
	}

	failed := Outcome{State: StateFailed}
	failed.ReleaseFindings()
	if got := failed.FindingCount(); got != 0 {
		t.Errorf("count of a failed scanner: got %d, want 0", got)
	}
}
