package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// get fetches path from srv and returns the response (body already read and
// closed) and the body.
func get(t *testing.T, client *http.Client, base, path string) (*http.Response, []byte) {
	t.Helper()
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Get(base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", path, err)
	}
	return resp, body
}

func newServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(opts)) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv
}

// pageInfo is what a scraper would extract from a page.
type pageInfo struct {
	title       string // white space collapsed
	description string
	h1          string
	prices      []string
	imgs        []string
	hrefs       []string
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func parsePage(t *testing.T, body []byte) pageInfo {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var p pageInfo
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "title":
				p.title = collapse(textOf(n))
			case "meta":
				if name, _ := attr(n, "name"); name == "description" {
					p.description, _ = attr(n, "content")
				}
			case "h1":
				p.h1 = textOf(n)
			case "span":
				if class, _ := attr(n, "class"); class == "price" {
					p.prices = append(p.prices, textOf(n))
				}
			case "img":
				src, _ := attr(n, "src")
				p.imgs = append(p.imgs, src)
			case "a":
				if href, ok := attr(n, "href"); ok {
					p.hrefs = append(p.hrefs, href)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p
}

func titleOf(t *testing.T, body []byte) string {
	t.Helper()
	return parsePage(t, body).title
}

func TestExpectedValues(t *testing.T) {
	cases := []struct {
		i                    int
		title, desc, heading string
		price                string
		prices               []string
	}{
		{1, "Product 1 — Trawl demo shop", "Product 1 in the Trawl demo shop: a deterministic page for testing scrapers.", "Product 1",
			"$80.19", []string{"$80.19", "$38.48", "$95.77"}},
		{2, "Product 2 — Trawl demo shop", "Product 2 in the Trawl demo shop: a deterministic page for testing scrapers.", "Product 2",
			"$60.38", []string{"$60.38", "$18.67", "$75.96", "$34.25"}},
		{3, "Product 3 — Trawl demo shop", "Product 3 in the Trawl demo shop: a deterministic page for testing scrapers.", "Product 3",
			"$40.57", []string{"$40.57", "$97.86"}},
		{7, "Product 7 — Trawl demo shop", "Product 7 in the Trawl demo shop: a deterministic page for testing scrapers.", "Product 7",
			"$60.33", []string{"$60.33", "$18.62", "$75.91"}},
		{50, "Product 50 — Trawl demo shop", "Product 50 in the Trawl demo shop: a deterministic page for testing scrapers.", "Product 50",
			"$99.50", []string{"$99.50", "$57.79", "$16.08", "$73.37"}},
	}
	for _, c := range cases {
		if got := Title(c.i); got != c.title {
			t.Errorf("Title(%d) = %q, want %q", c.i, got, c.title)
		}
		if got := Description(c.i); got != c.desc {
			t.Errorf("Description(%d) = %q, want %q", c.i, got, c.desc)
		}
		if got := Heading(c.i); got != c.heading {
			t.Errorf("Heading(%d) = %q, want %q", c.i, got, c.heading)
		}
		if got := Price(c.i); got != c.price {
			t.Errorf("Price(%d) = %q, want %q", c.i, got, c.price)
		}
		if got := Prices(c.i); !slices.Equal(got, c.prices) {
			t.Errorf("Prices(%d) = %q, want %q", c.i, got, c.prices)
		}
	}
}

func TestPricesShape(t *testing.T) {
	for i := 1; i <= 1000; i++ {
		ps := Prices(i)
		if len(ps) != 2+i%3 {
			t.Fatalf("len(Prices(%d)) = %d, want %d", i, len(ps), 2+i%3)
		}
		if ps[0] != Price(i) {
			t.Fatalf("Prices(%d)[0] = %q, Price = %q", i, ps[0], Price(i))
		}
		for _, p := range ps {
			if !strings.HasPrefix(p, "$") || len(p) < len("$1.00") || p[len(p)-3] != '.' {
				t.Fatalf("Prices(%d) has malformed %q", i, p)
			}
		}
	}
}

func TestPageContent(t *testing.T) {
	srv := newServer(t, Options{Pages: 50})
	for _, i := range []int{1, 2, 3, 7, 49, 50} {
		resp, body := get(t, nil, srv.URL, "/page/"+strconv.Itoa(i))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page %d: status %d", i, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("page %d: Content-Type %q", i, ct)
		}
		if resp.ContentLength != int64(len(body)) {
			t.Errorf("page %d: Content-Length %d, body %d bytes", i, resp.ContentLength, len(body))
		}
		p := parsePage(t, body)
		if p.title != Title(i) {
			t.Errorf("page %d: title %q, want %q", i, p.title, Title(i))
		}
		if p.description != Description(i) {
			t.Errorf("page %d: description %q, want %q", i, p.description, Description(i))
		}
		if p.h1 != Heading(i) {
			t.Errorf("page %d: h1 %q, want %q", i, p.h1, Heading(i))
		}
		if !slices.Equal(p.prices, Prices(i)) {
			t.Errorf("page %d: prices %q, want %q", i, p.prices, Prices(i))
		}
		if want := []string{"/img/" + strconv.Itoa(i) + ".png"}; !slices.Equal(p.imgs, want) {
			t.Errorf("page %d: imgs %q, want %q", i, p.imgs, want)
		}
		if len(p.hrefs) != 21 {
			t.Errorf("page %d: %d links, want 21", i, len(p.hrefs))
		}
		// The raw title must contain line breaks, or collapsing is untested.
		raw := string(body)
		start, end := strings.Index(raw, "<title>"), strings.Index(raw, "</title>")
		if inner := raw[start+len("<title>") : end]; !strings.Contains(inner, "\n") || inner == Title(i) {
			t.Errorf("page %d: raw title %q has no extra white space", i, inner)
		}
		if !strings.Contains(raw, `<span class="price">`+Price(i)+`</span>`) {
			t.Errorf("page %d: first price %q not in HTML", i, Price(i))
		}
	}
}

func TestPageLinks(t *testing.T) {
	srv := newServer(t, Options{Pages: 50})
	_, body := get(t, nil, srv.URL, "/page/7")
	want := []string{
		"/", "/page/6", "/page/8",
		"../page/11", "15", "/page/19", "../page/23", "27", "/page/31",
		"../page/35", "39", "/page/43", "../page/47", "1", "/page/11",
		"item?id=3", "/private/7", "http://example.invalid/product/7", "#top", "/page/1", "/article",
	}
	got := parsePage(t, body).hrefs
	if !slices.Equal(got, want) {
		t.Fatalf("links of /page/7:\n got %q\nwant %q", got, want)
	}

	// Resolved, the relative spellings must land on real pages.
	base, _ := url.Parse("http://127.0.0.1/page/7")
	var resolved []string
	for _, h := range got[3:15] {
		ref, err := url.Parse(h)
		if err != nil {
			t.Fatal(err)
		}
		resolved = append(resolved, base.ResolveReference(ref).Path)
	}
	wantResolved := []string{
		"/page/11", "/page/15", "/page/19", "/page/23", "/page/27", "/page/31",
		"/page/35", "/page/39", "/page/43", "/page/47", "/page/1", "/page/11",
	}
	if !slices.Equal(resolved, wantResolved) {
		t.Fatalf("resolved related links:\n got %q\nwant %q", resolved, wantResolved)
	}
}

func TestPageWrapAround(t *testing.T) {
	srv := newServer(t, Options{Pages: 5})
	_, first := get(t, nil, srv.URL, "/page/1")
	if got := parsePage(t, first).hrefs[1:3]; !slices.Equal(got, []string{"/page/5", "/page/2"}) {
		t.Errorf("page 1 prev/next = %q, want [/page/5 /page/2]", got)
	}
	_, last := get(t, nil, srv.URL, "/page/5")
	if got := parsePage(t, last).hrefs[1:3]; !slices.Equal(got, []string{"/page/4", "/page/1"}) {
		t.Errorf("page 5 prev/next = %q, want [/page/4 /page/1]", got)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := newServer(t, Options{Pages: 100}), newServer(t, Options{Pages: 100})
	for _, p := range []string{"/", "/page/1", "/page/42", "/page/100", "/big?bytes=5000", "/status/418", "/img/3.png"} {
		_, x := get(t, nil, a.URL, p)
		_, y := get(t, nil, a.URL, p)
		_, z := get(t, nil, b.URL, p)
		if !bytes.Equal(x, y) || !bytes.Equal(x, z) {
			t.Errorf("%s: responses differ between requests", p)
		}
	}
}

func TestOldLinkRedirects(t *testing.T) {
	srv := newServer(t, Options{Pages: 50})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ := get(t, c, srv.URL, "/page/item?id=3")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/page/3" {
		t.Errorf("/page/item?id=3: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestNotFound(t *testing.T) {
	srv := newServer(t, Options{Pages: 50})
	for _, p := range []string{
		"/page/0", "/page/51", "/page/abc", "/page/-1", "/page/+1", "/page/01",
		"/page/", "/page/1/", "/page/item", "/nope", "/img/51.png", "/img/7.gif",
		"/status/99", "/status/600", "/status/abc", "/redirect/x", "/redirect/-1", "/page/item?id=0", "/page/item?id=x",
	} {
		resp, body := get(t, nil, srv.URL, p)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", p, ct)
		}
		if got := titleOf(t, body); got != "Not found" {
			t.Errorf("%s: title %q, want %q", p, got, "Not found")
		}
		if resp.ContentLength != int64(len(body)) {
			t.Errorf("%s: Content-Length %d, body %d bytes", p, resp.ContentLength, len(body))
		}
	}
}

func TestDefaultPages(t *testing.T) {
	srv := newServer(t, Options{})
	if resp, _ := get(t, nil, srv.URL, "/page/50"); resp.StatusCode != http.StatusOK {
		t.Errorf("/page/50: status %d, want 200", resp.StatusCode)
	}
	if resp, _ := get(t, nil, srv.URL, "/page/51"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/page/51: status %d, want 404", resp.StatusCode)
	}
}

func TestManyPages(t *testing.T) {
	h := New(Options{Pages: 1_000_000})
	for path, want := range map[string]int{"/page/1000000": 200, "/page/1000001": 404, "/page/999999": 200} {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, path, nil))
		if rr.Code != want {
			t.Errorf("%s: status %d, want %d", path, rr.Code, want)
		}
	}
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/page/999999", nil))
	if got := parsePage(t, rr.Body.Bytes()).title; got != Title(999999) {
		t.Errorf("title %q, want %q", got, Title(999999))
	}

	// The index of a million pages is streamed; its declared length must
	// match what would be sent.
	var want int64 = int64(len(indexHead) + len(indexTail))
	for i := 1; i <= 1_000_000; i++ {
		want += int64(len(fmt.Sprintf("<li><a href=\"/page/%d\">Product %d</a></li>\n", i, i)))
	}
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodHead, "/", nil))
	if got := rr.Header().Get("Content-Length"); got != strconv.FormatInt(want, 10) {
		t.Errorf("HEAD / Content-Length = %s, want %d", got, want)
	}
}

