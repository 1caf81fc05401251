package extract

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cpuTime is the process's user and system CPU time so far: a load on the
// machine stretches wall time, not this.
// elem builds an HTML element with attributes given as key, value, ...
func sElem(tag string, kv ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: kv[i], Val: kv[i+1]})
	}
	return n
}

func sText(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }

// document wraps nodes in <html><body> under a document node.
func document(nodes ...*html.Node) *html.Node {
	doc := &html.Node{Type: html.DocumentNode}
	h, body := sElem("html"), sElem("body")
	doc.AppendChild(h)
	h.AppendChild(body)
	for _, n := range nodes {
		body.AppendChild(n)
	}
	return doc
}

// sNest puts n copies of make() inside each other, leaf innermost.
func sNest(n int, make func(i int) *html.Node, leaf *html.Node) *html.Node {
	var top, cur *html.Node
	for i := 0; i < n; i++ {
		e := make(i)
		if top == nil {
			top = e
		} else {
			cur.AppendChild(e)
		}
		cur = e
	}
	cur.AppendChild(leaf)
	return top
}

// treeSize is the bytes a tree would take as HTML, roughly: what "per MiB"
// is measured against.
func treeSize(root *html.Node) int {
	size := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		size += len(n.Data) + 2
		for _, a := range n.Attr {
			size += len(a.Key) + len(a.Val) + 4
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return size
}

// TestStructuredLinear runs every tree extractor on trees shaped to make a
// careless implementation quadratic or worse (deep nesting, itemref
// fan-out and chains, nested links, huge attributes, repeated keys) and
// holds each to SPEC's bound: well under a second of CPU per MiB (here: a
// second, under the race detector ten). Trees are built directly, not
// parsed, so that only the extractors are measured.
func TestStructuredLinear(t *testing.T) {
	const n = 20000
	big := strings.Repeat("x", 1<<20)
	cases := map[string]func() *html.Node{
		"nested items": func() *html.Node {
			return document(sNest(n, func(int) *html.Node { return sElem("div", "itemscope", "", "itemprop", "p", "itemtype", "t") }, sText("leaf")))
		},
		"nested properties (textContent repeats)": func() *html.Node {
			item := sElem("div", "itemscope", "")
			item.AppendChild(sNest(n, func(int) *html.Node { return sElem("div", "itemprop", "p") }, sText(strings.Repeat("t", 50))))
			return document(item)
		},
		"itemref fan-out": func() *html.Node {
			shared := sElem("div", "id", "shared")
			for i := 0; i < n/2; i++ {
				p := sElem("span", "itemprop", "k")
				p.AppendChild(sText("value " + strconv.Itoa(i)))
				shared.AppendChild(p)
			}
			var nodes []*html.Node
			for i := 0; i < n/2; i++ {
				nodes = append(nodes, sElem("div", "itemscope", "", "itemref", "shared"))
			}
			return document(append(nodes, shared)...)
		},
		"itemref chain of pairs (exponential in the standard)": func() *html.Node {
			var nodes []*html.Node
			top := sElem("div", "itemscope", "", "itemref", "a0 b0")
			nodes = append(nodes, top)
			for i := 0; i < 60; i++ {
				refs := "a" + strconv.Itoa(i+1) + " b" + strconv.Itoa(i+1)
				for _, id := range []string{"a", "b"} {
					e := sElem("div", "id", id+strconv.Itoa(i), "itemprop", "p", "itemscope", "", "itemref", refs)
					e.AppendChild(sText(strings.Repeat("z", 100)))
					nodes = append(nodes, e)
				}
			}
			return document(nodes...)
		},
		"nested links": func() *html.Node {
			return document(sNest(n, func(i int) *html.Node { return sElem("a", "href", "/"+strconv.Itoa(i)) }, sText("deep text")))
		},
		"deep elements": func() *html.Node {
			return document(sNest(5*n, func(int) *html.Node { return sElem("div") }, sElem("meta", "property", "og:title", "content", "deep")))
		},
		"1 MiB attributes": func() *html.Node {
			return document(sElem("meta", "property", "og:description", "content", big),
				sElem("a", "href", "/"+big), sElem("link", "rel", "icon", "href", big),
				sElem("meta", "name", "author", "content", big))
		},
		"1 MiB token lists": func() *html.Node {
			var sb strings.Builder
			for i := 0; sb.Len() < 1<<20; i++ {
				sb.WriteString("t" + strconv.Itoa(i) + " ")
			}
			tokens := sb.String()
			item := sElem("div", "itemscope", "", "itemtype", tokens, "itemref", tokens)
			p := sElem("span", "itemprop", tokens+strings.Repeat("x", 1<<19)+" "+tokens)
			p.AppendChild(sText("v"))
			item.AppendChild(p)
			return document(item, sElem("a", "href", "/", "rel", tokens), sElem("link", "rel", tokens, "href", "/"))
		},
		"repeated keys": func() *html.Node {
			var nodes []*html.Node
			for i := 0; i < n; i++ {
				nodes = append(nodes, sElem("meta", "property", "og:k"+strconv.Itoa(i%(n/2)), "content", "v"),
					sElem("link", "rel", "alternate", "hreflang", "l"+strconv.Itoa(i), "href", "/"+strconv.Itoa(i)),
					sElem("link", "rel", "icon", "href", "/i"+strconv.Itoa(i)))
			}
			return document(nodes...)
		},
		"deep JSON-LD": func() *html.Node {
			s := sElem("script", "type", "application/ld+json")
			s.AppendChild(sText(strings.Repeat(`{"datePublished":[`, 9000) + strings.Repeat("]}", 9000)))
			return document(s)
		},
	}
	limit := time.Second
	if raceEnabled {
		limit *= 10
	}
	base := mustURL(t, "https://example.com/")
	for name, build := range cases {
		root := build()
		size := treeSize(root)
		start := cpuTime()
		out := [][]byte{
			appendJSONLD(nil, root), appendOpenGraph(nil, root), appendMicrodata(nil, root, base),
			appendMeta(nil, root, base), appendLinks(nil, root, base),
		}
		spent := cpuTime() - start
		perMiB := time.Duration(float64(spent) * float64(1<<20) / float64(size))
		t.Logf("%s: %d KiB, %v CPU, %v per MiB", name, size>>10, spent.Round(time.Millisecond), perMiB.Round(time.Millisecond))
		if perMiB > limit {
			t.Errorf("%s: %v of CPU per MiB, over %v", name, perMiB, limit)
		}
		for _, o := range out {
			if !bytes.HasPrefix(o, []byte("[")) && !bytes.HasPrefix(o, []byte("{")) {
				t.Errorf("%s: output %.40q", name, o)
			}
		}
	}
}

// TestScanStructuredLinear holds the tokenizer path to the same bound on
// pathological bytes.
func TestScanStructuredLinear(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	cases := map[string]string{
		"deep":       strings.Repeat("<div>", 200000) + `<meta property="og:a" content="1">`,
		"attributes": `<meta property="og:d" content="` + big + `"><link rel="icon" href="` + big + `"><html lang="` + big + `">`,
		"scripts":    strings.Repeat(`<script type="application/ld+json">{"datePublished":"x","a":[1,2,3]}</script>`, 20000),
		"metas":      strings.Repeat(`<meta property="og:image" content="i"><meta name="twitter:x" content="y"><time datetime="z">`, 20000),
		"tables":     strings.Repeat("<table><td>", 50000) + `<p>` + strings.Repeat("</table>", 50000) + `<meta property="og:a" content="1">`,
	}
	limit := time.Second
	if raceEnabled {
		limit *= 10
	}
	u := mustURL(t, "https://example.com/")
	for name, body := range cases {
		start := cpuTime()
		_, _, _, ok := scanStructured([]byte(body), u, true, true, true)
		spent := cpuTime() - start
		perMiB := time.Duration(float64(spent) * float64(1<<20) / float64(len(body)))
		t.Logf("%s: %d KiB, ok %v, %v CPU, %v per MiB", name, len(body)>>10, ok, spent.Round(time.Millisecond), perMiB.Round(time.Millisecond))
		if perMiB > limit {
			t.Errorf("%s: %v of CPU per MiB, over %v", name, perMiB, limit)
		}
	}
}
