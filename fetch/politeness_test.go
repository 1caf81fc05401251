package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/extract"
	"github.com/trawl-dev/trawl/internal/site"
	"github.com/trawl-dev/trawl/output"
	"github.com/trawl-dev/trawl/ratelimit"
)

// The tests in this file drive Engine.Run against loopback servers that
// record every request. Hosts are told apart by their address (127.0.0.2,
// 127.0.0.3, ...: per-host limits key on the host name without port).
// Timings are measured where they matter, at the server, and asserted with
// margins that a loaded 2-core machine under -race keeps.

// polServer is the test server of these tests: a site.Recorder.
type polServer = site.Recorder

// newPolServer starts a Recorder on ip (port chosen by the system).
func newPolServer(t *testing.T, ip string, all *site.Group, h site.HandlerFunc) *polServer {
	t.Helper()
	s, err := site.NewRecorder(ip, all, h)
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	t.Cleanup(s.Close)
	return s
}

// polSleep waits d or until the request ends.
func polSleep(r *http.Request, d time.Duration) bool {
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}

// polRobots serves body as robots.txt and pages elsewhere.
func polRobots(body string) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, body)
			return
		}
		site.Page(w, r, n)
	}
}

// polConfig is a test run's configuration: small waits, robots.txt ignored.
func polConfig() Config {
	return Config{
		Limits:         ratelimit.Limits{Concurrency: 8, PerHost: 4, Burst: 1},
		Extractor:      extract.NewExtractor(extract.Config{}),
		Timeout:        10 * time.Second,
		ConnectTimeout: 2 * time.Second,
		Retries:        2,
		RetryWait:      10 * time.Millisecond,
		MaxRetryWait:   60 * time.Second,
		UserAgent:      "trawl/test",
		MaxRedirects:   10,
		MaxBody:        1 << 20,
		IgnoreRobots:   true,
	}
}

// polRec is a record and when it came out of Run.
type polRec struct {
	*output.Record
	At time.Time
}

// polResult is one Run.
type polResult struct {
	Start time.Time
	End   time.Time // when Run returned
	Err   error     // what Run returned
	Recs  []polRec
}

// ByURL indexes the records by url; a url with two records fails the test.
func (r *polResult) ByURL(t *testing.T) map[string]polRec {
	t.Helper()
	m := make(map[string]polRec, len(r.Recs))
	for _, rec := range r.Recs {
		if _, dup := m[rec.URL]; dup {
			t.Errorf("two records for %s", rec.URL)
		}
		m[rec.URL] = rec
	}
	return m
}

// polJobs turns URLs into a closed, filled channel of Jobs.
func polJobs(t *testing.T, urls []string) chan Job {
	t.Helper()
	jobs := make(chan Job, len(urls))
	for i, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("bad test URL %q: %v", raw, err)
		}
		jobs <- Job{Seq: int64(i), Raw: raw, URL: u}
	}
	close(jobs)
	return jobs
}

// polRun runs an Engine over urls and collects its records until out is
// closed; on, when set, sees each record as it arrives. stop may be nil.
func polRun(t *testing.T, ctx context.Context, cfg Config, urls []string, stop chan struct{}, on func(polRec)) *polResult {
	t.Helper()
	return polRunEngine(t, ctx, New(cfg), urls, stop, on)
}

// polRunEngine is polRun with an Engine of the test's own.
func polRunEngine(t *testing.T, ctx context.Context, e *Engine, urls []string, stop chan struct{}, on func(polRec)) *polResult {
	t.Helper()
	if stop == nil {
		stop = make(chan struct{})
	}
	jobs := polJobs(t, urls)
	out := make(chan *output.Record)
	res := &polResult{Start: time.Now()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		res.Err = e.Run(ctx, stop, jobs, out)
		res.End = time.Now()
	}()
	watchdog := time.NewTimer(60 * time.Second)
	defer watchdog.Stop()
	for {
		select {
		case rec, ok := <-out:
			if !ok {
				select {
				case <-done:
				case <-watchdog.C:
					t.Fatal("out closed but Run did not return within 60s")
				}
				return res
			}
			pr := polRec{Record: rec, At: time.Now()}
			res.Recs = append(res.Recs, pr)
			if on != nil {
				on(pr)
			}
		case <-watchdog.C:
			t.Fatalf("Run still going after 60s with %d records", len(res.Recs))
		}
	}
}

// polURLs is n URLs on base: base/p0, base/p1, ...
func polURLs(base, prefix string, n int) []string {
	urls := make([]string, n)
	for i := range urls {
		urls[i] = fmt.Sprintf("%s/%s%d", base, prefix, i)
	}
	return urls
}

// polRate is (n-1)/(last-first) over arrival times.
func polRate(reqs []site.Request) float64 {
	if len(reqs) < 2 {
		return 0
	}
	first, last := reqs[0].Arrived, reqs[0].Arrived
	for _, r := range reqs {
		if r.Arrived.Before(first) {
			first = r.Arrived
		}
		if r.Arrived.After(last) {
			last = r.Arrived
		}
	}
	return float64(len(reqs)-1) / last.Sub(first).Seconds()
}

