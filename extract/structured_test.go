package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/extract")

// goldenPageURL is the URL the golden pages are fetched from; a page whose
// name ends in -nourl.html is extracted with no page URL.
const goldenPageURL = "https://example.com/dir/page.html"

// structuredOut is every structured extractor's value for one page.
type structuredOut struct {
	jsonld, opengraph, microdata, meta, links []byte
}

func extractAll(body []byte, pageURL *url.URL) (structuredOut, *html.Node) {
	root, err := htmlparse.Parse(bytes.NewReader(body))
	if err != nil {
		panic(err) // a bytes.Reader cannot fail
	}
	base := documentBase(root, pageURL)
	return structuredOut{
		jsonld:    appendJSONLD(nil, root),
		opengraph: appendOpenGraph(nil, root),
		microdata: appendMicrodata(nil, root, base),
		meta:      appendMeta(nil, root, base),
		links:     appendLinks(nil, root, base),
	}, root
}

func (o structuredOut) each(fn func(name string, v []byte)) {
	fn("jsonld", o.jsonld)
	fn("opengraph", o.opengraph)
	fn("microdata", o.microdata)
	fn("meta", o.meta)
	fn("links", o.links)
}

// golden renders the outputs for a golden file: each value indented (the
// bytes are otherwise exactly what the extractor wrote), and whether the
// tokenizer path could give them.
func (o structuredOut) golden(t *testing.T, scan string) []byte {
	var b bytes.Buffer
	o.each(func(name string, v []byte) {
		checkJSONOut(t, name, v)
		fmt.Fprintf(&b, "-- %s --\n", name)
		if err := json.Indent(&b, v, "", "  "); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b.WriteByte('\n')
	})
	fmt.Fprintf(&b, "-- scan --\n%s\n", scan)
	return b.Bytes()
}

func goldenURL(name string) *url.URL {
	if strings.HasSuffix(name, "-nourl.html") {
		return nil
	}
	u, _ := url.Parse(goldenPageURL)
	return u
}

// TestStructuredGolden runs every extractor on the hand-made pages of
// testdata/extract and compares with their .golden files (go test
// ./extract -run Golden -update rewrites them). Where the tokenizer path
// answers, it must answer exactly what the tree path does.
func TestStructuredGolden(t *testing.T) {
	pages, err := filepath.Glob("testdata/extract/*.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages: %v", err)
	}
	for _, page := range pages {
		name := filepath.Base(page)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			u := goldenURL(name)
			out, _ := extractAll(body, u)
			scan := "tree needed"
			if jl, og, mt, ok := scanStructured(body, u, true, true, true); ok {
				scan = "same"
				if !bytes.Equal(jl, out.jsonld) || !bytes.Equal(og, out.opengraph) || !bytes.Equal(mt, out.meta) {
					t.Errorf("scanStructured differs from the tree:\njsonld %s\n  tree %s\nopengraph %s\n     tree %s\nmeta %s\ntree %s",
						jl, out.jsonld, og, out.opengraph, mt, out.meta)
				}
			}
			got := out.golden(t, scan)
			golden := strings.TrimSuffix(page, ".html") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", name, golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff shows the lines of want and got that differ, in order.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// TestScanStructuredSubsets: each extractor asked for alone (or none) gives
// the tree's value, and nil for those not asked.
func TestScanStructuredSubsets(t *testing.T) {
	body, err := os.ReadFile("testdata/bench/article.html")
	if err != nil {
		t.Fatal(err)
	}
	u := mustURL(t, "https://kitchen.example.com/guides/season-cast-iron/")
	out, _ := extractAll(body, u)
	for which := 0; which < 8; which++ {
		jl, og, mt, ok := scanStructured(body, u, which&1 != 0, which&2 != 0, which&4 != 0)
		if !ok {
			t.Fatalf("asked %03b: gave up", which)
		}
		for i, c := range []struct{ got, want []byte }{{jl, out.jsonld}, {og, out.opengraph}, {mt, out.meta}} {
			want := c.want
			if which&(1<<i) == 0 {
				want = nil
			}
			if !bytes.Equal(c.got, want) || (want == nil) != (c.got == nil) {
				t.Errorf("asked %03b: value %d = %.80s, want %.80s", which, i, c.got, want)
			}
		}
	}
}
