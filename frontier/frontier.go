// Package frontier is the one door for URLs into a run: it takes the input's
// Items (and a crawl's seeds, discovered links and sitemap URLs), numbers
// them, applies --shard and --resume, holds the --ordered window's slot for
// each, and hands the scheduler Jobs. A crawl's seen set, depth, scope,
// include/exclude and the queue that spills to disk live here too. It
// knows the input's columns, so the writers ask it rather than a side
// channel. It makes no HTTP request.
package frontier

import (
	"context"
	"io"
	"sync/atomic"

	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

// Config is what decides which URLs pass the door.
type Config struct {
	// Shard keeps only this shard's URLs (--shard); the zero Shard keeps all.
	Shard input.Shard
	// Done are the URLs an earlier run already has good records of
	// (--resume); nil for none.
	Done *output.Done
	// Window, with --ordered, bounds how far the input runs ahead of the
	// writer: a slot per URL, freed when its record is written.
	Window *output.Window
}

// Frontier admits a run's URLs. Create it with New; it runs once.
type Frontier struct {
	cfg Config
	in  *input.Stream
	// read counts the items the input gave, before any filter.
	nRead atomic.Int64
}

// New returns the frontier of in.
func New(in *input.Stream, cfg Config) *Frontier {
	return &Frontier{cfg: cfg, in: in}
}

// Read is the number of URLs (valid or not) the input has given so far,
// before --shard and --resume.
func (f *Frontier) Read() int64 { return f.nRead.Load() }

// Columns returns the input's pass-through columns in input order (nil for
// the lines format, or before they are known).
func (f *Frontier) Columns() []string { return f.in.Columns() }

type nextItem struct {
	it  input.Item
	err error
}

// Run sends a Job per admitted URL until the input ends or ctx does, and
// closes jobs. It returns the input's read error, if any. The reads happen
// in a goroutine of their own: a read of an idle stdin pipe cannot be
// interrupted, and must not keep an interrupted run alive.
func (f *Frontier) Run(ctx context.Context, jobs chan<- fetch.Job) error {
	defer close(jobs)
	items := make(chan nextItem, 64)
	quit := make(chan struct{})
	defer close(quit)
	go f.read(items, quit)
	var seq int64
	for {
		var n nextItem
		var ok bool
		select {
		case n, ok = <-items:
		case <-ctx.Done():
			return nil
		}
		if !ok {
			return nil
		}
		if n.err != nil {
			return n.err
		}
		f.nRead.Add(1)
		if !f.admit(n.it) {
			continue
		}
		if err := f.cfg.Window.Acquire(ctx); err != nil {
			return nil
		}
		select {
		case jobs <- job(n.it, seq):
			seq++
		case <-ctx.Done():
			return nil
		}
	}
}

// admit decides whether an item of the input is this run's to fetch.
func (f *Frontier) admit(it input.Item) bool {
	// An invalid URL has no host: shard 1 alone reports it.
	if !f.cfg.Shard.Keep(it.URL) {
		return false
	}
	return !f.cfg.Done.Has(it.Raw)
}

// job makes the Job of an admitted item.
func job(it input.Item, seq int64) fetch.Job {
	j := fetch.Job{Seq: seq, Raw: it.Raw, URL: it.URL, Err: it.Err}
	if len(it.Input) > 0 {
		j.Input = make([]output.InputField, len(it.Input))
		for i, fl := range it.Input {
			j.Input[i] = output.InputField{Key: fl.Key, Raw: fl.Raw}
		}
	}
	return j
}

// read sends the input's items on out, in order, until the input ends or
// quit is closed.
func (f *Frontier) read(out chan<- nextItem, quit <-chan struct{}) {
	defer close(out)
	for {
		it, err := f.in.Next()
		if err == io.EOF {
			return
		}
		select {
		case out <- nextItem{it: it, err: err}:
		case <-quit:
			return
		}
		if err != nil {
			return
		}
	}
}
