package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/trawl-dev/trawl/charset"
	"github.com/trawl-dev/trawl/output"
)

// attempt makes one request for t's job and decides: a final record, a
// retry at a time, or nothing (the run was canceled under it).
func (e *Engine) attempt(ctx context.Context, t *task) result {
	j := t.job
	now := time.Now()
	if j.attempts == 0 {
		j.started = now
	}
	j.attempts++
	res := result{task: t}

	actx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	actx, st := withState(actx)
	req, err := http.NewRequestWithContext(actx, http.MethodGet, j.URL.String(), nil)
	if err != nil {
		res.rec = e.failRecord(j, output.KindInvalidURL, err.Error())
		return res
	}
	// The run's headers are shared read-only by every request; only a
	// conditional request needs a copy of its own.
	req.Header = e.header
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

	resp, err := e.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			res.canceled = true
			return res
		}
		kind, msg := Classify(err)
		if kind == output.KindTimeout && actx.Err() != nil {
			msg = fmt.Sprintf("no response within --timeout %s", e.cfg.Timeout)
		}
		if retryableKind(kind, err) && j.attempts <= e.cfg.Retries {
			res.retryAt = time.Now().Add(e.backoff(j.attempts))
			e.logAttempt(j, 0, kind, msg, res.retryAt)
			return res
		}
		e.logAttempt(j, 0, kind, msg, time.Time{})
		res.rec = e.failRecord(j, kind, msg)
		return res
	}
	defer resp.Body.Close()

	// A status worth retrying is retried before its body is read: the body
	// of a 503 is not the page anyone asked for.
	if retryableStatus(resp.StatusCode) && j.attempts <= e.cfg.Retries {
		wait, hasRA := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !hasRA || wait <= e.cfg.MaxRetryWait {
			if !hasRA {
				wait = e.backoff(j.attempts)
			} else {
				res.pauseHost = true
			}
			res.retryAt = time.Now().Add(wait)
			e.logAttempt(j, resp.StatusCode, output.KindHTTPStatus, statusText(resp), res.retryAt)
			// Drain a little so that the connection can be reused.
			io.CopyN(io.Discard, resp.Body, 64<<10)
			return res
		}
	}

	rec := e.newRecord(j)
	rec.Status = resp.StatusCode
	final := resp.Request.URL
	rec.FinalURL = output.Str(final.String())
	ct := resp.Header.Get("Content-Type")
	if ct != "" {
		rec.ContentType = output.Str(ct)
	}

	if resp.StatusCode == http.StatusNotModified && cached != nil {
		if fields, err := cached.fields(e.cfg.Rules.Names()); err == nil {
			// Not modified: a success that repeats the stored extraction.
			rec.ContentType, rec.Title, rec.Description, rec.Fields = cached.ContentType, cached.Title, cached.Description, fields
			io.CopyN(io.Discard, resp.Body, 64<<10)
			e.logAttempt(j, rec.Status, output.KindNone, "", time.Time{})
			res.rec = e.finish(rec, j, time.Now())
			return res
		}
	}

	bufp := getBuf()
	defer putBuf(bufp)
	var body []byte
	var readErr error
	dec, closeDec, err := decoder(resp.Body, resp.Header.Get("Content-Encoding"))
	if err != nil {
		readErr = &decodeError{err}
	} else {
		body, readErr = readBody(dec, (*bufp)[:0], e.cfg.MaxBody)
		closeDec()
		*bufp = body[:0]
	}
	if readErr != nil && readErr != errTooLarge && ctx.Err() != nil {
		res.canceled = true
		return res
	}
	rec.Bytes = int64(len(body))

	if readErr == nil || readErr == errTooLarge {
		mt := mediaType(ct)
		if ct == "" {
			mt = mediaType(http.DetectContentType(body))
		}
		if isHTML(mt) {
			text, _ := charset.Decode(body, ct)
			x := e.cfg.Rules.Page(text, final)
			rec.Title, rec.Description = x.Title, x.Description
			rec.Fields = e.fields(x)
		}
	}

	switch {
	case st.redirectErr != nil:
		rec.ErrorKind, rec.Error = Classify(st.redirectErr)
	case resp.StatusCode >= 400:
		rec.ErrorKind = output.KindHTTPStatus
		rec.Error = statusText(resp)
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && wait > e.cfg.MaxRetryWait && retryableStatus(resp.StatusCode) {
			rec.Error += fmt.Sprintf("; Retry-After %s is longer than --max-retry-wait %s", fmtDuration(wait.Round(time.Second)), fmtDuration(e.cfg.MaxRetryWait))
		}
	case readErr == errTooLarge:
		rec.ErrorKind = output.KindTooLarge
		rec.Error = fmt.Sprintf("body larger than --max-body %s; the first %s were read", output.FormatSize(e.cfg.MaxBody), output.FormatSize(e.cfg.MaxBody))
	case readErr != nil:
		kind, msg := Classify(readErr)
		if kind == output.KindTimeout && actx.Err() != nil {
			msg = fmt.Sprintf("body not complete within --timeout %s", e.cfg.Timeout)
		}
		var de *decodeError
		if retryableKind(kind, readErr) && !errors.As(readErr, &de) && j.attempts <= e.cfg.Retries {
			res.retryAt = time.Now().Add(e.backoff(j.attempts))
			e.logAttempt(j, resp.StatusCode, kind, msg, res.retryAt)
			return res
		}
		rec.ErrorKind, rec.Error = kind, "reading body: "+msg
	}
	if rec.ErrorKind == output.KindNone && rec.Status >= 200 && rec.Status < 300 && e.cfg.Cache != nil {
		if err := e.cfg.Cache.put(j.Raw, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), rec); err != nil {
			e.log.Warn("cache write failed", "url", j.Raw, "error", err)
		}
	}
	e.logAttempt(j, rec.Status, rec.ErrorKind, rec.Error, time.Time{})
	res.rec = e.finish(rec, j, time.Now())
	return res
}

func statusText(resp *http.Response) string {
	if t := http.StatusText(resp.StatusCode); t != "" {
		return fmt.Sprintf("HTTP %d %s", resp.StatusCode, t)
	}
	return fmt.Sprintf("HTTP %d", resp.StatusCode)
}

// backoff is the wait before retry number n (n >= 1): exponential from
// --retry-wait, capped, with full jitter so that many clients that failed
// together do not come back together.
func (e *Engine) backoff(n int) time.Duration {
	ceiling := e.cfg.RetryWait
	for i := 1; i < n && ceiling < maxBackoff; i++ {
		ceiling *= 2
	}
	if ceiling > maxBackoff {
		ceiling = maxBackoff
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
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
