package htmlparse

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// parseCPU returns the least CPU time of runs parses of src, with the
// tests' stack checks off.
func parseCPU(t *testing.T, src []byte, runs int) time.Duration {
	t.Helper()
	debugStack = false
	defer func() { debugStack = true }()
	best := time.Duration(1<<63 - 1)
	for i := 0; i < runs; i++ {
		runtime.GC()
		start := cpuTime()
		if _, err := Parse(bytes.NewReader(src)); err != nil {
			t.Fatal(err)
		}
		best = min(best, cpuTime()-start)
	}
	return best
}

// TestDeepLinear: twice the nesting costs about twice the time (html.Parse
// takes four times as long: 4.3 s for 20,000 levels, 7 min for 100,000).
// CPU time, the least of three runs, keeps the ratio steady on a busy
// machine; a quadratic parse would give 4.
func TestDeepLinear(t *testing.T) {
	t100 := parseCPU(t, []byte(strings.Repeat("<div>", 100_000)), 3)
	t200 := parseCPU(t, []byte(strings.Repeat("<div>", 200_000)), 3)
	t.Logf("100k levels: %v, 200k levels: %v", t100, t200)
	if r := float64(t200) / float64(t100); r > 3 {
		t.Errorf("200k levels took %.1f times as long as 100k", r)
	}
	if t100 > 5*time.Second {
		t.Errorf("100k levels took %v of CPU", t100)
	}
}

// TestShapes: every hostile shape parses in well under a second of CPU per
// MiB (SPEC, "Bounds"), and four times the page costs less than eight times
// the time (a quadratic parse would take sixteen). The pages are large
// enough not to fit in a cache, which flatters a small one.
func TestShapes(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a timing test; TestDeepLinear covers the main case")
	}
	for _, s := range shapes {
		small, src := s.buildSize(256<<10), s.buildSize(1<<20)
		ts, tl := parseCPU(t, small, 1), parseCPU(t, src, 1)
		if float64(tl)/float64(ts) > 8 || tl > time.Second/2 {
			// Measure again, the best of three, in case the machine was
			// busy.
			ts, tl = parseCPU(t, small, 3), parseCPU(t, src, 3)
		}
		large := tl
		if r := float64(tl) / float64(ts); r > 8 {
			t.Errorf("%s: 1 MiB took %v, %.1f times 256 KiB's %v", s.name, tl, r, ts)
		}
		if large > time.Second/2 {
			t.Errorf("%s: %v of CPU for %d bytes", s.name, large, len(src))
		}
	}
	src := []byte("<div a='" + strings.Repeat("x", 10<<20) + "'>")
	if d := parseCPU(t, src, 1); d > time.Second {
		t.Errorf("a 10 MiB attribute: %v of CPU", d)
	}
}
