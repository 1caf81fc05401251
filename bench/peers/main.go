// Command colly-bench is trawl's bench peer: colly v2 doing trawl's default
// extraction (title, meta description) and, with -select, the select
// scenario's fields (the first h1's text, .price texts, a@href resolved to absolute URLs), with
// colly.Async(true) and a LimitRule of Parallelism -c. It prints one JSON
// line per URL with the keys of trawl's records, so the bench driver checks
// it as it checks trawl.
//
//	colly-bench -c 64 -list urls.txt [-select] > out.jsonl
//
// Build: cd bench/peers && go build -o ../../bin/colly-bench .
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"
)

// record has the keys of trawl's records that the bench checks, in
// trawl's order.
type record struct {
	URL         string  `json:"url"`
	Status      int     `json:"status"`
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Fields      *fields `json:"fields,omitempty"`
	Bytes       int64   `json:"bytes"`
	ErrorKind   *string `json:"error_kind"`
	Error       *string `json:"error"`
}

type fields struct {
	H1    *string  `json:"h1"`
	Links []string `json:"links"`
	Price []string `json:"price"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "colly-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	conc := flag.Int("c", 64, "requests in flight (LimitRule Parallelism)")
	list := flag.String("list", "", "the URL list `FILE`, one URL a line")
	sel := flag.Bool("select", false, "also extract the h1 text, .price texts and absolute a@href links")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	memprofile := flag.String("memprofile", "", "write a heap profile to `FILE`")
	version := flag.Bool("version", false, "print colly's version and exit")
	flag.Parse()
	if *version {
		fmt.Println(collyVersion())
		return nil
	}
	if *list == "" || *conc < 1 || flag.NArg() > 0 {
		flag.Usage()
		return fmt.Errorf("want -list FILE and -c >= 1")
	}
	in, err := os.Open(*list)
	if err != nil {
		return err
	}
	defer in.Close()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}

	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	var mu sync.Mutex
	var writeErr error
	write := func(r *record) {
		b, err := json.Marshal(r)
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			b = append(b, '\n')
			_, err = out.Write(b)
		}
		if err != nil && writeErr == nil {
			writeErr = err
		}
	}

	c := colly.NewCollector(colly.Async(true))
	// The same tuned transport as the floors: without it colly keeps 2 idle
	// connections a host and churns through ephemeral ports.
	c.WithTransport(&http.Transport{
		Proxy:                 nil, // loopback only
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   *conc,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
	})
	c.SetRequestTimeout(2 * time.Minute)
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: *conc}); err != nil {
		return err
	}
	c.OnResponse(func(r *colly.Response) {
		r.Ctx.Put("rec", &record{URL: r.Request.URL.String(), Status: r.StatusCode, Bytes: int64(len(r.Body))})
	})
	c.OnHTML("html", func(e *colly.HTMLElement) {
		rec, _ := e.Request.Ctx.GetAny("rec").(*record)
		if rec == nil {
			return
		}
		t := collapse(e.DOM.Find("title").First().Text())
		rec.Title = &t
		if v, ok := e.DOM.Find(`meta[name=description]`).First().Attr("content"); ok {
			d := collapse(v)
			rec.Description = &d
		}
		if !*sel {
			return
		}
		f := &fields{Price: []string{}, Links: []string{}}
		if h := e.DOM.Find("h1").First(); h.Length() > 0 {
			t := collapse(h.Text())
			f.H1 = &t
		}
		e.ForEach(".price", func(_ int, p *colly.HTMLElement) {
			f.Price = append(f.Price, collapse(p.Text))
		})
		e.DOM.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			// Not e.Request.AbsoluteURL: it drops fragments, trawl keeps them.
			if ref, err := url.Parse(strings.TrimSpace(href)); err == nil {
				f.Links = append(f.Links, e.Request.URL.ResolveReference(ref).String())
			}
		})
		rec.Fields = f
	})
	c.OnScraped(func(r *colly.Response) {
		if rec, _ := r.Ctx.GetAny("rec").(*record); rec != nil {
			write(rec)
		}
	})
	c.OnError(func(r *colly.Response, err error) {
		u := ""
		if r.Request != nil {
			u = r.Request.URL.String()
		}
		k, m := "other", err.Error()
		if r.StatusCode >= 400 {
			k = "http_status"
		}
		write(&record{URL: u, Status: r.StatusCode, Bytes: int64(len(r.Body)), ErrorKind: &k, Error: &m})
	})

	sc := bufio.NewScanner(in)
	for sc.Scan() {
		u := strings.TrimSpace(sc.Text())
		if u == "" || strings.HasPrefix(u, "#") {
			continue
		}
		if err := c.Visit(u); err != nil {
			k, m := "other", err.Error()
			write(&record{URL: u, ErrorKind: &k, Error: &m})
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	c.Wait()
	if err := out.Flush(); err != nil {
		return err
	}
	if writeErr != nil {
		return writeErr
	}
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			return err
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			return err
		}
		return f.Close()
	}
	return nil
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func collyVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/gocolly/colly/v2" {
				return "colly " + m.Version + " (" + runtime.Version() + ")"
			}
		}
	}
	return "colly (unknown version)"
}
