package fetch

import (
	"context"
	"sync/atomic"
	"time"
)

// A time to first byte measured while trawl itself waited for a CPU (a busy
// machine, a garbage collection, a test run beside others) says nothing of
// the host, and must not slow it (adaptive politeness: a healthy host is
// not slowed at all). lagMonitor measures trawl's own lag: a goroutine that
// sleeps lagTick and adds up how late it wakes. The lag that accrued during
// a request is taken off its time to first byte.

const (
	lagTick = 25 * time.Millisecond
	// lagFloor is the lateness of an ordinary wake-up, not counted.
	lagFloor = time.Millisecond
)

// lagMonitor is the running total of trawl's own lag.
type lagMonitor struct {
	total atomic.Int64 // nanoseconds
}

// run measures until ctx ends.
func (m *lagMonitor) run(ctx context.Context) {
	t := time.NewTimer(lagTick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if late := now.Sub(last) - lagTick; late > lagFloor {
				m.total.Add(int64(late))
			}
			last = time.Now()
			t.Reset(lagTick)
		}
	}
}

// now returns the lag so far; nil measures none.
func (m *lagMonitor) now() time.Duration {
	if m == nil {
		return 0
	}
	return time.Duration(m.total.Load())
}
