package fetch

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/trawl-dev/trawl/extract"
	"github.com/trawl-dev/trawl/output"
	"github.com/trawl-dev/trawl/ratelimit"
)

// bodyRun fetches one URL with cfg and returns its record.
func bodyRun(t *testing.T, cfg Config, raw string) *output.Record {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	jobs := make(chan Job, 1)
	jobs <- Job{Raw: raw, URL: u}
	close(jobs)
	out := make(chan *output.Record, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- New(cfg).Run(ctx, nil, jobs, out) }()
	var recs []*output.Record
	for r := range out {
		recs = append(recs, r)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	return recs[0]
}

func bodyConfig() Config {
	return Config{Limits: ratelimit.Limits{Concurrency: 2, PerHost: 2}, Extractor: extract.NewExtractor(extract.Config{}), Timeout: 20 * time.Second, ConnectTimeout: 5 * time.Second,
		MaxRedirects: 10, MaxBody: 10 << 20, IgnoreRobots: true, UserAgent: "trawl/test"}
}

const bodyPage = `<html><head><title>Compressed page</title><meta name="description" content="squeezed"></head><body><p class="x">hello</p>` +
	`<a href="/rel">r</a></body></html>`

func TestCompressedBodies(t *testing.T) {
	encoders := map[string]func(io.Writer) io.WriteCloser{
		"gzip": func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) },
		"br":   func(w io.Writer) io.WriteCloser { return brotli.NewWriter(w) },
		"zstd": func(w io.Writer) io.WriteCloser {
			z, _ := zstd.NewWriter(w)
			return z
		},
		"deflate": func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) },
	}
	var accept atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept.Store(r.Header.Get("Accept-Encoding"))
		enc := strings.TrimPrefix(r.URL.Path, "/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", enc)
		zw := encoders[enc](w)
		io.WriteString(zw, bodyPage)
		zw.Close()
	}))
	defer srv.Close()
	rules, _ := extract.Compile([]string{"x=.x", "l=a@href"})
	cfg := bodyConfig()
	cfg.Extractor = extract.NewExtractor(extract.Config{Rules: rules})
	for enc := range encoders {
		rec := bodyRun(t, cfg, srv.URL+"/"+enc)
		if rec.ErrorKind != "" || rec.Title == nil || *rec.Title != "Compressed page" || rec.Bytes != int64(len(bodyPage)) ||
			*rec.Fields[0].Value.Str != "hello" || *rec.Fields[1].Value.Str != srv.URL+"/rel" {
			t.Errorf("%s: kind %q error %q title %v bytes %d", enc, rec.ErrorKind, rec.Error, rec.Title, rec.Bytes)
		}
	}
	if got := accept.Load(); got != "gzip, br, zstd" {
		t.Errorf("Accept-Encoding = %q", got)
	}
}

// TestCompressionBombCapped: a gzip body that inflates to 64 MiB costs at
// most --max-body of reading.
func TestCompressionBombCapped(t *testing.T) {
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	io.WriteString(zw, "<title>Bomb</title>")
	zw.Write(make([]byte, 64<<20))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	}))
	defer srv.Close()
	cfg := bodyConfig()
	cfg.MaxBody = 256 << 10
	rec := bodyRun(t, cfg, srv.URL)
	if rec.ErrorKind != output.KindTooLarge || rec.Bytes != 256<<10 || rec.Title == nil || *rec.Title != "Bomb" {
		t.Errorf("bomb: kind %q bytes %d title %v", rec.ErrorKind, rec.Bytes, rec.Title)
	}
}

