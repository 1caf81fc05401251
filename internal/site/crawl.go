package site

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CrawlSite is a generated site for the tests of `trawl crawl`: a tree of
// pages with cycles, fragments, redirects, nofollow pages, links a crawler
// must not follow, and sitemaps (an index, a gzipped one) listing pages no
// link reaches. Every page is a pure function of its number, and Reach
// computes what a crawl of it must fetch.
//
//	/                    301 to /n/0, the root
//	/n/{i}               node i, 0 ≤ i < Pages: links to its children
//	                     i·Fanout+1 … i·Fanout+Fanout, to its parent and
//	                     the root (cycles), to itself with a fragment, and
//	                     to what must not be followed
//	/r/{i}               301 to /n/{i}: the children of nodes i%7 == 3 are
//	                     linked through it
//	/o/{k}               orphan k, 0 ≤ k < Orphans: only the sitemaps list it
//	/secret/{i}          disallowed by robots.txt
//	/robots.txt          Disallow: /secret/, and a Sitemap: line
//	/sitemap.xml         an index of /sitemap-a.xml and /sitemap-b.xml.gz
//	/sitemap-a.xml       the first half of the orphans
//	/sitemap-b.xml.gz    the rest, gzipped, and a /secret/ URL
//
// Node i%11 == 5 says <meta name=robots content=nofollow>; node i%13 == 6
// sends X-Robots-Tag: nofollow: a crawl obeying robots takes no links from
// them. The first child link of node i%4 == 1 has rel=nofollow, a hint a
// crawl still follows.
type CrawlSite struct {
	Pages   int
	Fanout  int
	Orphans int
	// Latency is added before every response.
	Latency time.Duration
	// Plain nodes link to their children, parent and the root only: no
	// redirect, no nofollow, nothing not to follow (the crawl benchmark).
	Plain bool
}

// NofollowMeta and NofollowHeader say which nodes forbid following.
func NofollowMeta(i int) bool   { return i%11 == 5 }
func NofollowHeader(i int) bool { return i%13 == 6 }

// viaRedirect says whether node i links its children through /r/.
func viaRedirect(i int) bool { return i%7 == 3 }

func (s *CrawlSite) nofollowMeta(i int) bool   { return !s.Plain && NofollowMeta(i) }
func (s *CrawlSite) nofollowHeader(i int) bool { return !s.Plain && NofollowHeader(i) }

// Children are node i's children.
func (s *CrawlSite) Children(i int) []int {
	var cs []int
	for k := 1; k <= s.Fanout; k++ {
		if c := i*s.Fanout + k; c < s.Pages {
			cs = append(cs, c)
		}
	}
	return cs
}

// Parent is node i's parent (the root is its own).
func (s *CrawlSite) Parent(i int) int {
	if i == 0 {
		return 0
	}
	return (i - 1) / s.Fanout
}

// Reach is what a crawl from "/" must fetch, by path: the depth of each
// node reached through links within depth (the root is depth 0), and, with
// sitemaps, every orphan at depth 1. obey says robots directives are
// obeyed (no links from nofollow nodes). Redirect hops are not listed: a
// node linked through /r/ is at the depth of the link.
func (s *CrawlSite) Reach(depth int, obey, sitemaps bool) map[string]int {
	reach := map[string]int{"/n/0": 0}
	frontier := []int{0}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []int
		for _, i := range frontier {
			if obey && (s.nofollowMeta(i) || s.nofollowHeader(i)) {
				continue
			}
			for _, c := range s.Children(i) {
				p := "/n/" + strconv.Itoa(c)
				if _, ok := reach[p]; !ok {
					reach[p] = d
					next = append(next, c)
				}
			}
		}
		frontier = next
	}
	if sitemaps && depth >= 1 {
		for k := 0; k < s.Orphans; k++ {
			reach["/o/"+strconv.Itoa(k)] = 1
		}
	}
	return reach
}

