package site

import (
	"bytes"
	"testing"
)

// The site's pages are a function of i and the size.
func TestPagesAreDeterministic(t *testing.T) {
	for _, size := range []int{0, 2048, 16384} {
		for _, i := range []int{0, 7, 12345} {
			a := AppendBenchPage(nil, i, size)
			b := AppendBenchPage(nil, i, size)
			if !bytes.Equal(a, b) {
				t.Fatalf("page %d size %d differs between two calls", i, size)
			}
			if BenchPageLen(i, size) != len(a) {
				t.Fatalf("BenchPageLen(%d, %d) = %d, want %d", i, size, BenchPageLen(i, size), len(a))
			}
			if size > 4096 && (len(a) < size || len(a) > size+fillerLen+64) {
				t.Errorf("page %d is %d bytes, want about %d", i, len(a), size)
			}
		}
	}
}
