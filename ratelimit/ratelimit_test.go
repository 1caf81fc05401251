package ratelimit

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestParseRate(t *testing.T) {
	ok := []struct {
		in   string
		want float64
	}{
		{"20/s", 20},
		{"300/m", 5},
		{"5000/h", 5000.0 / 3600},
		{"2.5", 2.5},
		{"0", 0},
		{"0/m", 0},
		{" 20/s ", 20},
		{"20 / S", 20},
		{"1/sec", 1},
		{"120/min", 2},
		{"7200/hour", 2},
		{"1e3", 1000},
		{".5/s", 0.5},
	}
	for _, c := range ok {
		got, err := ParseRate(c.in)
		if err != nil {
			t.Errorf("ParseRate(%q): %v", c.in, err)
			continue
		}
		if math.Abs(float64(got)-c.want) > 1e-9*math.Max(1, c.want) {
			t.Errorf("ParseRate(%q) = %v, want %v", c.in, float64(got), c.want)
		}
	}
	// "5000/h" is about 1.3889 per second.
	if got, _ := ParseRate("5000/h"); math.Abs(float64(got)-1.3889) > 1e-4 {
		t.Errorf("ParseRate(5000/h) = %v, want ≈1.3889", float64(got))
	}

	bad := []string{"fast", "-1", "-1/s", "1/d", "", "NaN", "Inf", "+Inf", "inf/s", "infinity",
		"1/", "/s", "/", "0x10", "0x1p3", "1_000", "1e400", "20/s/s", "1 2", "20s", "1/ms"}
	for _, in := range bad {
		got, err := ParseRate(in)
		if err == nil {
			t.Errorf("ParseRate(%q) = %v, want an error", in, float64(got))
			continue
		}
		// The message names the value the user gave, quoted.
		if !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("ParseRate(%q): error %q does not name the value", in, err)
		}
	}
}

// TestParseRateTinyIsNotUnlimited: a positive rate must not come back as 0,
// which means "no limit".
func TestParseRateTinyIsNotUnlimited(t *testing.T) {
	for _, in := range []string{"1e-400", "5e-324/h"} {
		got, err := ParseRate(in)
		if err == nil && got == 0 {
			t.Fatalf("ParseRate(%q) = 0 (no limit) for a positive rate that underflows; want an error", in)
		}
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"20/s", "300/m", "5000/h", "2.5", "0", "fast", "-1", "1/d", "", "NaN", "Inf", "1/", "/s", "1e308/s", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseRate(s)
		if err != nil {
			if got != 0 {
				t.Errorf("ParseRate(%q) = %v with error %v", s, float64(got), err)
			}
			if !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Errorf("ParseRate(%q): error %q does not name the value", s, err)
			}
			return
		}
		v := float64(got)
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Errorf("ParseRate(%q) = %v, want finite and >= 0", s, v)
		}
	})
}

