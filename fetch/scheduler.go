package fetch

import (
	"container/heap"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/trawl-dev/trawl/output"
	"github.com/trawl-dev/trawl/ratelimit"
)

// job is a Job with its retry and redirect state, owned by the scheduler
// between requests and by one worker during a request.
type job struct {
	Job
	attempts  int
	started   time.Time
	notBefore time.Time
	// cur is the hop of a redirect chain the job is following; nil for
	// the URL itself. hops counts the redirects followed.
	cur  *url.URL
	hops int
	// inChain: the next request continues an attempt's redirect chain.
	inChain bool
	// fromPublic: the last hop was answered from a public address, so the
	// next must not dial a private one.
	fromPublic bool
	// origin and host are those of the URL the next request goes to.
	origin, host string
	// lastStatus is the status of the last redirect followed.
	lastStatus int
	// robotsOK: robots.txt allows the next request, decided once, however
	// often the job is looked at while its host waits.
	robotsOK bool
}

// target is the URL the job's next request goes to.
func (j *job) target() *url.URL {
	if j.cur != nil {
		return j.cur
	}
	return j.URL
}

// hostKey is the key of per-host limits: the lower-cased host name without
// port, as --shard splits by.
func hostKey(u *url.URL) string { return strings.ToLower(u.Hostname()) }

type taskKind int

const (
	taskFetch  taskKind = iota
	taskRobots          // fetch an origin's robots.txt
)

// task is what a worker is handed: always a request it may send now.
type task struct {
	kind   taskKind
	job    *job
	host   *hostQ
	origin string
	// attempt numbers a robots.txt fetch (from 1), for its retries.
	attempt int
	// started is when the request started and health what it said about
	// the host, both set by the worker, for adaptive politeness.
	started time.Time
	health  health
}

// result is a worker's answer about a task.
type result struct {
	task *task
	// rec is the final record, already sent to out.
	rec *output.Record
	// retryAt, when set, asks for another attempt then.
	retryAt time.Time
	// pauseHost holds the whole host back until retryAt (a Retry-After).
	pauseHost bool
	// robots is a taskRobots's outcome.
	robots *robots
	// redirect is the next hop of the job's redirect chain; fromPublic
	// says the redirect came from a public address.
	redirect   *url.URL
	fromPublic bool
	// status is the redirect's status.
	status int
	// failHostUntil: the host asked for a wait past --max-retry-wait
	// (Retry-After); its URLs fail until then, with failHostMsg.
	failHostUntil time.Time
	failHostMsg   string
	// canceled: the run ended under the request; there is no record.
	canceled bool
}

// hostQ is one host's queue of jobs and its limiter state.
type hostQ struct {
	key     string
	lim     *ratelimit.Host
	queue   []*job // FIFO; queue[head:] are waiting
	head    int
	retries []*job // waiting out a backoff, in no order (few)
	// origins whose robots.txt this host's jobs used, dropped with the host.
	origins []string

	inRunnable bool
	timerAt    time.Time // when a wake-up is set in the timer heap
	idleSince  time.Time
	// failUntil: the host asked for a wait longer than --max-retry-wait;
	// its URLs fail with failMsg until then instead of waiting.
	failUntil time.Time
	failMsg   string
}

func (h *hostQ) pending() int { return len(h.queue) - h.head + len(h.retries) }

// peek returns the job that h would send next: the first retry that is due,
// else the head of its queue. When none is due, wake is the earliest retry.
func (h *hostQ) peek(now time.Time) (j *job, idx int, wake time.Time) {
	for i, r := range h.retries {
		if !r.notBefore.After(now) {
			return r, i, time.Time{}
		}
		if wake.IsZero() || r.notBefore.Before(wake) {
			wake = r.notBefore
		}
	}
	if h.head < len(h.queue) {
		return h.queue[h.head], -1, time.Time{}
	}
	return nil, 0, wake
}

// remove takes j, which peek returned, off h.
func (h *hostQ) remove(j *job) {
	for i, r := range h.retries {
		if r == j {
			h.pop(i)
			return
		}
	}
	h.pop(-1)
}