// TestHugeBodyCutOff: a 200 MB response with a 1 MiB cap stops being read
// after about 1 MiB (the server's writes fail once the connection closes;
// socket buffers let a few MiB more through), and the heap stays small.
func TestHugeBodyCutOff(t *testing.T) {
	var written atomic.Int64
	chunk := bytes.Repeat([]byte("filler text "), 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "200000000")
		n, _ := io.WriteString(w, "<title>Huge</title>")
		written.Add(int64(n))
		for written.Load() < 200_000_000 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cfg := bodyConfig()
	cfg.MaxBody = 1 << 20
	rec := bodyRun(t, cfg, srv.URL)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if rec.ErrorKind != output.KindTooLarge || rec.Bytes != 1<<20 || rec.Title == nil || *rec.Title != "Huge" {
		t.Fatalf("kind %q bytes %d title %v", rec.ErrorKind, rec.Bytes, rec.Title)
	}
	if !strings.Contains(rec.Error, "1.0 MiB") {
		t.Errorf("error %q", rec.Error)
	}
	// Wait for the server to notice the closed connection.
	deadline := time.Now().Add(10 * time.Second)
	for {
		w1 := written.Load()
		time.Sleep(100 * time.Millisecond)
		if written.Load() == w1 || time.Now().After(deadline) {
			break
		}
	}
	if w := written.Load(); w > 32<<20 {
		t.Errorf("server wrote %d MB before the connection closed; want about 1 MiB plus socket buffers", w>>20)
	}
	// Everything allocated during the fetch, client and in-process server
	// together: a body buffered whole would be 200 MB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("%d MB allocated for a 1 MiB cap", alloc>>20)
	}
	t.Logf("allocated %.1f MB, server wrote %.1f MB", float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), float64(written.Load())/(1<<20))
}

func TestNonHTMLAndSniffed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"title":"<title>no</title>"}`)
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n<title>no</title>"))
		case "/untyped":
			w.Header()["Content-Type"] = nil // no Content-Type at all
			fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Sniffed</title></head></html>")
		}
	}))
	defer srv.Close()
	rules, _ := extract.Compile([]string{"t=title", "all[]=title"})
	cfg := bodyConfig()
	cfg.Extractor = extract.NewExtractor(extract.Config{Rules: rules})
	for _, path := range []string{"/json", "/png"} {
		rec := bodyRun(t, cfg, srv.URL+path)
		if rec.ErrorKind != "" || rec.Title != nil || rec.Bytes == 0 || rec.Fields[0].Value.Str != nil ||
			rec.Fields[1].Value.List == nil || len(rec.Fields[1].Value.List) != 0 {
			t.Errorf("%s: kind %q title %v fields %+v", path, rec.ErrorKind, rec.Title, rec.Fields)
		}
	}
	rec := bodyRun(t, cfg, srv.URL+"/untyped")
	if rec.ContentType != nil || rec.Title == nil || *rec.Title != "Sniffed" {
		t.Errorf("untyped: content_type %v title %v", rec.ContentType, rec.Title)
	}
}

// TestCharsetsEndToEnd: pages in legacy encodings, declared by header, by
// meta only and by BOM, come out of the scraper as the right UTF-8.
func TestCharsetsEndToEnd(t *testing.T) {
	cases := []struct{ file, ct, title string }{
		{"koi8-r.header.html", "text/html; charset=koi8-r", "Съешь ещё этих мягких французских булок"},
		{"shift_jis.meta.html", "text/html", "日本語のページ"},
		{"big5.meta.html", "text/html", "繁體中文網頁"},
		{"utf-16le.bom.html", "text/html", "Grüße, 世界 ✓ 😀"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range cases {
			if r.URL.Path == "/"+c.file {
				b, err := os.ReadFile("../testdata/charset/" + c.file)
				if err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
				w.Header().Set("Content-Type", c.ct)
				w.Write(b)
				return
			}
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	for _, c := range cases {
		rec := bodyRun(t, bodyConfig(), srv.URL+"/"+c.file)
		if rec.ErrorKind != "" || rec.Title == nil || *rec.Title != c.title {
			t.Errorf("%s: kind %q title %q, want %q", c.file, rec.ErrorKind, str(rec.Title), c.title)
		}
	}
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestUndecodableBodyNotRetried: a Content-Encoding trawl cannot decode is
// the same on every attempt, so it fails at once.
func TestUndecodableBodyNotRetried(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "compress")
		fmt.Fprint(w, "\x1f\x9d garbage")
	}))
	defer srv.Close()
	cfg := bodyConfig()
	cfg.Retries, cfg.RetryWait = 2, time.Millisecond
	rec := bodyRun(t, cfg, srv.URL)
	if rec.ErrorKind != output.KindOther || rec.Attempts != 1 || hits.Load() != 1 || rec.Status != 200 ||
		rec.Error != `reading body: unsupported Content-Encoding "compress"` {
		t.Errorf("kind %q attempts %d hits %d status %d error %q", rec.ErrorKind, rec.Attempts, hits.Load(), rec.Status, rec.Error)
	}
}
