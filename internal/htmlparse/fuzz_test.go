package htmlparse

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"
)

// FuzzParseSame wants Parse's tree to be html.Parse's on every input on
// which Parse reports no departure: no element dropped at MaxDepth, no
// shortfall of the formatting budget. (Inputs whose html.Parse tree is
// deeper than MaxDepth always report one.) And it wants Parse to return on
// every input. The seeds are in testdata/fuzz/FuzzParseSame.
func FuzzParseSame(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		ours, lim, err := parse(bytes.NewReader(src))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if lim.dropped > 0 || lim.limited > 0 {
			// A departure on purpose; html.Parse may take minutes here.
			return
		}
		theirs, err := html.Parse(bytes.NewReader(src))
		if err != nil {
			t.Fatalf("html.Parse: %v", err)
		}
		if got, want := dump(ours), dump(theirs); got != want {
			t.Fatalf("trees differ at %s", firstDiff(got, want))
		}
	})
}
