package extract

import (
	"bytes"
	"net/url"
	"os"
	"testing"

	"golang.org/x/net/html"
)

// The pages of BenchmarkStructured: the repository's realistic 16 KiB page
// (links, prices; no structured data) and a 16 KiB article with two JSON-LD
// blocks (a Yoast-style @graph and a HowTo), Open Graph, Twitter and the
// usual <link>s.
var structuredBenchPages = []struct{ name, path, url string }{
	{"16K", "../testdata/html/page16k.html", "https://bench.example/p/1"},
	{"article", "testdata/bench/article.html", "https://kitchen.example.com/guides/season-cast-iron/"},
}

// BenchmarkStructured measures one thing per sub-benchmark: each extractor
// alone on an already parsed tree, the parse itself, and the two ways of
// getting jsonld, opengraph and meta together: parse and walk the tree
// ("tree"), or scanStructured's tokenizer ("scan").
//
//	go test ./extract -run '^$' -bench Structured -benchmem
func BenchmarkStructured(b *testing.B) {
	for _, p := range structuredBenchPages {
		body, err := os.ReadFile(p.path)
		if err != nil {
			b.Fatal(err)
		}
		u, err := url.Parse(p.url)
		if err != nil {
			b.Fatal(err)
		}
		root, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		base := documentBase(root, u)
		run := func(name string, fn func(dst []byte) []byte) {
			b.Run(p.name+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				var dst []byte
				for b.Loop() {
					dst = fn(dst[:0])
				}
			})
		}
		run("jsonld", func(dst []byte) []byte { return appendJSONLD(dst, root) })
		run("opengraph", func(dst []byte) []byte { return appendOpenGraph(dst, root) })
		run("microdata", func(dst []byte) []byte { return appendMicrodata(dst, root, base) })
		run("meta", func(dst []byte) []byte { return appendMeta(dst, root, base) })
		run("links", func(dst []byte) []byte { return appendLinks(dst, root, base) })
		run("parse", func(dst []byte) []byte {
			if _, err := html.Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
			return dst
		})
		run("tree", func(dst []byte) []byte {
			r, _ := html.Parse(bytes.NewReader(body))
			base := documentBase(r, u)
			dst = appendJSONLD(dst, r)
			dst = appendOpenGraph(dst, r)
			return appendMeta(dst, r, base)
		})
		run("scan", func(dst []byte) []byte {
			jl, og, mt, ok := scanStructured(body, u, true, true, true)
			if !ok {
				b.Fatal("scanStructured gave up")
			}
			return append(append(append(dst, jl...), og...), mt...)
		})
	}
}
