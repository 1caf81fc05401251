// Package site serves the built-in website that `trawl demo` scrapes and the
// fault pages that tests use.
//
// Everything the site returns is a pure function of the request path (and
// query) and the Options, so a scrape of it can be compared byte for byte
// against the expected values exported here (Title, Description, Price,
// Prices, Heading). Pages are rendered on demand rather than pre-rendered
// because benchmarks run the site with a million pages.
//
// Routes:
//
//	/                 index linking to every /page/i
//	/page/{i}         demo product page, 1 ≤ i ≤ Pages
//	/page/item?id={i} an old link: 301 to /page/{i}
//	/img/{i}.png      a 1×1 PNG for the <img> on page i
//	/article          a news article in a news site's chrome, with JSON-LD,
//	                  OpenGraph and microdata (article.go)
//	/robots.txt       disallows /private/, names /sitemap.xml
//	/sitemap.xml      every page (a sitemap index of /sitemap-{k}.xml past 50,000)
//	/private/...      a 200 page a robots-ignoring scraper would fetch
//	/status/{code}    responds with that status (200–599)
//	/slow?ms=N        waits N ms, honouring client cancellation
//	/redirect/{n}     302 chain of n hops ending at /redirect/0
//	/big?bytes=N      a streamed text/html body of exactly N bytes
//	/json             {"ok":true}
//
// Anything else is a 404 HTML page titled "Not found".
package site

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultPages is the number of demo pages served when Options.Pages is 0.
const DefaultPages = 50

// Options configure the site.
type Options struct {
	Pages   int           // number of demo pages, /page/1 .. /page/N (default 50 when 0)
	Latency time.Duration // added before every response (0 = none)
	Port    int           // Start's port on 127.0.0.1 (0 = a free one)
}

// New returns the site's handler. It is safe for concurrent use.
// A negative Pages is treated as 0 demo pages.
func New(opts Options) http.Handler {
	n := opts.Pages
	if n == 0 {
		n = DefaultPages
	}
	if n < 0 {
		n = 0
	}
	return &handler{pages: n, latency: opts.Latency}
}

// Server is a running instance of the site, started by Start.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:PORT", without a trailing slash.
	URL string

	srv      *http.Server
	served   chan struct{} // closed when Serve returns
	stopCtx  func() bool   // detaches the ctx watcher
	once     sync.Once
	closeErr error
}

// Start serves New(opts) on a free 127.0.0.1 port until ctx ends or Close is
// called, and returns the running server.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, fmt.Errorf("site: listen: %w", err)
	}
	s := &Server{
		URL: "http://" + ln.Addr().String(),
		srv: &http.Server{
			Handler: New(opts),
			// The site only ever talks to local clients, but a stuck
			// client must still not pin a connection forever.
			ReadHeaderTimeout: 10 * time.Second,
		},
		served: make(chan struct{}),
	}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln) // always non-nil; Close reports the interesting error
	}()
	s.stopCtx = context.AfterFunc(ctx, func() { _ = s.Close() })
	return s, nil
}

// Close stops the server immediately: the listener and all connections are
// closed, so in-flight requests see their context canceled. It waits for the
// accept loop to exit and is safe to call more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.stopCtx()
		// Close rather than Shutdown: /slow and /big requests would
		// otherwise hold shutdown hostage until they finish.
		s.closeErr = s.srv.Close()
		<-s.served
	})
	return s.closeErr
}

