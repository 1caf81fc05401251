package fetch

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
	"github.com/trawl-dev/trawl/output"
)

// The tests of adaptive politeness run the same list against a host of
// limited capacity (site.Capacity) and a healthy host, with --adaptive and
// with --adaptive=false, in one test, and compare what the servers saw.

// adaptRun is one run's outcome, as the servers and the records say.
type adaptRun struct {
	res               *polResult
	weak, healthy     *polServer
	refused, served   int
	failed            int
	slowdowns         map[string]int
	healthyWall       time.Duration
	weakMax, strongMx int
}

// runAdaptive runs n URLs on a weak host (cp) and n on a healthy one with
// cfg, adaptive or not.
func runAdaptive(t *testing.T, cfg Config, cp *site.Capacity, n int, adaptive bool, healthyLatency time.Duration) adaptRun {
	t.Helper()
	cfg.Adaptive = adaptive
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	weak := newPolServer(t, "127.0.0.2", nil, cp.Serve)
	healthy := newPolServer(t, "127.0.0.3", nil, func(w http.ResponseWriter, r *http.Request, k int) {
		if polSleep(r, healthyLatency) {
			site.Page(w, r, k)
		}
	})
	urls := append(polURLs(weak.URL, "w", n), polURLs(healthy.URL, "h", n)...)
	e := New(cfg)
	res := polRunEngine(t, context.Background(), e, urls, nil, nil)
	out := adaptRun{res: res, weak: weak, healthy: healthy, slowdowns: e.Slowdowns()}
	out.refused, out.served = cp.Counts()
	for _, r := range res.Recs {
		if r.Status != 200 || r.ErrorKind != output.KindNone {
			out.failed++
		}
	}
	reqs := healthy.Pages()
	out.healthyWall = span(reqs)
	out.weakMax, out.strongMx = weak.MaxInFlight(), healthy.MaxInFlight()
	return out
}

// span is the time from the first request's arrival to the last one's end.
func span(reqs []site.Request) time.Duration {
	if len(reqs) == 0 {
		return 0
	}
	first, last := reqs[0].Arrived, reqs[0].Done
	for _, r := range reqs {
		if r.Arrived.Before(first) {
			first = r.Arrived
		}
		if r.Done.After(last) {
			last = r.Done
		}
	}
	return last.Sub(first)
}

// maxInFlightFrom is the most requests in flight at once among those that
// arrived at or after from.
func maxInFlightFrom(reqs []site.Request, from time.Time) int {
	type ev struct {
		at time.Time
		d  int
	}
	var evs []ev
	for _, r := range reqs {
		if r.Arrived.Before(from) {
			continue
		}
		evs = append(evs, ev{r.Arrived, 1}, ev{r.Done, -1})
	}
	slices.SortFunc(evs, func(a, b ev) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.d - b.d // an end before a start at the same instant
	})
	cur, most := 0, 0
	for _, e := range evs {
		cur += e.d
		most = max(most, cur)
	}
	return most
}