// polGaps is the sorted arrival times' successive differences.
func polGaps(reqs []site.Request) []time.Duration {
	ts := make([]time.Time, len(reqs))
	for i, r := range reqs {
		ts[i] = r.Arrived
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	var gaps []time.Duration
	for i := 1; i < len(ts); i++ {
		gaps = append(gaps, ts[i].Sub(ts[i-1]))
	}
	return gaps
}

func polCheckOK(t *testing.T, res *polResult, want int) {
	t.Helper()
	if res.Err != nil {
		t.Errorf("Run returned %v", res.Err)
	}
	if len(res.Recs) != want {
		t.Errorf("%d records, want %d", len(res.Recs), want)
	}
	for _, r := range res.Recs {
		if r.Status != 200 || r.ErrorKind != output.KindNone || r.Attempts != 1 {
			t.Errorf("%s: status %d kind %q attempts %d error %q; want 200, none, 1", r.URL, r.Status, r.ErrorKind, r.Attempts, r.Error)
		}
	}
}

// 1. Concurrency and PerHost, as the servers see them.
func TestPolitenessConcurrencyLimits(t *testing.T) {
	all := &site.Group{}
	var servers []*polServer
	var urls []string
	for i := range 4 {
		s := newPolServer(t, fmt.Sprintf("127.0.0.%d", i+2), all, func(w http.ResponseWriter, r *http.Request, n int) {
			var k int
			fmt.Sscanf(r.URL.Path, "/p%d", &k)
			polSleep(r, time.Duration(20+(k*7)%31)*time.Millisecond) // 20–50ms
			site.Page(w, r, n)
		})
		servers = append(servers, s)
	}
	// Host after host in the input: a FIFO without per-host queues would
	// send 6 requests to the first host.
	for _, s := range servers {
		urls = append(urls, polURLs(s.URL, "p", 30)...)
	}
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 6, 2
	res := polRun(t, t.Context(), cfg, urls, nil, nil)
	polCheckOK(t, res, 120)

	maxes := make([]int, len(servers))
	for i, s := range servers {
		maxes[i] = s.MaxInFlight()
		if got := len(s.Requests()); got != 30 {
			t.Errorf("%s saw %d requests, want 30", s.Host, got)
		}
		if maxes[i] != 2 {
			t.Errorf("%s: at most %d requests in flight, want exactly PerHost = 2", s.Host, maxes[i])
		}
	}
	if all.MaxInFlight() > 6 {
		t.Errorf("%d requests in flight in all, want <= Concurrency = 6", all.MaxInFlight())
	}
	// 4 hosts × 2 slots against 6: the hosts must have been served side by
	// side (a run that ignored the other hosts while one was busy would not
	// get past 2).
	if all.MaxInFlight() < 4 {
		t.Errorf("at most %d requests in flight in all: hosts were not served in parallel", all.MaxInFlight())
	}
	t.Logf("max in flight per host %v, in all %d; run %v", maxes, all.MaxInFlight(), res.End.Sub(res.Start).Round(time.Millisecond))
}

// polStalls watches how late this test process's goroutines wake up. On a
// loaded machine (2 cores, -race, other packages' tests) the whole process
// can stand still for hundreds of milliseconds; a timing assertion takes
// such stalls, measured, out of the engine's account instead of flaking.
// On a quiet machine they are near zero and the assertions are strict.
type polStalls struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	all  []polStall
}

type polStall struct {
	End time.Time
	Len time.Duration
}

func startPolStalls(t *testing.T) *polStalls {
	s := &polStalls{stop: make(chan struct{}), done: make(chan struct{})}
	const tick = 2 * time.Millisecond
	go func() {
		defer close(s.done)
		prev := time.Now()
		for {
			select {
			case <-s.stop:
				return
			default:
			}
			time.Sleep(tick)
			now := time.Now()
			// A sleep overshoots by a little even on a quiet machine, and
			// a busy one delays every wake-up by a few ms: what is counted
			// is the process standing still.
			if late := now.Sub(prev) - tick; late > 10*time.Millisecond {
				s.mu.Lock()
				s.all = append(s.all, polStall{End: now, Len: late})
				s.mu.Unlock()
			}
			prev = now
		}
	}()
	t.Cleanup(s.Stop)
	return s
}

func (s *polStalls) Stop() {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
}

// Within sums and maxes the stalls that ended in (from, to].
func (s *polStalls) Within(from, to time.Time) (total, longest time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.all {
		if st.End.After(from) && !st.End.After(to) {
			total += st.Len
			longest = max(longest, st.Len)
		}
	}
	return total, longest
}

