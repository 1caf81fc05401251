package fetch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

const smNS = `xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"`

func urlset(locs ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<urlset " + smNS + ">\n")
	for _, l := range locs {
		b.WriteString("  <url><loc>" + l + "</loc><lastmod>2024-01-01</lastmod></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

func gz(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestParseSitemap(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Sitemap
	}{
		{"urlset", urlset("https://example.com/", "https://example.com/a?x=1&amp;y=2", "  \n https://example.com/b \t"),
			Sitemap{URLs: []string{"https://example.com/", "https://example.com/a?x=1&y=2", "https://example.com/b"}}},
		{"no namespace", "<urlset><url><loc>http://a/1</loc></url><url><loc>http://a/2</loc></url></urlset>",
			Sitemap{URLs: []string{"http://a/1", "http://a/2"}}},
		{"prefixed namespace", `<s:urlset xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9"><s:url><s:loc>http://a/1</s:loc></s:url></s:urlset>`,
			Sitemap{URLs: []string{"http://a/1"}}},
		{"old google namespace", `<urlset xmlns="http://www.google.com/schemas/sitemap/0.84"><url><loc>http://a/1</loc></url></urlset>`,
			Sitemap{URLs: []string{"http://a/1"}}},
		{"index", `<?xml version="1.0"?><sitemapindex ` + smNS + `>
			<sitemap><loc>https://example.com/s1.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
			<sitemap><loc>https://example.com/s2.xml.gz</loc></sitemap>
			</sitemapindex>`,
			Sitemap{Index: []string{"https://example.com/s1.xml", "https://example.com/s2.xml.gz"}}},
		{"gzip", gz(t, urlset("https://example.com/z")), Sitemap{URLs: []string{"https://example.com/z"}}},
		{"gzip index", gz(t, `<sitemapindex><sitemap><loc>http://a/s.xml</loc></sitemap></sitemapindex>`),
			Sitemap{Index: []string{"http://a/s.xml"}}},
		{"entities and CDATA", `<urlset><url><loc><![CDATA[http://a/?q=<x>]]></loc></url><url><loc>http://a/&#233;&lt;</loc></url></urlset>`,
			Sitemap{URLs: []string{"http://a/?q=<x>", "http://a/é<"}}},
		{"extensions left out", `<urlset ` + smNS + ` xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" xmlns:xhtml="http://www.w3.org/1999/xhtml">
			<url><loc>http://a/page</loc><image:image><image:loc>http://a/img.png</image:loc></image:image>
			<xhtml:link rel="alternate" hreflang="de" href="http://a/de"/></url>
			<image:loc>http://a/stray.png</image:loc>
			<loc>http://a/not-in-a-url</loc>
			</urlset>`,
			Sitemap{URLs: []string{"http://a/page"}}},
		{"empty loc skipped", "<urlset><url><loc> </loc></url><url><loc>http://a/</loc></url><url></url></urlset>",
			Sitemap{URLs: []string{"http://a/"}}},
		{"empty urlset", "<urlset/>", Sitemap{}},
		{"BOM and blanks", "\ufeff \n<urlset><url><loc>http://a/</loc></url></urlset>", Sitemap{URLs: []string{"http://a/"}}},
		{"latin-1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>http://a/caf\xe9</loc></url></urlset>",
			Sitemap{URLs: []string{"http://a/café"}}},
		{"junk after the root", "<urlset><url><loc>http://a/</loc></url></urlset><<<", Sitemap{URLs: []string{"http://a/"}}},
		{"text", "https://example.com/a\n\n  https://example.com/b  \r\nHTTP://example.com/c",
			Sitemap{URLs: []string{"https://example.com/a", "https://example.com/b", "HTTP://example.com/c"}}},
		{"text with BOM and a bad line", "\ufeffhttp://a/1\nnot a url\nhttp://a/2\n",
			Sitemap{URLs: []string{"http://a/1", "http://a/2"}}},
		{"gzip text", gz(t, "http://a/1\nhttp://a/2\n"), Sitemap{URLs: []string{"http://a/1", "http://a/2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSitemap(strings.NewReader(tt.in), MaxSitemapBytes, MaxSitemapURLs)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseSitemapErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		notSM   bool
		partial []string
	}{
		{"empty", "", "sitemap: empty document", false, nil},
		{"blank", " \n\t ", "sitemap: empty document", false, nil},
		{"html", "<!DOCTYPE html><html><head><title>404</title></head></html>", "sitemap: not a sitemap: root element <html>", true, nil},
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, "sitemap: not a sitemap: root element <rss>", true, nil},
		{"prose", "Hello, this is not a sitemap.\nhttp://a/\n", `sitemap: not a sitemap: neither XML nor a list of URLs (line 1: "Hello, this is not a sitemap.")`, true, nil},
		{"json", `{"urls": ["http://a/"]}`, `sitemap: not a sitemap: neither XML nor a list of URLs (line 1: "{\"urls\": [\"http://a/\"]}")`, true, nil},
		{"no root", `<?xml version="1.0"?>`, "sitemap: not a sitemap: XML without a root element", true, nil},
		{"malformed", "<urlset><url><loc>http://a/1</loc></url><url><loc>http://a/2</urlset>",
			"sitemap: XML: XML syntax error on line 1: element <loc> closed by </urlset>", false, []string{"http://a/1"}},
		{"unclosed", "<urlset><url><loc>http://a/1</loc></url>",
			"sitemap: XML: XML syntax error on line 1: unexpected EOF", false, []string{"http://a/1"}},
		{"bad entity", "<urlset><url><loc>http://a/?a=1&b=2</loc></url></urlset>",
			"sitemap: XML: XML syntax error on line 1: invalid character entity &b (no semicolon)", false, nil},
		{"unknown encoding", `<?xml version="1.0" encoding="x-nope"?><urlset/>`,
			`sitemap: XML: xml: opening charset "x-nope": unknown encoding "x-nope"`, false, nil},
		{"corrupt gzip", gz(t, urlset("http://a/"))[:30] + "garbage garbage garbage garbage",
			"sitemap: gzip: flate: corrupt input before offset 32", false, nil},
		{"gzip header only", "\x1f\x8b\x08", "sitemap: gzip: unexpected EOF", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSitemap(strings.NewReader(tt.in), MaxSitemapBytes, MaxSitemapURLs)
			if err == nil {
				t.Fatalf("no error; got %+v", got)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q\nwant  %q", err, tt.want)
			}
			if errors.Is(err, ErrNotSitemap) != tt.notSM {
				t.Errorf("errors.Is(err, ErrNotSitemap) = %v", !tt.notSM)
			}
			if !reflect.DeepEqual(got.URLs, tt.partial) || got.Truncated {
				t.Errorf("partial result %+v, want URLs %q", got, tt.partial)
			}
		})
	}
}

// More than 50,000 URLs: the first 50,000 and Truncated.
func TestParseSitemapURLLimit(t *testing.T) {
	locs := make([]string, MaxSitemapURLs+1)
	for i := range locs {
		locs[i] = fmt.Sprintf("https://example.com/p/%d", i)
	}
	for _, tt := range []struct {
		name string
		doc  string
	}{
		{"xml", urlset(locs...)},
		{"gzip", gz(t, urlset(locs...))},
		{"text", strings.Join(locs, "\n") + "\n"},
	} {
		got, err := ParseSitemap(strings.NewReader(tt.doc), MaxSitemapBytes, MaxSitemapURLs)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(got.URLs) != MaxSitemapURLs || !got.Truncated || got.URLs[MaxSitemapURLs-1] != locs[MaxSitemapURLs-1] {
			t.Errorf("%s: %d URLs, truncated %v", tt.name, len(got.URLs), got.Truncated)
		}
		// Exactly at the limit is not truncated.
		exact := strings.Replace(tt.doc, "<loc>"+locs[MaxSitemapURLs]+"</loc>", "", 1)
		if tt.name == "text" {
			exact = strings.TrimSuffix(tt.doc, locs[MaxSitemapURLs]+"\n")
		}
		if tt.name == "gzip" {
			continue
		}
		got, err = ParseSitemap(strings.NewReader(exact), MaxSitemapBytes, MaxSitemapURLs)
		if err != nil || len(got.URLs) != MaxSitemapURLs || got.Truncated {
			t.Errorf("%s at the limit: %d URLs, truncated %v, %v", tt.name, len(got.URLs), got.Truncated, err)
		}
	}
	idx := "<sitemapindex>" + strings.Repeat("<sitemap><loc>http://a/s.xml</loc></sitemap>", 4) + "</sitemapindex>"
	got, err := ParseSitemap(strings.NewReader(idx), MaxSitemapBytes, 3)
	if err != nil || len(got.Index) != 3 || !got.Truncated {
		t.Errorf("index over the limit: %+v, %v", got, err)
	}
}

// A document over the byte limit gives what came before it.
func TestParseSitemapByteLimit(t *testing.T) {
	doc := urlset("http://a/1", "http://a/2", "http://a/3")
	cut := int64(strings.Index(doc, "http://a/3") + 4) // inside the third <loc>
	for _, tt := range []struct {
		name  string
		doc   string
		max   int64
		want  []string
		trunc bool
	}{
		{"xml cut", doc, cut, []string{"http://a/1", "http://a/2"}, true},
		{"xml exact", doc, int64(len(doc)), []string{"http://a/1", "http://a/2", "http://a/3"}, false},
		{"xml one short", doc, int64(len(doc) - 1), []string{"http://a/1", "http://a/2", "http://a/3"}, false},
		{"gzip cut", gz(t, doc), cut, []string{"http://a/1", "http://a/2"}, true},
		{"text cut mid-line", "http://a/1\nhttp://a/2\nhttp://a/3\n", 15, []string{"http://a/1"}, true},
		{"text cut after a line", "http://a/1\nhttp://a/2\nhttp://a/3\n", 11, []string{"http://a/1"}, true},
		{"text exact, no final newline", "http://a/1\nhttp://a/2", 21, []string{"http://a/1", "http://a/2"}, false},
		{"text one over, no final newline", "http://a/1\nhttp://a/2", 20, []string{"http://a/1"}, true},
		{"cut before anything", doc, 3, nil, true},
		{"gzip cut before anything", gz(t, doc), 3, nil, true},
	} {
		got, err := ParseSitemap(strings.NewReader(tt.doc), tt.max, 100)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got.URLs, tt.want) || got.Truncated != tt.trunc {
			t.Errorf("%s: got %q truncated %v, want %q truncated %v", tt.name, got.URLs, got.Truncated, tt.want, tt.trunc)
		}
	}
}

// A gzip bomb stops at the byte limit, counted after decompression, having
// read little of the compressed stream.
func TestParseSitemapGzipBomb(t *testing.T) {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	io.WriteString(zw, "<urlset><url><loc>http://a/1</loc></url><url><loc>http://a/")
	spaces := bytes.Repeat([]byte{' '}, 1<<20)
	for i := 0; i < 16; i++ { // 16 MiB of spaces inside a <loc>
		zw.Write(spaces)
	}
	io.WriteString(zw, "</loc></url></urlset>")
	zw.Close()
	counted := &countReader{r: bytes.NewReader(b.Bytes())}
	got, err := ParseSitemap(counted, 1<<20, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.URLs, []string{"http://a/1"}) || !got.Truncated {
		t.Errorf("got %+v", got)
	}
	if counted.n > 64<<10 {
		t.Errorf("read %d compressed bytes of %d for 1 MiB decompressed", counted.n, b.Len())
	}
}

// Never more than maxBytes (and one to tell) of the input is read.
func TestParseSitemapReadsAtMostMaxBytes(t *testing.T) {
	doc := strings.Repeat("http://a/\n", 10000)
	for _, max := range []int64{1, 10, 999, 4096, 50000} {
		counted := &countReader{r: strings.NewReader(doc)}
		got, err := ParseSitemap(counted, max, 0)
		if err != nil {
			t.Fatal(err)
		}
		if counted.n > max+1 {
			t.Errorf("max %d: read %d bytes", max, counted.n)
		}
		if !got.Truncated || len(got.URLs) != int(max/10) {
			t.Errorf("max %d: %d URLs, truncated %v", max, len(got.URLs), got.Truncated)
		}
	}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(urlset("http://a/1", "http://a/2")))
	f.Add([]byte("<sitemapindex><sitemap><loc>http://a/s.xml</loc></sitemap></sitemapindex>"))
	f.Add([]byte("http://a/1\nhttp://a/2\n"))
	f.Add([]byte(gz(f, urlset("http://a/1"))))
	f.Add([]byte(gz(f, "http://a/1\n")))
	f.Add([]byte("<urlset><url><loc>http://a/&amp;</loc></url>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxURLs = 5
		const maxBytes = 4096
		counted := &countReader{r: bytes.NewReader(data)}
		got, _ := ParseSitemap(counted, maxBytes, maxURLs)
		if len(got.URLs) > maxURLs || len(got.Index) > maxURLs {
			t.Fatalf("%d URLs, %d sitemaps: over %d", len(got.URLs), len(got.Index), maxURLs)
		}
		if counted.n > maxBytes+1 {
			t.Fatalf("read %d bytes", counted.n)
		}
		for _, u := range append(got.URLs, got.Index...) {
			if u == "" || u != strings.TrimSpace(u) {
				t.Fatalf("untrimmed or empty URL %q", u)
			}
		}
	})
}
