// Package ratelimit owns the politeness limits: the global and per-host
// concurrency, the global and per-host token buckets (golang.org/x/time/rate),
// Crawl-delay floors and Retry-After pauses, and the eviction of idle hosts.
//
// It never sleeps. The scheduler asks Ready, which answers now or says when
// to ask again, so that work waiting for one host never holds a worker that
// another host could use.
package ratelimit

import (
	"time"

	"golang.org/x/time/rate"
)

// Limits are the politeness limits of a run, as its flags set them. They
// are declared once, here: the command's options and the fetch
// configuration embed them. A zero Rate or HostRate means no limit.
type Limits struct {
	// Concurrency is the requests in flight in all (-c).
	Concurrency int
	// PerHost is the requests in flight to one host (--per-host).
	PerHost int
	// Rate is the requests started per second in all (--rate).
	Rate rate.Limit
	// HostRate is the requests started per second to each host (--host-rate).
	HostRate rate.Limit
	// Burst is the token-bucket burst of both rates (--burst).
	Burst int
}

// Limiter tracks every limit. It is not safe for concurrent use: one
// goroutine, the scheduler, owns it.
type Limiter struct {
	cfg      Limits
	global   *rate.Limiter
	inflight int
	hosts    map[string]*Host
}

// Host is one host's state.
type Host struct {
	Key      string
	inflight int
	bucket   *rate.Limiter
	// delay is the Crawl-delay floor between two request starts.
	delay     time.Duration
	lastStart time.Time
	// pauseUntil holds the host back after a Retry-After.
	pauseUntil time.Time
}

// New returns a Limiter for cfg.
func New(cfg Limits) *Limiter {
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	l := &Limiter{cfg: cfg, hosts: make(map[string]*Host)}
	if cfg.Rate > 0 {
		l.global = rate.NewLimiter(cfg.Rate, cfg.Burst)
	}
	return l
}

// Host returns the state of host key, creating it on first use.
func (l *Limiter) Host(key string) *Host {
	h := l.hosts[key]
	if h == nil {
		h = &Host{Key: key}
		if l.cfg.HostRate > 0 {
			h.bucket = rate.NewLimiter(l.cfg.HostRate, l.cfg.Burst)
		}
		l.hosts[key] = h
	}
	return h
}

// Hosts is the number of hosts with state.
func (l *Limiter) Hosts() int { return len(l.hosts) }

// InFlight is the number of requests in flight in all.
func (l *Limiter) InFlight() int { return l.inflight }

// InFlight is the number of requests in flight to h.
func (h *Host) InFlight() int { return h.inflight }

// GlobalReady reports whether the global limits let a request start at now;
// when the global rate is what stops it, at is when to ask again (zero when
// only a finishing request can free a slot).
func (l *Limiter) GlobalReady(now time.Time) (ok bool, at time.Time) {
	if l.cfg.Concurrency > 0 && l.inflight >= l.cfg.Concurrency {
		return false, time.Time{}
	}
	if d := delay(l.global, now); d > 0 {
		return false, now.Add(d)
	}
	return true, time.Time{}
}

// HostReady reports whether h's own limits let a request start at now; when
// time is what stops it, at is when to ask again (zero when only a finishing
// request to h can free a slot).
func (l *Limiter) HostReady(h *Host, now time.Time) (ok bool, at time.Time) {
	if l.cfg.PerHost > 0 && h.inflight >= l.cfg.PerHost {
		return false, time.Time{}
	}
	if now.Before(h.pauseUntil) {
		return false, h.pauseUntil
	}
	if h.delay > 0 && !h.lastStart.IsZero() {
		if next := h.lastStart.Add(h.delay); now.Before(next) {
			return false, next
		}
	}
	if d := delay(h.bucket, now); d > 0 {
		return false, now.Add(d)
	}
	return true, time.Time{}
}

// delay is how long until lim has a token at now.
func delay(lim *rate.Limiter, now time.Time) time.Duration {
	if lim == nil || lim.TokensAt(now) >= 1 {
		return 0
	}
	r := lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	if d <= 0 {
		// TokensAt rounds; never spin on a zero wait.
		d = time.Millisecond
	}
	return d
}

// Start records a request to h starting at now: it takes a slot and a token
// of each bucket. Call it only after GlobalReady and HostReady said yes.
func (l *Limiter) Start(h *Host, now time.Time) {
	l.inflight++
	h.inflight++
	h.lastStart = now
	if l.global != nil {
		l.global.ReserveN(now, 1)
	}
	if h.bucket != nil {
		h.bucket.ReserveN(now, 1)
	}
}

// Done records the end of a request to h.
func (l *Limiter) Done(h *Host) {
	l.inflight--
	h.inflight--
}

// SetCrawlDelay sets h's Crawl-delay floor between request starts.
func (l *Limiter) SetCrawlDelay(h *Host, d time.Duration) { h.delay = d }

// Pause holds h back until t (a Retry-After), unless it is paused longer.
func (l *Limiter) Pause(h *Host, t time.Time) {
	if t.After(h.pauseUntil) {
		h.pauseUntil = t
	}
}

// Idle reports whether forgetting h at now loses nothing: no request in
// flight, no pause or Crawl-delay still running, and a bucket that has
// refilled (a new one would be the same).
func (l *Limiter) Idle(h *Host, now time.Time) bool {
	if h.inflight > 0 || now.Before(h.pauseUntil) {
		return false
	}
	if h.delay > 0 && now.Before(h.lastStart.Add(h.delay)) {
		return false
	}
	return h.bucket == nil || h.bucket.TokensAt(now) >= float64(h.bucket.Burst())
}

// Forget drops h's state; the next Host(h.Key) starts afresh.
func (l *Limiter) Forget(h *Host) { delete(l.hosts, h.Key) }