func (s *CrawlSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.Latency > 0 && !wait(r.Context(), s.Latency) {
		return
	}
	p := r.URL.Path
	num := func(prefix string) (int, bool) {
		i, err := strconv.Atoi(strings.TrimPrefix(p, prefix))
		return i, err == nil && i >= 0 && strconv.Itoa(i) == strings.TrimPrefix(p, prefix)
	}
	switch {
	case p == "/":
		http.Redirect(w, r, "/n/0", http.StatusMovedPermanently)
	case p == "/robots.txt":
		writeBody(w, 200, "text/plain", []byte("User-agent: *\nDisallow: /secret/\nSitemap: http://"+r.Host+"/sitemap.xml\n"))
	case p == "/sitemap.xml":
		base := "http://" + r.Host
		writeBody(w, 200, "application/xml", []byte(`<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>`+base+`/sitemap-a.xml</loc></sitemap>
<sitemap><loc>`+base+`/sitemap-b.xml.gz</loc></sitemap>
</sitemapindex>
`))
	case p == "/sitemap-a.xml":
		writeBody(w, 200, "application/xml", s.urlset(r.Host, 0, s.Orphans/2, false))
	case p == "/sitemap-b.xml.gz":
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(s.urlset(r.Host, s.Orphans/2, s.Orphans, true))
		zw.Close()
		writeBody(w, 200, "application/gzip", b.Bytes())
	case strings.HasPrefix(p, "/n/"):
		i, ok := num("/n/")
		if !ok || i >= s.Pages {
			notFound(w)
			return
		}
		if s.nofollowHeader(i) {
			w.Header().Set("X-Robots-Tag", "nofollow")
		}
		// Nodes never change: they carry an ETag and answer a
		// conditional request with 304 (--cache).
		etag := `"n` + strconv.Itoa(i) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		writeBody(w, 200, "text/html; charset=utf-8", s.node(i))
	case strings.HasPrefix(p, "/r/"):
		i, ok := num("/r/")
		if !ok || i >= s.Pages {
			notFound(w)
			return
		}
		http.Redirect(w, r, "/n/"+strconv.Itoa(i), http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/o/"):
		k, ok := num("/o/")
		if !ok || k >= s.Orphans {
			notFound(w)
			return
		}
		writeSimple(w, 200, "Orphan "+strconv.Itoa(k), "Only the sitemaps lead here.")
	case strings.HasPrefix(p, "/secret/"):
		writeSimple(w, 200, "Secret", "robots.txt disallows this page.")
	default:
		notFound(w)
	}
}

func (s *CrawlSite) urlset(host string, from, to int, secret bool) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for k := from; k < to; k++ {
		fmt.Fprintf(&b, "<url><loc>http://%s/o/%d</loc></url>\n", host, k)
	}
	if secret {
		fmt.Fprintf(&b, "<url><loc>http://%s/secret/from-sitemap</loc></url>\n", host)
		b.WriteString("<url><loc>http://elsewhere.invalid/o/1</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// node renders node i.
func (s *CrawlSite) node(i int) []byte {
	var b bytes.Buffer
	is := strconv.Itoa(i)
	b.WriteString("<!DOCTYPE html><html><head><title>Node " + is + "</title>")
	if s.nofollowMeta(i) {
		b.WriteString(`<meta name="robots" content="noindex, nofollow">`)
	}
	b.WriteString("</head><body><h1>Node " + is + "</h1>\n<ul>\n")
	for k, c := range s.Children(i) {
		cs := strconv.Itoa(c)
		var href string
		switch {
		case viaRedirect(i) && !s.Plain:
			href = "/r/" + cs
		case k%3 == 0:
			href = "/n/" + cs
		case k%3 == 1:
			href = cs // relative to /n/
		default:
			href = "/n/" + cs + "#part-2"
		}
		rel := ""
		if k == 0 && i%4 == 1 {
			rel = ` rel="nofollow"`
		}
		fmt.Fprintf(&b, "<li><a href=\"%s\"%s>Node %s</a></li>\n", href, rel, cs)
	}
	if s.Plain {
		fmt.Fprintf(&b, "</ul>\n<nav><a href=\"/n/%d\">Up</a> <a href=\"/n/0\">Home</a></nav>\n</body></html>\n", s.Parent(i))
		return b.Bytes()
	}
	fmt.Fprintf(&b, "</ul>\n<nav><a href=\"/n/%d\">Up</a> <a href=\"/\">Home</a> <a href=\"#top\">Top</a> <a href=\"/n/%s#again\">Here</a></nav>\n", s.Parent(i), is)
	b.WriteString("<footer><a href=\"http://elsewhere.invalid/x\">Elsewhere</a> <a href=\"mailto:node@example.invalid\">Mail</a> " +
		"<a href=\"javascript:void(0)\">Script</a> <a href=\"/secret/" + is + "\">Secret</a></footer>\n</body></html>\n")
	return b.Bytes()
}
