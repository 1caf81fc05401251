package extract

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// structuredSeeds adds the golden pages and a few corpus pages to a fuzz
// target's seeds (testdata/fuzz/<Name> holds more, minimised ones).
func structuredSeeds(f *testing.F) {
	pages, _ := filepath.Glob("testdata/extract/*.html")
	for _, name := range []string{"extruct-schemaorg-product-ref.html", "extruct-misc-opengraph_test.html", "extruct-invalid-JoinAction.001.html"} {
		pages = append(pages, filepath.Join("testdata/corpus", name))
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

var fuzzPageURL = &url.URL{Scheme: "https", Host: "h.example", Path: "/d/p"}

// fuzzExtract runs the extractors on arbitrary bytes as they reach
// extraction: valid UTF-8.
func fuzzExtract(t *testing.T, body []byte) structuredOut {
	body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	out, _ := extractAll(body, fuzzPageURL)
	return out
}

func FuzzJSONLD(f *testing.F) {
	structuredSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		out := fuzzExtract(t, body).jsonld
		checkJSONOut(t, "jsonld", out)
		if out[0] != '[' {
			t.Fatalf("jsonld is not an array: %s", out)
		}
	})
}

var ogKeyRE = regexp.MustCompile(`^(og|article|product|book|profile|music|video|fb|twitter):`)

func FuzzOpenGraph(f *testing.F) {
	structuredSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		out := fuzzExtract(t, body).opengraph
		checkJSONOut(t, "opengraph", out)
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("opengraph is not an object: %s", out)
		}
		for k, v := range m {
			if !ogKeyRE.MatchString(k) || strings.ToLower(k) != k {
				t.Fatalf("opengraph key %q", k)
			}
			if vs, ok := v.([]any); ok && len(vs) < 2 {
				t.Fatalf("opengraph %q: array of %d", k, len(vs))
			}
		}
	})
}

func FuzzMicrodata(f *testing.F) {
	structuredSeeds(f)
	f.Add([]byte(`<div itemscope itemref="a b"><p id=a itemprop=x itemscope itemref=b></p><p id=b itemprop=y itemscope itemref=a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		out := fuzzExtract(t, body).microdata
		checkJSONOut(t, "microdata", out)
		var items []map[string]any
		if err := json.Unmarshal(out, &items); err != nil {
			t.Fatalf("microdata is not an array of objects: %s", out)
		}
		for _, it := range items {
			if _, ok := it["properties"].(map[string]any); !ok {
				t.Fatalf("item without properties: %s", out)
			}
			if id, ok := it["id"]; ok {
				checkAbsolute(t, id)
			}
		}
	})
}

func checkAbsolute(t *testing.T, v any) {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("URL %v is not a string", v)
	}
	if u, err := url.Parse(s); err != nil || !u.IsAbs() {
		t.Fatalf("URL %q is not absolute", s)
	}
}

var (
	metaKeys = []string{"canonical", "lang", "robots", "author", "keywords", "published", "modified", "site_name", "feeds", "hreflang", "icons"}
	isoRE    = regexp.MustCompile(`^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?)?$`)
)

// checkMeta checks the meta object's keys (exactly SPEC's, in order) and
// the shape of its values.
func checkMeta(t *testing.T, out []byte) {
	t.Helper()
	checkJSONOut(t, "meta", out)
	dec := json.NewDecoder(bytes.NewReader(out))
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		t.Fatalf("meta is not an object: %s", out)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	for _, want := range metaKeys {
		k, err := dec.Token()
		if err != nil || k != want {
			t.Fatalf("meta key %v, want %s: %s", k, want, out)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	if tok, _ := dec.Token(); tok != json.Delim('}') {
		t.Fatalf("meta has more keys: %s", out)
	}
	for _, k := range []string{"published", "modified"} {
		if s, ok := m[k].(string); ok && !isoRE.MatchString(s) {
			t.Fatalf("meta %s %q is not ISO 8601", k, s)
		}
	}
	if c := m["canonical"]; c != nil {
		checkAbsolute(t, c)
	}
	for _, k := range []string{"feeds", "icons"} {
		if m[k] == nil {
			continue
		}
		l, ok := m[k].([]any)
		if !ok || len(l) == 0 {
			t.Fatalf("meta %s = %v", k, m[k])
		}
		for _, u := range l {
			checkAbsolute(t, u)
		}
	}
	if h := m["hreflang"]; h != nil {
		for _, u := range h.(map[string]any) {
			checkAbsolute(t, u)
		}
	}
}

func FuzzMeta(f *testing.F) {
	structuredSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkMeta(t, fuzzExtract(t, body).meta)
	})
}

func FuzzLinks(f *testing.F) {
	structuredSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		out := fuzzExtract(t, body).links
		checkJSONOut(t, "links", out)
		var links []struct {
			URL  *string
			Text *string
			Rel  any
		}
		if err := json.Unmarshal(out, &links); err != nil {
			t.Fatalf("links: %v: %s", err, out)
		}
		for _, l := range links {
			if l.URL == nil || l.Text == nil {
				t.Fatalf("link without url or text: %s", out)
			}
			checkAbsolute(t, *l.URL)
			if Collapse(*l.Text) != *l.Text {
				t.Fatalf("link text %q not collapsed", *l.Text)
			}
		}
	})
}

// FuzzScanStructured holds the tokenizer path to the tree path: for any
// bytes and any choice of extractors, when scanStructured answers, it
// answers what the tree gives, byte for byte.
func FuzzScanStructured(f *testing.F) {
	structuredSeeds(f)
	for _, s := range []string{
		`<table><tr><td><meta property=og:a content=1></td></tr><meta property=og:b content=2></table>`,
		`<b><meta property=og:a content=1><table><meta property=og:b content=2>`,
		`<base href=/x/><table><base href=/y/></table><link rel=icon href=i>`,
		`<html><body><html lang=fr><p><html lang=de>`,
		`<select><meta property=og:a content=1></select><meta property=og:b content=2>`,
		`<script type=application/ld+json><!--<script>{"a":1}</script>--></script>`,
		`<frameset><meta property=og:a content=1></frameset>`,
		`<time datetime=2020-01-01><table><time datetime=2021-01-01>`,
		`<plaintext><meta property=og:a content=1>`,
		`<noscript><meta property=og:a content=1></noscript><textarea><meta name=author content=x></textarea>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		which := byte(7)
		if len(body) > 0 {
			which = body[0]%7 + 1 // some bodies ask for a subset
		}
		jl, og, mt, ok := scanStructured(body, fuzzPageURL, which&1 != 0, which&2 != 0, which&4 != 0)
		if !ok {
			return
		}
		out, _ := extractAll(body, fuzzPageURL)
		for _, c := range []struct {
			name      string
			on        bool
			scan, ref []byte
		}{{"jsonld", which&1 != 0, jl, out.jsonld}, {"opengraph", which&2 != 0, og, out.opengraph}, {"meta", which&4 != 0, mt, out.meta}} {
			if !c.on && c.scan != nil {
				t.Fatalf("%s not asked for, got %s", c.name, c.scan)
			}
			if c.on && !bytes.Equal(c.scan, c.ref) {
				t.Fatalf("%s: scan %s\ntree %s", c.name, c.scan, c.ref)
			}
		}
	})
}