func TestIndex(t *testing.T) {
	srv := newServer(t, Options{Pages: 3})
	resp, body := get(t, nil, srv.URL, "/")
	want := `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Trawl demo shop</title>
<meta name="description" content="Index of the Trawl demo shop.">
</head>
<body>
<h1>Trawl demo shop</h1>
<ul class="products">
<li><a href="/page/1">Product 1</a></li>
<li><a href="/page/2">Product 2</a></li>
<li><a href="/page/3">Product 3</a></li>
</ul>
</body>
</html>
`
	if resp.StatusCode != http.StatusOK || string(body) != want {
		t.Fatalf("GET / = %d\n%s\nwant 200\n%s", resp.StatusCode, body, want)
	}
	if resp.ContentLength != int64(len(want)) {
		t.Errorf("Content-Length %d, want %d", resp.ContentLength, len(want))
	}

	big := newServer(t, Options{Pages: 1234})
	resp, body = get(t, nil, big.URL, "/")
	if resp.ContentLength != int64(len(body)) {
		t.Errorf("Pages=1234: Content-Length %d, body %d bytes", resp.ContentLength, len(body))
	}
	hrefs := parsePage(t, body).hrefs
	if len(hrefs) != 1234 || hrefs[0] != "/page/1" || hrefs[1233] != "/page/1234" {
		t.Errorf("Pages=1234: %d links, first %q last %q", len(hrefs), hrefs[0], hrefs[len(hrefs)-1])
	}
}

