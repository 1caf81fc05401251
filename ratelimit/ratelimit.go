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
	// Adaptive adapts each host's pace to how it copes, below the caps
	// above (--adaptive; adaptive.go).
	Adaptive bool
}

// Limiter tracks every limit. It is not safe for concurrent use: one
// goroutine, the scheduler, owns it.
type Limiter struct {
	cfg      Limits
	global   *bucket
	inflight int
	hosts    map[string]*Host
	// slowdowns count, per host, the adaptive slowdowns (bounded).
	slowdowns map[string]int
}

// Host is one host's state.
type Host struct {
	Key      string
	inflight int
	bucket   *bucket
	// delay is the Crawl-delay floor between two request starts.
	delay     time.Duration
	lastStart time.Time
	// pauseUntil holds the host back after a Retry-After.
	pauseUntil time.Time
	// adapt is its adaptive pace; nil until its first answer.
	adapt *adapt
}

// New returns a Limiter for cfg.
func New(cfg Limits) *Limiter {
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	l := &Limiter{cfg: cfg, hosts: make(map[string]*Host)}
	if cfg.Rate > 0 {
		l.global = newBucket(cfg.Rate, cfg.Burst)
	}
	return l
}

// Host returns the state of host key, creating it on first use.
func (l *Limiter) Host(key string) *Host {
	h := l.hosts[key]
	if h == nil {
		h = &Host{Key: key}
		if l.cfg.HostRate > 0 {
			h.bucket = newBucket(l.cfg.HostRate, l.cfg.Burst)
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
	if d := l.global.wait(now); d > 0 {
		return false, now.Add(d)
	}
	return true, time.Time{}
}

// HostReady reports whether h's own limits let a request start at now; when
// time is what stops it, at is when to ask again (zero when only a finishing
// request to h can free a slot).
func (l *Limiter) HostReady(h *Host, now time.Time) (ok bool, at time.Time) {
	if l.cfg.PerHost > 0 && h.inflight >= l.concurrency(h) {
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
	if d := h.bucket.wait(now); d > 0 {
		return false, now.Add(d)
	}
	if a := h.adapt; a != nil {
		if d := a.bucket.wait(now); d > 0 {
			return false, now.Add(d)
		}
	}
	return true, time.Time{}
}

// bucket is a token bucket (golang.org/x/time/rate) that the scheduler
// asks rather than waits on.
type bucket struct {
	lim      *rate.Limiter
	interval time.Duration
	// next is when the bucket has (or had) its next token. A request that
	// starts later than that, because the scheduler noticed late, takes
	// the token as of next, so the lateness is not lost: otherwise every
	// token would come a little late (a sleeping scheduler wakes on a
	// millisecond tick), and at a burst of 1 --rate 2000/s would start
	// some 700 requests a second.
	next time.Time
	// last is the time of the last token taken: never taken before it.
	last time.Time
	// credit is how late a start may be and still count from next: past
	// it, the bucket was idle, not late.
	credit time.Duration
}

func newBucket(r rate.Limit, burst int) *bucket {
	interval := time.Duration(float64(time.Second) / float64(r))
	return &bucket{lim: rate.NewLimiter(r, burst), interval: interval, credit: max(2*interval, 10*time.Millisecond)}
}

// wait is how long until the bucket has a token at now; 0 when it has one.
func (b *bucket) wait(now time.Time) time.Duration {
	if b == nil || b.lim.TokensAt(now) >= 1 {
		return 0
	}
	r := b.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	if d <= 0 {
		// TokensAt rounds: a token it counts as 0.9999999 is there.
		return 0
	}
	b.next = now.Add(d)
	return d
}

// take takes a token for a request starting at now.
func (b *bucket) take(now time.Time) {
	if b == nil {
		return
	}
	at := now
	if !b.next.IsZero() && !b.next.After(now) && now.Sub(b.next) <= b.credit {
		at = b.next
	}
	if at.Before(b.last) {
		at = b.last
	}
	b.lim.ReserveN(at, 1)
	b.last = at
	// When the next token comes, as of at: the bucket may have more left.
	if tk := b.lim.TokensAt(at); tk >= 1 {
		b.next = at
	} else {
		b.next = at.Add(time.Duration((1 - tk) * float64(b.interval)))
	}
}

// idle reports whether the bucket is full at now: a new one would be the
// same.
func (b *bucket) idle(now time.Time) bool {
	return b == nil || b.lim.TokensAt(now) >= float64(b.lim.Burst())
}

// Start records a request to h starting at now: it takes a slot and a token
// of each bucket. Call it only after GlobalReady and HostReady said yes.
func (l *Limiter) Start(h *Host, now time.Time) {
	l.inflight++
	h.inflight++
	if a := h.adapt; a != nil {
		a.observeStart(h.lastStart, now)
		a.bucket.take(now)
	} else if l.cfg.Adaptive {
		l.adaptOf(h).observeStart(h.lastStart, now)
	}
	h.lastStart = now
	l.global.take(now)
	h.bucket.take(now)
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
	return h.bucket.idle(now) && (h.adapt == nil || h.adapt.bucket.idle(now))
}

// Forget drops h's state; the next Host(h.Key) starts afresh.
func (l *Limiter) Forget(h *Host) { delete(l.hosts, h.Key) }
