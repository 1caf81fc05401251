package site

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Capacity is a host of limited capacity, for the tests of adaptive
// politeness: past MaxInFlight requests in flight it answers 503, past
// MaxRate requests in the last second 429, and its latency climbs with its
// load. Heal lifts every limit, as a host that recovers. The zero value is a
// healthy host with no latency. Serve it through a Recorder.
type Capacity struct {
	// MaxInFlight: a request arriving with this many in flight gets 503;
	// 0 is no limit.
	MaxInFlight int
	// MaxRate: requests a second past which the host answers 429, by a
	// token bucket of a tenth of a second's burst (as nginx's limit_req:
	// refused requests take no token); 0 is no limit.
	MaxRate int
	// Latency is the time every answer takes; PerInFlight is added for
	// each other request in flight past SlowAbove (a host that slows down
	// under load).
	Latency     time.Duration
	PerInFlight time.Duration
	SlowAbove   int
	// DegradeAfter: the latency climbs with load only once this many
	// pages were served (a host that copes at first, then tires).
	DegradeAfter int
	// HealAfter: past this many pages served, the host heals; 0 is never
	// (but see Heal).
	HealAfter int

	mu       sync.Mutex
	inflight int
	bucket   *rate.Limiter
	healed   bool
	// refused, served and slowed count the overload answers, the pages and
	// the pages slowed by load.
	refused, served, slowed int
}

// Heal lifts the host's limits.
func (c *Capacity) Heal() {
	c.mu.Lock()
	c.healed = true
	c.mu.Unlock()
}

// Counts returns the overload answers (503 and 429) and the pages served.
func (c *Capacity) Counts() (refused, served int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refused, c.served
}

// Slowed returns the pages whose answer load slowed.
func (c *Capacity) Slowed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slowed
}

// ServeHTTP answers one request, as Serve.
func (c *Capacity) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.Serve(w, r, 0) }

// Serve answers one request; it is a HandlerFunc.
func (c *Capacity) Serve(w http.ResponseWriter, r *http.Request, n int) {
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	now := time.Now()
	c.mu.Lock()
	if c.MaxRate > 0 && c.bucket == nil {
		c.bucket = rate.NewLimiter(rate.Limit(c.MaxRate), c.MaxRate/10+1)
	}
	if c.HealAfter > 0 && c.served >= c.HealAfter {
		c.healed = true
	}
	status := http.StatusOK
	switch {
	case c.healed:
	case c.MaxInFlight > 0 && c.inflight >= c.MaxInFlight:
		status = http.StatusServiceUnavailable
	case c.bucket != nil && !c.bucket.AllowN(now, 1):
		status = http.StatusTooManyRequests
	}
	delay := c.Latency
	if !c.healed && c.PerInFlight > 0 && c.inflight > c.SlowAbove && c.served >= c.DegradeAfter {
		delay += time.Duration(c.inflight-c.SlowAbove) * c.PerInFlight
		if status == http.StatusOK {
			c.slowed++
		}
	}
	if status == http.StatusOK {
		c.inflight++
		c.served++
	} else {
		c.refused++
	}
	c.mu.Unlock()
	if status != http.StatusOK {
		writeSimple(w, status, "Busy", "Too much at once.")
		return
	}
	defer func() {
		c.mu.Lock()
		c.inflight--
		c.mu.Unlock()
	}()
	if !wait(r.Context(), delay) {
		return
	}
	writeSimple(w, http.StatusOK, "Page "+strconv.Itoa(n), "Served.")
}