func TestRobots(t *testing.T) {
	srv := newServer(t, Options{})
	resp, body := get(t, nil, srv.URL, "/robots.txt")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	want := "User-agent: *\nDisallow: /private/\nSitemap: " + srv.URL + "/sitemap.xml\n"
	if got := string(body); got != want {
		t.Errorf("robots.txt = %q, want %q", got, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if resp.ContentLength != int64(len(want)) {
		t.Errorf("Content-Length %d, want %d", resp.ContentLength, len(want))
	}
}

func TestSitemap(t *testing.T) {
	locs := func(body []byte) []string {
		var out []string
		for _, part := range strings.Split(string(body), "<loc>")[1:] {
			out = append(out, part[:strings.Index(part, "</loc>")])
		}
		return out
	}
	srv := newServer(t, Options{Pages: 3})
	resp, body := get(t, nil, srv.URL, "/sitemap.xml")
	if got := locs(body); resp.StatusCode != 200 || len(got) != 3 || got[0] != srv.URL+"/page/1" || got[2] != srv.URL+"/page/3" ||
		!strings.Contains(string(body), "<urlset") {
		t.Errorf("sitemap of 3 pages: %d %q", resp.StatusCode, got)
	}
	big := newServer(t, Options{Pages: 120001})
	_, body = get(t, nil, big.URL, "/sitemap.xml")
	if got := locs(body); !strings.Contains(string(body), "<sitemapindex") || len(got) != 3 || got[2] != big.URL+"/sitemap-3.xml" {
		t.Errorf("index of 120001 pages: %q", got)
	}
	_, body = get(t, nil, big.URL, "/sitemap-3.xml")
	if got := locs(body); len(got) != 20001 || got[0] != big.URL+"/page/100001" || got[20000] != big.URL+"/page/120001" {
		t.Errorf("sitemap-3: %d URLs, first %q", len(got), got[0])
	}
	if resp, _ := get(t, nil, big.URL, "/sitemap-4.xml"); resp.StatusCode != 404 {
		t.Errorf("sitemap-4: status %d, want 404", resp.StatusCode)
	}
}

func TestPrivate(t *testing.T) {
	srv := newServer(t, Options{})
	for _, p := range []string{"/private/", "/private/7", "/private/a/b?c=d"} {
		resp, body := get(t, nil, srv.URL, p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", p, resp.StatusCode)
		}
		if got := titleOf(t, body); got != "Private" {
			t.Errorf("%s: title %q, want Private", p, got)
		}
	}
}

func TestImage(t *testing.T) {
	srv := newServer(t, Options{Pages: 10})
	resp, body := get(t, nil, srv.URL, "/img/7.png")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1 || b.Dy() != 1 {
		t.Errorf("image is %v, want 1x1", b)
	}
}

func TestStatus(t *testing.T) {
	srv := newServer(t, Options{})
	for _, code := range []int{200, 400, 403, 404, 418, 429, 500, 503, 599} {
		resp, body := get(t, nil, srv.URL, "/status/"+strconv.Itoa(code))
		if resp.StatusCode != code {
			t.Errorf("/status/%d: status %d", code, resp.StatusCode)
		}
		if got, want := titleOf(t, body), "Status "+strconv.Itoa(code); got != want {
			t.Errorf("/status/%d: title %q, want %q", code, got, want)
		}
		if resp.ContentLength != int64(len(body)) {
			t.Errorf("/status/%d: Content-Length %d, body %d bytes", code, resp.ContentLength, len(body))
		}
	}
	resp, body := get(t, nil, srv.URL, "/status/204")
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Errorf("/status/204: status %d with %d body bytes, want 204 with none", resp.StatusCode, len(body))
	}
}

func TestRedirect(t *testing.T) {
	srv := newServer(t, Options{})

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ := get(t, noFollow, srv.URL, "/redirect/3")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/redirect/2" {
		t.Fatalf("/redirect/3: status %d Location %q, want 302 /redirect/2", resp.StatusCode, resp.Header.Get("Location"))
	}

	var hops []string
	counting := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		hops = append(hops, req.URL.Path)
		return nil
	}}
	resp, body := get(t, counting, srv.URL, "/redirect/3")
	if want := []string{"/redirect/2", "/redirect/1", "/redirect/0"}; !slices.Equal(hops, want) {
		t.Errorf("hops %q, want %q", hops, want)
	}
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/redirect/0" {
		t.Errorf("ended at %s with %d, want /redirect/0 with 200", resp.Request.URL.Path, resp.StatusCode)
	}
	if got := titleOf(t, body); got != "Redirected" {
		t.Errorf("title %q, want Redirected", got)
	}
}

