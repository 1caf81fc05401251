package ratelimit

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"golang.org/x/time/rate"
)

// Adaptive politeness (SPEC.md): each host's pace adapts to how it copes,
// never above the user's caps. An overload signal — a 429 or 503, a
// timeout, a connection refused or reset — or a time to first byte well
// above the host's own early baseline cuts the host's concurrency and rate
// at once, by half (multiplicative decrease); a run of healthy answers
// raises them again step by step (additive increase) until the caps are
// reached, or, with no --host-rate, until the rate limit is lifted. A host is
// never held below 1 request in flight and 1 request a second by adaptation
// alone.
//
// As in TCP's congestion control, one cut is made per round: an overload
// answer to a request that started before the last cut was already
// accounted for by it, so a burst of failures in flight costs one cut, not
// many. The concurrency climbs by one per round of healthy answers (as many
// as it allows in flight), but waits plateauRounds rounds one below the
// level that failed before it tries that level again: a host of fixed
// capacity is held at it, not driven over it every few rounds. The rate
// climbs by a tenth of the rate that was cut,
// per rateRound without trouble. Past the rate at which the host last
// failed, the steps double (as TCP CUBIC probes past its last loss): a
// host that has healed gets its pace back in seconds, not minutes.

// Adaptive politeness's constants, as SPEC.md sets them or as they
// serve it.
const (
	// baselineAnswers are the answers whose median time to first byte is a
	// host's baseline.
	baselineAnswers = 20
	// latencyFactor: a time to first byte above this many times the
	// baseline slows the host before it fails. So that a host's ordinary
	// jitter does not slow it, the time compared is the median of its last
	// recentAnswers answers (one slow answer is not a trend), and it must
	// also exceed the baseline by latencySlack (on a fast host, 3× a
	// fraction of a millisecond is a scheduling hiccup, not a host in
	// trouble).
	latencyFactor = 3
	recentAnswers = 5
	latencySlack  = 50 * time.Millisecond
	// slowFor is how long the recent answers must stay slow before the
	// host is cut: a host in trouble stays slow, while a moment of trawl's
	// own starvation (which the lag correction may not see whole) passes.
	slowFor = time.Second
	// maxSlowdownHosts bounds the hosts whose slowdowns are counted for
	// --stats; the report names the top reportedSlowdowns of them.
	maxSlowdownHosts  = 1000
	reportedSlowdowns = 100
	// plateauRounds are the rounds of healthy answers a host is held one
	// below the concurrency that failed, before that is tried again.
	plateauRounds = 16
	// deepCut and mildCut are the factors of a cut: the dimension an
	// overload signal speaks of (the rate for a 429, the load for the
	// others) is halved, the other cut by a quarter.
	deepCut = 0.5
	mildCut = 0.75
	// rateRound is the time without trouble a rate step takes, and
	// rateHold the time the rate holds just below the rate that failed.
	rateRound = 200 * time.Millisecond
	rateHold  = 2 * time.Second
	// bindingShare: a host whose requests start at less than this share of
	// its adaptive rate does not use it (its rate does not climb).
	bindingShare = 0.8
)

// Outcome is what one request to a host said about the host's health.
type Outcome struct {
	// Started is when the request started.
	Started time.Time
	// Overload: a 429 or 503, a timeout, a connection refused or reset;
	// TooMany: it was a 429, which asks for a slower rate above all.
	Overload, TooMany bool
	// Healthy: an answer that says nothing is wrong with the host (any
	// status but 429 and 5xx).
	Healthy bool
	// TTFB is the time to the response's first byte; 0 when none came.
	TTFB time.Duration
}

// Change is a change of a host's pace, for -v.
type Change struct {
	Host        string
	Concurrency int
	// Rate is the host's adaptive rate; 0 is none (the user's caps only).
	Rate   rate.Limit
	Slower bool
	Reason string
}

// adapt is a host's adaptive state, made on its first answer.
type adapt struct {
	// conc is the concurrency the host is held to, below its cap;
	// failedConc the one it was cut from, and held the rounds it has
	// waited one below.
	conc       float64
	failedConc int
	held       int
	// bucket holds the host to rateLimit requests a second; nil: no
	// adaptive rate (the user's caps only).
	bucket    *bucket
	rateLimit float64
	// rateStep is the least increase of the rate, failedAt the rate last
	// cut, probe the step past it (doubling), and liftAt the rate past
	// which, with no --host-rate, the limit is lifted.
	rateStep, failedAt, probe, liftAt float64
	// holdFrom is when the rate reached nine tenths of failedAt.
	holdFrom time.Time
	// lastCut is the last cut; lastRate the last change of the rate.
	lastCut, lastRate time.Time
	healthy           int
	baseline          []time.Duration
	median            time.Duration
	// recent are the times to first byte of the last answers, a ring,
	// and slowSince when their median became slow (zero: it is not).
	recent    [recentAnswers]time.Duration
	nrec      int
	slowSince time.Time
	// interval is a moving average of the seconds between request
	// starts: the host's observed rate is its inverse.
	interval float64
}

