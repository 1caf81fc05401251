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
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// clients are the HTTP clients of a run. None follows redirects by itself:
// every hop is a request the scheduler dispatches, with that origin's
// robots.txt and that host's limits (SPEC.md, "Redirects and politeness").
type clients struct {
	// page sends the requests of listed URLs, and of hops that may go to
	// any address. It is the transport itself, not an http.Client: a client
	// would parse the Location of a 3xx and fail the request on one that
	// does not parse, where trawl wants the response.
	page http.RoundTripper
	// guarded sends the hops that follow a redirect from a public address:
	// its dialer refuses loopback, private and link-local addresses.
	guarded http.RoundTripper
	// robots fetches robots.txt, following its redirects as RFC 9309 asks
	// (up to five).
	robots *http.Client
}

// newClients builds the transports of a run, tuned for many hosts and
// sized to the concurrency.
func newClients(cfg *Config, public func(netip.Addr) bool) *clients {
	page := newTransport(cfg, nil)
	guard := func(_ context.Context, _, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err == nil && !public(ap.Addr().Unmap()) {
			return &redirectError{fmt.Sprintf("redirect from a public address to %s refused (--allow-private-redirects allows it)", ap.Addr().Unmap())}
		}
		return nil
	}
	return &clients{
		page:    page,
		guarded: newTransport(cfg, guard),
		robots: &http.Client{Transport: page, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > maxRobotsRedirects {
				return fmt.Errorf("robots.txt: more than %d redirects", maxRobotsRedirects)
			}
			return nil
		}},
	}
}

// maxRobotsRedirects is RFC 9309's "at least five consecutive redirects".
const maxRobotsRedirects = 5

func newTransport(cfg *Config, control func(context.Context, string, string, syscall.RawConn) error) *http.Transport {
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second, ControlContext: control}
	proxy := http.ProxyFromEnvironment
	if cfg.Proxy != nil {
		proxy = http.ProxyURL(cfg.Proxy)
	}
	perHost := cfg.PerHost
	if perHost <= 0 || perHost > cfg.Concurrency {
		perHost = cfg.Concurrency
	}
	return &http.Transport{
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
}

// isPublic reports whether a is an address on the public internet: not
// loopback, private (RFC 1918, ULA), CGNAT, link-local, unspecified or
// multicast.
func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	switch {
	case !a.IsValid(), a.IsLoopback(), a.IsPrivate(), a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(),
		a.IsUnspecified(), a.IsMulticast(), a.IsInterfaceLocalMulticast():
		return false
	case a.Is4() && cgnat.Contains(a):
		return false
	}
	return true
}

// cgnat is RFC 6598's shared address space.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

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
