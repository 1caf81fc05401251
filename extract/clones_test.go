package extract

import (
	"strings"
	"testing"

	"github.com/trawl-dev/trawl/output"
)

// TestClonedLinksBounded: a link the parser reconstructs in paragraph after
// paragraph ("<p><a href=10KB>" then "<p>a" over and over) gives a record
// linear in the page, with --select a@href and with --extract links: the
// parser's budget lets the clones' attributes come to 1 MiB and 16 bytes a
// byte read (internal/htmlparse, cloneCost), where html.Parse's tree holds
// 500 MB of hrefs for this 210 KB page. With a short href every
// paragraph's link is there.
func TestClonedLinksBounded(t *testing.T) {
	const paras = 50000
	rules, err := Compile([]string{"links[]=a@href"})
	if err != nil {
		t.Fatal(err)
	}
	x := NewExtractor(Config{Rules: rules, Extract: []string{"links"}})
	u := mustURL(t, "https://clones.example/")
	for _, c := range []struct {
		href string
		all  bool
	}{{"/short", true}, {"/" + strings.Repeat("x", 10000), false}} {
		page := []byte(`<p><a href="` + c.href + `">` + strings.Repeat("<p>a", paras))
		var rec output.Record
		x.Extract(page, u, nil, &rec)
		if len(rec.Fields) != 1 || len(rec.Extracted) != 1 {
			t.Fatalf("fields %d, extracted %d", len(rec.Fields), len(rec.Extracted))
		}
		links := rec.Fields[0].Value.List
		size := len(rec.Extracted[0].JSON)
		for _, l := range links {
			size += len(l)
		}
		n := strings.Count(string(rec.Extracted[0].JSON), `"url":`)
		switch {
		case n != len(links):
			t.Errorf("href %d bytes: --extract links has %d links, --select %d", len(c.href), n, len(links))
		case c.all && len(links) != paras+1:
			t.Errorf("href %d bytes: %d links, want %d", len(c.href), len(links), paras+1)
		case !c.all && (len(links) < 2 || size > 2*(1<<20+16*len(page))+64*len(links)):
			t.Errorf("href %d bytes: %d links, %d bytes of values for a %d-byte page", len(c.href), len(links), size, len(page))
		}
		t.Logf("href %d bytes: %d links, %d bytes of values for a %d-byte page", len(c.href), len(links), size, len(page))
	}
}
