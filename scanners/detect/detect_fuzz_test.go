package detect

import (
	"errors"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// FuzzDetect feeds Detect mutations of every kind of real report it knows. It
// names exactly one format, with evidence, or returns an *UnknownError or an
// *AmbiguousError; never a guess.
func FuzzDetect(f *testing.F) {
	testenv.AddSeeds(f, "fixtures:*/*/*")

	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > testenv.MaxFuzzInput {
			return
		}
		m, err := Detect(data)
		if err != nil {
			var unknown *UnknownError
			var ambiguous *AmbiguousError
			if !errors.As(err, &unknown) && !errors.As(err, &ambiguous) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if m != (Match{}) {
				t.Fatalf("match %+v returned with error %v", m, err)
			}
			return
		}
		if m.Format == "" || m.Evidence == "" {
			t.Fatalf("match without format or evidence: %+v", m)
		}
	})
}
