package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/trawl-dev/trawl/charset"
	"github.com/trawl-dev/trawl/internal/weburl"
	"github.com/trawl-dev/trawl/output"
)

// attempt makes one request for t's job — the URL, or the hop of a redirect
// chain it is following — and decides: a final record, a retry at a time,
// the next hop, or nothing (the run was canceled under it). Each step is a
// function of its own: the request, the retry decision, a redirect, the
// cache's 304, reading the body, extraction and the verdict on the record.
func (e *Engine) attempt(ctx context.Context, t *task) result {
	j := t.job
	if !j.inChain {
		// A redirect chain is one attempt: only its first request counts.
		now := time.Now()
		if j.attempts == 0 {
			j.started = now
		}
		j.attempts++
	}
	j.inChain = false

	actx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	var remote net.Addr
	if !e.cfg.AllowPrivateRedirects {
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { remote = i.Conn.RemoteAddr() }})
	}
	req, cached, err := e.request(actx, j)
	if err != nil {
		return result{task: t, rec: e.failRecord(j, output.KindInvalidURL, err.Error())}
	}
	client := e.clients.page
	if j.fromPublic && !e.cfg.AllowPrivateRedirects {
		client = e.clients.guarded
	}
	start, lag := time.Now(), e.lag.now()
	resp, err := client.RoundTrip(req)
	t.health = healthOf(resp, err, time.Since(start)-(e.lag.now()-lag))
	if err != nil {
		if ctx.Err() != nil {
			return result{task: t, canceled: true}
		}
		kind, msg := e.classify(err, actx, "no response")
		return e.failed(t, failure{kind: kind, err: err}, msg)
	}
	defer resp.Body.Close()

	// A status worth retrying is retried before its body is read: the body
	// of a 503 is not the page anyone asked for.
	if retryableStatus(resp.StatusCode) {
		f := failure{kind: output.KindHTTPStatus, status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
		if v := e.decide(f, j.attempts, time.Now()); v.retry {
			// Drain a little so that the connection can be reused.
			io.CopyN(io.Discard, resp.Body, 64<<10)
			return e.retry(t, v, resp.StatusCode, output.KindHTTPStatus, statusText(resp))
		}
	}

	rec := newRecord(j)
	rec.Status = resp.StatusCode
	rec.FinalURL = output.Str(resp.Request.URL.String())
	ct := resp.Header.Get("Content-Type")
	if ct != "" {
		rec.ContentType = output.Str(ct)
	}
	if resp.StatusCode == http.StatusNotModified && e.cfg.Cache.repeat(cached, rec) {
		// Not modified: a success that repeats the stored extraction.
		io.CopyN(io.Discard, resp.Body, 64<<10)
		e.logAttempt(j, rec.Status, output.KindNone, "", time.Time{})
		return result{task: t, rec: e.finish(rec, j, time.Now(), true)}
	}
	if isRedirect(resp.StatusCode) || resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.Header.Get("Location") == "" {
		target, redirErr := e.redirect(j, resp)
		if redirErr == nil {
			io.CopyN(io.Discard, resp.Body, 64<<10)
			e.logAttempt(j, resp.StatusCode, output.KindNone, "redirect to "+target.Redacted(), time.Time{})
			return result{task: t, redirect: target, status: resp.StatusCode, fromPublic: isPublicAddr(remote, e.public)}
		}
		rec.ErrorKind, rec.Error = output.KindRedirect, redirErr.Error()
	}
	if j.Kind == JobSitemap {
		return e.sitemap(t, resp, rec)
	}
	return e.page(ctx, actx, t, resp, rec)
}

// sitemap reads a sitemap's response into its record: the page URLs in
// Links, an index's sitemaps in Sitemaps, and in Error why it could not be
// read, or was read only in part. The record is the crawl's, never written.
func (e *Engine) sitemap(t *task, resp *http.Response, rec *output.Record) result {
	j := t.job
	name := j.target().String()
	if rec.ErrorKind == output.KindNone && resp.StatusCode >= 400 {
		rec.ErrorKind, rec.Error = output.KindHTTPStatus, statusText(resp)
	}
	if rec.ErrorKind == output.KindNone {
		dec, closeDec, err := decoder(resp.Body, resp.Header.Get("Content-Encoding"))
		if err != nil {
			rec.ErrorKind, rec.Error = output.KindOther, err.Error()
		} else {
			sm, err := ParseSitemap(dec, MaxSitemapBytes, MaxSitemapURLs)
			closeDec()
			rec.Links, rec.Sitemaps = sm.URLs, sm.Index
			switch {
			case err != nil:
				rec.ErrorKind, rec.Error = output.KindOther, err.Error()
			case sm.Truncated:
				rec.Error = fmt.Sprintf("over the sitemaps.org limits (%s, %d URLs): the first %d entries are used",
					output.FormatSize(MaxSitemapBytes), MaxSitemapURLs, len(sm.URLs)+len(sm.Index))
			}
		}
	}
	if rec.Error != "" {
		rec.Error = "sitemap " + name + ": " + rec.Error
	}
	e.logAttempt(j, rec.Status, rec.ErrorKind, rec.Error, time.Time{})
	return result{task: t, rec: e.finish(rec, j, time.Now(), true)}
}

