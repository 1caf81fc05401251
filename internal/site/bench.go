package site

// The benchmark site: deterministic pages /p/{i} whose title, description,
// prices, links and length are computable from i (and the page size), so the
// bench driver can check every record a client writes.

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// BenchLinksPerPage is the number of <a href> on every page.
	BenchLinksPerPage = 50
	// BenchPricesPerPage is the number of <span class="price"> on every page.
	BenchPricesPerPage = 3
	// benchLinkSpace is the modulus of link targets: independent of -pages so
	// the expected links depend on i alone.
	benchLinkSpace = 1000003
)

// BenchTitle is the collapsed text of page i's <title>.
func BenchTitle(i int) string {
	return "Product " + strconv.Itoa(i) + " & friends \u2014 trawl bench"
}

// BenchHeading is the text of page i's <h1>.
func BenchHeading(i int) string {
	return "Product " + strconv.Itoa(i)
}

// BenchDescription is page i's meta description content, entity-decoded.
func BenchDescription(i int) string {
	return "Bench page " + strconv.Itoa(i) + ": three prices, fifty links & filler."
}

// BenchPrice is the collapsed text of page i's k-th .price element.
func BenchPrice(i, k int) string {
	cents := (i*7919 + k*104729) % 100000
	return "$" + strconv.Itoa(cents/100) + "." + TwoDigits(cents%100)
}

func TwoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// BenchHref is the href of page i's k-th link as written in the HTML (after
// entity decoding): relative, absolute, protocol-relative, query-only and
// with a fragment. Absolute links name .invalid hosts (RFC 2606), which
// never resolve; nobody fetches them anyway.
func BenchHref(i, k int) string {
	j := strconv.Itoa((i*53 + k*97 + 11) % benchLinkSpace)
	switch k % 7 {
	case 0:
		return "/p/" + j
	case 1:
		return j // relative to /p/
	case 2:
		return "../p/" + j + "?ref=" + strconv.Itoa(i)
	case 3:
		return "http://links.invalid/item/" + j
	case 4:
		return "//cdn.invalid/img/" + j + ".png"
	case 5:
		return "?a=1&b=" + j
	default:
		return "/p/" + j + "#section-" + strconv.Itoa(k)
	}
}

// BenchLinks are page i's links resolved against the page's URL, in
// document order: what `links[]=a@href` must give.
func BenchLinks(base *url.URL, i int, dst []string) []string {
	dst = dst[:0]
	for k := 0; k < BenchLinksPerPage; k++ {
		ref, err := url.Parse(BenchHref(i, k))
		if err != nil {
			panic(err) // the hrefs above all parse
		}
		dst = append(dst, base.ResolveReference(ref).String())
	}
	return dst
}

// htmlEscapeHref writes an href as it appears in the attribute.
func htmlEscapeHref(s string) string {
	return strings.ReplaceAll(s, "&", "&amp;")
}

var (
	benchHead1 = []byte("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\n  Product ")
	benchHead2 = []byte(" &amp; friends \u2014\n  trawl bench\n</title>\n<meta name=\"viewport\" content=\"width=device-width\">\n<meta name=\"description\" content=\"Bench page ")
	benchHead3 = []byte(": three prices, fifty links &amp; filler.\">\n" +
		"<style>body{font-family:sans-serif}.price{color:#080}</style>\n" +
		"<script>var decoy = \"<title>not the title</title>\"; window.bench = 1;</script>\n" +
		"</head>\n<body>\n<header><h1>Product ")
	benchNavOpen = []byte("</h1><span class=\"priceless\">not a price</span></header>\n<nav>\n<ul>\n")
	benchFoot    = []byte("<footer><p>trawl bench site</p></footer>\n</body>\n</html>\n")
)

// filler is a ring of fixed-length paragraphs; a page takes as many as it
// needs to reach its size, starting at a place that depends on i.
var (
	fillerOnce  sync.Once
	fillerRing  []byte
	fillerParas int
)

const fillerLen = 160 // bytes per filler paragraph, newline included