// pop removes what peek returned.
func (h *hostQ) pop(idx int) {
	if idx >= 0 {
		last := len(h.retries) - 1
		h.retries[idx] = h.retries[last]
		h.retries[last] = nil
		h.retries = h.retries[:last]
		return
	}
	h.queue[h.head] = nil
	h.head++
	if h.head == len(h.queue) {
		h.queue, h.head = h.queue[:0], 0
	} else if h.head > 64 && h.head*2 > len(h.queue) {
		n := copy(h.queue, h.queue[h.head:])
		clear(h.queue[n:])
		h.queue, h.head = h.queue[:n], 0
	}
}

// scheduler owns every host's queue and the limiter, in one goroutine: it
// hands a worker only a task that may be sent now, so a host that is busy,
// rate-limited, slowed by Crawl-delay or waiting out a retry holds its URLs
// here while other hosts' URLs go ahead.
type scheduler struct {
	e       *Engine
	jobs    <-chan Job
	tasks   chan<- *task
	results <-chan result
	out     chan<- *output.Record
	stop    <-chan struct{}

	lim      *ratelimit.Limiter
	hosts    map[string]*hostQ
	robots   map[string]*robots
	runnable []*hostQ // hosts that may have a task now, round robin
	timers   timerHeap
	ready    []*output.Record // records that need no request, first out
	idle     []*hostQ

	held      int // jobs taken from input and not finished
	inflight  int // tasks handed to workers and not answered
	inputDone bool
	stopping  bool
}

func newScheduler(e *Engine, jobs <-chan Job, tasks chan<- *task, results <-chan result, out chan<- *output.Record, stop <-chan struct{}) *scheduler {
	return &scheduler{
		e: e, jobs: jobs, tasks: tasks, results: results, out: out, stop: stop,
		lim:    ratelimit.New(e.cfg.Limits),
		hosts:  make(map[string]*hostQ),
		robots: make(map[string]*robots),
	}
}

// idleTTL is how long an idle host's state (limiter, robots.txt) is kept
// after its limits would no longer hold anything back.
const idleTTL = 30 * time.Second

