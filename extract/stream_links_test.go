package extract

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/trawl-dev/trawl/output"
)

// TestStreamLinks checks the links extractor's value as the streamer
// gives it (or why it gives the page up), and holds it to the tree's.
func TestStreamLinks(t *testing.T) {
	u := mustURL(t, "https://h.example/d/p")
	for _, tc := range []struct {
		name, page string
		want       string // the value, or why the streamer gives up
	}{
		{"plain", `<a href=/x rel=next>X</a>`, `[{"url":"https://h.example/x","text":"X","rel":"next"}]`},
		{"none", `<p>no links<a name=x>x</a>`, `[]`},
		{"base after the link", `<a href=y>y</a><base href=/b/>`, `[{"url":"https://h.example/b/y","text":"y","rel":null}]`},
		{"no, empty href; empty rel", `<a>n</a><a href="">e</a><a href=z rel>z</a>`,
			`[{"url":"https://h.example/d/p","text":"e","rel":null},{"url":"https://h.example/d/z","text":"z","rel":""}]`},
		{"text", "<a href=/t> a <b>b</b>\n<script>s</script><style>t</style><noscript>n</noscript><i> c </i></a>",
			`[{"url":"https://h.example/t","text":"a b c","rel":null}]`},
		{"svg a", `<svg><a href=/s><text>s</text></a></svg><a href=/h>h</a>`, `[{"url":"https://h.example/h","text":"h","rel":null}]`},
		{"svg a in a link", `<a href=/o>o<svg><a href=/s>s</a></svg>t</a>`, `[{"url":"https://h.example/o","text":"ost","rel":null}]`},
		{"not absolute", `<a href="http://[::1">x</a><a href=mailto:m@x.example>m</a>`,
			`[{"url":"mailto:m@x.example","text":"m","rel":null}]`},
		{"implied end tags", `<p><a href=/a>a</a>b<p><a href=/c>c`,
			`[{"url":"https://h.example/a","text":"a","rel":null},{"url":"https://h.example/c","text":"c","rel":null}]`},
		{"text after body", `<body><a href=/a>a</body>b`, `[{"url":"https://h.example/a","text":"ab","rel":null}]`},
		{"attributes as written", `<a href="/q?a=1&amp;b=2" rel="nofollow  ugc" rel=x href=/no>"q"</a>`,
			`[{"url":"https://h.example/q?a=1&b=2","text":"\"q\"","rel":"nofollow  ugc"}]`},
		{"pre", "<a href=/p><pre>\nx\ny</pre></a>", `[{"url":"https://h.example/p","text":"x y","rel":null}]`},
		{"a in select", `<select><a href=/s>s</a></select>`, `[]`},
		{"link in a table in a link", `<a href=/o>o<table><tr><td><a href=/i>i</a></td></tr></table></a>`, "misnested </a>"},
		{"not UTF-8", "<a href=/x>\xff</a>", "not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, linked, why := runStream([]byte(tc.page), u, nil, nil, streamAgent, true)
			got := why
			if why == "" {
				got = string(linked)
				checkStream(t, []byte(tc.page), u, nil, nil)
			}
			if got != tc.want {
				t.Errorf("%q:\n got %s\nwant %s", tc.page, got, tc.want)
			}
		})
	}
}

// TestExtractorLinksStreams checks that --extract links, alone and with
// --select, --follow and a head extractor, takes the streaming path on an
// ordinary page (no tree built), and that microdata, text and markdown
// still take the tree.
func TestExtractorLinksStreams(t *testing.T) {
	u := mustURL(t, "https://h.example/d/p")
	page := []byte(`<!DOCTYPE html><title>T</title><base href="/b/"><meta property="og:title" content="O">` +
		`<p>See <a href="x" rel="">the <b>x</b> page<script>no</script></a>, <a href="#f">f</a> <a>none</a>` +
		`<svg><a href="/svg"><text>s</text></a></svg>`)
	want := `[{"url":"https://h.example/b/x","text":"the x page","rel":""},{"url":"https://h.example/b/#f","text":"f","rel":null}]`
	for _, cfg := range []Config{
		{Extract: []string{"links"}},
		{Extract: []string{"opengraph", "links"}, Rules: mustRules(t, "p=p")},
		{Extract: []string{"links", "jsonld"}, Follow: mustFollow(t)},
	} {
		x := NewExtractor(cfg)
		if !x.streams || x.tokensOnly() {
			t.Fatalf("%v: streams %v, tokens only %v; want the streaming path", cfg.Extract, x.streams, x.tokensOnly())
		}
		// Extract takes fromStream first: it must not give the page up.
		var rec output.Record
		if !x.fromStream(page, u, http.Header{}, &rec) {
			t.Fatalf("%v: the streamer gave the page up", cfg.Extract)
		}
		got := ""
		for _, e := range rec.Extracted {
			if e.Name == "links" {
				got = string(e.JSON)
			}
		}
		if got != want {
			t.Errorf("%v: links %s, want %s", cfg.Extract, got, want)
		}
		var viaExtract output.Record
		x.Extract(page, u, http.Header{}, &viaExtract)
		if !reflect.DeepEqual(viaExtract, rec) {
			t.Errorf("%v: Extract %+v, want the stream's %+v", cfg.Extract, viaExtract, rec)
		}
	}
	for _, names := range [][]string{{"links", "text"}, {"microdata", "links"}, {"markdown", "links", "jsonld"}} {
		if x := NewExtractor(Config{Extract: names}); x.streams || x.tokensOnly() {
			t.Errorf("%v: streams %v, tokens only %v; want the tree", names, x.streams, x.tokensOnly())
		}
	}
}