// polCheckRate checks arrivals against a rate of want per second with
// Burst 1:
//   - (n-1)/(last-first) is at most want+10%, and at least want-10% once the
//     process's measured stalls are taken out of (last-first);
//   - the median of the gaps that no stall touched is the interval ±10%;
//   - no gap is shorter than 3/4 of the interval, less the longest stall
//     around it (an arrival made late by a stall shortens the next gap).
func polCheckRate(t *testing.T, name string, reqs []site.Request, want float64, st *polStalls) {
	t.Helper()
	ts := make([]time.Time, len(reqs))
	for i, r := range reqs {
		ts[i] = r.Arrived
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	first, last := ts[0], ts[len(ts)-1]
	n := float64(len(ts))
	span := last.Sub(first)
	got := (n - 1) / span.Seconds()
	stalled, longest := st.Within(first, last)
	adjusted := got
	if span > stalled {
		adjusted = (n - 1) / (span - stalled).Seconds()
	}
	if got > want*1.1 {
		t.Errorf("%s: %.3f requests/s over %d requests, want at most %v/s +10%%", name, got, len(ts), want)
	}
	if adjusted < want*0.9 {
		t.Errorf("%s: %.3f requests/s over %d requests (%.3f/s without %v of process stalls), want %v/s -10%%", name, got, len(ts), adjusted, stalled, want)
	}

	interval := time.Duration(float64(time.Second) / want)
	var clean []time.Duration
	minGap := time.Hour
	for i := 1; i < len(ts); i++ {
		gap := ts[i].Sub(ts[i-1])
		minGap = min(minGap, gap)
		_, near := st.Within(ts[i-1].Add(-interval), ts[i].Add(50*time.Millisecond))
		if floor := interval*3/4 - near; gap < floor {
			t.Errorf("%s: requests %d and %d arrived %v apart; Burst 1 at %v/s spaces them %v (allowed: %v, with a %v stall nearby)", name, i, i+1, gap, want, interval, floor, near)
		}
		if near == 0 {
			clean = append(clean, gap)
		}
	}
	median := time.Duration(0)
	if len(clean) >= 10 {
		slices.Sort(clean)
		median = clean[len(clean)/2]
		if median < interval*9/10 || median > interval*11/10 {
			t.Errorf("%s: median gap %v over %d gaps without stalls, want %v ±10%%", name, median, len(clean), interval)
		}
	}
	t.Logf("%s: rate %v/s asked, %.3f/s seen over %d requests (%.3f/s without %v of stalls, longest %v); median of %d clean gaps %v, smallest gap %v",
		name, want, got, len(ts), adjusted, stalled.Round(time.Millisecond), longest.Round(time.Millisecond), len(clean), median.Round(time.Millisecond), minGap.Round(time.Millisecond))
}

// 2. HostRate, per host, and Burst 1's spacing.
func TestPolitenessHostRate(t *testing.T) {
	const n = 31
	a := newPolServer(t, "127.0.0.2", nil, nil)
	b := newPolServer(t, "127.0.0.3", nil, nil)
	var urls []string
	for i := range n {
		urls = append(urls, fmt.Sprintf("%s/a%d", a.URL, i), fmt.Sprintf("%s/b%d", b.URL, i))
	}
	cfg := polConfig()
	cfg.HostRate, cfg.Burst = 5, 1
	st := startPolStalls(t)
	res := polRun(t, t.Context(), cfg, urls, nil, nil)
	st.Stop()
	polCheckOK(t, res, 2*n)
	for _, s := range []*polServer{a, b} {
		reqs := s.Pages()
		if len(reqs) != n {
			t.Fatalf("%s saw %d requests, want %d", s.Host, len(reqs), n)
		}
		polCheckRate(t, s.Host, reqs, 5, st)
	}
	// Both hosts at 5/s at the same time: the limit is per host (a shared
	// one would give each 2.5/s and fail above).
	var both []site.Request
	both = append(both, a.Pages()...)
	both = append(both, b.Pages()...)
	t.Logf("both hosts together: %.3f/s", polRate(both))
}

// 2. Rate, over all hosts.
func TestPolitenessGlobalRate(t *testing.T) {
	var servers []*polServer
	var urls []string
	for i := range 3 {
		servers = append(servers, newPolServer(t, fmt.Sprintf("127.0.0.%d", i+2), nil, nil))
	}
	for i := range 11 {
		for _, s := range servers {
			urls = append(urls, fmt.Sprintf("%s/p%d", s.URL, i))
		}
	}
	cfg := polConfig()
	cfg.Rate, cfg.Burst = 10, 1
	st := startPolStalls(t)
	res := polRun(t, t.Context(), cfg, urls, nil, nil)
	st.Stop()
	polCheckOK(t, res, 33)
	var all []site.Request
	for _, s := range servers {
		all = append(all, s.Pages()...)
	}
	if len(all) != 33 {
		t.Fatalf("servers saw %d requests, want 33", len(all))
	}
	polCheckRate(t, "3 hosts", all, 10, st)
}

// 3. Retries.
func TestPolitenessRetries(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/flaky"): // 503, 503, 200
			if n <= 2 {
				w.WriteHeader(503)
				return
			}
		case p == "/missing":
			w.WriteHeader(404)
			return
		case strings.HasPrefix(p, "/status/"): // that status once, then 200
			var code int
			fmt.Sscanf(p, "/status/%d", &code)
			if n == 1 {
				w.WriteHeader(code)
				return
			}
		case p == "/slow-once": // longer than Timeout the first time
			if n == 1 {
				polSleep(r, 2*time.Second)
				return
			}
		}
		site.Page(w, r, n)
	})

	t.Run("503 twice then 200", func(t *testing.T) {
		res := polRun(t, t.Context(), polConfig(), []string{s.URL + "/flaky1"}, nil, nil)
		r := res.ByURL(t)[s.URL+"/flaky1"]
		if r.Record == nil || r.Status != 200 || r.Attempts != 3 || r.ErrorKind != "" {
			t.Fatalf("record %+v; want status 200, attempts 3, no error", r.Record)
		}
		if got := s.Count("/flaky1"); got != 3 {
			t.Errorf("server saw %d requests, want 3", got)
		}
	})
	t.Run("Retries 0", func(t *testing.T) {
		cfg := polConfig()
		cfg.Retries = 0
		res := polRun(t, t.Context(), cfg, []string{s.URL + "/flaky2"}, nil, nil)
		r := res.ByURL(t)[s.URL+"/flaky2"]
		if r.Record == nil || r.Status != 503 || r.Attempts != 1 || r.ErrorKind != output.KindHTTPStatus {
			t.Fatalf("record %+v; want status 503, attempts 1, http_status", r.Record)
		}
		if got := s.Count("/flaky2"); got != 1 {
			t.Errorf("server saw %d requests, want 1", got)
		}
	})
	t.Run("404 not retried", func(t *testing.T) {
		res := polRun(t, t.Context(), polConfig(), []string{s.URL + "/missing"}, nil, nil)
		r := res.ByURL(t)[s.URL+"/missing"]
		if r.Record == nil || r.Status != 404 || r.Attempts != 1 || r.ErrorKind != output.KindHTTPStatus {
			t.Fatalf("record %+v; want status 404, attempts 1, http_status", r.Record)
		}
		if got := s.Count("/missing"); got != 1 {
			t.Errorf("server saw %d requests, want 1", got)
		}
	})
	t.Run("statuses", func(t *testing.T) {
		retried := map[int]bool{408: true, 429: true, 500: true, 502: true, 503: true, 504: true,
			400: false, 401: false, 403: false, 404: false, 410: false, 418: false, 501: false, 505: false}
		var urls []string
		for code := range retried {
			urls = append(urls, fmt.Sprintf("%s/status/%d", s.URL, code))
		}
		recs := polRun(t, t.Context(), polConfig(), urls, nil, nil).ByURL(t)
		for code, retry := range retried {
			path := fmt.Sprintf("/status/%d", code)
			r := recs[s.URL+path]
			if r.Record == nil {
				t.Errorf("%d: no record", code)
				continue
			}
			wantStatus, wantAttempts, wantKind := code, 1, output.KindHTTPStatus
			if retry {
				wantStatus, wantAttempts, wantKind = 200, 2, output.KindNone
			}
			if r.Status != wantStatus || r.Attempts != wantAttempts || r.ErrorKind != wantKind {
				t.Errorf("%d: status %d attempts %d kind %q; want %d %d %q", code, r.Status, r.Attempts, r.ErrorKind, wantStatus, wantAttempts, wantKind)
			}
			if got := s.Count(path); got != wantAttempts {
				t.Errorf("%d: server saw %d requests, want %d", code, got, wantAttempts)
			}
		}
	})
	t.Run("timeout retried", func(t *testing.T) {
		cfg := polConfig()
		cfg.Timeout = 300 * time.Millisecond
		res := polRun(t, t.Context(), cfg, []string{s.URL + "/slow-once"}, nil, nil)
		r := res.ByURL(t)[s.URL+"/slow-once"]
		if r.Record == nil || r.Status != 200 || r.Attempts != 2 || r.ErrorKind != "" {
			t.Fatalf("record %+v; want status 200, attempts 2", r.Record)
		}
		if got := s.Count("/slow-once"); got != 2 {
			t.Errorf("server saw %d requests, want 2", got)
		}
	})
}

