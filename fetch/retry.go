package fetch

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/trawl-dev/trawl/output"
)

// maxRetryAfter caps a Retry-After: ten years are as good as forever, and a
// Duration holds them.
const maxRetryAfter = 10 * 365 * 24 * time.Hour

// maxBackoff caps the exponential backoff between retries.
const maxBackoff = 30 * time.Second

// failure is what went wrong with one attempt, as the retry decision sees it.
type failure struct {
	kind output.ErrorKind
	// err is the network or read error; nil for a status.
	err error
	// status and retryAfter are those of a response worth retrying.
	status     int
	retryAfter string
	// final: another attempt would get the same answer (a body that
	// cannot be decoded).
	final bool
}

// verdict is the retry decision about a failure.
type verdict struct {
	retry bool
	// wait is how long until the retry.
	wait time.Duration
	// pauseHost holds the whole host back for wait (a Retry-After).
	pauseHost bool
	// note explains a refused retry (a Retry-After past --max-retry-wait).
	note string
}

// decide is the one place where trawl decides whether a failed attempt is
// tried again, and when. attempts is the number of attempts made so far.
func (e *Engine) decide(f failure, attempts int, now time.Time) verdict {
	if attempts > e.cfg.Retries || f.final {
		return verdict{note: e.retryAfterNote(f, now)}
	}
	if f.status != 0 {
		if !retryableStatus(f.status) {
			return verdict{}
		}
		if wait, ok := retryAfter(f.retryAfter, now); ok {
			if wait > e.cfg.MaxRetryWait {
				return verdict{note: e.retryAfterNote(f, now)}
			}
			return verdict{retry: true, wait: wait, pauseHost: true}
		}
		return verdict{retry: true, wait: e.backoff(attempts)}
	}
	if !retryableKind(f.kind, f.err) {
		return verdict{}
	}
	return verdict{retry: true, wait: e.backoff(attempts)}
}

// retryAfterNote says why a retryable status was not retried when its
// Retry-After is longer than --max-retry-wait; "" otherwise.
func (e *Engine) retryAfterNote(f failure, now time.Time) string {
	if !retryableStatus(f.status) {
		return ""
	}
	wait, ok := retryAfter(f.retryAfter, now)
	if !ok || wait <= e.cfg.MaxRetryWait {
		return ""
	}
	return fmt.Sprintf("; Retry-After %s is longer than --max-retry-wait %s", fmtWait(wait), fmtDuration(e.cfg.MaxRetryWait))
}

// fmtWait writes a wait a server asked for: seconds, or days past one.
func fmtWait(d time.Duration) string {
	if d >= 24*time.Hour {
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	}
	return fmtDuration(d.Round(time.Second))
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

// retryableKind reports whether a failure of this kind may pass on a retry.
// A name that does not exist or a certificate that is wrong will not.
func retryableKind(k output.ErrorKind, err error) bool {
	switch k {
	case output.KindTimeout, output.KindConnect, output.KindOther:
		return true
	case output.KindDNS:
		var dnsErr *net.DNSError
		return errors.As(err, &dnsErr) && !dnsErr.IsNotFound
	}
	return false
}

// retryableStatus is SPEC.md's list of statuses worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case 408, 429, 500, 502, 503, 504:
		return true
	}
	return false
}

// retryAfter parses a Retry-After value, seconds or an HTTP date, into a
// wait from now; ok is false when there is none or it does not parse.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	switch d := t.Sub(now); {
	case d > maxRetryAfter:
		return maxRetryAfter, true
	case d > 0:
		return d, true
	}
	return 0, true
}
