package exitcode

import (
	"errors"
	"fmt"
	"testing"
)

func TestCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil passes", nil, Passed},
		{"blocked", &BlockedError{Summary: "BLOCKED"}, Blocked},
		{"wrapped blocked", fmt.Errorf("scan: %w", &BlockedError{}), Blocked},
		{"undecided", Undecide(errors.New("bad config")), Undecided},
		{"unknown error fails closed", errors.New("boom"), Undecided},
		{"silent keeps its code", &SilentError{Code: Blocked}, Blocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.err); got != tt.want {
				t.Errorf("Code(%v): got %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestUndecideNil(t *testing.T) {
	if err := Undecide(nil); err != nil {
		t.Errorf("Undecide(nil): got %v, want nil", err)
	}
}
