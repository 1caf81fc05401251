package extract

import (
	"bytes"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/trawl-dev/trawl/internal/htmlparse"
	"github.com/trawl-dev/trawl/internal/site"
	"github.com/trawl-dev/trawl/output"
)

// BenchmarkExtractors measures what each --extract extractor costs a page,
// as a run pays it: Extractor.Extract with that extractor alone, title and
// description included (a parse, or the tokenizer passes where they serve),
// beside "default" (no --extract) and "parse" (the tree alone). Pages: the
// bench site's 16 KiB page, the demo site's article and a demo product page
// (JSON-LD, Open Graph, microdata).
//
//	go test ./extract -run '^$' -bench Extractors -benchmem
func BenchmarkExtractors(b *testing.B) {
	page16k, err := os.ReadFile("../testdata/html/page16k.html")
	if err != nil {
		b.Fatal(err)
	}
	demo := site.New(site.Options{Pages: 10})
	get := func(path string) []byte {
		w := httptest.NewRecorder()
		demo.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8089"+path, nil))
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
		return w.Body.Bytes()
	}
	pages := []struct {
		name, url string
		body      []byte
	}{
		{"16K", "https://bench.example/p/1", page16k},
		{"article", "http://127.0.0.1:8089" + site.ArticlePath, get(site.ArticlePath)},
		{"product", "http://127.0.0.1:8089/page/7", get("/page/7")},
	}
	for _, p := range pages {
		u := mustURL(b, p.url)
		b.Run(p.name+"/parse", func(b *testing.B) {
			b.SetBytes(int64(len(p.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := htmlparse.Parse(bytes.NewReader(p.body)); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, name := range append([]string{"default"}, extractorNames[:]...) {
			cfg := Config{}
			if name != "default" {
				cfg.Extract = []string{name}
			}
			x := NewExtractor(cfg)
			b.Run(p.name+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(p.body)))
				b.ReportAllocs()
				for b.Loop() {
					var rec output.Record
					x.Extract(p.body, u, nil, &rec)
					if rec.Title == nil || name != "default" && rec.Extracted == nil {
						b.Fatal("nothing extracted")
					}
				}
			})
		}
	}
}