// 3. Retry-After is waited out, at the server's clock.
func TestPolitenessRetryAfter(t *testing.T) {
	t.Parallel()
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
			return
		}
		site.Page(w, r, n)
	})
	res := polRun(t, t.Context(), polConfig(), []string{s.URL + "/a"}, nil, nil)
	r := res.ByURL(t)[s.URL+"/a"]
	if r.Record == nil || r.Status != 200 || r.Attempts != 2 || r.ErrorKind != "" {
		t.Fatalf("record %+v; want 200 after 2 attempts", r.Record)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(reqs))
	}
	gap := reqs[1].Arrived.Sub(reqs[0].Done)
	if gap < time.Second {
		t.Errorf("retry arrived %v after the 503 with Retry-After: 1, want >= 1s", gap)
	}
	if r.ElapsedMS < 1000 {
		t.Errorf("elapsed_ms %d, want >= 1000 (from the first attempt)", r.ElapsedMS)
	}
	t.Logf("Retry-After: 1 → retry %v after the 503", gap.Round(time.Millisecond))
}

// 3. A Retry-After beyond MaxRetryWait fails the URL at once.
func TestPolitenessRetryAfterTooLong(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(503)
	})
	// Waiting the hour out would end in the 10s timeout without a record.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	res := polRun(t, ctx, polConfig(), []string{s.URL + "/a"}, nil, nil)
	r := res.ByURL(t)[s.URL+"/a"]
	if r.Record == nil || r.Status != 503 || r.Attempts != 1 || r.ErrorKind != output.KindHTTPStatus {
		t.Fatalf("record %+v; want status 503, attempts 1, http_status", r.Record)
	}
	if !strings.Contains(r.Error, "Retry-After") {
		t.Errorf("error %q does not mention Retry-After", r.Error)
	}
	if got := s.Count("/a"); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
	if d := res.End.Sub(res.Start); d > 5*time.Second {
		t.Errorf("run took %v: the URL should fail at once", d)
	}
	t.Logf("error: %s", r.Error)
}