// page reads a final response's body, extracts from it and judges the
// record; the body of a 3xx that ends the URL is read and extracted too.
func (e *Engine) page(ctx, actx context.Context, t *task, resp *http.Response, rec *output.Record) result {
	j := t.job
	bufp := getBuf()
	defer putBuf(bufp)
	body, readErr := e.readBody(resp, (*bufp)[:0])
	*bufp = body[:0]
	if readErr != nil && readErr != errTooLarge && ctx.Err() != nil {
		return result{task: t, canceled: true}
	}
	if readErr != nil && readErr != errTooLarge && overloaded(readErr) {
		// Reset or cut off mid-body: the host is not coping.
		t.health = health{overload: true}
	}
	if readErr != nil && readErr != errTooLarge && rec.ErrorKind == output.KindNone && resp.StatusCode < 400 {
		var de *decodeError
		kind, msg := e.classify(readErr, actx, "body not complete")
		if v := e.decide(failure{kind: kind, err: readErr, final: errors.As(readErr, &de)}, j.attempts, time.Now()); v.retry {
			return e.retry(t, v, resp.StatusCode, kind, msg)
		}
	}
	rec.Bytes = int64(len(body))
	extracted := false
	if readErr == nil || readErr == errTooLarge {
		extracted = e.extract(body, resp.Header, resp.Request.URL, rec)
	}
	if rec.ErrorKind == output.KindNone {
		e.judge(rec, resp, readErr, actx)
	}
	if rec.ErrorKind == output.KindNone && rec.Status >= 200 && rec.Status < 300 && j.hops == 0 {
		if err := e.cfg.Cache.put(j.Raw, resp.Header, rec); err != nil {
			e.log.Warn("cache write failed", "url", j.Raw, "error", err)
		}
	}
	e.logAttempt(j, rec.Status, rec.ErrorKind, rec.Error, time.Time{})
	res := result{task: t, rec: e.finish(rec, j, time.Now(), extracted)}
	if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && wait > e.cfg.MaxRetryWait && retryableStatus(resp.StatusCode) {
		// The host asks for more patience than the run has: its other
		// URLs fail now rather than stall the run.
		res.failHostUntil = time.Now().Add(wait)
		res.failHostMsg = fmt.Sprintf("%s asked to wait %s (Retry-After), longer than --max-retry-wait %s",
			j.target().Host, fmtWait(wait), fmtDuration(e.cfg.MaxRetryWait))
	}
	return res
}

// health is what a request said about its host, for adaptive politeness.
type health struct {
	overload, tooMany, healthy bool
	ttfb                       time.Duration
}

// healthOf judges a request's outcome: a 429 or 503, a timeout, a
// connection refused or reset say the host is overloaded; any other answer
// but a 5xx says it is healthy. DNS, TLS and the like say nothing of load.
func healthOf(resp *http.Response, err error, ttfb time.Duration) health {
	if err != nil {
		return health{overload: overloaded(err)}
	}
	switch c := resp.StatusCode; {
	case c == http.StatusTooManyRequests:
		return health{overload: true, tooMany: true}
	case c == http.StatusServiceUnavailable:
		return health{overload: true}
	case c >= 500:
		return health{}
	}
	return health{healthy: true, ttfb: ttfb}
}

