package main

// The target site: deterministic pages /p/{i} whose title, description,
// prices, links and length are computable from i (and the page size), so the
// driver can check every record a client writes.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	// linksPerPage is the number of <a href> on every page.
	linksPerPage = 50
	// pricesPerPage is the number of <span class="price"> on every page.
	pricesPerPage = 3
	// linkSpace is the modulus of link targets: independent of -pages so
	// the expected links depend on i alone.
	linkSpace = 1000003
)

// pageTitle is the collapsed text of page i's <title>.
func pageTitle(i int) string {
	return "Product " + strconv.Itoa(i) + " & friends \u2014 trawl bench"
}

// pageDescription is page i's meta description content, entity-decoded.
func pageDescription(i int) string {
	return "Bench page " + strconv.Itoa(i) + ": three prices, fifty links & filler."
}

// pagePrice is the collapsed text of page i's k-th .price element.
func pagePrice(i, k int) string {
	cents := (i*7919 + k*104729) % 100000
	return "$" + strconv.Itoa(cents/100) + "." + twoDigits(cents%100)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// pageHref is the href of page i's k-th link as written in the HTML (after
// entity decoding): relative, absolute, protocol-relative, query-only and
// with a fragment. Absolute links name .invalid hosts (RFC 2606), which
// never resolve; nobody fetches them anyway.
func pageHref(i, k int) string {
	j := strconv.Itoa((i*53 + k*97 + 11) % linkSpace)
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

// pageLinks are page i's links resolved against the page's URL, in
// document order: what `links[]=a@href` must give.
func pageLinks(base *url.URL, i int, dst []string) []string {
	dst = dst[:0]
	for k := 0; k < linksPerPage; k++ {
		ref, err := url.Parse(pageHref(i, k))
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
	pageHead1 = []byte("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\n  Product ")
	pageHead2 = []byte(" &amp; friends \u2014\n  trawl bench\n</title>\n<meta name=\"viewport\" content=\"width=device-width\">\n<meta name=\"description\" content=\"Bench page ")
	pageHead3 = []byte(": three prices, fifty links &amp; filler.\">\n" +
		"<style>body{font-family:sans-serif}.price{color:#080}</style>\n" +
		"<script>var decoy = \"<title>not the title</title>\"; window.bench = 1;</script>\n" +
		"</head>\n<body>\n<header><h1>Product ")
	pageNavOpen = []byte("</h1><span class=\"priceless\">not a price</span></header>\n<nav>\n<ul>\n")
	pageFoot    = []byte("<footer><p>trawl bench site</p></footer>\n</body>\n</html>\n")
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

// appendPage appends page i, about size bytes, to dst.
func appendPage(dst []byte, i, size int) []byte {
	fillerOnce.Do(buildFiller)
	start := len(dst)
	dst = append(dst, pageHead1...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, pageHead2...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, pageHead3...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, pageNavOpen...)
	for k := 0; k < linksPerPage; k++ {
		dst = append(dst, "<li><a href=\""...)
		dst = append(dst, htmlEscapeHref(pageHref(i, k))...)
		dst = append(dst, "\">link "...)
		dst = strconv.AppendInt(dst, int64(k), 10)
		dst = append(dst, "</a></li>\n"...)
	}
	dst = append(dst, "</ul>\n</nav>\n<main>\n"...)
	for k := 0; k < pricesPerPage; k++ {
		p := pagePrice(i, k)
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
	need := size - (len(dst) - start) - len(pageFoot) - len("</main>\n")
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
	dst = append(dst, pageFoot...)
	return dst
}

var pagePool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// pageLen is the length of page i.
func pageLen(i, size int) int {
	bp := pagePool.Get().(*[]byte)
	b := appendPage((*bp)[:0], i, size)
	n := len(b)
	*bp = b
	pagePool.Put(bp)
	return n
}

const robotsTxt = "User-agent: *\nAllow: /\n"

// siteHandler serves pages 0..pages-1 of about size bytes, each after latency.
type siteHandler struct {
	size    int
	pages   int
	latency time.Duration
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.latency > 0 {
		t := time.NewTimer(h.latency)
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
		if err != nil || i < 0 || i >= h.pages {
			http.NotFound(w, r)
			return
		}
		bp := pagePool.Get().(*[]byte)
		b := appendPage((*bp)[:0], i, h.size)
		hd := w.Header()
		hd["Content-Type"] = []string{"text/html; charset=utf-8"}
		hd["Content-Length"] = []string{strconv.Itoa(len(b))}
		w.Write(b)
		*bp = b
		pagePool.Put(bp)
	case r.URL.Path == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, robotsTxt)
	case r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><title>trawl bench site</title><p>pages <a href=\"/p/0\">/p/0</a> to /p/%d", h.pages-1)
	default:
		http.NotFound(w, r)
	}
}

// serveOpts are the flags of -serve.
type serveOpts struct {
	addr     string
	size     int
	latency  time.Duration
	pages    int
	hosts    int
	lifetime time.Duration
	// watchStdin stops the site when stdin reaches EOF: the driver holds
	// the pipe, so the site dies with it.
	watchStdin bool
}

// runServe listens, prints the base URLs (space-separated) as the first
// line of stdout, and serves until a signal, the end of its lifetime, or
// (with watchStdin, as the driver starts it) the end of stdin: it never
// outlives its purpose.
func runServe(o serveOpts) error {
	if o.size < 0 || o.pages < 1 || o.hosts < 0 || o.hosts > 254 {
		return errors.New("-serve: want -size >= 0, -pages >= 1, 0 <= -hosts <= 254")
	}
	host, port, err := net.SplitHostPort(o.addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", o.addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: the bench site listens on loopback addresses only", o.addr)
	}
	var lns []net.Listener
	if o.hosts == 0 {
		ln, err := net.Listen("tcp", o.addr)
		if err != nil {
			return err
		}
		lns = append(lns, ln)
	} else {
		// 127.0.1.1 ... 127.0.1.H: the same port when it is free on all,
		// else each its own.
		for h := 1; h <= o.hosts; h++ {
			a := net.JoinHostPort(fmt.Sprintf("127.0.1.%d", h), port)
			ln, err := net.Listen("tcp", a)
			if err != nil && port != "0" {
				ln, err = net.Listen("tcp", net.JoinHostPort(fmt.Sprintf("127.0.1.%d", h), "0"))
			}
			if err != nil {
				return err
			}
			if h == 1 && port == "0" {
				_, port, _ = net.SplitHostPort(ln.Addr().String())
			}
			lns = append(lns, ln)
		}
	}
	srv := &http.Server{
		Handler:           &siteHandler{size: o.size, pages: o.pages, latency: o.latency},
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}
	var bases []string
	for _, ln := range lns {
		bases = append(bases, "http://"+ln.Addr().String())
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, strings.Join(bases, " "))
	if err := w.Flush(); err != nil {
		return err
	}

	errc := make(chan error, len(lns))
	for _, ln := range lns {
		go func(ln net.Listener) { errc <- srv.Serve(ln) }(ln)
	}
	stdinGone := make(chan struct{})
	if o.watchStdin {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			close(stdinGone)
		}()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	life := time.NewTimer(o.lifetime)
	defer life.Stop()
	select {
	case <-stdinGone:
	case <-sig:
	case <-life.C:
		fmt.Fprintln(os.Stderr, "bench site: lifetime over, stopping")
	case err := <-errc:
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	return nil
}
