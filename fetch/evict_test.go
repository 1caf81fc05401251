package fetch

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/output"
	"github.com/trawl-dev/trawl/ratelimit"
)

// TestHostsWithoutRequestsAreForgotten: hosts whose URLs all end without a
// request (robots.txt unreachable) leave no state behind once idle, so a
// list of many dead hosts runs in bounded memory.
func TestHostsWithoutRequestsAreForgotten(t *testing.T) {
	e := New(Config{Limits: ratelimit.Limits{Concurrency: 4, PerHost: 2}, Timeout: time.Second, ConnectTimeout: time.Second,
		MaxBody: 1 << 20, UserAgent: "trawl/test"})
	s := newScheduler(e, nil, nil, nil, nil, nil)
	now := time.Now()
	const hosts = 50
	for i := range hosts {
		u, _ := url.Parse(fmt.Sprintf("http://h%d.example/x", i))
		s.add(Job{Seq: int64(i), Raw: u.String(), URL: u}, now)
	}
	records := 0
	// Records that needed no request leave the scheduler as the run loop
	// would send them.
	drain := func() {
		for _, rec := range s.ready {
			if rec.ErrorKind != output.KindConnect {
				t.Fatalf("record %+v", rec)
			}
			records++
			s.held--
		}
		s.ready = s.ready[:0]
	}
	for steps := 0; steps < 10*hosts; steps++ {
		drain()
		t0 := s.pick(now)
		drain()
		if t0 == nil {
			break
		}
		s.sent(t0, now)
		res := result{task: t0}
		if t0.kind != taskRobots {
			t.Fatalf("a request was dispatched: %+v", t0)
		}
		res.robots = &robots{state: robotsFailed, failKind: output.KindConnect, failMsg: "fetching robots.txt: refused"}
		s.answer(res, now)
	}
	if records != hosts || s.held != 0 || s.inflight != 0 {
		t.Fatalf("%d records, held %d, inflight %d", records, s.held, s.inflight)
	}
	if len(s.hosts) != hosts || len(s.robots) != hosts {
		t.Fatalf("before eviction: %d hosts, %d robots", len(s.hosts), len(s.robots))
	}
	s.evict(now.Add(idleTTL / 2))
	if len(s.hosts) != hosts {
		t.Fatalf("evicted before idleTTL: %d hosts left", len(s.hosts))
	}
	s.evict(now.Add(idleTTL + time.Second))
	if len(s.hosts) != 0 || len(s.robots) != 0 || s.lim.Hosts() != 0 || len(s.idle) != 0 {
		t.Fatalf("after eviction: %d hosts, %d robots, %d limiter hosts, %d idle", len(s.hosts), len(s.robots), s.lim.Hosts(), len(s.idle))
	}
}