// 4. A slow host does not hold back the fast ones.
func TestPolitenessHeadOfLine(t *testing.T) {
	t.Parallel()
	slow := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		if polSleep(r, time.Second) {
			site.Page(w, r, n)
		}
	})
	var fast []*polServer
	for i := range 3 {
		fast = append(fast, newPolServer(t, fmt.Sprintf("127.0.0.%d", i+3), nil, nil))
	}
	var urls []string
	for i := range 200 {
		if i%25 == 0 {
			urls = append(urls, fmt.Sprintf("%s/slow%d", slow.URL, i/25))
		}
		urls = append(urls, fmt.Sprintf("%s/fast%d", fast[i%3].URL, i))
	}
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 8, 1
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var slowSeen int
	var fourth, lastFast, firstSlow time.Time
	// The run is cut short once the slow host's 4th record is in: what is
	// asserted is the order of the records until then.
	res := polRun(t, ctx, cfg, urls, nil, func(r polRec) {
		if strings.HasPrefix(r.URL, slow.URL) {
			slowSeen++
			if slowSeen == 1 {
				firstSlow = r.At
			}
			if slowSeen == 4 {
				fourth = r.At
				cancel()
			}
			return
		}
		if fourth.IsZero() {
			lastFast = r.At
		}
	})
	if !errors.Is(res.Err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", res.Err)
	}
	if fourth.IsZero() {
		t.Fatalf("the slow host's 4th record never came (%d slow records)", slowSeen)
	}
	var fastBefore int
	for _, r := range res.Recs {
		if strings.HasPrefix(r.URL, slow.URL) {
			if r.Status != 200 {
				t.Errorf("%s: status %d", r.URL, r.Status)
			}
			continue
		}
		if r.Status != 200 || r.Attempts != 1 {
			t.Errorf("%s: status %d attempts %d", r.URL, r.Status, r.Attempts)
		}
		if r.At.Before(fourth) {
			fastBefore++
		}
	}
	if fastBefore != 200 {
		t.Errorf("%d of 200 fast records came before the slow host's 4th record, want all", fastBefore)
	}
	if slowSeen != 4 {
		t.Errorf("%d slow records, want 4 (the 5th was in flight when the run was canceled)", slowSeen)
	}
	if m := slow.MaxInFlight(); m != 1 {
		t.Errorf("slow host had %d requests in flight, want PerHost = 1", m)
	}
	t.Logf("last fast record at %v; slow host's 1st record at %v, 4th at %v",
		lastFast.Sub(res.Start).Round(time.Millisecond), firstSlow.Sub(res.Start).Round(time.Millisecond), fourth.Sub(res.Start).Round(time.Millisecond))
}

// 4. A host that answers 429 with Retry-After waits in the scheduler, not in
// the workers: the other hosts go on.
func TestPolitenessRetryAfterDoesNotStallOthers(t *testing.T) {
	busy := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(429)
			return
		}
		site.Page(w, r, n)
	})
	var fast []*polServer
	for i := range 3 {
		fast = append(fast, newPolServer(t, fmt.Sprintf("127.0.0.%d", i+3), nil, func(w http.ResponseWriter, r *http.Request, n int) {
			polSleep(r, 5*time.Millisecond)
			site.Page(w, r, n)
		}))
	}
	urls := polURLs(busy.URL, "busy", 2)
	for i := range 90 {
		urls = append(urls, fmt.Sprintf("%s/fast%d", fast[i%3].URL, i))
	}
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 4, 2
	st := startPolStalls(t)
	res := polRun(t, t.Context(), cfg, urls, nil, nil)
	st.Stop()
	if res.Err != nil {
		t.Errorf("Run returned %v", res.Err)
	}
	if len(res.Recs) != 92 {
		t.Fatalf("%d records, want 92", len(res.Recs))
	}
	var lastFast, firstBusy time.Duration
	for _, r := range res.Recs {
		at := r.At.Sub(res.Start)
		if strings.HasPrefix(r.URL, busy.URL) {
			if r.Status != 200 || r.Attempts != 2 {
				t.Errorf("%s: status %d attempts %d, want 200 after 2", r.URL, r.Status, r.Attempts)
			}
			if at < 2*time.Second {
				t.Errorf("%s done after %v, before its Retry-After: 2 ran out", r.URL, at)
			}
			if firstBusy == 0 || at < firstBusy {
				firstBusy = at
			}
			continue
		}
		if r.Status != 200 || r.Attempts != 1 {
			t.Errorf("%s: status %d attempts %d", r.URL, r.Status, r.Attempts)
		}
		lastFast = max(lastFast, at)
	}
	// Within 1.5s, not counting the time the test process stood still.
	stalled, _ := st.Within(res.Start, res.Start.Add(lastFast))
	if lastFast-stalled > 1500*time.Millisecond {
		t.Errorf("the fast hosts' last record came after %v (%v of it process stalls), want within 1.5s", lastFast, stalled)
	}
	for _, p := range []string{"/busy0", "/busy1"} {
		var rs []site.Request
		for _, r := range busy.Requests() {
			if r.Path == p {
				rs = append(rs, r)
			}
		}
		if len(rs) != 2 {
			t.Errorf("%s: %d requests, want 2", p, len(rs))
			continue
		}
		if gap := rs[1].Arrived.Sub(rs[0].Done); gap < 2*time.Second {
			t.Errorf("%s: retried %v after the 429, want >= 2s", p, gap)
		}
	}
	t.Logf("fast hosts done at %v (%v of stalls); the 429 host's first record at %v", lastFast.Round(time.Millisecond), stalled.Round(time.Millisecond), firstBusy.Round(time.Millisecond))
}

