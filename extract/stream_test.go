package extract

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/trawl-dev/trawl/internal/htmlparse"
	"github.com/trawl-dev/trawl/output"
)

// streamAgent is the robots agent token the differential tests use.
const streamAgent = "trawl"

// treeRun is the reference: the page parsed, rules.node on the tree,
// followTree for the links to follow and appendLinks for the links
// extractor's value.
func treeRun(body []byte, pageURL *url.URL, rules Rules, follow []FollowRule) (Result, []string, []byte) {
	root, _ := htmlparse.Parse(bytes.NewReader(body))
	res := rules.node(root, pageURL, streamAgent)
	var links []string
	if len(follow) > 0 {
		links = followTree(root, res.Base, follow)
	}
	return res, links, appendLinks(nil, root, res.Base)
}

// diffResults describes how two results differ, "" when they do not:
// links are the links to follow, linked the links extractor's values (nil
// when it did not run).
func diffResults(got, want Result, gotLinks, wantLinks []string, gotLinked, wantLinked []byte) string {
	var d []string
	if !same(got.Title, want.Title) {
		d = append(d, fmt.Sprintf("title %q, want %q", str(got.Title), str(want.Title)))
	}
	if !same(got.Description, want.Description) {
		d = append(d, fmt.Sprintf("description %q, want %q", str(got.Description), str(want.Description)))
	}
	if fmt.Sprint(got.Base) != fmt.Sprint(want.Base) {
		d = append(d, fmt.Sprintf("base %v, want %v", got.Base, want.Base))
	}
	if !slices.Equal(got.Robots, want.Robots) {
		d = append(d, fmt.Sprintf("robots %q, want %q", got.Robots, want.Robots))
	}
	if len(got.Values) != len(want.Values) {
		d = append(d, fmt.Sprintf("%d values, want %d", len(got.Values), len(want.Values)))
	} else {
		for i := range got.Values {
			if g, w := showValue(got.Values[i]), showValue(want.Values[i]); g != w {
				d = append(d, fmt.Sprintf("value %d: %s, want %s", i, g, w))
			}
		}
	}
	if !slices.Equal(gotLinks, wantLinks) {
		d = append(d, fmt.Sprintf("links %q, want %q", gotLinks, wantLinks))
	}
	if !bytes.Equal(gotLinked, wantLinked) {
		d = append(d, fmt.Sprintf("--extract links %s, want %s", gotLinked, wantLinked))
	}
	return strings.Join(d, "; ")
}

// showValue writes a value so that null, "" and [] differ.
func showValue(v output.Value) string {
	if v.IsList {
		if v.List == nil {
			return "list(nil)"
		}
		return fmt.Sprintf("list%q", v.List)
	}
	if v.Str == nil {
		return "null"
	}
	return fmt.Sprintf("%q", *v.Str)
}

// checkStream runs both paths on body, the streamer without the links
// extractor and with it, and fails t if the streamer answers differently
// from the tree; it reports whether the streamer answered with links.
func checkStream(t testing.TB, body []byte, pageURL *url.URL, rules Rules, follow []FollowRule) bool {
	t.Helper()
	var want Result
	var wantLinks []string
	var wantLinked []byte
	parsed, ok := false, false
	for _, links := range []bool{false, true} {
		res, followed, linked, answered := streamPage(body, pageURL, rules, follow, streamAgent, links)
		if !answered {
			continue
		}
		if !parsed {
			want, wantLinks, wantLinked = treeRun(body, pageURL, rules, follow)
			parsed = true
		}
		wl := wantLinked
		if !links {
			wl = nil
		}
		if d := diffResults(res, want, followed, wantLinks, linked, wl); d != "" {
			t.Fatalf("stream and tree differ on %.300q with %q, links %v: %s", body, rules.Specs(), links, d)
		}
		ok = links
	}
	return ok
}

func mustRules(t testing.TB, specs ...string) Rules {
	t.Helper()
	rs, err := Compile(specs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.stream == nil {
			t.Fatalf("%s=%s: not streamable", r.Name, r.Selector)
		}
	}
	return rs
}

// fuzzStreamSpecs are the rules FuzzStream matches: every kind of value
// (text, URL and other attributes; first match and list) and every part of
// the streamable grammar.
var fuzzStreamSpecs = []string{
	"all[]=*", "href[]=*@href", "class[]=[class]@class", "src=img@src",
	"p=p", "a=a@href", "h[]=h1, h2, h3", "desc[]=div p", "child[]=body > *",
	"nth[]=li:nth-child(2n+1)", "firstof[]=:first-of-type@id", "firstchild[]=p:first-child",
	"nthof[]=p:nth-of-type(2)", "not[]=:not(div, p, .x)@title", "root=:root@lang",
	"link[]=:link@href", "html=html", "head=head", "body=body", "title[]=title",
	"pre[]=pre, textarea, listing", "x[]=.x", "main=#main > article h2",
	"attrs[]=[data-a^=x][data-b$=y][data-c*=z][data-d~=w][data-e|=v][data-f!=u i]@data-a",
	"custom[]=my-el",
}

// fuzzFollowSpecs are FuzzStream's --follow rules.
var fuzzFollowSpecs = []string{".x a@href", "a[href]@href", "link[rel=next]@href"}