var rlT0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func rlMS(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// near reports whether a is within 1ms of b: the token bucket works in
// floating point.
func rlNear(a, b time.Time) bool { d := a.Sub(b); return d > -time.Millisecond && d < time.Millisecond }

func TestLimiterPerHostSlots(t *testing.T) {
	l := New(Limits{Concurrency: 10, PerHost: 2})
	a, b := l.Host("a"), l.Host("b")
	if l.Host("a") != a {
		t.Fatal("Host(a) twice gave two states")
	}
	for i := range 2 {
		if ok, _ := l.HostReady(a, rlT0); !ok {
			t.Fatalf("host a not ready with %d in flight", i)
		}
		l.Start(a, rlT0)
	}
	ok, at := l.HostReady(a, rlT0)
	if ok || !at.IsZero() {
		t.Fatalf("HostReady(a) with 2 of 2 in flight = %v, %v; want false, zero time (only a Done frees it)", ok, at)
	}
	if ok, _ := l.HostReady(b, rlT0); !ok {
		t.Fatal("host b held back by host a's slots")
	}
	if a.InFlight() != 2 || b.InFlight() != 0 || l.InFlight() != 2 {
		t.Fatalf("in flight a=%d b=%d all=%d, want 2 0 2", a.InFlight(), b.InFlight(), l.InFlight())
	}
	l.Done(a)
	if ok, _ := l.HostReady(a, rlT0); !ok {
		t.Fatal("host a not ready after a Done")
	}
	if a.InFlight() != 1 || l.InFlight() != 1 {
		t.Fatalf("after Done: a=%d all=%d, want 1 1", a.InFlight(), l.InFlight())
	}

	// PerHost 0 is no per-host limit.
	u := New(Limits{})
	h := u.Host("x")
	for range 100 {
		u.Start(h, rlT0)
	}
	if ok, _ := u.HostReady(h, rlT0); !ok {
		t.Fatal("PerHost 0 limited a host")
	}
	if ok, _ := u.GlobalReady(rlT0); !ok {
		t.Fatal("Concurrency 0 limited the run")
	}
}

func TestLimiterGlobalSlots(t *testing.T) {
	l := New(Limits{Concurrency: 3, PerHost: 2})
	hs := []*Host{l.Host("a"), l.Host("b"), l.Host("c"), l.Host("d")}
	for i := range 3 {
		if ok, _ := l.GlobalReady(rlT0); !ok {
			t.Fatalf("not ready with %d of 3 in flight", i)
		}
		l.Start(hs[i], rlT0)
	}
	ok, at := l.GlobalReady(rlT0)
	if ok || !at.IsZero() {
		t.Fatalf("GlobalReady with 3 of 3 in flight = %v, %v; want false, zero time", ok, at)
	}
	// Host d has its own slots free; the global limit is GlobalReady's.
	if ok, _ := l.HostReady(hs[3], rlT0); !ok {
		t.Fatal("HostReady(d) false: per-host readiness must not depend on other hosts")
	}
	l.Done(hs[1])
	if ok, _ := l.GlobalReady(rlT0); !ok {
		t.Fatal("not ready after a Done")
	}
	if l.InFlight() != 2 {
		t.Fatalf("InFlight = %d, want 2", l.InFlight())
	}
}

func TestLimiterHostRateWait(t *testing.T) {
	l := New(Limits{HostRate: 2, Burst: 1})
	a, b := l.Host("a"), l.Host("b")
	if ok, _ := l.HostReady(a, rlT0); !ok {
		t.Fatal("a fresh host is not ready")
	}
	l.Start(a, rlT0)
	l.Done(a)
	for _, now := range []time.Time{rlT0, rlT0.Add(rlMS(1)), rlT0.Add(rlMS(250)), rlT0.Add(rlMS(499))} {
		ok, at := l.HostReady(a, now)
		if ok || !rlNear(at, rlT0.Add(rlMS(500))) {
			t.Errorf("HostReady at +%v = %v, %v; want false, +500ms", now.Sub(rlT0), ok, at.Sub(rlT0))
		}
	}
	// Asking does not take a token: asking again gives the same answer.
	if _, at := l.HostReady(a, rlT0.Add(rlMS(499))); !rlNear(at, rlT0.Add(rlMS(500))) {
		t.Errorf("asking twice moved the wait to +%v", at.Sub(rlT0))
	}
	if ok, _ := l.HostReady(b, rlT0.Add(rlMS(499))); !ok {
		t.Error("host b held back by host a's bucket")
	}
	if ok, _ := l.HostReady(a, rlT0.Add(rlMS(500))); !ok {
		t.Fatal("not ready at +500ms")
	}
	l.Start(a, rlT0.Add(rlMS(500)))
	l.Done(a)
	if ok, at := l.HostReady(a, rlT0.Add(rlMS(600))); ok || !rlNear(at, rlT0.Add(rlMS(1000))) {
		t.Errorf("after the 2nd start: %v, +%v; want false, +1s", ok, at.Sub(rlT0))
	}
	// A host left alone keeps only Burst tokens: after 10s, one start,
	// then a wait again.
	now := rlT0.Add(10 * time.Second)
	l.Start(a, now)
	l.Done(a)
	if ok, at := l.HostReady(a, now); ok || !rlNear(at, now.Add(rlMS(500))) {
		t.Errorf("Burst 1 after a long pause: %v, +%v; want false, +500ms", ok, at.Sub(now))
	}
}

func TestLimiterBurst(t *testing.T) {
	l := New(Limits{HostRate: 2, Rate: 100, Burst: 3})
	a := l.Host("a")
	for i := range 3 {
		if ok, _ := l.HostReady(a, rlT0); !ok {
			t.Fatalf("start %d of a burst of 3 held back", i+1)
		}
		l.Start(a, rlT0)
		l.Done(a)
	}
	if ok, at := l.HostReady(a, rlT0); ok || !rlNear(at, rlT0.Add(rlMS(500))) {
		t.Fatalf("4th start: %v, +%v; want false, +500ms", ok, at.Sub(rlT0))
	}
}

func TestLimiterGlobalRateWait(t *testing.T) {
	l := New(Limits{Rate: 4, Burst: 1})
	a, b := l.Host("a"), l.Host("b")
	if ok, _ := l.GlobalReady(rlT0); !ok {
		t.Fatal("not ready at first")
	}
	l.Start(a, rlT0)
	l.Done(a)
	// The global bucket holds back every host; the per-host check does not.
	if ok, at := l.GlobalReady(rlT0.Add(rlMS(100))); ok || !rlNear(at, rlT0.Add(rlMS(250))) {
		t.Fatalf("GlobalReady at +100ms = %v, +%v; want false, +250ms", ok, at.Sub(rlT0))
	}
	if ok, _ := l.HostReady(b, rlT0.Add(rlMS(100))); !ok {
		t.Fatal("HostReady(b) false with no host rate")
	}
	if ok, _ := l.GlobalReady(rlT0.Add(rlMS(250))); !ok {
		t.Fatal("not ready at +250ms")
	}
	l.Start(b, rlT0.Add(rlMS(250)))
	if ok, at := l.GlobalReady(rlT0.Add(rlMS(250))); ok || !rlNear(at, rlT0.Add(rlMS(500))) {
		t.Fatalf("after b: %v, +%v; want false, +500ms", ok, at.Sub(rlT0))
	}
}

func TestLimiterCrawlDelay(t *testing.T) {
	l := New(Limits{HostRate: 100, Burst: 1})
	a := l.Host("a")
	l.SetCrawlDelay(a, time.Second)
	// No start yet: nothing to wait for.
	if ok, _ := l.HostReady(a, rlT0); !ok {
		t.Fatal("Crawl-delay held back the first request")
	}
	l.Start(a, rlT0)
	l.Done(a)
	for _, d := range []time.Duration{0, rlMS(10), rlMS(500), rlMS(999)} {
		ok, at := l.HostReady(a, rlT0.Add(d))
		if ok || !at.Equal(rlT0.Add(time.Second)) {
			t.Errorf("at +%v: %v, +%v; want false, +1s (the floor beats the 100/s bucket)", d, ok, at.Sub(rlT0))
		}
	}
	if ok, _ := l.HostReady(a, rlT0.Add(time.Second)); !ok {
		t.Fatal("not ready at +1s")
	}
	// The floor counts from the last start, whatever else is in flight.
	l2 := New(Limits{PerHost: 4})
	h := l2.Host("h")
	l2.SetCrawlDelay(h, rlMS(300))
	l2.Start(h, rlT0)
	if ok, at := l2.HostReady(h, rlT0.Add(rlMS(100))); ok || !at.Equal(rlT0.Add(rlMS(300))) {
		t.Fatalf("with one in flight: %v, +%v; want false, +300ms", ok, at.Sub(rlT0))
	}
	l2.Start(h, rlT0.Add(rlMS(300)))
	if ok, at := l2.HostReady(h, rlT0.Add(rlMS(400))); ok || !at.Equal(rlT0.Add(rlMS(600))) {
		t.Fatalf("after the 2nd start: %v, +%v; want false, +600ms", ok, at.Sub(rlT0))
	}
}

func TestLimiterPause(t *testing.T) {
	l := New(Limits{PerHost: 2})
	a, b := l.Host("a"), l.Host("b")
	l.Pause(a, rlT0.Add(2*time.Second))
	if ok, at := l.HostReady(a, rlT0); ok || !at.Equal(rlT0.Add(2*time.Second)) {
		t.Fatalf("paused: %v, +%v; want false, +2s", ok, at.Sub(rlT0))
	}
	// A shorter pause does not shorten it.
	l.Pause(a, rlT0.Add(time.Second))
	if ok, at := l.HostReady(a, rlT0.Add(rlMS(1500))); ok || !at.Equal(rlT0.Add(2*time.Second)) {
		t.Fatalf("after a shorter Pause: %v, +%v; want false, +2s", ok, at.Sub(rlT0))
	}
	if ok, _ := l.HostReady(b, rlT0); !ok {
		t.Fatal("pausing a held back b")
	}
	if ok, _ := l.GlobalReady(rlT0); !ok {
		t.Fatal("pausing a host held back the run")
	}
	if ok, _ := l.HostReady(a, rlT0.Add(2*time.Second)); !ok {
		t.Fatal("not ready when the pause ends")
	}
	// A longer one extends it.
	l.Pause(a, rlT0.Add(5*time.Second))
	if ok, at := l.HostReady(a, rlT0.Add(3*time.Second)); ok || !at.Equal(rlT0.Add(5*time.Second)) {
		t.Fatalf("after a longer Pause: %v, +%v; want false, +5s", ok, at.Sub(rlT0))
	}
}

func TestLimiterIdleForget(t *testing.T) {
	l := New(Limits{HostRate: 2, Burst: 2})
	a := l.Host("a")
	l.Host("b")
	if l.Hosts() != 2 {
		t.Fatalf("Hosts = %d, want 2", l.Hosts())
	}
	if !l.Idle(a, rlT0) {
		t.Fatal("a fresh host is not idle")
	}
	l.Start(a, rlT0)
	if l.Idle(a, rlT0.Add(time.Hour)) {
		t.Fatal("idle with a request in flight")
	}
	l.Done(a)
	// One token of two was taken at rlT0: full again at +500ms.
	if l.Idle(a, rlT0.Add(rlMS(499))) {
		t.Error("idle before its bucket refilled")
	}
	if !l.Idle(a, rlT0.Add(rlMS(500))) {
		t.Error("not idle once its bucket refilled")
	}
	l.Pause(a, rlT0.Add(10*time.Second))
	if l.Idle(a, rlT0.Add(9*time.Second)) {
		t.Error("idle while paused")
	}
	if !l.Idle(a, rlT0.Add(10*time.Second)) {
		t.Error("not idle when the pause ended")
	}
	l.SetCrawlDelay(a, 5*time.Second)
	l.Start(a, rlT0.Add(20*time.Second))
	l.Done(a)
	if l.Idle(a, rlT0.Add(24*time.Second)) {
		t.Error("idle while its Crawl-delay runs")
	}
	if !l.Idle(a, rlT0.Add(25*time.Second)) {
		t.Error("not idle when its Crawl-delay ran out")
	}

	l.Forget(a)
	if l.Hosts() != 1 {
		t.Fatalf("Hosts after Forget = %d, want 1", l.Hosts())
	}
	a2 := l.Host("a")
	if a2 == a {
		t.Fatal("Host after Forget returned the forgotten state")
	}
	// Fresh state: full bucket, no Crawl-delay, no pause.
	now := rlT0.Add(20*time.Second + rlMS(1))
	for i := range 2 {
		if ok, at := l.HostReady(a2, now); !ok {
			t.Fatalf("fresh host start %d held back until +%v", i+1, at.Sub(now))
		}
		l.Start(a2, now)
		l.Done(a2)
	}
	if l.Hosts() != 2 {
		t.Fatalf("Hosts = %d, want 2", l.Hosts())
	}
}

func TestLimiterNoLimits(t *testing.T) {
	l := New(Limits{Rate: rate.Limit(0), HostRate: 0})
	h := l.Host("a")
	for i := range 1000 {
		if ok, at := l.GlobalReady(rlT0); !ok {
			t.Fatalf("start %d held back globally until %v", i, at)
		}
		if ok, at := l.HostReady(h, rlT0); !ok {
			t.Fatalf("start %d held back on the host until %v", i, at)
		}
		l.Start(h, rlT0)
	}
}

// TestLateSchedulerKeepsTheRate: a scheduler that always notices a token a
// little late still starts requests at the full rate: the lateness is not
// taken out of the next interval. Virtual time, so it is exact.
func TestLateSchedulerKeepsTheRate(t *testing.T) {
	for _, c := range []struct {
		rate rate.Limit
		late time.Duration
	}{{100, 3 * time.Millisecond}, {500, 700 * time.Microsecond}, {1000, 400 * time.Microsecond}, {2000, 300 * time.Microsecond},
		// Later than an interval: a scheduler asleep on a millisecond tick.
		{2000, time.Millisecond}, {1000, 1500 * time.Microsecond}, {5000, time.Millisecond}} {
		for _, global := range []bool{false, true} {
			cfg := Limits{HostRate: c.rate, Burst: 1}
			if global {
				cfg = Limits{Rate: c.rate, Burst: 1}
			}
			l := New(cfg)
			h := l.Host("h")
			now := time.Unix(1000, 0)
			start := now
			const n = 2000
			for i := 0; i < n; i++ {
				for {
					ok, at := l.GlobalReady(now)
					if ok {
						if ok, at = l.HostReady(h, now); ok {
							break
						}
					}
					now = at.Add(c.late) // noticed late
				}
				l.Start(h, now)
				l.Done(h)
			}
			got := float64(n-1) / now.Sub(start).Seconds()
			if got < 0.99*float64(c.rate) || got > 1.01*float64(c.rate) {
				t.Errorf("rate %v, global %v, scheduler %v late: %.1f starts/s", c.rate, global, c.late, got)
			}
		}
	}
}

// TestIdleBucketNoBurst: after an idle spell a burst-1 bucket gives one
// start at once, then waits a full interval: lateness credit is not a
// burst.
func TestIdleBucketNoBurst(t *testing.T) {
	l := New(Limits{HostRate: 10, Burst: 1})
	h := l.Host("h")
	now := time.Unix(1000, 0)
	if ok, _ := l.HostReady(h, now); !ok {
		t.Fatal("a fresh bucket has a token")
	}
	l.Start(h, now)
	ok, at := l.HostReady(h, now)
	if ok || at.Sub(now) != 100*time.Millisecond {
		t.Fatalf("after one start: ok %v, next in %v; want 100ms", ok, at.Sub(now))
	}
	now = now.Add(10 * time.Second) // idle
	if ok, _ := l.HostReady(h, now); !ok {
		t.Fatal("after idle: no token")
	}
	l.Start(h, now)
	if ok, at := l.HostReady(h, now); ok || at.Sub(now) != 100*time.Millisecond {
		t.Fatalf("after idle and one start: ok %v, next in %v; want a full 100ms", ok, at.Sub(now))
	}
}
