package cmd

import (
	"context"
	"os"
	"sync"
	"time"
)

// defaultGrace is SPEC.md's time for in-flight requests after a first signal.
const defaultGrace = 5 * time.Second

// secondSignalExit is how soon after a second signal the run is abandoned:
// SPEC.md gives the process a second to exit, whatever
// is running.
const secondSignalExit = 600 * time.Millisecond

// cancelMargin is how long before the end of the grace time the requests
// still in flight are canceled, so that the run has ended by then.
const cancelMargin = 300 * time.Millisecond

// interrupter turns signals into SPEC.md's two steps: the first stops
// dispatching and gives in-flight requests the grace time; the second, or
// the end of the grace time, cancels them. When even that does not end the
// run (an output nobody reads, a stage that does not return), abandon is
// closed: the command returns without waiting for it, and the process
// exits.
type interrupter struct {
	mu      sync.Mutex
	sig     os.Signal
	done    chan struct{}
	abandon chan struct{}
	wg      sync.WaitGroup
}

func watchSignals(sigs <-chan os.Signal, stop chan struct{}, cancel context.CancelFunc, grace time.Duration) *interrupter {
	in := &interrupter{done: make(chan struct{}), abandon: make(chan struct{})}
	if sigs == nil {
		return in
	}
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		var cancelC, abandonC <-chan time.Time
		for {
			select {
			case s := <-sigs:
				in.mu.Lock()
				first := in.sig == nil
				if first {
					in.sig = s
				}
				in.mu.Unlock()
				if first {
					close(stop)
					cancelC = time.After(max(grace-cancelMargin, grace/2))
					abandonC = time.After(grace)
				} else {
					cancel()
					cancelC = nil
					abandonC = time.After(secondSignalExit)
				}
			case <-cancelC:
				cancel()
				cancelC = nil
			case <-abandonC:
				close(in.abandon)
				return
			case <-in.done:
				return
			}
		}
	}()
	return in
}

// signal is the first signal received, or nil.
func (in *interrupter) signal() os.Signal {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.sig
}

func (in *interrupter) close() {
	close(in.done)
	in.wg.Wait()
}