func (l *Limiter) adaptOf(h *Host) *adapt {
	if h.adapt == nil {
		h.adapt = &adapt{conc: float64(l.cfg.PerHost)}
	}
	return h.adapt
}

// concurrency is the number of requests h may have in flight now.
func (l *Limiter) concurrency(h *Host) int {
	c := l.cfg.PerHost
	if a := h.adapt; a != nil && int(a.conc) < c {
		c = max(1, int(a.conc))
	}
	return c
}

// observeStart updates the host's observed rate at a request start.
func (a *adapt) observeStart(last, now time.Time) {
	if last.IsZero() {
		return
	}
	dt := now.Sub(last).Seconds()
	if a.interval == 0 {
		a.interval = dt
	} else {
		a.interval = 0.9*a.interval + 0.1*dt
	}
}

// Observe takes the outcome of a request to h and adapts h's pace; it
// returns the change, if any, for the log.
func (l *Limiter) Observe(h *Host, o Outcome, now time.Time) (Change, bool) {
	if !l.cfg.Adaptive {
		return Change{}, false
	}
	a := l.adaptOf(h)
	if o.TTFB > 0 && a.median == 0 {
		a.baseline = append(a.baseline, o.TTFB)
		if len(a.baseline) == baselineAnswers {
			slices.Sort(a.baseline)
			a.median, a.baseline = a.baseline[baselineAnswers/2], nil
		}
	}
	if o.Started.Before(a.lastCut) {
		// The answer tells of the pace before the last cut: that round
		// was cut for already, and it says nothing of the new pace.
		return Change{}, false
	}
	reason := ""
	t, slow := a.slow(o.TTFB, now)
	switch {
	case o.TooMany:
		reason = "429 Too Many Requests"
	case o.Overload:
		reason = "overloaded"
	case slow:
		reason = fmt.Sprintf("time to first byte %s, over %d× its baseline %s", t.Round(time.Millisecond), latencyFactor, a.median.Round(time.Millisecond))
	}
	if reason != "" {
		if o.TooMany {
			l.cut(h, a, now, mildCut, deepCut)
		} else {
			l.cut(h, a, now, deepCut, mildCut)
		}
		return l.change(h, true, reason), true
	}
	if !o.Healthy || a.tooSlow(o.TTFB) {
		return Change{}, false
	}
	if !l.raise(h, a, now) {
		return Change{}, false
	}
	return l.change(h, false, "healthy"), true
}

// slow notes a time to first byte and reports whether the host's recent
// answers have been slow against its baseline for slowFor, with their
// median.
func (a *adapt) slow(ttfb time.Duration, now time.Time) (time.Duration, bool) {
	if ttfb <= 0 || a.median == 0 {
		return 0, false
	}
	a.recent[a.nrec%recentAnswers] = ttfb
	a.nrec++
	if a.nrec < recentAnswers {
		return 0, false
	}
	r := a.recent
	slices.Sort(r[:])
	t := r[recentAnswers/2]
	if !a.tooSlow(t) {
		a.slowSince = time.Time{}
		return t, false
	}
	if a.slowSince.IsZero() {
		a.slowSince = now
	}
	return t, now.Sub(a.slowSince) >= slowFor
}

// tooSlow reports whether a time to first byte is slow against the host's
// baseline; a slow answer, even alone, does not count as a healthy one.
func (a *adapt) tooSlow(ttfb time.Duration) bool {
	return a.median > 0 && ttfb > latencyFactor*a.median && ttfb > a.median+latencySlack
}