func buildFiller() {
	words := strings.Fields("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor " +
		"incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco " +
		"laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse " +
		"cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia")
	fillerParas = 97
	var b []byte
	for p := 0; p < fillerParas; p++ {
		w := p * 13
		start := len(b)
		b = append(b, "<p class=\"filler\">"...)
		for len(b)-start < fillerLen-5 {
			b = append(b, words[w%len(words)]...)
			b = append(b, ' ')
			w++
		}
		b = b[:start+fillerLen-5]
		b = append(b, "</p>\n"...)
	}
	fillerRing = append(b, b...) // doubled, so any start has a whole run after it
}

// AppendBenchPage appends page i, about size bytes, to dst.
func AppendBenchPage(dst []byte, i, size int) []byte {
	fillerOnce.Do(buildFiller)
	start := len(dst)
	dst = append(dst, benchHead1...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, benchHead2...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, benchHead3...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, benchNavOpen...)
	for k := 0; k < BenchLinksPerPage; k++ {
		dst = append(dst, "<li><a href=\""...)
		dst = append(dst, htmlEscapeHref(BenchHref(i, k))...)
		dst = append(dst, "\">link "...)
		dst = strconv.AppendInt(dst, int64(k), 10)
		dst = append(dst, "</a></li>\n"...)
	}
	dst = append(dst, "</ul>\n</nav>\n<main>\n"...)
	for k := 0; k < BenchPricesPerPage; k++ {
		p := BenchPrice(i, k)
		switch k {
		case 0:
			dst = append(dst, "<div class=\"offer\"><span class=\"price\">\n      "...)
			dst = append(dst, p...)
			dst = append(dst, "\n    </span></div>\n"...)
		case 1:
			dst = append(dst, "<div class=\"offer\"><span class=\"price sale\"><b>$</b>"...)
			dst = append(dst, p[1:]...)
			dst = append(dst, "</span></div>\n"...)
		default:
			dst = append(dst, "<div class=\"offer\"><span class=\"old price\">"...)
			dst = append(dst, p...)
			dst = append(dst, "</span></div>\n"...)
		}
	}
	need := size - (len(dst) - start) - len(benchFoot) - len("</main>\n")
	if need > 0 {
		n := (need + fillerLen - 1) / fillerLen
		for n > 0 {
			off := ((i + n) % fillerParas) * fillerLen
			take := n
			if take > fillerParas {
				take = fillerParas
			}
			dst = append(dst, fillerRing[off:off+take*fillerLen]...)
			n -= take
		}
	}
	dst = append(dst, "</main>\n"...)
	dst = append(dst, benchFoot...)
	return dst
}

var benchPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// BenchPageLen is the length of page i.
func BenchPageLen(i, size int) int {
	bp := benchPool.Get().(*[]byte)
	b := AppendBenchPage((*bp)[:0], i, size)
	n := len(b)
	*bp = b
	benchPool.Put(bp)
	return n
}

const benchRobotsTxt = "User-agent: *\nAllow: /\n"

// Bench serves the benchmark site: pages /p/0 .. /p/{Pages-1} of about
// Size bytes, each after Latency, whose title, description, prices, links
// and length are computable from the page's number (and Size), so a
// benchmark can check every record a client writes.
type Bench struct {
	Size    int
	Pages   int
	Latency time.Duration
}

func (h *Bench) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.Latency > 0 {
		t := time.NewTimer(h.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/p/"):
		i, err := strconv.Atoi(r.URL.Path[3:])
		if err != nil || i < 0 || i >= h.Pages {
			http.NotFound(w, r)
			return
		}
		bp := benchPool.Get().(*[]byte)
		b := AppendBenchPage((*bp)[:0], i, h.Size)
		hd := w.Header()
		hd["Content-Type"] = []string{"text/html; charset=utf-8"}
		hd["Content-Length"] = []string{strconv.Itoa(len(b))}
		w.Write(b)
		*bp = b
		benchPool.Put(bp)
	case r.URL.Path == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, benchRobotsTxt)
	case r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><title>trawl bench site</title><p>pages <a href=\"/p/0\">/p/0</a> to /p/%d", h.Pages-1)
	default:
		http.NotFound(w, r)
	}
}