// PageURLs writes the demo URL list, one URL per line, each "\n"-terminated:
// base+"/page/1" .. base+"/page/n". A trailing slash on base is dropped so
// that the result never contains "//page". Nothing is written when n < 1.
func PageURLs(w io.Writer, base string, n int) error {
	base = strings.TrimSuffix(base, "/")
	bw := bufio.NewWriter(w)
	line := make([]byte, 0, len(base)+32)
	for i := 1; i <= n; i++ {
		line = append(line[:0], base...)
		line = append(line, "/page/"...)
		line = strconv.AppendInt(line, int64(i), 10)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Title returns the <title> of page i with its white space collapsed, as a
// scraper that collapses runs of white space to one space should extract it.
// It contains one non-ASCII character (an em dash, U+2014).
func Title(i int) string {
	return "Product " + strconv.Itoa(i) + " — Trawl demo shop"
}

// Description returns the content of page i's <meta name="description">.
func Description(i int) string {
	return "Product " + strconv.Itoa(i) + " in the Trawl demo shop: a deterministic page for testing scrapers."
}

// Heading returns the text of page i's <h1>.
func Heading(i int) string {
	return "Product " + strconv.Itoa(i)
}

// Price returns the text of the first .price element on page i; it equals
// Prices(i)[0].
func Price(i int) string {
	return formatCents(priceCents(i, 0))
}

// Prices returns the text of every .price element on page i, in document
// order. There are 2, 3 or 4 of them depending on i.
func Prices(i int) []string {
	out := make([]string, priceCount(i))
	for k := range out {
		out[k] = formatCents(priceCents(i, k))
	}
	return out
}

// priceCount varies the number of prices so scrapers that collect "all
// matches" are tested on lists of different lengths.
func priceCount(i int) int {
	m := i % 3
	if m < 0 {
		m += 3
	}
	return 2 + m
}

// priceCents maps (page, position) to an amount in $1.00..$99.99. The
// multipliers are primes so neighbouring pages get unrelated-looking prices.
func priceCents(i, k int) int {
	v := (int64(i)*7919 + int64(k)*104729) % 9900
	if v < 0 {
		v += 9900
	}
	return int(v) + 100
}

func formatCents(c int) string {
	return fmt.Sprintf("$%d.%02d", c/100, c%100)
}

type handler struct {
	pages   int
	latency time.Duration
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.latency > 0 && !wait(r.Context(), h.latency) {
		// The client is gone; nobody would read a response.
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeSimple(w, http.StatusMethodNotAllowed, "Method not allowed", "Only GET and HEAD are supported.")
		return
	}
	p := r.URL.Path
	switch {
	case p == "/":
		h.serveIndex(w, r)
	case p == "/page/item" && r.URL.Query().Get("id") != "":
		// An old link: it moved to /page/{id}.
		i, ok := parseIndex(r.URL.Query().Get("id"))
		if !ok || i > h.pages {
			notFound(w)
			return
		}
		http.Redirect(w, r, "/page/"+strconv.Itoa(i), http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/page/"):
		i, ok := parseIndex(p[len("/page/"):])
		if !ok || i > h.pages {
			notFound(w)
			return
		}
		// Pages never change, so they carry validators and answer a
		// conditional request with 304 (what --cache is for).
		etag := ETag(i, h.pages)
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastModified)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		writeBody(w, http.StatusOK, "text/html; charset=utf-8", renderPage(i, h.pages))
	case strings.HasPrefix(p, "/img/"):
		num, ok := strings.CutSuffix(p[len("/img/"):], ".png")
		i, ok2 := parseIndex(num)
		if !ok || !ok2 || i > h.pages {
			notFound(w)
			return
		}
		writeBody(w, http.StatusOK, "image/png", pixelPNG())
	case p == ArticlePath:
		writeBody(w, http.StatusOK, "text/html; charset=utf-8", articlePage())
	case p == "/robots.txt":
		writeBody(w, http.StatusOK, "text/plain; charset=utf-8", []byte(robotsTxt+"Sitemap: http://"+r.Host+"/sitemap.xml\n"))
	case p == "/sitemap.xml" || strings.HasPrefix(p, "/sitemap-") && strings.HasSuffix(p, ".xml"):
		h.serveSitemap(w, r)
	case strings.HasPrefix(p, "/private/"):
		writeSimple(w, http.StatusOK, "Private", "Staff only. Well-behaved scrapers never see this page.")
	case strings.HasPrefix(p, "/status/"):
		serveStatus(w, p[len("/status/"):])
	case p == "/slow":
		serveSlow(w, r)
	case strings.HasPrefix(p, "/redirect/"):
		serveRedirect(w, p[len("/redirect/"):])
	case p == "/big":
		serveBig(w, r)
	case p == "/json":
		writeBody(w, http.StatusOK, "application/json", []byte(`{"ok":true}`))
	default:
		notFound(w)
	}
}

// sitemapSize is the sitemaps.org limit of URLs in one sitemap file.
const sitemapSize = 50000

// serveSitemap answers /sitemap.xml: the pages, or past sitemapSize an
// index of /sitemap-{k}.xml files of sitemapSize pages each.
func (h *handler) serveSitemap(w http.ResponseWriter, r *http.Request) {
	base := "http://" + r.Host
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	from, to := 1, h.pages
	if r.URL.Path == "/sitemap.xml" && h.pages > sitemapSize {
		b.WriteString("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
		for k := 1; (k-1)*sitemapSize < h.pages; k++ {
			fmt.Fprintf(&b, "<sitemap><loc>%s/sitemap-%d.xml</loc></sitemap>\n", base, k)
		}
		b.WriteString("</sitemapindex>\n")
		writeBody(w, http.StatusOK, "application/xml", b.Bytes())
		return
	}
	if r.URL.Path != "/sitemap.xml" {
		k, ok := parseIndex(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/sitemap-"), ".xml"))
		if !ok || (k-1)*sitemapSize >= h.pages {
			notFound(w)
			return
		}
		from, to = (k-1)*sitemapSize+1, min(k*sitemapSize, h.pages)
	}
	b.WriteString("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "<url><loc>%s/page/%d</loc></url>\n", base, i)
	}
	b.WriteString("</urlset>\n")
	writeBody(w, http.StatusOK, "application/xml", b.Bytes())
}

// lastModified is the Last-Modified of every page: they never change.
const lastModified = "Sun, 01 Nov 2026 00:00:00 GMT"

// ETag is page i's entity tag on a site of n pages (its links depend on n).
func ETag(i, n int) string { return fmt.Sprintf(`"p%d-of-%d"`, i, n) }

const robotsTxt = "User-agent: *\nDisallow: /private/\n"

// wait blocks for d or until ctx ends, reporting whether the full time
// elapsed. A timer (not time.Sleep) is used so a canceled client releases
// the handler goroutine at once.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// parseIndex accepts only canonical positive decimals ("7", not "07" or
// "+7"), so each page has exactly one URL and scrapers' de-duplication is
// not confused by aliases.
func parseIndex(s string) (int, bool) {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseCount is like parseIndex but also accepts "0".
func parseCount(s string) (int, bool) {
	if s == "0" {
		return 0, true
	}
	return parseIndex(s)
}

// writeBody sends a complete in-memory response with an exact
// Content-Length, which lets clients detect truncation.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write means the client left; nothing to do
}

// writeSimple sends a minimal HTML page with the given title.
func writeSimple(w http.ResponseWriter, status int, title, text string) {
	writeBody(w, status, "text/html; charset=utf-8", simplePage(title, text))
}

func simplePage(title, text string) []byte {
	t := html.EscapeString(title)
	b := make([]byte, 0, 256)
	b = append(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"...)
	b = append(b, t...)
	b = append(b, "</title>\n</head>\n<body>\n<h1>"...)
	b = append(b, t...)
	b = append(b, "</h1>\n<p>"...)
	b = append(b, html.EscapeString(text)...)
	b = append(b, "</p>\n<p><a href=\"/\">Back to the shop</a></p>\n</body>\n</html>\n"...)
	return b
}

func notFound(w http.ResponseWriter) {
	writeSimple(w, http.StatusNotFound, "Not found", "There is no such page in the Trawl demo shop.")
}

func badRequest(w http.ResponseWriter, text string) {
	writeSimple(w, http.StatusBadRequest, "Bad request", text)
}

// Index page pieces; the Content-Length of the index is computed from their
// lengths so the page can be streamed even with a million entries.
const (
	indexHead = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<title>Trawl demo shop</title>\n" +
		"<meta name=\"description\" content=\"Index of the Trawl demo shop.\">\n" +
		"</head>\n<body>\n<h1>Trawl demo shop</h1>\n<ul class=\"products\">\n"
	indexItemA = "<li><a href=\"/page/"
	indexItemB = "\">Product "
	indexItemC = "</a></li>\n"
	indexTail  = "</ul>\n</body>\n</html>\n"
)

func (h *handler) serveIndex(w http.ResponseWriter, r *http.Request) {
	n := h.pages
	size := int64(len(indexHead)+len(indexTail)) +
		int64(n)*int64(len(indexItemA)+len(indexItemB)+len(indexItemC)) +
		2*digitsUpTo(n)
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		// net/http would discard the body anyway; skip rendering what
		// may be tens of megabytes.
		return
	}

	bw := bufio.NewWriterSize(w, 32<<10)
	if _, err := bw.WriteString(indexHead); err != nil {
		return
	}
	var num []byte
	var scratch [20]byte
	for i := 1; i <= n; i++ {
		num = strconv.AppendInt(scratch[:0], int64(i), 10)
		bw.WriteString(indexItemA)
		bw.Write(num)
		bw.WriteString(indexItemB)
		bw.Write(num)
		if _, err := bw.WriteString(indexItemC); err != nil {
			// bufio errors are sticky, so checking once per item is
			// enough to stop promptly after the client disconnects.
			return
		}
	}
	bw.WriteString(indexTail)
	_ = bw.Flush()
}

// digitsUpTo returns the total number of decimal digits in 1..n.
func digitsUpTo(n int) int64 {
	var total int64
	for d, lo := int64(1), int64(1); lo <= int64(n); d, lo = d+1, lo*10 {
		hi := min(int64(n), lo*10-1)
		total += (hi - lo + 1) * d
	}
	return total
}

// relatedLinks is the number of "related product" links on each page; with
// the 3 navigation and 6 footer links every page has 21 <a href> links.
const relatedLinks = 12

// renderPage renders demo page i of n. It depends only on (i, n).
func renderPage(i, n int) []byte {
	b := make([]byte, 0, 3072)
	app := func(ss ...string) {
		for _, s := range ss {
			b = append(b, s...)
		}
	}
	num := func(v int) { b = strconv.AppendInt(b, int64(v), 10) }
	is := strconv.Itoa(i)

	// The title is split over lines with mixed indentation so that the
	// scraper's white-space collapsing is exercised; Title(i) is the
	// collapsed form.
	app("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<title>\n    Product ", is, " —\n\t  Trawl demo shop  \n</title>\n",
		"<meta name=\"description\" content=\"", html.EscapeString(Description(i)), "\">\n",
		"<link rel=\"canonical\" href=\"/page/", is, "\">\n",
		"<meta property=\"og:type\" content=\"product\">\n",
		"<meta property=\"og:title\" content=\"", html.EscapeString(Heading(i)), "\">\n",
		"<meta property=\"og:site_name\" content=\"Trawl demo shop\">\n",
		"<meta property=\"product:price:amount\" content=\"", Price(i)[1:], "\">\n",
		"<meta property=\"product:price:currency\" content=\"USD\">\n",
		"<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"Product\",\"name\":\"",
		Heading(i), "\",\"sku\":\"TD-", is, "\",\"offers\":{\"@type\":\"Offer\",\"price\":\"", Price(i)[1:],
		"\",\"priceCurrency\":\"USD\"}}</script>\n",
		"</head>\n<body id=\"top\">\n")

	prev, next := i-1, i+1
	if prev < 1 {
		prev = n
	}
	if next > n {
		next = 1
	}
	app("<nav>\n<a href=\"/\">Home</a>\n<a href=\"/page/")
	num(prev)
	app("\" rel=\"prev\">Previous</a>\n<a href=\"/page/")
	num(next)
	app("\" rel=\"next\">Next</a>\n</nav>\n")

	app("<main itemscope itemtype=\"https://schema.org/Product\">\n<h1 itemprop=\"name\">", html.EscapeString(Heading(i)), "</h1>\n",
		"<img src=\"/img/", is, ".png\" alt=\"Photo of product ", is, "\" width=\"1\" height=\"1\">\n",
		"<ul class=\"prices\">\n")
	labels := [...]string{"Price", "Was", "Member price", "Bulk price"}
	for k, p := range Prices(i) {
		app("<li>", labels[k], ": <span class=\"price\">", p, "</span></li>\n")
	}
	app("</ul>\n<p class=\"lead\" itemprop=\"description\">A fine product from the Trawl demo shop.</p>\n")

	// Related links use three spellings of the same kind of target so a
	// scraper must resolve relative references correctly to dedupe them.
	app("<h2>Related products</h2>\n<ul class=\"related\">\n")
	for k := 1; k <= relatedLinks; k++ {
		j := relatedPage(i, k, n)
		app("<li><a href=\"")
		switch k % 3 {
		case 0:
			app("/page/")
		case 1:
			app("../page/")
		}
		// k%3 == 2: a bare "{j}", relative to the current /page/ directory.
		num(j)
		app("\">Product ")
		num(j)
		app("</a></li>\n")
	}
	app("</ul>\n</main>\n")

	app("<footer>\n<a href=\"item?id=3\">Item 3 (old link)</a>\n",
		"<a href=\"/private/", is, "\">Staff notes</a>\n",
		"<a href=\"http://example.invalid/product/", is, "\">Manufacturer</a>\n",
		"<a href=\"#top\">Back to top</a>\n",
		"<a href=\"/page/1\">First product</a>\n",
		"<a href=\"/article\">How the shop scrapes politely</a>\n",
		"</footer>\n</body>\n</html>\n")
	return b
}

// relatedPage picks the k-th related page of page i among 1..n. Targets are
// spread evenly over the site so a crawl from /page/1 reaches far pages
// quickly, and are distinct for n ≥ relatedLinks; the last link repeats the
// first target (spelled differently) so scrapers must de-duplicate.
func relatedPage(i, k, n int) int {
	if n < 1 {
		return 1
	}
	if k == relatedLinks {
		k = 1
	}
	step := int64(max(1, n/relatedLinks))
	return int((int64(i-1)+int64(k)*step)%int64(n)) + 1
}

// articlePage is rendered once: it never changes.
var articlePage = sync.OnceValue(renderArticle)

// pixelPNG is the image served for every /img/{i}.png. It is encoded once;
// png.Encode is deterministic, so the bytes never change.
var pixelPNG = sync.OnceValue(func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.NRGBA{R: 0x2a, G: 0x7a, B: 0xb9, A: 0xff})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic("site: encoding pixel: " + err.Error()) // cannot happen for an in-memory buffer
	}
	return buf.Bytes()
})

func serveStatus(w http.ResponseWriter, s string) {
	code, ok := parseIndex(s)
	// 1xx codes are interim responses, not something a handler can end
	// with, so they are not offered.
	if !ok || code < 200 || code > 599 {
		notFound(w)
		return
	}
	if !bodyAllowed(code) {
		w.WriteHeader(code)
		return
	}
	text := http.StatusText(code)
	if text == "" {
		text = "Unknown status"
	}
	writeSimple(w, code, "Status "+strconv.Itoa(code), text+".")
}

// bodyAllowed mirrors net/http, which rejects bodies for these statuses.
func bodyAllowed(code int) bool {
	return code != http.StatusNoContent && code != http.StatusNotModified
}

// maxSlow bounds /slow so a typo cannot park a handler for days.
const maxSlow = 10 * time.Minute

func serveSlow(w http.ResponseWriter, r *http.Request) {
	ms, ok := parseCount(r.URL.Query().Get("ms"))
	if !ok || time.Duration(ms)*time.Millisecond > maxSlow {
		badRequest(w, "ms must be a whole number of milliseconds up to 600000.")
		return
	}
	if !wait(r.Context(), time.Duration(ms)*time.Millisecond) {
		return
	}
	writeSimple(w, http.StatusOK, "Slow", "This page took "+strconv.Itoa(ms)+" ms.")
}

func serveRedirect(w http.ResponseWriter, s string) {
	n, ok := parseCount(s)
	if !ok {
		notFound(w)
		return
	}
	if n == 0 {
		writeSimple(w, http.StatusOK, "Redirected", "The redirect chain ends here.")
		return
	}
	loc := "/redirect/" + strconv.Itoa(n-1)
	w.Header().Set("Location", loc)
	writeSimple(w, http.StatusFound, "Found", "Moved to "+loc+".")
}

// /big pieces: a valid HTML start, filler text with no markup (so cutting
// it anywhere still parses), and a closing tail when it fits.
const (
	bigHead = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Big</title>\n</head>\n<body>\n<p>\n"
	bigTail = "\n</p>\n</body>\n</html>\n"
	bigLine = "trawl big page filler: the quick brown fox jumps over the lazy dog\n"
)

// bigChunk is a read-only block of filler lines shared by all requests so
// streaming allocates nothing per chunk.
var bigChunk = []byte(strings.Repeat(bigLine, (32<<10)/len(bigLine)))

// maxBig keeps Content-Length arithmetic far from overflow.
const maxBig = 1 << 40

func serveBig(w http.ResponseWriter, r *http.Request) {
	n, ok := parseCount(r.URL.Query().Get("bytes"))
	if !ok || n > maxBig {
		badRequest(w, "bytes must be a whole number up to 1099511627776.")
		return
	}
	size := int64(n)
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}

	fixed := int64(len(bigHead) + len(bigTail))
	if size < fixed {
		// Too small for a complete page: send the page's start, cut to
		// size, so the byte count is still exact.
		_, _ = io.WriteString(w, (bigHead + bigTail)[:size])
		return
	}
	if _, err := io.WriteString(w, bigHead); err != nil {
		return
	}
	for left := size - fixed; left > 0; {
		c := bigChunk[:min(left, int64(len(bigChunk)))]
		if _, err := w.Write(c); err != nil {
			return // client went away
		}
		left -= int64(len(c))
	}
	_, _ = io.WriteString(w, bigTail)
}
