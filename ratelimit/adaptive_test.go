package ratelimit

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// sim drives a host's adaptation as the scheduler does: each answer comes
// with a request start gap after the last (the host's observed rate), and
// with others of its requests still in flight: full keeps the host at its
// concurrency limit (others is then that limit less one).
type sim struct {
	l      *Limiter
	h      *Host
	now    time.Time
	gap    time.Duration
	others int
	full   bool
}

func newSim(cfg Limits, gap time.Duration) *sim {
	cfg.Adaptive, cfg.Burst = true, 1
	l := New(cfg)
	return &sim{l: l, h: l.Host("h"), now: time.Unix(1000, 0), gap: gap, full: true}
}

// answer observes one answer; a zero Started is the answer's own start.
func (s *sim) answer(o Outcome) (Change, bool) {
	s.now = s.now.Add(s.gap)
	s.l.Start(s.h, s.now)
	s.l.Done(s.h)
	if o.Started.IsZero() {
		o.Started = s.now
	}
	s.h.inflight = s.others
	if s.full {
		s.h.inflight = s.l.concurrency(s.h) - 1
	}
	ch, ok := s.l.Observe(s.h, o, s.now)
	s.h.inflight = 0
	return ch, ok
}

func TestAdaptiveCutAndRecover(t *testing.T) {
	s := newSim(Limits{PerHost: 16}, 10*time.Millisecond) // 100/s observed
	for i := 0; i < 50; i++ {
		s.now = s.now.Add(s.gap)
		s.l.Start(s.h, s.now)
		s.l.Done(s.h)
	}
	if c := s.l.concurrency(s.h); c != 16 {
		t.Fatalf("concurrency %d before any answer, want the cap 16", c)
	}
	started := s.now
	ch, ok := s.answer(Outcome{Started: started, Overload: true})
	if !ok || !ch.Slower || ch.Concurrency != 8 || ch.Rate < 74 || ch.Rate > 76 || ch.Reason != "overloaded" {
		t.Fatalf("first overload (a 503): %+v %v; want 8 in flight (half), 75/s (a quarter off the observed 100/s)", ch, ok)
	}
	// Another overload of a request that started before the cut: the same
	// round, no second cut.
	if ch, ok := s.answer(Outcome{Started: started.Add(-time.Millisecond), Overload: true}); ok {
		t.Fatalf("a second cut for the same round: %+v", ch)
	}
	// One that started after, a 429: cut again, the rate by half, from
	// the adaptive rate (below the observed one), the load by a quarter.
	ch, ok = s.answer(Outcome{Overload: true, TooMany: true})
	if !ok || ch.Concurrency != 6 || ch.Rate < 37 || ch.Rate > 38 || ch.Reason != "429 Too Many Requests" {
		t.Fatalf("second overload (a 429): %+v; want 6 and 37.5/s", ch)
	}
	// Never below 1 in flight and 1 a second.
	for i := 0; i < 20; i++ {
		s.answer(Outcome{Overload: true})
	}
	if c, r := s.l.concurrency(s.h), s.h.adapt.rateLimit; c != 1 || r != 1 {
		t.Fatalf("after many cuts: %d in flight, %v/s; want 1 and 1", c, r)
	}
	// Healthy answers, the host at its limits, raise it back step by step
	// to the cap and no rate limit.
	s.gap = time.Millisecond
	steps := 0
	for i := 0; i < 100000 && (s.l.concurrency(s.h) < 16 || s.h.adapt.bucket != nil); i++ {
		if ch, ok := s.answer(Outcome{Healthy: true}); ok {
			steps++
			if ch.Slower {
				t.Fatalf("a healthy answer slowed the host: %+v", ch)
			}
		}
	}
	if s.l.concurrency(s.h) != 16 || s.h.adapt.bucket != nil || steps < 15 {
		t.Fatalf("after recovery: %d in flight, rate limit %v, %d steps", s.l.concurrency(s.h), s.h.adapt.bucket != nil, steps)
	}
	if got := s.l.Slowdowns()["h"]; got != 22 {
		t.Errorf("slowdowns %d, want 22", got)
	}
}