// cut lowers what h uses, by the factors given: the requests it has in
// flight (this one counted) and the rate its requests start at (with no
// adaptive rate yet, its observed rate, below --host-rate). Cutting a limit
// the host does not reach would change nothing now and slow its recovery
// later. A 429 speaks of the rate, the other signals of the load: the one
// spoken of is halved, the other cut by a quarter.
func (l *Limiter) cut(h *Host, a *adapt, now time.Time, concBy, rateBy float64) {
	a.failedConc, a.held = min(l.concurrency(h), h.inflight+1), 0
	a.conc = max(1, float64(a.failedConc)*concBy)
	a.lastCut, a.lastRate, a.healthy, a.nrec, a.slowSince = now, now, 0, 0, time.Time{}
	l.noteSlowdown(h.Key)
	cur := a.observed()
	if a.bucket != nil && (cur == 0 || cur > a.rateLimit) {
		cur = a.rateLimit
	}
	if hr := float64(l.cfg.HostRate); hr > 0 && (cur == 0 || cur > hr) {
		cur = hr
	}
	if cur == 0 {
		cur = float64(a.failedConc) // one a second each, for want of a measure
	}
	if a.liftAt == 0 {
		a.liftAt = 2 * cur
	}
	a.failedAt = cur
	a.rateStep = max(1, cur/10)
	a.probe = a.rateStep
	l.setRate(a, max(1, cur*rateBy), now)
}

// observed is the rate h's requests start at; 0 before two have.
func (a *adapt) observed() float64 {
	if a.interval <= 0 {
		return 0
	}
	return 1 / a.interval
}

// raise takes a healthy answer: a round of them adds one to h's
// concurrency, a rateRound of them a step to its rate, up to the caps. As
// in TCP's congestion window validation (RFC 7661), a limit climbs only
// while the host uses it: the concurrency when h has that many in flight,
// the rate when h's requests start at close to it. It reports whether the
// pace changed.
func (l *Limiter) raise(h *Host, a *adapt, now time.Time) bool {
	changed := false
	a.healthy++
	if a.healthy >= max(1, int(a.conc)) && int(a.conc) < l.cfg.PerHost && h.inflight+1 >= int(a.conc) {
		a.healthy = 0
		if int(a.conc)+1 == a.failedConc && a.held < plateauRounds {
			a.held++
		} else {
			a.conc = min(float64(l.cfg.PerHost), a.conc+1)
			changed = true
		}
	}
	if a.bucket == nil || now.Sub(a.lastRate) < rateRound || a.observed() < bindingShare*a.rateLimit {
		return changed
	}
	var step float64
	switch near := 0.9 * a.failedAt; {
	case a.rateLimit < near:
		step = max(a.rateStep, (near-a.rateLimit)/2)
		if a.rateLimit+step >= near {
			step, a.holdFrom = near-a.rateLimit, now
		}
	case now.Sub(a.holdFrom) < rateHold:
		return changed
	default:
		step = a.probe
		a.probe *= 2
	}
	r := a.rateLimit + step
	a.lastRate = now
	hr := float64(l.cfg.HostRate)
	if hr > 0 && r >= hr || hr == 0 && r >= a.liftAt {
		a.bucket, a.rateLimit = nil, 0 // back to the user's caps alone
		return true
	}
	l.setRate(a, r, now)
	return true
}

func (l *Limiter) setRate(a *adapt, r float64, now time.Time) {
	a.rateLimit = r
	if a.bucket == nil {
		a.bucket = newBucket(rate.Limit(r), l.cfg.Burst)
		return
	}
	a.bucket.lim.SetLimitAt(now, rate.Limit(r))
	a.bucket.interval = time.Duration(float64(time.Second) / r)
	a.bucket.credit = max(2*a.bucket.interval, 10*time.Millisecond)
}

func (l *Limiter) change(h *Host, slower bool, reason string) Change {
	return Change{Host: h.Key, Concurrency: l.concurrency(h), Rate: rate.Limit(h.adapt.rateLimit), Slower: slower, Reason: reason}
}

// noteSlowdown counts a slowdown of host for --stats, in bounded memory:
// past maxSlowdownHosts hosts, the least slowed gives way.
func (l *Limiter) noteSlowdown(host string) {
	if l.slowdowns == nil {
		l.slowdowns = make(map[string]int)
	}
	if _, ok := l.slowdowns[host]; !ok && len(l.slowdowns) >= maxSlowdownHosts {
		least, n := "", 0
		for k, v := range l.slowdowns {
			if least == "" || v < n {
				least, n = k, v
			}
		}
		delete(l.slowdowns, least)
	}
	l.slowdowns[host]++
}

// Slowdowns returns the most slowed hosts (at most 100) and how many times
// each was slowed.
func (l *Limiter) Slowdowns() map[string]int {
	type hc struct {
		host string
		n    int
	}
	all := make([]hc, 0, len(l.slowdowns))
	for k, v := range l.slowdowns {
		all = append(all, hc{k, v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].n > all[j].n || all[i].n == all[j].n && all[i].host < all[j].host })
	out := make(map[string]int, min(len(all), reportedSlowdowns))
	for i := 0; i < len(all) && i < reportedSlowdowns; i++ {
		out[all[i].host] = all[i].n
	}
	return out
}
