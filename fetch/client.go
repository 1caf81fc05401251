package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// attemptState travels in a request's context so that CheckRedirect, which
// sees only the request, can say why it stopped.
type attemptState struct{ redirectErr error }

type stateKey struct{}

// newClient builds the one HTTP client of a run: a transport tuned for many
// hosts and sized to the concurrency, and the --max-redirects policy.
func newClient(cfg *Config) *http.Client {
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	proxy := http.ProxyFromEnvironment
	if cfg.Proxy != nil {
		proxy = http.ProxyURL(cfg.Proxy)
	}
	perHost := cfg.PerHost
	if perHost <= 0 || perHost > cfg.Concurrency {
		perHost = cfg.Concurrency
	}
	tr := &http.Transport{
		Proxy:                 proxy,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: cfg.Insecure}, //nolint:gosec // --insecure asks for it
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4 * cfg.Concurrency,
		MaxIdleConnsPerHost:   perHost + 1, // +1: the robots.txt request
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// trawl asks for gzip, br and zstd itself and caps the decompressed size.
		DisableCompression: true,
	}
	maxRedirects := cfg.MaxRedirects
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			st, _ := req.Context().Value(stateKey{}).(*attemptState)
			var err error
			switch {
			case req.URL.Scheme != "http" && req.URL.Scheme != "https":
				err = &redirectError{fmt.Sprintf("redirect to %q: scheme is not http or https", req.URL.Redacted())}
			case len(via) > maxRedirects:
				err = &redirectError{fmt.Sprintf("stopped after %d redirects (--max-redirects %d)", len(via)-1, maxRedirects)}
			default:
				return nil
			}
			if st != nil {
				st.redirectErr = err
			}
			// Hand back the last 3xx so the record has its status and URL.
			return http.ErrUseLastResponse
		},
	}
}

// acceptEncoding is what trawl can decompress.
const acceptEncoding = "gzip, br, zstd"

// decoder wraps body in the decompressor that Content-Encoding names.
func decoder(body io.Reader, encoding string) (io.Reader, func(), error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, func() {}, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip body: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	case "br":
		return brotli.NewReader(body), func() {}, nil
	case "zstd":
		zr, err := zstd.NewReader(body, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(256<<20))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd body: %w", err)
		}
		return zr, zr.Close, nil
	case "deflate":
		// Servers send zlib-wrapped or raw deflate under this name.
		return newDeflate(body), func() {}, nil
	}
	return nil, nil, fmt.Errorf("unsupported Content-Encoding %q", encoding)
}

// newDeflate reads zlib or, failing its header check, raw deflate.
func newDeflate(body io.Reader) io.Reader {
	br := bufio.NewReaderSize(body, 16)
	if hdr, err := br.Peek(2); err == nil && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
		br.Discard(2)
	}
	return flate.NewReader(br)
}

// bufPool holds body buffers, so a page costs no new buffer once the pool is
// warm. A buffer that grew past maxPooled is let go, to keep memory bounded.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

const maxPooled = 1 << 20

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) <= maxPooled {
		*b = (*b)[:0]
		bufPool.Put(b)
	}
}

// readBody reads r into buf up to max bytes. It returns errTooLarge when
// the body has more, with the first max bytes read.
func readBody(r io.Reader, buf []byte, max int64) ([]byte, error) {
	for {
		if int64(len(buf)) >= max {
			// One byte more tells whether the body was larger.
			var one [1]byte
			n, err := io.ReadFull(r, one[:])
			if n > 0 {
				return buf, errTooLarge
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return buf, nil
			}
			return buf, err
		}
		if len(buf) == cap(buf) {
			grow := cap(buf)
			if grow < 4096 {
				grow = 4096
			}
			if int64(cap(buf)+grow) > max+1 {
				grow = int(max + 1 - int64(cap(buf)))
			}
			nb := make([]byte, len(buf), cap(buf)+grow)
			copy(nb, buf)
			buf = nb
		}
		end := cap(buf)
		if int64(end) > max {
			end = int(max)
		}
		n, err := r.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// mediaType is the lower-case media type of a Content-Type value.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt
}

func isHTML(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// withState returns ctx carrying a fresh attemptState.
func withState(ctx context.Context) (context.Context, *attemptState) {
	st := &attemptState{}
	return context.WithValue(ctx, stateKey{}, st), st
}