// maxPerSecond is the most requests that arrived within any one second.
func maxPerSecond(reqs []site.Request) int {
	ts := make([]time.Time, len(reqs))
	for i, r := range reqs {
		ts[i] = r.Arrived
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	most, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= time.Second {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// A host that answers 503 past 4 requests in flight, with --per-host 16:
// adaptation sends it a fraction of the 503s and every URL ends ok, while
// the healthy host beside it keeps its full pace.
func TestAdaptiveOverloadedHost(t *testing.T) {
	const n = 300
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 32, 16
	cfg.Retries, cfg.RetryWait = 2, 100*time.Millisecond // trawl's 2 and 500ms, shortened
	var runs [2]adaptRun
	for i, adaptive := range []bool{true, false} {
		cp := &site.Capacity{MaxInFlight: 4, Latency: 20 * time.Millisecond}
		runs[i] = runAdaptive(t, cfg, cp, n, adaptive, 20*time.Millisecond)
		r := runs[i]
		t.Logf("adaptive=%v: %d answers 503 of %d (%.1f%%), %d URLs failed, %d slowdowns; healthy host: %v, %d in flight at most",
			adaptive, r.refused, r.refused+r.served, 100*float64(r.refused)/float64(r.refused+r.served), r.failed, r.slowdowns["127.0.0.2"], r.healthyWall.Round(time.Millisecond), r.strongMx)
		if len(r.res.Recs) != 2*n {
			t.Fatalf("adaptive=%v: %d records, want %d", adaptive, len(r.res.Recs), 2*n)
		}
		if r.weakMax > 16 || r.strongMx > 16 {
			t.Errorf("adaptive=%v: %d and %d in flight at most; the cap is 16", adaptive, r.weakMax, r.strongMx)
		}
		if r.strongMx != 16 {
			t.Errorf("adaptive=%v: the healthy host had %d in flight at most, want its cap, 16", adaptive, r.strongMx)
		}
		if _, slowed := r.slowdowns["127.0.0.3"]; slowed {
			t.Errorf("adaptive=%v: the healthy host was slowed: %v", adaptive, r.slowdowns)
		}
	}
	on, off := runs[0], runs[1]
	if on.failed != 0 {
		t.Errorf("adaptive: %d URLs failed, want 0", on.failed)
	}
	shareOn := float64(on.refused) / float64(on.refused+on.served)
	shareOff := float64(off.refused) / float64(off.refused+off.served)
	if shareOn > 0.25 || shareOn*3 > shareOff {
		t.Errorf("503s: %.1f%% adaptive against %.1f%% fixed; want at most 25%% and a third", 100*shareOn, 100*shareOff)
	}
	if on.slowdowns["127.0.0.2"] == 0 || len(off.slowdowns) != 0 {
		t.Errorf("slowdowns: %v adaptive, %v fixed; want the weak host's, and none", on.slowdowns, off.slowdowns)
	}
	// The healthy host's pace, unchanged: same concurrency (above) and a
	// wall time within a generous margin (the exact numbers are in the
	// benchmark, not in a timed test).
	if on.healthyWall > 2*off.healthyWall+time.Second {
		t.Errorf("the healthy host took %v adaptive against %v fixed", on.healthyWall, off.healthyWall)
	}
}

// A host that answers 429 past 40 requests a second, under --host-rate
// 200/s: adaptation holds it near what it takes, never above the cap.
func TestAdaptiveRateLimitedHost(t *testing.T) {
	const n = 160
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 16, 4
	cfg.HostRate = 200
	cfg.Retries, cfg.RetryWait = 2, 500*time.Millisecond // trawl's defaults
	var runs [2]adaptRun
	for i, adaptive := range []bool{true, false} {
		cp := &site.Capacity{MaxRate: 40, Latency: 5 * time.Millisecond}
		runs[i] = runAdaptive(t, cfg, cp, n, adaptive, 5*time.Millisecond)
		r := runs[i]
		t.Logf("adaptive=%v: %d answers 429 of %d, %d URLs failed; weak host at most %d a second, healthy %d",
			adaptive, r.refused, r.refused+r.served, r.failed, maxPerSecond(r.weak.Pages()), maxPerSecond(r.healthy.Pages()))
		for _, s := range []*polServer{r.weak, r.healthy} {
			// 200 a second, one more for the second's both ends, and the
			// bucket's credit of two intervals for a request started late.
			if got := maxPerSecond(s.Pages()); got > 203 {
				t.Errorf("adaptive=%v: %d requests within a second; the cap is 200/s", adaptive, got)
			}
		}
		if rate := polRate(r.healthy.Pages()); rate < 100 {
			t.Errorf("adaptive=%v: the healthy host went at %.0f/s; its cap is 200/s", adaptive, rate)
		}
	}
	on, off := runs[0], runs[1]
	if on.failed != 0 {
		t.Errorf("adaptive: %d URLs failed, want 0", on.failed)
	}
	if on.refused*2 > off.refused {
		t.Errorf("429s: %d adaptive against %d fixed; want at most half", on.refused, off.refused)
	}
}

// A host whose latency climbs with load (it copes at first, then tires) is
// slowed before it fails: once its answers have been slow for a second
// (ratelimit's slowFor), it is cut, and fewer than half as many answers as
// without adaptation are slowed by load.
func TestAdaptiveLatencyClimb(t *testing.T) {
	const n = 200
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 16, 8
	var slowed [2]int
	for i, adaptive := range []bool{true, false} {
		cp := &site.Capacity{Latency: 10 * time.Millisecond, PerInFlight: 40 * time.Millisecond, SlowAbove: 1, DegradeAfter: 40}
		r := runAdaptive(t, cfg, cp, n, adaptive, time.Millisecond)
		slowed[i] = cp.Slowed()
		t.Logf("adaptive=%v: %d of %d answers slowed by load; weak host %v; slowdowns %v", adaptive, slowed[i], r.served, span(r.weak.Pages()).Round(time.Millisecond), r.slowdowns)
		if r.failed != 0 || r.served != n {
			t.Errorf("adaptive=%v: %d URLs failed, %d served; want 0 and %d", adaptive, r.failed, r.served, n)
		}
		if adaptive != (r.slowdowns["127.0.0.2"] > 0) {
			t.Errorf("adaptive=%v: slowdowns %v", adaptive, r.slowdowns)
		}
	}
	// Without adaptation, every answer past the first 40 is slowed.
	if slowed[1] < n-40-8 || slowed[0]*2 > slowed[1] {
		t.Errorf("answers slowed by load: %d adaptive against %d fixed; want %d or so fixed and half of it at most", slowed[0], slowed[1], n-40)
	}
}

// A host that heals gets its full pace back: the cap, reached again.
func TestAdaptiveRecovery(t *testing.T) {
	const n = 1200
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 16, 8
	cfg.Retries = 6
	cp := &site.Capacity{MaxInFlight: 3, Latency: 10 * time.Millisecond, HealAfter: 150}
	r := runAdaptive(t, cfg, cp, n, true, time.Millisecond)
	reqs := r.weak.Pages()
	slices.SortFunc(reqs, func(a, b site.Request) int { return a.Arrived.Compare(b.Arrived) })
	early := maxInFlightFrom(reqs[:150], reqs[50].Arrived)
	late := maxInFlightFrom(reqs, reqs[len(reqs)-150].Arrived)
	t.Logf("in flight at most: %d while weak, %d at the end; %d refused; slowdowns %v", early, late, r.refused, r.slowdowns)
	if r.failed != 0 || r.slowdowns["127.0.0.2"] == 0 {
		t.Errorf("%d URLs failed, %v slowdowns; want 0 and some", r.failed, r.slowdowns)
	}
	if late != 8 {
		t.Errorf("%d in flight at most at the end, once healed; want the cap, 8", late)
	}
	if span := span(reqs[len(reqs)-150:]); span > 3*time.Second {
		t.Errorf("the last 150 requests took %v; a healed host at 8 in flight takes about 0.2s", span)
	}
}
