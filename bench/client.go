package main

// The floors: the least a Go program must do to fetch the same URLs with the
// same concurrency, at three depths of parsing. Each prints one JSON line
// per URL, as trawl does, so the driver checks them the same way.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// clientRecord is the subset of trawl's record the floors and peers write,
// keys in trawl's order.
type clientRecord struct {
	URL         string        `json:"url"`
	Status      int           `json:"status"`
	Title       *string       `json:"title"`
	Description *string       `json:"description"`
	Fields      *selectFields `json:"fields,omitempty"`
	Bytes       int64         `json:"bytes"`
	ErrorKind   *string       `json:"error_kind"`
	Error       *string       `json:"error"`
}

// selectFields are the fields of the select scenario:
// -s h1=h1 -s 'links[]=a@href' -s 'price[]=.price'.
type selectFields struct {
	H1    *string  `json:"h1"`
	Links []string `json:"links"`
	Price []string `json:"price"`
}

type clientOpts struct {
	kind       string
	conc       int
	list       string
	sel        bool
	cpuprofile string
	memprofile string
}

func runClient(o clientOpts) error {
	switch o.kind {
	case "bare", "tokenizer", "parse":
	default:
		return fmt.Errorf("-client %q: want bare, tokenizer or parse", o.kind)
	}
	if o.conc < 1 {
		return fmt.Errorf("-c %d: want at least 1", o.conc)
	}
	if o.sel && o.kind != "parse" {
		return fmt.Errorf("-select needs -client parse (the %s floor extracts no fields)", o.kind)
	}
	in, err := os.Open(o.list)
	if err != nil {
		return err
	}
	defer in.Close()
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}

	tr := &http.Transport{
		Proxy:                 nil, // loopback only, never a proxy
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          0, // no limit in all; per host below
		MaxIdleConnsPerHost:   o.conc,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
	}
	client := &http.Client{Transport: tr, Timeout: 2 * time.Minute}

	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	var outMu sync.Mutex
	var writeErr error

	urls := make(chan string, 2*o.conc)
	var wg sync.WaitGroup
	for w := 0; w < o.conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := &floor{kind: o.kind, sel: o.sel, client: client, buf: make([]byte, 32<<10)}
			var line []byte
			for u := range urls {
				rec := f.fetch(u)
				var err error
				line, err = appendJSONLine(line[:0], rec)
				outMu.Lock()
				if err == nil {
					_, err = out.Write(line)
				}
				if err != nil && writeErr == nil {
					writeErr = err
				}
				outMu.Unlock()
			}
		}()
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		u := strings.TrimSpace(sc.Text())
		if u == "" || strings.HasPrefix(u, "#") {
			continue
		}
		urls <- u
	}
	close(urls)
	wg.Wait()
	if err := sc.Err(); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if writeErr != nil {
		return writeErr
	}
	if o.memprofile != "" {
		f, err := os.Create(o.memprofile)
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

func appendJSONLine(dst []byte, rec *clientRecord) ([]byte, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return dst, err
	}
	dst = append(dst, b...)
	return append(dst, '\n'), nil
}

// floor is one worker's state.
type floor struct {
	kind   string
	sel    bool
	client *http.Client
	buf    []byte
	sb     strings.Builder
}

// countingReader counts what is read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func errRecord(rec *clientRecord, kind string, err error) *clientRecord {
	k, m := kind, err.Error()
	rec.ErrorKind, rec.Error = &k, &m
	return rec
}