func (s *scheduler) run(ctx context.Context) error {
	defer close(s.tasks)
	defer func() { s.e.slowdowns = s.lim.Slowdowns() }()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	stop := s.stop
	lastEvict := time.Now()
	for {
		// A stop that has come wins over everything else ready in the
		// select below, so that no request starts after it.
		if stop != nil {
			select {
			case <-stop:
				s.stopping, stop = true, nil
			default:
			}
		}
		now := time.Now()
		s.wake(now)
		if now.Sub(lastEvict) > time.Second {
			s.evict(now)
			lastEvict = now
		}
		if s.stopping && s.inflight == 0 || s.inputDone && s.held == 0 && s.inflight == 0 {
			return nil
		}

		o := s.offer(now)
		var timerC <-chan time.Time
		if !o.wakeAt.IsZero() {
			timer.Reset(max(time.Until(o.wakeAt), 0))
			timerC = timer.C
		}
		select {
		case j, ok := <-o.jobs:
			if !ok {
				s.inputDone = true
				break
			}
			s.add(j, now)
		case o.tasks <- o.task:
			s.sent(o.task, time.Now())
		case o.recs <- o.rec:
			s.ready[0] = nil
			s.ready = s.ready[1:]
			s.held--
		case r := <-s.results:
			s.answer(r, time.Now())
		case <-timerC:
		case <-stop:
			s.stopping, stop = true, nil
		case <-ctx.Done():
			return ctx.Err()
		}
		if timerC != nil && !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// offer is what one turn of the scheduler's loop may do: a nil channel is
// a case that cannot happen now.
type offer struct {
	tasks chan<- *task
	task  *task
	// recs takes records that needed no request, beside the requests.
	recs chan<- *output.Record
	rec  *output.Record
	// jobs is open while the lookahead has room.
	jobs <-chan Job
	// wakeAt is when time frees something (zero: only an event will).
	wakeAt time.Time
}

func (s *scheduler) offer(now time.Time) offer {
	var o offer
	if !s.stopping {
		if ok, at := s.lim.GlobalReady(now); ok {
			o.task = s.pick(now)
		} else {
			o.wakeAt = at
		}
		if o.task != nil {
			o.tasks = s.tasks
		}
		if len(s.ready) > 0 {
			o.recs, o.rec = s.out, s.ready[0]
		}
		if !s.inputDone && s.held < s.e.cfg.Lookahead {
			o.jobs = s.jobs
		}
	}
	if len(s.timers) > 0 && (o.wakeAt.IsZero() || s.timers[0].at.Before(o.wakeAt)) {
		o.wakeAt = s.timers[0].at
	}
	return o
}

func (s *scheduler) add(j Job, now time.Time) {
	s.held++
	jb := &job{Job: j}
	if j.URL == nil {
		s.ready = append(s.ready, s.e.failRecord(jb, output.KindInvalidURL, j.Err.Error()))
		return
	}
	jb.origin, jb.host = origin(j.URL), hostKey(j.URL)
	h := s.hostQ(jb.host)
	h.queue = append(h.queue, jb)
	s.runnableAdd(h)
}

// hostQ returns host key's queue, creating it. Per-host limits count by the
// lower-cased host name without port, as --shard splits by; robots.txt is
// kept per origin.
func (s *scheduler) hostQ(key string) *hostQ {
	h := s.hosts[key]
	if h == nil {
		h = &hostQ{key: key, lim: s.lim.Host(key)}
		s.hosts[key] = h
	}
	return h
}

// hop moves j on to the next hop of its redirect chain: a request to that
// URL's host, under its limits and its origin's robots.txt, ahead of the
// host's queued URLs (it is one attempt already under way).
func (s *scheduler) hop(j *job, target *url.URL, fromPublic bool, now time.Time) {
	j.cur, j.hops, j.inChain, j.fromPublic = target, j.hops+1, true, fromPublic
	j.origin, j.host, j.robotsOK = origin(target), hostKey(target), false
	j.notBefore = now
	h := s.hostQ(j.host)
	h.retries = append(h.retries, j)
	s.runnableAdd(h)
}

func (s *scheduler) runnableAdd(h *hostQ) {
	if !h.inRunnable {
		h.inRunnable = true
		s.runnable = append(s.runnable, h)
	}
}

// pick returns the task of the first runnable host that has one now. Hosts
// that cannot send leave the runnable list: to the timer heap when time will
// free them, or until a request to them ends or their robots.txt arrives.
func (s *scheduler) pick(now time.Time) *task {
	for len(s.runnable) > 0 {
		h := s.runnable[0]
		t, wake := s.next(h, now)
		if t != nil {
			return t
		}
		s.runnable[0] = nil
		s.runnable = s.runnable[1:]
		h.inRunnable = false
		switch {
		case !wake.IsZero():
			s.timerAdd(h, wake)
		case h.pending() == 0 && h.lim.InFlight() == 0:
			// Its URLs all ended without a request (robots.txt): it is
			// idle, and must be forgotten like any other idle host.
			h.idleSince = now
			s.idle = append(s.idle, h)
		}
	}
	return nil
}

// next returns h's next task, or when to look again (zero: on an event).
func (s *scheduler) next(h *hostQ, now time.Time) (*task, time.Time) {
	for {
		j, idx, wake := h.peek(now)
		if j == nil {
			return nil, wake
		}
		if now.Before(h.failUntil) {
			h.pop(idx)
			s.ready = append(s.ready, s.refuse(j, output.KindHTTPStatus, h.failMsg))
			continue
		}
		var rb *robots
		if !s.e.cfg.IgnoreRobots {
			rb = s.robotsOf(h, j.origin)
			switch rb.state {
			case robotsUnknown:
				if now.Before(rb.retryAt) {
					return nil, rb.retryAt
				}
				if ok, at := s.lim.HostReady(h.lim, now); !ok {
					return nil, at
				}
				// attempt is set here, before a worker has the task.
				return &task{kind: taskRobots, host: h, origin: j.origin, attempt: rb.attempts + 1}, time.Time{}
			case robotsPending:
				return nil, time.Time{}
			}
		}
		if j.Kind == JobSitemaps {
			h.pop(idx)
			s.ready = append(s.ready, s.sitemapsOf(j, rb))
			continue
		}
		if rec := s.robotsRefusal(rb, j); rec != nil {
			h.pop(idx)
			s.ready = append(s.ready, rec)
			continue
		}
		if ok, at := s.lim.HostReady(h.lim, now); !ok {
			return nil, at
		}
		return &task{kind: taskFetch, job: j, host: h}, time.Time{}
	}
}

// robotsOf returns origin's robots.txt state, creating it.
func (s *scheduler) robotsOf(h *hostQ, origin string) *robots {
	rb := s.robots[origin]
	if rb == nil {
		rb = &robots{}
		s.robots[origin] = rb
		h.origins = append(h.origins, origin)
	}
	return rb
}

// robotsRefusal is the record of a job that its origin's robots.txt (nil
// with --ignore-robots) refuses, or nil when it may go.
func (s *scheduler) robotsRefusal(rb *robots, j *job) *output.Record {
	switch {
	case rb == nil || j.robotsOK:
		return nil
	case rb.state == robotsFailed:
		return s.refuse(j, rb.failKind, rb.failMsg)
	case !rb.allowed(s.e.UserAgent(), j.target()):
		msg := "disallowed by robots.txt"
		if rb.disallowAll {
			msg = rb.failMsg
		}
		s.e.log.Debug("robots", "url", j.Raw, "decision", "disallowed")
		return s.refuse(j, output.KindRobots, msg)
	}
	j.robotsOK = true
	return nil
}

// sitemapsOf is the record of a JobSitemaps: the sitemaps its origin's
// robots.txt names, else /sitemap.xml.
func (s *scheduler) sitemapsOf(j *job, rb *robots) *output.Record {
	rec := newRecord(j)
	if rb != nil && len(rb.sitemaps) > 0 {
		rec.Sitemaps = rb.sitemaps
	} else {
		rec.Sitemaps = []string{j.origin + "/sitemap.xml"}
	}
	return s.e.finish(rec, j, time.Now(), true)
}

// refuse is the record of a job that ends without its next request: a URL,
// or a redirect's hop, that robots.txt or the host's own answer refuses.
// For a hop, final_url is the refused URL and status the last redirect's.
func (s *scheduler) refuse(j *job, kind output.ErrorKind, msg string) *output.Record {
	rec := s.e.failRecord(j, kind, msg)
	if j.cur != nil {
		rec.FinalURL = output.Str(j.cur.String())
		rec.Status = j.lastStatus
	}
	return rec
}

// arrived is the record of a job whose redirect leads to a page the crawl
// fetches anyway: the redirect's status, final_url that page, no error.
func (s *scheduler) arrived(j *job, target *url.URL) *output.Record {
	rec := newRecord(j)
	rec.Status, rec.FinalURL = j.lastStatus, output.Str(target.String())
	return s.e.finish(rec, j, time.Now(), false)
}

// sent commits a task that a worker took.
func (s *scheduler) sent(t *task, now time.Time) {
	s.inflight++
	h := t.host
	if t.kind == taskRobots {
		rb := s.robots[t.origin]
		rb.state = robotsPending
		rb.attempts++
	} else {
		h.remove(t.job)
	}
	s.lim.Start(h.lim, now)
	// Round robin: the host goes to the back of the line.
	s.runnable[0] = nil
	s.runnable = s.runnable[1:]
	h.inRunnable = false
	s.runnableAdd(h)
}

// answer takes a worker's result.
func (s *scheduler) answer(r result, now time.Time) {
	s.inflight--
	t := r.task
	h := t.host
	s.lim.Done(h.lim)
	if !r.canceled {
		s.adapt(h, t, now)
	}
	switch {
	case t.kind == taskRobots:
		rb := s.robots[t.origin]
		switch {
		case r.canceled:
			rb.state = robotsUnknown
		case !r.retryAt.IsZero():
			rb.state, rb.retryAt = robotsUnknown, r.retryAt
			if r.pauseHost {
				s.lim.Pause(h.lim, r.retryAt)
			}
		default:
			*rb = *r.robots
			if rb.crawlDelay > 0 {
				s.lim.SetCrawlDelay(h.lim, rb.crawlDelay)
			}
		}
	case r.rec != nil || r.canceled:
		s.held--
		if !r.failHostUntil.IsZero() {
			h.failUntil, h.failMsg = r.failHostUntil, r.failHostMsg
		}
	case r.redirect != nil:
		if s.stopping {
			s.held--
			break
		}
		t.job.lastStatus = r.status
		if claim := s.e.cfg.ClaimHop; claim != nil && !claim(r.redirect) {
			// The crawl has (or will have) that page: the chain ends
			// here, its record the redirect that led there.
			s.ready = append(s.ready, s.arrived(t.job, r.redirect))
			break
		}
		s.hop(t.job, r.redirect, r.fromPublic, now)
	case !r.retryAt.IsZero():
		if s.stopping {
			// An interrupted run starts no retry: the URL has no record,
			// so a --resume run fetches it again.
			s.held--
			break
		}
		t.job.notBefore = r.retryAt
		h.retries = append(h.retries, t.job)
		if r.pauseHost {
			s.lim.Pause(h.lim, r.retryAt)
		}
	}
	if h.pending() > 0 {
		s.runnableAdd(h)
	} else if h.lim.InFlight() == 0 {
		h.idleSince = now
		s.idle = append(s.idle, h)
	}
}

// adapt tells the limiter what a request said about its host's health, and
// logs a change of the host's pace (-v).
func (s *scheduler) adapt(h *hostQ, t *task, now time.Time) {
	o := ratelimit.Outcome{Started: t.started, Overload: t.health.overload, TooMany: t.health.tooMany, Healthy: t.health.healthy, TTFB: t.health.ttfb}
	ch, ok := s.lim.Observe(h.lim, o, now)
	if !ok {
		return
	}
	rate := "none"
	if ch.Rate > 0 {
		rate = fmt.Sprintf("%.1f/s", float64(ch.Rate))
	}
	verb := "faster"
	if ch.Slower {
		verb = "slower"
	}
	s.e.log.Debug("pace "+verb, "host", ch.Host, "concurrency", ch.Concurrency, "rate", rate, "reason", ch.Reason)
}

// evict forgets hosts that have been idle long enough that their state
// changes nothing, so a list of a million hosts runs in bounded memory.
func (s *scheduler) evict(now time.Time) {
	keep := s.idle[:0]
	for _, h := range s.idle {
		switch {
		case s.hosts[h.key] != h || h.pending() > 0 || h.lim.InFlight() > 0:
			// Busy again (or already gone): it re-enters idle when it ends.
		case now.Sub(h.idleSince) < idleTTL || !s.lim.Idle(h.lim, now):
			keep = append(keep, h)
		default:
			delete(s.hosts, h.key)
			s.lim.Forget(h.lim)
			for _, o := range h.origins {
				delete(s.robots, o)
			}
		}
	}
	clear(s.idle[len(keep):])
	s.idle = keep
}

// timerAdd asks to look at h again at t.
func (s *scheduler) timerAdd(h *hostQ, t time.Time) {
	if !h.timerAt.IsZero() && !t.Before(h.timerAt) {
		return
	}
	h.timerAt = t
	heap.Push(&s.timers, timerEntry{at: t, host: h})
}

// wake moves hosts whose time has come back to the runnable list.
func (s *scheduler) wake(now time.Time) {
	for len(s.timers) > 0 && !s.timers[0].at.After(now) {
		e := heap.Pop(&s.timers).(timerEntry)
		if e.host.timerAt.Equal(e.at) {
			e.host.timerAt = time.Time{}
			s.runnableAdd(e.host)
		}
	}
}

type timerEntry struct {
	at   time.Time
	host *hostQ
}

type timerHeap []timerEntry

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timerEntry)) }
func (h *timerHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