func TestBig(t *testing.T) {
	srv := newServer(t, Options{})
	resp, body := get(t, nil, srv.URL, "/big?bytes=100000")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if len(body) != 100000 || resp.ContentLength != 100000 || resp.Header.Get("Content-Length") != "100000" {
		t.Fatalf("body %d bytes, Content-Length %d, want 100000", len(body), resp.ContentLength)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.HasPrefix(body, []byte(bigHead)) || !bytes.HasSuffix(body, []byte(bigTail)) {
		t.Errorf("body does not start with the HTML head and end with the tail")
	}
	if got := titleOf(t, body); got != "Big" {
		t.Errorf("title %q, want Big", got)
	}
	// Filler is plain text, so truncating anywhere still parses sanely.
	if got, want := bytes.Count(body, []byte("<")), strings.Count(bigHead+bigTail, "<"); got != want {
		t.Errorf("%d '<' in body, want %d", got, want)
	}

	for _, n := range []int{0, 1, 10, len(bigHead), len(bigHead) + len(bigTail), len(bigHead) + len(bigTail) + 1, 32 << 10, 1 << 20} {
		resp, body := get(t, nil, srv.URL, "/big?bytes="+strconv.Itoa(n))
		if len(body) != n || resp.ContentLength != int64(n) {
			t.Errorf("bytes=%d: got %d bytes, Content-Length %d", n, len(body), resp.ContentLength)
		}
		if full := bigHead + bigTail; n <= len(full) && string(body) != full[:n] {
			t.Errorf("bytes=%d: body %q, want %q", n, body, full[:n])
		}
	}
	for _, q := range []string{"", "?bytes=", "?bytes=-1", "?bytes=x", "?bytes=1099511627777"} {
		if resp, _ := get(t, nil, srv.URL, "/big"+q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("/big%s: status %d, want 400", q, resp.StatusCode)
		}
	}
}

// failingWriter accepts limit bytes and then fails, like a connection whose
// client has gone away.
type failingWriter struct {
	header  http.Header
	written int
	limit   int
	writes  int
}

func (f *failingWriter) Header() http.Header { return f.header }
func (f *failingWriter) WriteHeader(int)     {}
func (f *failingWriter) Write(p []byte) (int, error) {
	f.writes++
	if f.written+len(p) > f.limit {
		return 0, errors.New("broken pipe")
	}
	f.written += len(p)
	return len(p), nil
}

func TestStreamsStopOnWriteError(t *testing.T) {
	h := New(Options{Pages: 1_000_000})
	for _, path := range []string{"/big?bytes=1099511627776", "/"} {
		fw := &failingWriter{header: http.Header{}, limit: 100 << 10}
		h.ServeHTTP(fw, httptest.NewRequest(http.MethodGet, path, nil))
		if fw.writes > 10 {
			t.Errorf("%s: %d writes after the client left, want the stream to stop", path, fw.writes)
		}
	}
}

func TestSlow(t *testing.T) {
	srv := newServer(t, Options{})
	start := time.Now()
	resp, body := get(t, nil, srv.URL, "/slow?ms=50")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("took %v, want at least 50ms", d)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
	if got := titleOf(t, body); got != "Slow" {
		t.Errorf("title %q, want Slow", got)
	}
	for _, q := range []string{"", "?ms=abc", "?ms=-5", "?ms=600001"} {
		if resp, _ := get(t, nil, srv.URL, "/slow"+q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("/slow%s: status %d, want 400", q, resp.StatusCode)
		}
	}
}

// The handler must return as soon as the client gives up, not when the
// requested delay ends.
func TestSlowHonoursCancel(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		path string
	}{
		{Options{}, "/slow?ms=600000"},
		{Options{Latency: time.Hour}, "/page/1"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		rr := httptest.NewRecorder()
		start := time.Now()
		New(tc.opts).ServeHTTP(rr, httptest.NewRequest(http.MethodGet, tc.path, nil).WithContext(ctx))
		cancel()
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: handler returned after %v, want promptly after cancel", tc.path, d)
		}
		if rr.Body.Len() != 0 {
			t.Errorf("%s: wrote %d bytes to a canceled client", tc.path, rr.Body.Len())
		}
	}
}