// overloaded reports whether a network error says the host is overloaded.
func overloaded(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// isRedirect reports whether a status is one the Fetch standard follows.
func isRedirect(code int) bool {
	switch code {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// redirect decides whether a 3xx answer leads on: its target, or why the
// URL ends here (never retried: the same answer would come again).
func (e *Engine) redirect(j *job, resp *http.Response) (*url.URL, error) {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, &redirectError{fmt.Sprintf("HTTP %d without a Location header", resp.StatusCode)}
	}
	// Resolved as a browser does (a space in it is encoded, a host
	// lower-cased and IDNA-encoded), against the URL that answered.
	target, err := weburl.Resolve(resp.Request.URL, loc)
	switch {
	case errors.Is(err, weburl.ErrScheme):
		return nil, &redirectError{fmt.Sprintf("redirect to %q: scheme is not http or https", loc)}
	case err != nil:
		return nil, &redirectError{fmt.Sprintf("HTTP %d with a Location that does not parse: %q (%v)", resp.StatusCode, loc, err)}
	case j.hops >= e.cfg.MaxRedirects:
		return nil, &redirectError{fmt.Sprintf("stopped after %d redirects (--max-redirects %d)", j.hops, e.cfg.MaxRedirects)}
	}
	target.Fragment, target.RawFragment = "", ""
	return target, nil
}

// isPublicAddr reports whether the connection's remote address is public.
func isPublicAddr(a net.Addr, public func(netip.Addr) bool) bool {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return false
	}
	ip, ok := netip.AddrFromSlice(ta.IP)
	return ok && public(ip.Unmap())
}

// request builds j's request: the run's headers, shared read-only, or a
// copy with the cache's validators when there is a cache entry.
func (e *Engine) request(ctx context.Context, j *job) (*http.Request, *cacheEntry, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.target().String(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header = e.header
	if j.hops > 0 || j.Kind != JobPage {
		// A Host header of -H names the listed URL's host, not a hop's.
		return req, nil, nil
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	cached := e.cfg.Cache.get(j.Raw)
	if cached != nil {
		req.Header = e.header.Clone()
		if cached.ETag != "" && req.Header.Get("If-None-Match") == "" {
			req.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" && req.Header.Get("If-Modified-Since") == "" {
			req.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	return req, cached, nil
}

// failed ends an attempt that got no usable response: a retry, or the
// URL's record.
func (e *Engine) failed(t *task, f failure, msg string) result {
	j := t.job
	if v := e.decide(f, j.attempts, time.Now()); v.retry {
		return e.retry(t, v, 0, f.kind, msg)
	}
	e.logAttempt(j, 0, f.kind, msg, time.Time{})
	return result{task: t, rec: e.failRecord(j, f.kind, msg)}
}

// retry answers the scheduler with a retry after v's wait.
func (e *Engine) retry(t *task, v verdict, status int, kind output.ErrorKind, msg string) result {
	at := time.Now().Add(v.wait)
	e.logAttempt(t.job, status, kind, msg, at)
	return result{task: t, retryAt: at, pauseHost: v.pauseHost}
}

// classify is Classify, with a timeout told apart by when it struck: a
// timeout of this attempt's own --timeout says so, in the words of the
// phase it cut short.
func (e *Engine) classify(err error, actx context.Context, phase string) (output.ErrorKind, string) {
	kind, msg := Classify(err)
	if kind == output.KindTimeout && actx.Err() != nil {
		msg = fmt.Sprintf("%s within --timeout %s", phase, e.cfg.Timeout)
	}
	return kind, msg
}

// readBody reads resp's body, decompressed, up to --max-body.
func (e *Engine) readBody(resp *http.Response, buf []byte) ([]byte, error) {
	dec, closeDec, err := decoder(resp.Body, resp.Header.Get("Content-Encoding"))
	if err != nil {
		return buf, &decodeError{err}
	}
	defer closeDec()
	return readBody(dec, buf, e.cfg.MaxBody)
}

// extract hands an HTML body, decoded to UTF-8, to the Extractor and
// reports whether it was HTML.
func (e *Engine) extract(body []byte, h http.Header, final *url.URL, rec *output.Record) bool {
	ct := h.Get("Content-Type")
	mt := mediaType(ct)
	if ct == "" {
		mt = mediaType(http.DetectContentType(body))
	}
	if !isHTML(mt) {
		return false
	}
	text, _ := charset.Decode(body, ct)
	e.x.Extract(text, final, h, rec)
	return true
}

// judge sets the record's error, if any, from how the response ended.
func (e *Engine) judge(rec *output.Record, resp *http.Response, readErr error, actx context.Context) {
	switch {
	case resp.StatusCode >= 400:
		rec.ErrorKind = output.KindHTTPStatus
		f := failure{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
		rec.Error = statusText(resp) + e.retryAfterNote(f, time.Now())
	case readErr == errTooLarge:
		rec.ErrorKind = output.KindTooLarge
		rec.Error = fmt.Sprintf("body larger than --max-body %s; the first %s were read", output.FormatSize(e.cfg.MaxBody), output.FormatSize(e.cfg.MaxBody))
	case readErr != nil:
		kind, msg := e.classify(readErr, actx, "body not complete")
		rec.ErrorKind, rec.Error = kind, "reading body: "+msg
	}
}

func statusText(resp *http.Response) string {
	if t := http.StatusText(resp.StatusCode); t != "" {
		return fmt.Sprintf("HTTP %d %s", resp.StatusCode, t)
	}
	return fmt.Sprintf("HTTP %d", resp.StatusCode)
}

// logAttempt writes -v's line for one request.
func (e *Engine) logAttempt(j *job, status int, kind output.ErrorKind, msg string, retryAt time.Time) {
	if !e.log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	attrs := []any{"url", j.Raw, "status", status, "attempt", j.attempts,
		"elapsed_ms", time.Since(j.started).Milliseconds()}
	if kind != output.KindNone {
		attrs = append(attrs, "error_kind", string(kind))
	}
	if msg != "" {
		attrs = append(attrs, "error", msg)
	}
	if !retryAt.IsZero() {
		attrs = append(attrs, "retry_in", time.Until(retryAt).Round(time.Millisecond).String())
	}
	e.log.Debug("request", attrs...)
}