func (f *floor) fetch(u string) *clientRecord {
	rec := &clientRecord{URL: u}
	resp, err := f.client.Get(u)
	if err != nil {
		return errRecord(rec, "other", err)
	}
	defer resp.Body.Close()
	rec.Status = resp.StatusCode
	body := &countingReader{r: resp.Body}
	switch f.kind {
	case "tokenizer":
		rec.Title, rec.Description = f.tokenize(body)
	case "parse":
		doc, err := html.Parse(body)
		if err != nil {
			return errRecord(rec, "other", err)
		}
		f.walk(doc, rec, resp.Request.URL)
	}
	// Read the rest (all of it for bare): the byte count, and the
	// connection goes back to the pool.
	if _, err := io.CopyBuffer(io.Discard, body, f.buf); err != nil {
		return errRecord(rec, "other", err)
	}
	rec.Bytes = body.n
	if rec.Status >= 400 {
		return errRecord(rec, "http_status", fmt.Errorf("HTTP %d", rec.Status))
	}
	return rec
}

// tokenize pulls the title and meta description out of the head, stopping
// at </head> or <body>.
func (f *floor) tokenize(r io.Reader) (title, desc *string) {
	z := html.NewTokenizer(r)
	inTitle := false
	f.sb.Reset()
	for {
		switch z.Next() {
		case html.ErrorToken:
			return title, desc
		case html.TextToken:
			if inTitle {
				f.sb.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Title:
				inTitle = title == nil
			case atom.Meta:
				if desc != nil || !hasAttr {
					continue
				}
				var isDesc, hasContent bool
				var content string
				for more := true; more; {
					var k, v []byte
					k, v, more = z.TagAttr()
					switch string(k) {
					case "name":
						isDesc = bytes.EqualFold(v, []byte("description"))
					case "content":
						content, hasContent = string(v), true
					}
				}
				if isDesc && hasContent {
					s := collapseSpace(content)
					desc = &s
				}
			case atom.Body:
				return title, desc
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Title:
				if inTitle {
					s := collapseSpace(f.sb.String())
					title = &s
					inTitle = false
				}
			case atom.Head:
				return title, desc
			}
		}
	}
}

// walk takes title and description (and the select fields) from the tree
// in one pass, in document order.
func (f *floor) walk(doc *html.Node, rec *clientRecord, base *url.URL) {
	if f.sel {
		rec.Fields = &selectFields{Price: []string{}, Links: []string{}}
	}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Title:
				if rec.Title == nil {
					f.sb.Reset()
					textOf(c, &f.sb)
					s := collapseSpace(f.sb.String())
					rec.Title = &s
				}
			case atom.Meta:
				if rec.Description == nil && strings.EqualFold(getAttr(c, "name"), "description") {
					if v, ok := attrOK(c, "content"); ok {
						s := collapseSpace(v)
						rec.Description = &s
					}
				}
			case atom.H1:
				if f.sel && rec.Fields.H1 == nil {
					f.sb.Reset()
					textOf(c, &f.sb)
					s := collapseSpace(f.sb.String())
					rec.Fields.H1 = &s
				}
			case atom.A:
				if f.sel {
					if v, ok := attrOK(c, "href"); ok {
						if ref, err := url.Parse(strings.TrimSpace(v)); err == nil {
							rec.Fields.Links = append(rec.Fields.Links, base.ResolveReference(ref).String())
						}
					}
				}
			}
			if f.sel && hasClass(c, "price") {
				f.sb.Reset()
				textOf(c, &f.sb)
				rec.Fields.Price = append(rec.Fields.Price, collapseSpace(f.sb.String()))
			}
			visit(c)
		}
	}
	visit(doc)
}

func textOf(n *html.Node, sb *strings.Builder) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			sb.WriteString(c.Data)
		case html.ElementNode:
			textOf(c, sb)
		}
	}
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func getAttr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func hasClass(n *html.Node, class string) bool {
	v, ok := attrOK(n, "class")
	if !ok {
		return false
	}
	for v != "" {
		v = strings.TrimLeft(v, " \t\n\f\r")
		w := v
		if i := strings.IndexAny(v, " \t\n\f\r"); i >= 0 {
			w, v = v[:i], v[i:]
		} else {
			v = ""
		}
		if w == class {
			return true
		}
	}
	return false
}

// collapseSpace collapses white space runs to one space and trims.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