// 5. robots.txt.
func TestPolitenessRobotsDisallowed(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, polRobots("User-agent: *\nDisallow: /private\n"))
	cfg := polConfig()
	cfg.IgnoreRobots = false
	res := polRun(t, t.Context(), cfg, []string{s.URL + "/public", s.URL + "/private/x", s.URL + "/private"}, nil, nil)
	recs := res.ByURL(t)
	if r := recs[s.URL+"/public"]; r.Record == nil || r.Status != 200 || r.Attempts != 1 {
		t.Errorf("/public: %+v, want 200", r.Record)
	}
	for _, p := range []string{"/private/x", "/private"} {
		r := recs[s.URL+p]
		if r.Record == nil || r.ErrorKind != output.KindRobots || r.Attempts != 0 || r.Status != 0 || r.ElapsedMS != 0 {
			t.Errorf("%s: %+v; want robots, attempts 0, status 0, elapsed 0", p, r.Record)
			continue
		}
		if !strings.Contains(r.Error, "robots.txt") {
			t.Errorf("%s: error %q does not mention robots.txt", p, r.Error)
		}
		if n := s.Count(p); n != 0 {
			t.Errorf("%s was requested %d times", p, n)
		}
	}
	if n := s.Count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
}

func TestPolitenessRobotsCrawlDelay(t *testing.T) {
	t.Parallel()
	s := newPolServer(t, "127.0.0.2", nil, polRobots("User-agent: *\nCrawl-delay: 1\n"))
	cfg := polConfig()
	cfg.IgnoreRobots = false
	cfg.PerHost = 4
	st := startPolStalls(t)
	res := polRun(t, t.Context(), cfg, polURLs(s.URL, "p", 3), nil, nil)
	st.Stop()
	polCheckOK(t, res, 3)
	reqs := s.Requests()
	if len(reqs) != 4 || reqs[0].Path != "/robots.txt" {
		t.Fatalf("requests %v, want robots.txt then 3 pages", reqs)
	}
	// The delay counts from robots.txt too: one more request to the host.
	gaps := polGaps(reqs)
	// A late arrival shortens the next gap: less the longest stall.
	_, longest := st.Within(reqs[0].Arrived, reqs[len(reqs)-1].Arrived)
	for i, g := range gaps {
		if g < 900*time.Millisecond-longest {
			t.Errorf("request %d came %v after the previous one, want >= ~1s (Crawl-delay: 1; longest stall %v)", i+1, g, longest)
		}
	}
	t.Logf("Crawl-delay 1s: gaps %v", gaps)
}

func TestPolitenessRobotsFetchedOncePerHost(t *testing.T) {
	var servers []*polServer
	var urls []string
	for i := range 2 {
		s := newPolServer(t, fmt.Sprintf("127.0.0.%d", i+2), nil, func(w http.ResponseWriter, r *http.Request, n int) {
			if r.URL.Path == "/robots.txt" {
				polSleep(r, 100*time.Millisecond) // widen the window for a second fetch
				io.WriteString(w, "User-agent: *\nAllow: /\n")
				return
			}
			site.Page(w, r, n)
		})
		servers = append(servers, s)
	}
	for i := range 50 {
		for _, s := range servers {
			urls = append(urls, fmt.Sprintf("%s/p%d", s.URL, i))
		}
	}
	cfg := polConfig()
	cfg.IgnoreRobots = false
	cfg.Concurrency, cfg.PerHost = 32, 32
	res := polRun(t, t.Context(), cfg, urls, nil, nil)
	polCheckOK(t, res, 100)
	for _, s := range servers {
		reqs := s.Requests()
		if n := s.Count("/robots.txt"); n != 1 {
			t.Errorf("%s: robots.txt requested %d times, want 1", s.Host, n)
		}
		if len(reqs) != 51 || reqs[0].Path != "/robots.txt" {
			t.Fatalf("%s: %d requests, the first %q; want robots.txt then 50 pages", s.Host, len(reqs), reqs[0].Path)
		}
		for _, r := range reqs[1:] {
			if r.Arrived.Before(reqs[0].Done) {
				t.Errorf("%s: %s arrived before robots.txt was answered", s.Host, r.Path)
			}
		}
	}
}

func TestPolitenessRobots404AllowsAll(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		site.Page(w, r, n)
	})
	cfg := polConfig()
	cfg.IgnoreRobots = false
	res := polRun(t, t.Context(), cfg, polURLs(s.URL, "p", 5), nil, nil)
	polCheckOK(t, res, 5)
	if n := s.Count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
}

func TestPolitenessRobots503DisallowsAll(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(503)
			return
		}
		site.Page(w, r, n)
	})
	cfg := polConfig()
	cfg.IgnoreRobots = false
	res := polRun(t, t.Context(), cfg, polURLs(s.URL, "p", 5), nil, nil)
	if len(res.Recs) != 5 {
		t.Fatalf("%d records, want 5", len(res.Recs))
	}
	for _, r := range res.Recs {
		if r.ErrorKind != output.KindRobots || r.Attempts != 0 || r.Status != 0 {
			t.Errorf("%s: kind %q attempts %d status %d; want robots, 0, 0", r.URL, r.ErrorKind, r.Attempts, r.Status)
		}
		if !strings.Contains(r.Error, "robots.txt") || !strings.Contains(r.Error, "503") {
			t.Errorf("%s: error %q should name robots.txt and its 503", r.URL, r.Error)
		}
	}
	// A 5xx robots.txt is retried like a page (--retries 2) before it
	// disallows everything; no page is requested.
	if reqs := s.Requests(); len(reqs) != 1+cfg.Retries || s.Count("/robots.txt") != 1+cfg.Retries {
		t.Errorf("server saw %d requests, want %d, all of robots.txt", len(reqs), 1+cfg.Retries)
	}
}

func TestPolitenessRobotsUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.6:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close() // nobody listens there now
	cfg := polConfig()
	cfg.IgnoreRobots = false
	res := polRun(t, t.Context(), cfg, polURLs(base, "p", 3), nil, nil)
	if len(res.Recs) != 3 {
		t.Fatalf("%d records, want 3", len(res.Recs))
	}
	for _, r := range res.Recs {
		if r.ErrorKind != output.KindConnect || r.Status != 0 || r.Attempts != 0 {
			t.Errorf("%s: kind %q status %d attempts %d; want connect, 0, 0", r.URL, r.ErrorKind, r.Status, r.Attempts)
		}
		if !strings.Contains(r.Error, "robots.txt") {
			t.Errorf("%s: error %q does not mention robots.txt", r.URL, r.Error)
		}
	}
}

// A group naming trawl's product token beats the * group (RFC 9309 2.2.1),
// the User-Agent being "trawl/test".
func TestPolitenessRobotsProductTokenGroup(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, polRobots("User-agent: *\nDisallow: /\n\nUser-agent: trawl\nDisallow: /private\n"))
	cfg := polConfig()
	cfg.IgnoreRobots = false
	res := polRun(t, t.Context(), cfg, []string{s.URL + "/public", s.URL + "/private"}, nil, nil)
	recs := res.ByURL(t)
	pub, priv := recs[s.URL+"/public"], recs[s.URL+"/private"]
	if pub.Record == nil || priv.Record == nil {
		t.Fatalf("records missing: %v", recs)
	}
	if priv.ErrorKind != output.KindRobots || s.Count("/private") != 0 {
		t.Errorf("/private: kind %q, %d requests; want robots, none", priv.ErrorKind, s.Count("/private"))
	}
	if pub.ErrorKind == output.KindRobots {
		t.Fatalf("/public got %q (%s): robots.allowed matches the whole User-Agent %q against groups, so the \"trawl\" group never applies and * (Disallow: /) does", pub.ErrorKind, pub.Error, cfg.UserAgent)
	}
	if pub.Status != 200 || s.Count("/public") != 1 {
		t.Errorf("/public: %+v, want 200", pub.Record)
	}
}

// The same, at the unit: robots.allowed for the engine's User-Agent.
func TestRobotsAllowedProductToken(t *testing.T) {
	rb := &robots{state: robotsReady, body: "User-agent: *\nDisallow: /\n\nUser-agent: trawl\nAllow: /\nDisallow: /private\n"}
	u := func(s string) *url.URL { v, _ := url.Parse(s); return v }
	if rb.allowed("trawl", u("http://h/private")) || !rb.allowed("trawl", u("http://h/public")) {
		t.Fatal("the trawl group does not apply to the bare product token")
	}
	if rb.allowed("other/1.0", u("http://h/public")) {
		t.Error("the * group (Disallow: /) did not apply to another agent")
	}
	for _, ua := range []string{"trawl/test", "trawl/1.2.3", "Trawl/dev (+https://example.com)"} {
		if rb.allowed(ua, u("http://h/private")) {
			t.Errorf("%q allowed /private", ua)
		}
		if !rb.allowed(ua, u("http://h/public")) {
			t.Fatalf("allowed(%q, /public) = false: the full User-Agent is matched instead of its product token %q", ua, ProductToken(ua))
		}
	}
}

func TestCrawlDelayGroups(t *testing.T) {
	cases := []struct {
		body, agent string
		want        time.Duration
	}{
		{"User-agent: *\nCrawl-delay: 2\n", "trawl/test", 2 * time.Second},
		{"User-agent: *\nCrawl-delay: 5\n\nUser-agent: trawl\nCrawl-delay: 1\n", "trawl/test", time.Second},
		{"User-agent: trawl\nCrawl-delay: 0.5\n\nUser-agent: *\nCrawl-delay: 5\n", "trawl/1.0", 500 * time.Millisecond},
		// A trawl group without Crawl-delay: no delay, the * group's is not used.
		{"User-agent: *\nCrawl-delay: 5\n\nUser-agent: trawl\nDisallow: /x\n", "trawl/test", 0},
		{"User-agent: other\nCrawl-delay: 5\n", "trawl/test", 0},
		{"User-agent: *\nCrawl-delay: soon\n", "trawl/test", 0},
		{"User-agent: *\nCrawl-delay: -3\n", "trawl/test", 0},
		{"User-agent: *\nCrawl-delay: 99999\n", "trawl/test", 99999 * time.Second},
		{"User-agent: *\nCrawl-delay: 1e300\n", "trawl/test", maxDelaySeconds * time.Second},
		// Two agents on one group.
		{"User-agent: a\nUser-agent: trawl\nCrawl-delay: 3\n", "trawl/test", 3 * time.Second},
	}
	for _, c := range cases {
		if got, _ := crawlDelay(c.body, c.agent); got != c.want {
			t.Errorf("crawlDelay(%q, %q) = %v, want %v", c.body, c.agent, got, c.want)
		}
	}
	// Sitemap: lines belong to no group; relative ones are not sitemaps.
	_, sm := crawlDelay("Sitemap: https://a.example/s1.xml\nUser-agent: x\nDisallow: /\nsitemap:http://b.example/s2.xml.gz\nSitemap: /rel.xml\n", "trawl/test")
	if len(sm) != 2 || sm[0] != "https://a.example/s1.xml" || sm[1] != "http://b.example/s2.xml.gz" {
		t.Errorf("sitemaps = %q", sm)
	}
}

