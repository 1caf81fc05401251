package extract

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

// TestStreamStrayEndTags: under 500 open elements, a megabyte of end tags
// of elements that are not open costs the streamer about what it costs the
// parser, which answers such questions with an index: the streamer knows
// which tags are open (openTags) instead of walking the stack for each.
// Before, </h1> cost it 25 times the parse.
func TestStreamStrayEndTags(t *testing.T) {
	if testing.Short() {
		t.Skip("a timing test")
	}
	rules := mustRules(t, "x=span.last", "links[]=a@href")
	u := mustURL(t, "https://stray.example/")
	for _, stray := range []string{"</h1>", "</li>", "</x>", "</div>", "</dd>", "</form>"} {
		page := []byte("<body>" + strings.Repeat("<span>", 500) + `<span class="last">end</span>` +
			strings.Repeat(stray, (1<<20)/len(stray)))
		best := func(f func()) time.Duration {
			d := time.Duration(1<<63 - 1)
			for range 3 {
				start := cpuTime()
				f()
				d = min(d, cpuTime()-start)
			}
			return d
		}
		var why string
		var res Result
		ds := best(func() { res, _, _, why = runStream(page, u, rules, nil, "", true) })
		dp := best(func() {
			if _, err := htmlparse.Parse(bytes.NewReader(page)); err != nil {
				t.Fatal(err)
			}
		})
		if why != "" || res.Values[0].Str == nil || *res.Values[0].Str != "end" {
			t.Fatalf("%s: gave up (%q) or wrong value %v", stray, why, res.Values[0])
		}
		if ds > 4*dp+20*time.Millisecond {
			t.Errorf("%s × %d under 500 spans: the streamer took %v, the parse %v", stray, (1<<20)/len(stray), ds, dp)
		}
		t.Logf("%s: stream %v, parse %v", stray, ds, dp)
	}
}
