package extract

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
	"github.com/trawl-dev/trawl/output"
)

// TestBoundsLinear: SPEC's "Bounds": a page costs time linear in its size,
// whatever its shape — deep nesting, a huge attribute — with and without
// --select and --extract, in well under a second of CPU per MiB. Measured
// as a ratio between two sizes (8 times the size may cost at most 24 times
// the CPU), and against a generous absolute bound per MiB, so that a loaded
// machine does not make it flake while a quadratic path still fails.
func TestBoundsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("parses some 20 MB of pathological pages")
	}
	rules, _ := Compile([]string{"x=p.after", "all[]=div@class"})
	extractors := map[string]*Extractor{
		"default":  NewExtractor(Config{}),
		"select":   NewExtractor(Config{Rules: rules}),
		"extract":  NewExtractor(Config{Extract: Extractors()}),
		"crawl":    NewExtractor(Config{Follow: mustFollow(t)}),
		"tokens":   NewExtractor(Config{Extract: []string{"jsonld", "opengraph", "meta"}}),
		"selected": NewExtractor(Config{Rules: rules, Extract: []string{"microdata", "text"}}),
	}
	shapes := map[string]func(n int) []byte{
		"nested div":   func(n int) []byte { return site.Nested("div", n) },
		"nested b":     func(n int) []byte { return site.Nested("b", n) },
		"nested table": func(n int) []byte { return site.Nested("table", n) },
		"nested li":    func(n int) []byte { return site.Nested("li", n) },
		"nested a":     func(n int) []byte { return site.Nested("a", n) },
		"unclosed p":   func(n int) []byte { return []byte(strings.Repeat("<p>x", n)) },
		"attribute":    func(n int) []byte { return site.HugeAttribute(n * 10) },
	}
	u, _ := url.Parse("https://bounds.example/p")
	const small = 12500
	for sname, shape := range shapes {
		a, b := shape(small), shape(8*small)
		for xname, x := range extractors {
			cost := func(body []byte) time.Duration {
				var rec output.Record
				start := cpuTime()
				x.Extract(body, u, http.Header{}, &rec)
				return cpuTime() - start
			}
			cost(a) // warm up
			ca, cb := cost(a), cost(b)
			perMiB := time.Duration(float64(cb) / (float64(len(b)) / (1 << 20)))
			if cb > 24*max(ca, 2*time.Millisecond) || perMiB > time.Duration(raceSlowdown)*time.Second {
				t.Errorf("%s, %s: %d bytes %v, %d bytes %v (%v per MiB): not linear", sname, xname, len(a), ca, len(b), cb, perMiB)
			}
		}
	}
}