func TestPolitenessIgnoreRobots(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, polRobots("User-agent: *\nDisallow: /\nCrawl-delay: 10\n"))
	res := polRun(t, t.Context(), polConfig(), polURLs(s.URL, "p", 5), nil, nil)
	polCheckOK(t, res, 5)
	if n := s.Count("/robots.txt"); n != 0 {
		t.Errorf("robots.txt requested %d times with IgnoreRobots", n)
	}
	if d := res.End.Sub(res.Start); d > 5*time.Second {
		t.Errorf("run took %v: Crawl-delay applied with IgnoreRobots", d)
	}
}

// 6. Closing stop lets the requests in flight finish and drops the queue.
func TestPolitenessStop(t *testing.T) {
	stop := make(chan struct{})
	// The requests in flight answer only after stop is closed (and the
	// scheduler has had time to see it), so none can end before it.
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-stop:
		case <-r.Context().Done():
			return
		}
		polSleep(r, 300*time.Millisecond)
		site.Page(w, r, n)
	})
	s.Arrived = make(chan string, 100)
	go func() {
		<-s.Arrived
		<-s.Arrived
		close(stop)
	}()
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 2, 2
	res := polRun(t, t.Context(), cfg, polURLs(s.URL, "p", 20), stop, nil)
	if res.Err != nil {
		t.Errorf("Run returned %v, want nil", res.Err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Errorf("server saw %d requests, want the 2 in flight when stop closed", len(reqs))
	}
	if len(res.Recs) != 2 {
		t.Fatalf("%d records, want 2 (the requests in flight)", len(res.Recs))
	}
	for _, r := range res.Recs {
		if r.Status != 200 {
			t.Errorf("%s: status %d, want 200: a request in flight finishes", r.URL, r.Status)
		}
	}
	for _, r := range reqs {
		if res.End.Before(r.Done) {
			t.Errorf("Run returned before the request for %s was done", r.Path)
		}
	}
}

// 6. An interrupted run starts no retry: a URL waiting out Retry-After has no
// record, and Run does not wait for it.
func TestPolitenessStopDuringRetryWait(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(503)
	})
	s.Arrived = make(chan string, 10)
	stop := make(chan struct{})
	go func() {
		<-s.Arrived
		time.Sleep(100 * time.Millisecond)
		close(stop)
	}()
	res := polRun(t, t.Context(), polConfig(), []string{s.URL + "/a"}, stop, nil)
	if res.Err != nil {
		t.Errorf("Run returned %v", res.Err)
	}
	if len(res.Recs) != 0 {
		t.Errorf("%d records, want none", len(res.Recs))
	}
	if d := res.End.Sub(res.Start); d > 4*time.Second {
		t.Errorf("Run took %v: it waited for the retry (Retry-After: 5)", d)
	}
	if n := s.Count("/a"); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

// 6. Canceling ctx ends the requests in flight; they have no record.
func TestPolitenessCancel(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		if polSleep(r, 10*time.Second) {
			site.Page(w, r, n)
		}
	})
	s.Arrived = make(chan string, 100)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	canceled := make(chan time.Time, 1)
	go func() {
		<-s.Arrived
		<-s.Arrived
		canceled <- time.Now()
		cancel()
	}()
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 2, 2
	// No retries: a canceled request taken for a failure would end its URL
	// with a record at once.
	cfg.Retries = 0
	res := polRun(t, ctx, cfg, polURLs(s.URL, "p", 10), nil, nil)
	if !errors.Is(res.Err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", res.Err)
	}
	if len(res.Recs) != 0 {
		t.Errorf("%d records, want none", len(res.Recs))
	}
	if d := res.End.Sub(<-canceled); d > 5*time.Second {
		t.Errorf("Run returned %v after the cancel", d)
	}
	// The handlers saw their requests end well before their 10 s.
	deadline := time.Now().Add(5 * time.Second)
	for {
		reqs := s.Requests()
		done := 0
		for _, r := range reqs {
			if !r.Done.IsZero() {
				done++
			}
		}
		if len(reqs) != 2 {
			t.Fatalf("server saw %d requests, want 2", len(reqs))
		}
		if done == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the requests in flight were not ended by the cancel")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// 6. A stop that is already closed starts nothing. The scheduler's select
// chooses at random among ready cases, so a stop that is not looked at first
// lets requests start after it; each try here gives it that chance twice
// (taking the job, then dispatching it).
func TestPolitenessStopAlreadyClosed(t *testing.T) {
	s := newPolServer(t, "127.0.0.2", nil, nil)
	cfg := polConfig()
	cfg.Concurrency = 1
	const tries = 100
	records := 0
	for range tries {
		stop := make(chan struct{})
		close(stop)
		res := polRun(t, t.Context(), cfg, []string{s.URL + "/a"}, stop, nil)
		if res.Err != nil {
			t.Fatalf("Run returned %v", res.Err)
		}
		records += len(res.Recs)
	}
	if n := len(s.Requests()); n > 0 {
		t.Fatalf("with stop closed before Run, %d of %d runs still sent a request (%d records): scheduler.run's select picks `out <- cand` or `<-in` over `<-stop` at random", n, tries, records)
	}
	if records != 0 {
		t.Errorf("%d records with stop closed before Run, want none", records)
	}
}