func TestLatency(t *testing.T) {
	srv := newServer(t, Options{Latency: 40 * time.Millisecond})
	for _, p := range []string{"/json", "/page/1", "/nope"} {
		start := time.Now()
		get(t, nil, srv.URL, p)
		if d := time.Since(start); d < 40*time.Millisecond {
			t.Errorf("%s took %v, want at least 40ms", p, d)
		}
	}
}

func TestJSON(t *testing.T) {
	srv := newServer(t, Options{})
	resp, body := get(t, nil, srv.URL, "/json")
	if resp.StatusCode != http.StatusOK || string(body) != `{"ok":true}` {
		t.Errorf("got %d %q, want 200 {\"ok\":true}", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if resp.ContentLength != 11 {
		t.Errorf("Content-Length %d, want 11", resp.ContentLength)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	srv := newServer(t, Options{})
	resp, err := http.Post(srv.URL+"/page/1", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d Allow %q, want 405 \"GET, HEAD\"", resp.StatusCode, resp.Header.Get("Allow"))
	}

	resp, err = http.Head(srv.URL + "/page/1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := int64(len(renderPage(1, DefaultPages))); resp.StatusCode != http.StatusOK || resp.ContentLength != want {
		t.Errorf("HEAD: status %d Content-Length %d, want 200 %d", resp.StatusCode, resp.ContentLength, want)
	}
}

func TestPageURLs(t *testing.T) {
	var b strings.Builder
	if err := PageURLs(&b, "http://127.0.0.1:8080", 3); err != nil {
		t.Fatal(err)
	}
	want := "http://127.0.0.1:8080/page/1\nhttp://127.0.0.1:8080/page/2\nhttp://127.0.0.1:8080/page/3\n"
	if b.String() != want {
		t.Errorf("PageURLs = %q, want %q", b.String(), want)
	}

	b.Reset()
	if err := PageURLs(&b, "http://h/", 1); err != nil || b.String() != "http://h/page/1\n" {
		t.Errorf("trailing slash: %q, %v; want %q", b.String(), err, "http://h/page/1\n")
	}

	b.Reset()
	if err := PageURLs(&b, "http://h", 0); err != nil || b.String() != "" {
		t.Errorf("n=0: %q, %v; want empty", b.String(), err)
	}

	fw := &failingWriter{header: http.Header{}, limit: 0}
	if err := PageURLs(fw, "http://h", 10); err == nil || err.Error() != "broken pipe" {
		t.Errorf("failing writer: err %v, want broken pipe", err)
	}
}

func TestStart(t *testing.T) {
	s, err := Start(context.Background(), Options{Pages: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on 127.0.0.1", s.URL)
	}
	if _, err := strconv.Atoi(strings.TrimPrefix(s.URL, "http://127.0.0.1:")); err != nil {
		t.Fatalf("URL %q has no numeric port", s.URL)
	}

	client := &http.Client{Transport: &http.Transport{}}
	resp, body := get(t, client, s.URL, "/page/1")
	if resp.StatusCode != http.StatusOK || titleOf(t, body) != Title(1) {
		t.Fatalf("/page/1: status %d title %q", resp.StatusCode, titleOf(t, body))
	}

	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if resp, err := client.Get(s.URL + "/page/1"); err == nil {
		resp.Body.Close()
		t.Errorf("GET after Close succeeded with %d", resp.StatusCode)
	}
}

func TestStartStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, _ := get(t, client, s.URL, "/json"); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := client.Get(s.URL + "/json")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still serving 5s after its context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}

	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if _, err := Start(done, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Start with canceled ctx: err %v, want context.Canceled", err)
	}
}

// Close must not wait for long-running requests to finish.
func TestCloseWithRequestInFlight(t *testing.T) {
	s, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL + "/slow?ms=600000")
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the request reach the handler
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v", d)
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Error("in-flight /slow request succeeded after Close")
		}
	case <-time.After(5 * time.Second):
		t.Error("in-flight request still pending 5s after Close")
	}
}

