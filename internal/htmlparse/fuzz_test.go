package htmlparse

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"
)

// FuzzParseSame wants Parse's tree to be html.Parse's on every input whose
// html.Parse tree is less than MaxDepth deep, unless Parse reports that it
// dropped an element or ran out of formatting budget, and Parse to return
// on every input. The seeds are in testdata/fuzz/FuzzParseSame.
func FuzzParseSame(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		ours, lim, err := parse(bytes.NewReader(src))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		theirs, err := html.Parse(bytes.NewReader(src))
		if err != nil {
			t.Fatalf("html.Parse: %v", err)
		}
		if treeDepth(theirs) >= MaxDepth {
			return
		}
		got, want := dump(ours), dump(theirs)
		if got != want {
			if lim.dropped > 0 || lim.limited > 0 {
				// The stack reached MaxDepth though the tree did not (see
				// MaxDepth), or the formatting budget ran out (see spend).
				t.Skipf("trees differ where Parse departs from html.Parse on purpose: %+v", lim)
			}
			t.Fatalf("trees differ at %s", firstDiff(got, want))
		}
	})
}
