package htmlparse

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"
)

// FuzzParseSame wants Parse's tree to be html.Parse's on every input whose
// html.Parse tree is less than MaxDepth deep, and Parse to return on every
// input. The seeds are in testdata/fuzz/FuzzParseSame.
func FuzzParseSame(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		ours, dropped, err := parse(bytes.NewReader(src))
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
			t.Fatalf("trees differ (%d dropped) at %s", dropped, firstDiff(got, want))
		}
	})
}