func TestConcurrent(t *testing.T) {
	h := New(Options{Pages: 200})
	srv := httptest.NewServer(h)
	defer srv.Close()
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				i := 1 + (g*20+k)%200
				resp, err := http.Get(srv.URL + "/page/" + strconv.Itoa(i))
				if err != nil {
					t.Error(err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Error(err)
					return
				}
				if want := renderPage(i, 200); !bytes.Equal(body, want) {
					t.Errorf("page %d differs under concurrency", i)
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkPage(b *testing.B) {
	h := New(Options{Pages: 1_000_000})
	req := httptest.NewRequest(http.MethodGet, "/page/765432", nil)
	b.ReportAllocs()
	for b.Loop() {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
	}
}

func TestPageValidators(t *testing.T) {
	srv := httptest.NewServer(New(Options{Pages: 3}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/page/2")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("ETag"); got != `"p2-of-3"` || resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("validators %q %q", got, resp.Header.Get("Last-Modified"))
	}
	req, _ := http.NewRequest("GET", srv.URL+"/page/2", nil)
	req.Header.Set("If-None-Match", `"p2-of-3"`)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional request: %d, want 304", resp.StatusCode)
	}
	req.Header.Set("If-None-Match", `"p1-of-3"`)
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("other etag: %d, want 200", resp.StatusCode)
	}
}