// tagSoup are the pieces TestScanStructuredTagSoup builds pages from: the
// elements the head extractors read, the tags that move them (tables,
// formatting elements, implied ends) and those scanStructured gives up on.
var tagSoup = []string{
	"<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<tbody>", "<caption>", "</caption>",
	"<colgroup>", "<col>", "<b>", "</b>", "<i>", "</i>", "<nobr>", "<font>", "</font>", "<a href=/x>", "</a>",
	"<p>", "</p>", "<div>", "</div>", "<ul><li>", "<h1>", "</h1>", "<form>", "</form>", "<center>",
	"<head>", "</head>", "<body>", "</body>", "</html>", "<title>t</title>", "text", " ", "<!-- c -->",
	"<textarea><meta property=og:t content=ta></textarea>", "<noscript><meta property=og:n content=ns></noscript>",
	"<iframe><meta property=og:if content=if></iframe>", "<select>", "<template>", "<svg>", "<math>",
	"<frameset>", "<plaintext>", "<button>", "<applet>", "<object>", "<marquee>", "<br>", "</br>",
	"<meta property=og:a content=%d>", "<meta name=twitter:b content=%d>", "<meta name=author content=%d>",
	"<meta name=date content=2020-01-0%d>", "<meta property=og:site_name content=%d>",
	"<link rel=icon href=i%d>", "<link rel=canonical href=c%d>", "<link rel=alternate type=application/rss+xml href=f%d>",
	"<link rel=alternate hreflang=l%d href=h%d>", "<time datetime=2020-02-0%d>", "<base href=/b%d/>",
	"<html lang=l%d>", `<script type=application/ld+json>{"datePublished":"2021-01-0%d"}</script>`,
	`<script type=application/ld+json>[%d]</script>`, "<script>x</script>", "<style>s</style>",
	"</svg>", "</math>", "</template>", "<title>", "</title>", "<desc>", "<foreignObject>", "</foreignObject>",
	"<path/>", "<g>", "</g>", "<mi>", "<mglyph>", "<mtext>", "<annotation-xml encoding=text/html>",
	"<annotation-xml>", "<![CDATA[x]]>", "<![CDATA[<meta property=og:c content=cd>]]>", "<style>", "</style>",
	"<font color=red>", "<font>", "<svg/>", "<svg><title>icon</title><path d=M0/></svg>",
}

// TestScanStructuredTagSoup compares the two paths on many generated pages
// that mix tables, formatting elements and the elements that matter, which
// random bytes rarely put together.
func TestScanStructuredTagSoup(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	answered := 0
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.Reset()
		for j := rng.IntN(40) + 1; j > 0; j-- {
			piece := tagSoup[rng.IntN(len(tagSoup))]
			if strings.Contains(piece, "%d") {
				d := rng.IntN(9) + 1
				piece = strings.ReplaceAll(piece, "%d", strconv.Itoa(d))
			}
			sb.WriteString(piece)
		}
		body := []byte(sb.String())
		jl, og, mt, ok := scanStructured(body, fuzzPageURL, true, true, true)
		if !ok {
			continue
		}
		answered++
		out, _ := extractAll(body, fuzzPageURL)
		if !bytes.Equal(jl, out.jsonld) || !bytes.Equal(og, out.opengraph) || !bytes.Equal(mt, out.meta) {
			t.Fatalf("page %q:\nscan jsonld %s opengraph %s meta %s\ntree jsonld %s opengraph %s meta %s",
				body, jl, og, mt, out.jsonld, out.opengraph, out.meta)
		}
	}
	t.Logf("%d of %d pages answered by the tokenizer", answered, n)
	if answered < n/4 {
		t.Errorf("only %d of %d pages answered by the tokenizer", answered, n)
	}
}