// A cut halves what the host uses, not an unused limit; limits the host
// does not use do not climb (TCP's congestion window validation).
func TestAdaptiveCutsWhatIsUsed(t *testing.T) {
	s := newSim(Limits{PerHost: 16}, 10*time.Millisecond)
	s.full, s.others = false, 2 // 3 in flight of 16 allowed
	s.answer(Outcome{Healthy: true})
	s.answer(Outcome{Healthy: true})
	ch, ok := s.answer(Outcome{Overload: true})
	if !ok || ch.Concurrency != 1 || s.h.adapt.failedConc != 3 {
		t.Fatalf("cut with 3 in flight: %+v, failed at %d; want 1 and 3", ch, s.h.adapt.failedConc)
	}
	// One in flight of the 1 allowed: healthy answers climb to 2, then
	// wait plateauRounds rounds below the 3 that failed.
	s.others = 0
	for i := 0; i < 1+2*plateauRounds; i++ {
		s.answer(Outcome{Healthy: true})
		if c := s.l.concurrency(s.h); c != 2 {
			t.Fatalf("answer %d: concurrency %d, want 2 (climbed once, then held below 3)", i, c)
		}
		s.others = 1
	}
	s.answer(Outcome{Healthy: true})
	s.answer(Outcome{Healthy: true})
	if c := s.l.concurrency(s.h); c != 3 {
		t.Fatalf("after the plateau: concurrency %d, want 3", c)
	}
	// A host that uses 1 of its 3: no climb, however healthy.
	s.others = 0
	rate := s.h.adapt.rateLimit
	s.gap = time.Second // 1/s, well below its adaptive rate
	for i := 0; i < 100; i++ {
		if ch, ok := s.answer(Outcome{Healthy: true}); ok {
			t.Fatalf("answer %d raised an unused limit: %+v", i, ch)
		}
	}
	if s.l.concurrency(s.h) != 3 || s.h.adapt.rateLimit != rate {
		t.Fatalf("unused limits climbed: %d, %v/s (was %v/s)", s.l.concurrency(s.h), s.h.adapt.rateLimit, rate)
	}
}

func TestAdaptiveRespectsCaps(t *testing.T) {
	s := newSim(Limits{PerHost: 4, HostRate: 10}, time.Millisecond) // 1000/s observed, above the cap
	for i := 0; i < 20; i++ {
		s.now = s.now.Add(s.gap)
		s.l.Start(s.h, s.now)
		s.l.Done(s.h)
	}
	ch, _ := s.answer(Outcome{Overload: true, TooMany: true})
	if ch.Concurrency != 3 || ch.Rate != 5 {
		t.Fatalf("cut: %+v; want 3 in flight, half the 10/s cap", ch)
	}
	s.gap = 10 * time.Millisecond
	for i := 0; i < 1000; i++ {
		s.answer(Outcome{Healthy: true})
		if s.l.concurrency(s.h) > 4 || s.h.adapt.rateLimit > 10 {
			t.Fatalf("over the caps: %d in flight, %v/s", s.l.concurrency(s.h), s.h.adapt.rateLimit)
		}
	}
	if s.l.concurrency(s.h) != 4 || s.h.adapt.bucket != nil {
		t.Fatalf("not back to the caps: %d, %v", s.l.concurrency(s.h), s.h.adapt.rateLimit)
	}
}

// The rate climbs back fast to nine tenths of the rate that failed, holds
// there rateHold, then probes past it by doubling steps.
func TestAdaptiveRateSteps(t *testing.T) {
	s := newSim(Limits{PerHost: 4}, 10*time.Millisecond) // 100/s observed
	for i := 0; i < 30; i++ {
		s.now = s.now.Add(s.gap)
		s.l.Start(s.h, s.now)
		s.l.Done(s.h)
	}
	s.answer(Outcome{Overload: true, TooMany: true})
	cut := s.now
	s.gap = 2 * time.Millisecond // the host goes as fast as it may
	rates, at := []float64{50}, []time.Duration{0}
	for i := 0; i < 5000; i++ {
		if ch, ok := s.answer(Outcome{Healthy: true}); ok {
			if r := math.Round(float64(ch.Rate)); r != rates[len(rates)-1] {
				rates, at = append(rates, r), append(at, s.now.Sub(cut))
			}
		}
	}
	// 50 → 70 (half the gap to 90), 80, 90 a round each; 2s at 90; then
	// +10, +20, +40, and +80 lifts it: past 200, twice the rate observed at
	// the first cut.
	want := []float64{50, 70, 80, 90, 100, 120, 160, 0}
	if fmt.Sprint(rates) != fmt.Sprint(want) {
		t.Fatalf("rates %v, want %v", rates, want)
	}
	if at[3] > 4*rateRound || at[4]-at[3] < rateHold || at[4]-at[3] > rateHold+rateRound {
		t.Fatalf("rate changes at %v; want 90/s within %v and held %v", at, 4*rateRound, rateHold)
	}
}