// FuzzStream holds the streaming matcher to the tree path: for any page
// and the rules above (and a rule of the fuzzer's, when the streamer
// takes it), when the streamer answers, it answers what the tree gives.
func FuzzStream(f *testing.F) {
	for _, name := range []string{"malformed.html", "page16k.html"} {
		b, err := os.ReadFile("../testdata/html/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "section > p:first-child")
	}
	pages, _ := filepath.Glob("testdata/articles/*.html")
	for _, p := range pages[:min(len(pages), 4)] {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "article p")
	}
	rules := mustRules(f, fuzzStreamSpecs...)
	follow, err := ParseFollow(fuzzFollowSpecs)
	if err != nil {
		f.Fatal(err)
	}
	u := mustURL(f, "https://fuzz.example/d/p")
	f.Fuzz(func(t *testing.T, body []byte, sel string) {
		// Bodies reach extraction decoded, as valid UTF-8 (fetch/sniff);
		// the streamer must give up on the others.
		rs := rules
		if r, err := NewRule("fuzz[]", sel); err == nil && r.stream != nil {
			rs = append(rules[:len(rules):len(rules)], r)
		}
		checkStream(t, body, u, rs, follow)
		checkStream(t, bytes.ToValidUTF8(body, []byte("\uFFFD")), u, rs, follow)
	})
}

// BenchmarkStream compares, on the bench page with the select rules of
// BenchmarkExtract, the streaming matcher with the tree path and with its
// floors: html.Parse, and a bare tokenizer pass (tags, attributes, text).
func BenchmarkStream(b *testing.B) {
	for _, name := range []string{"page16k.html", "page500k.html"} {
		body, err := os.ReadFile("../testdata/html/" + name)
		if err != nil {
			b.Fatal(err)
		}
		rules := mustRules(b, selectRules...)
		u := mustURL(b, "https://bench.example/p/1")
		run := func(sub string, f func()) {
			b.Run(strings.TrimSuffix(name, ".html")+"/"+sub, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					f()
				}
			})
		}
		run("stream", func() {
			if _, _, _, ok := streamPage(body, u, rules, nil, "", false); !ok {
				b.Fatal("no stream")
			}
		})
		run("tree", func() {
			root, _ := htmlparse.Parse(bytes.NewReader(body))
			rules.node(root, u, "")
		})
		run("parse", func() { html.Parse(bytes.NewReader(body)) })
		run("tokenize", func() {
			z := html.NewTokenizer(bytes.NewReader(body))
			for {
				switch z.Next() {
				case html.ErrorToken:
					return
				case html.StartTagToken, html.SelfClosingTagToken:
					_, more := z.TagName()
					for more {
						_, _, more = z.TagAttr()
					}
				case html.TextToken:
					z.Text()
				}
			}
		})
	}
}

// soupTags are what TestStreamSoup builds pages of: the tags the model
// reads, those it gives up on, and their end tags.
var soupTags = strings.Fields(`html head body title meta base link script style noscript
	p div span a b i em strong code font nobr u s small big tt strike ul ol li dl dt dd h1 h2 h3
	pre listing textarea xmp iframe noembed noframes table caption colgroup col thead tbody tfoot
	tr td th select option optgroup input keygen form button object applet marquee br hr img
	wbr area embed svg g path title desc foreignObject text use style math mi template ruby rb rt
	rp rtc section article header footer nav main aside address blockquote center figure
	my-el x-y image plaintext frameset frame`)

// soupAttrs are the attributes TestStreamSoup's tags carry.
var soupAttrs = []string{` class=x`, ` class="x y"`, ` id=main`, ` href=/l`, ` href="//h/p?q#f"`,
	` src=i.png`, ` title=t`, ` lang=en`, ` name=description content=d`, ` name=robots content=nofollow`,
	` data-a=xy`, ` viewBox="0 0 1 1"`, ` xlink:href=#s`, ` type=hidden`, ` rel=next`, ` color=red`,
	` href`, ` href=""`, ` rel`, ` href=" /a b "`, ` href="http://[::1"`, ` href="javascript:x()"`, ` rel=a rel=b`}

// soupTexts are the texts between them.
var soupTexts = []string{"a", " ", "\n", "b c", "&amp;", "\x00", "&nbsp;", "<!--c-->", "<![CDATA[d]]>", " \t"}

// soupPage builds a random page of n tokens.
func soupPage(r *rand.Rand, n int) []byte {
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteString("<!DOCTYPE html>")
	}
	for range n {
		switch k := r.IntN(10); {
		case k < 4:
			b.WriteString("<" + soupTags[r.IntN(len(soupTags))])
			for r.IntN(3) == 0 {
				b.WriteString(soupAttrs[r.IntN(len(soupAttrs))])
			}
			if r.IntN(8) == 0 {
				b.WriteString("/")
			}
			b.WriteString(">")
		case k < 7:
			b.WriteString("</" + soupTags[r.IntN(len(soupTags))] + ">")
		default:
			b.WriteString(soupTexts[r.IntN(len(soupTexts))])
		}
	}
	return []byte(b.String())
}

// TestStreamSoup holds the streamer to the tree on random tag soup: many
// pages it gives up on, and many it reads, each checked.
func TestStreamSoup(t *testing.T) {
	rules := mustRules(t, fuzzStreamSpecs...)
	follow, err := ParseFollow(fuzzFollowSpecs)
	if err != nil {
		t.Fatal(err)
	}
	u := mustURL(t, "https://soup.example/d/p")
	n := 20000
	if testing.Short() || raceEnabled {
		n = 2000
	}
	r := rand.New(rand.NewPCG(1, 2))
	streamed := 0
	for i := range n {
		if checkStream(t, soupPage(r, 5+i%60), u, rules, follow) {
			streamed++
		}
	}
	t.Logf("%d of %d pages streamed (with the links extractor)", streamed, n)
	if streamed < n/10 {
		t.Errorf("only %d of %d pages streamed", streamed, n)
	}
}
