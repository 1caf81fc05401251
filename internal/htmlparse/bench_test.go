package htmlparse

import (
	"bytes"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// benchParse parses src b.N times with parse, reporting bytes a second.
func benchParse(b *testing.B, src []byte, parse func([]byte) error) {
	debugStack = false
	b.Cleanup(func() { debugStack = true })
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if err := parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func ours(src []byte) error {
	_, err := Parse(bytes.NewReader(src))
	return err
}

func theirs(src []byte) error {
	_, err := html.Parse(bytes.NewReader(src))
	return err
}

// BenchmarkDeep parses pages of nested divs, which html.Parse takes time
// quadratic in the depth to parse (4.3 s for 20k levels).
func BenchmarkDeep(b *testing.B) {
	for _, tc := range []struct {
		name   string
		levels int
	}{{"20k", 20_000}, {"100k", 100_000}, {"1M", 1_000_000}} {
		src := []byte(strings.Repeat("<div>", tc.levels))
		b.Run(tc.name, func(b *testing.B) { benchParse(b, src, ours) })
	}
}

// BenchmarkDeepXNet is BenchmarkDeep for html.Parse, at depths it parses
// in seconds.
func BenchmarkDeepXNet(b *testing.B) {
	for _, tc := range []struct {
		name   string
		levels int
	}{{"5k", 5_000}, {"10k", 10_000}, {"20k", 20_000}} {
		src := []byte(strings.Repeat("<div>", tc.levels))
		b.Run(tc.name, func(b *testing.B) { benchParse(b, src, theirs) })
	}
}

// BenchmarkNormalPage compares Parse with html.Parse on the repository's
// 16 KiB and 500 KB benchmark pages.
func BenchmarkNormalPage(b *testing.B) {
	for _, name := range []string{"page16k", "page500k"} {
		src, err := os.ReadFile("../../testdata/html/" + name + ".html")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/htmlparse", func(b *testing.B) { benchParse(b, src, ours) })
		b.Run(name+"/xnet", func(b *testing.B) { benchParse(b, src, theirs) })
	}
}

// BenchmarkShapes parses 1 MiB of each hostile shape.
func BenchmarkShapes(b *testing.B) {
	for _, s := range shapes {
		src := s.buildSize(1 << 20)
		b.Run(s.name, func(b *testing.B) { benchParse(b, src, ours) })
	}
}

// BenchmarkNormalPageRatio parses each page with Parse and html.Parse in
// turn and reports Parse's share of the CPU time as "x-xnet" (1 = as fast).
// Taking turns keeps the ratio steady on a machine shared with other work.
func BenchmarkNormalPageRatio(b *testing.B) {
	for _, name := range []string{"page16k", "page500k"} {
		src, err := os.ReadFile("../../testdata/html/" + name + ".html")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			debugStack = false
			b.Cleanup(func() { debugStack = true })
			var mine, xnet time.Duration
			for b.Loop() {
				t := cpuTime()
				if err := ours(src); err != nil {
					b.Fatal(err)
				}
				t2 := cpuTime()
				if err := theirs(src); err != nil {
					b.Fatal(err)
				}
				mine, xnet = mine+t2-t, xnet+cpuTime()-t2
			}
			b.ReportMetric(float64(mine)/float64(xnet), "x-xnet")
		})
	}
}

// cpuTime returns the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkShapesRatio parses 1 MiB of each hostile shape with Parse, in
// turn with html.Parse on the 500 KB benchmark page, and reports the cost
// of a byte of the shape as a multiple of html.Parse's on the normal page
// ("x-normal").
func BenchmarkShapesRatio(b *testing.B) {
	normal, err := os.ReadFile("../../testdata/html/page500k.html")
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range shapes {
		src := s.buildSize(1 << 20)
		b.Run(s.name, func(b *testing.B) {
			debugStack = false
			b.Cleanup(func() { debugStack = true })
			var mine, xnet time.Duration
			for b.Loop() {
				t := cpuTime()
				if err := ours(src); err != nil {
					b.Fatal(err)
				}
				t2 := cpuTime()
				if err := theirs(normal); err != nil {
					b.Fatal(err)
				}
				mine, xnet = mine+t2-t, xnet+cpuTime()-t2
			}
			perByte := float64(mine) / float64(len(src))
			b.ReportMetric(perByte/(float64(xnet)/float64(len(normal))), "x-normal")
		})
	}
}

// BenchmarkShapesVsXNet parses 1 MiB of each hostile shape that stays
// shallow (where html.Parse takes linear time) with Parse and html.Parse in
// turn, and reports Parse's share of the CPU time as "x-xnet".
func BenchmarkShapesVsXNet(b *testing.B) {
	for _, s := range shapes {
		src := s.buildSize(1 << 20)
		doc, lim, err := parse(bytes.NewReader(src))
		if err != nil {
			b.Fatal(err)
		}
		if lim.dropped > 0 || lim.limited > 0 || treeDepth(doc) > 64 || s.name == "noah-attrs" {
			continue // html.Parse would take minutes, or build far more
		}
		b.Run(s.name, func(b *testing.B) {
			debugStack = false
			b.Cleanup(func() { debugStack = true })
			var mine, xnet time.Duration
			for b.Loop() {
				t := cpuTime()
				if err := ours(src); err != nil {
					b.Fatal(err)
				}
				t2 := cpuTime()
				if err := theirs(src); err != nil {
					b.Fatal(err)
				}
				mine, xnet = mine+t2-t, xnet+cpuTime()-t2
			}
			b.ReportMetric(float64(mine)/float64(xnet), "x-xnet")
		})
	}
}