func TestAdaptiveLatency(t *testing.T) {
	s := newSim(Limits{PerHost: 8}, time.Millisecond)
	observe := func(ttfb time.Duration) (Change, bool) {
		return s.answer(Outcome{Healthy: true, TTFB: ttfb})
	}
	for i := 0; i < baselineAnswers; i++ {
		observe(time.Duration(40+i%5) * time.Millisecond) // median 42ms
	}
	// Lone slow answers among ordinary ones are jitter, not a trend.
	for i := 0; i < 20; i++ {
		ttfb := 40 * time.Millisecond
		if i%3 == 0 {
			ttfb = time.Second
		}
		if ch, ok := observe(ttfb); ok && ch.Slower {
			t.Fatalf("slowed by lone slow answers (answer %d): %+v", i, ch)
		}
	}
	// Twice the baseline, steadily: not yet.
	for i := 0; i < 10; i++ {
		if ch, ok := observe(84 * time.Millisecond); ok && ch.Slower {
			t.Fatalf("slowed at twice the baseline: %+v", ch)
		}
	}
	// Four times: the third slow answer of five makes the median slow,
	// and a second of it cuts.
	s.gap = 100 * time.Millisecond
	for i := 0; i < 2; i++ {
		if ch, ok := observe(170 * time.Millisecond); ok && ch.Slower {
			t.Fatalf("slowed after %d slow answers: %+v", i+1, ch)
		}
	}
	slowFrom := s.now.Add(s.gap)
	for s.now.Add(s.gap).Sub(slowFrom) < slowFor {
		if ch, ok := observe(170 * time.Millisecond); ok && ch.Slower {
			t.Fatalf("slowed after %v of slow answers: %+v", s.now.Sub(slowFrom), ch)
		}
	}
	ch, ok := observe(170 * time.Millisecond)
	if !ok || !ch.Slower || ch.Concurrency != 4 || !strings.Contains(ch.Reason, "baseline 42ms") {
		t.Fatalf("a second of answers at four times the baseline: %+v %v; want a cut to 4", ch, ok)
	}
	// A slow moment shorter than slowFor, between ordinary answers: no cut.
	for i := 0; i < 30; i++ {
		observe(42 * time.Millisecond)
	}
	for i := 0; i < 8; i++ {
		if ch, ok := observe(500 * time.Millisecond); ok && ch.Slower {
			t.Fatalf("a slow moment of %v cut the host: %+v", time.Duration(i)*s.gap, ch)
		}
	}
}

func TestAdaptiveLatencySlack(t *testing.T) {
	// A fast host's median of 1ms: 5ms is over 3× but within the slack.
	s := newSim(Limits{PerHost: 8}, time.Millisecond)
	for i := 0; i < baselineAnswers+10; i++ {
		ttfb := time.Millisecond
		if i >= baselineAnswers {
			ttfb = 5 * time.Millisecond
		}
		if ch, ok := s.answer(Outcome{Healthy: true, TTFB: ttfb}); ok && ch.Slower {
			t.Fatalf("a fast host slowed by a few milliseconds: %+v", ch)
		}
	}
	s.gap = 100 * time.Millisecond
	for i := 0; i < 3+int(slowFor/s.gap); i++ {
		s.answer(Outcome{Healthy: true, TTFB: 80 * time.Millisecond})
	}
	if s.l.concurrency(s.h) != 4 {
		t.Fatalf("80ms against a 1ms baseline: concurrency %d, want 4", s.l.concurrency(s.h))
	}
}

func TestAdaptiveOff(t *testing.T) {
	l := New(Limits{PerHost: 8, Burst: 1})
	h := l.Host("h")
	now := time.Unix(1000, 0)
	if _, ok := l.Observe(h, Outcome{Started: now, Overload: true}, now); ok || l.concurrency(h) != 8 {
		t.Fatalf("--adaptive=false changed the pace")
	}
}

func TestSlowdownsBounded(t *testing.T) {
	l := New(Limits{PerHost: 8, Burst: 1, Adaptive: true})
	for i := 0; i < 3000; i++ {
		n := 1
		if i%100 == 0 {
			n = 5
		}
		for k := 0; k < n; k++ {
			l.noteSlowdown(fmt.Sprintf("h%d", i))
		}
	}
	if len(l.slowdowns) > maxSlowdownHosts {
		t.Fatalf("%d hosts kept", len(l.slowdowns))
	}
	top := l.Slowdowns()
	if len(top) != reportedSlowdowns || top["h2900"] != 5 || top["h0"] != 5 {
		t.Fatalf("top: %d hosts, h2900 %d, h0 %d", len(top), top["h2900"], top["h0"])
	}
}
