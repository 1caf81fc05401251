// Package fetch owns the HTTP side of a run: the client (transport,
// timeouts, redirects, body cap, decompression), retries with backoff,
// robots.txt, the cache, and the scheduler and worker pool that turn Jobs
// into Records. What is extracted from a page is the Extractor's business;
// fetch knows nothing of selectors or output formats.
package fetch

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trawl-dev/trawl/output"
	"github.com/trawl-dev/trawl/ratelimit"
)

// Config is a run's fetch configuration, validated by the caller.
type Config struct {
	ratelimit.Limits

	Timeout        time.Duration
	ConnectTimeout time.Duration
	Retries        int
	RetryWait      time.Duration
	MaxRetryWait   time.Duration
	Header         http.Header
	UserAgent      string
	// Proxy overrides HTTP_PROXY, HTTPS_PROXY and NO_PROXY when set.
	Proxy        *url.URL
	Insecure     bool
	MaxRedirects int
	// AllowPrivateRedirects lets a redirect from a public address lead to a
	// loopback, private or link-local one.
	AllowPrivateRedirects bool
	MaxBody               int64
	IgnoreRobots          bool
	// Extractor fills each record's extraction; nil extracts nothing.
	Extractor Extractor
	// Lookahead bounds the jobs the scheduler holds (queued, waiting to
	// retry or in flight); 0 picks DefaultLookahead.
	Lookahead int
	// Cache, when set, makes requests conditional (--cache).
	Cache *Cache
	// ClaimHop, in a crawl, is asked before a redirect is followed to a
	// URL: false when that URL was fetched (or is to be) already, so the
	// chain ends there and no URL is fetched twice. Called by the
	// scheduler's goroutine.
	ClaimHop func(target *url.URL) bool
	// Logger gets a Debug line per request; nil discards.
	Logger *slog.Logger

	// public, when set, replaces isPublic: tests on loopback take some of
	// its addresses for public ones.
	public func(netip.Addr) bool
}

// Extractor is what fetch calls to fill a record from a page: the seam
// where --select, --extract and a crawl's link discovery plug in. It must be
// safe for concurrent use: every worker calls it.
type Extractor interface {
	// Extract fills rec's extraction (title, description, fields,
	// extracted, links) from an HTML body, decoded to UTF-8, whose final
	// URL is pageURL and whose response had header h (X-Robots-Tag).
	Extract(body []byte, pageURL *url.URL, h http.Header, rec *output.Record)
	// Empty fills rec's extraction for a record without an HTML body: no
	// response, or a body that is not HTML.
	Empty(rec *output.Record)
}

// noExtractor extracts nothing.
type noExtractor struct{}

func (noExtractor) Extract([]byte, *url.URL, http.Header, *output.Record) {}
func (noExtractor) Empty(*output.Record)                                  {}

// DefaultLookahead is the scheduler's lookahead when Config says none:
// enough to keep many hosts busy, small enough to bound memory.
func DefaultLookahead(concurrency int) int {
	if n := 64 * concurrency; n > 1024 {
		return n
	}
	return 1024
}

// JobKind is what a Job asks of the engine.
type JobKind int

const (
	// JobPage fetches a page and makes its record.
	JobPage JobKind = iota
	// JobSitemaps finds the sitemaps of the URL's origin: those its
	// robots.txt names in Sitemap: lines, else /sitemap.xml. Its record,
	// made without a request and never written, lists them in Sitemaps.
	JobSitemaps
	// JobSitemap fetches one sitemap. Its record, never written, lists the
	// page URLs in Links and an index's sitemaps in Sitemaps; a sitemap
	// that cannot be read, or is over the limits, says so in Error.
	JobSitemap
)

// Job is one URL handed to the engine.
type Job struct {
	// Seq numbers the job for --ordered; the record carries it.
	Seq int64
	// Raw is the URL as read, the record's url.
	Raw string
	// URL is nil when the input was not a valid URL; Err says why.
	URL   *url.URL
	Err   error
	Input []output.InputField
	Kind  JobKind
	// Depth and Referrer are a crawl's, for the record.
	Depth    int
	Referrer *string
}

// Engine fetches and extracts. Create it with New; one Engine runs once.
type Engine struct {
	cfg     Config
	clients *clients
	log     *slog.Logger
	header  http.Header
	x       Extractor
	// public tells a public address from a private one: isPublic, or a
	// test's stand-in on loopback.
	public func(netip.Addr) bool
	// slowdowns are the hosts adaptive politeness slowed, set when Run ends.
	slowdowns map[string]int
	// lag is trawl's own lag, taken off the times to first byte that
	// adaptive politeness judges; nil with --adaptive=false.
	lag *lagMonitor
}

// Slowdowns returns the most slowed hosts (at most 100) and how often each
// was slowed; valid once Run has returned.
func (e *Engine) Slowdowns() map[string]int { return e.slowdowns }

// New returns an Engine for cfg.
func New(cfg Config) *Engine {
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	if cfg.Lookahead <= 0 {
		cfg.Lookahead = DefaultLookahead(cfg.Concurrency)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	x := cfg.Extractor
	if x == nil {
		x = noExtractor{}
	}
	h := cfg.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("User-Agent") == "" && cfg.UserAgent != "" {
		h.Set("User-Agent", cfg.UserAgent)
	}
	if h.Get("Accept") == "" {
		h.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	}
	if h.Get("Accept-Encoding") == "" {
		h.Set("Accept-Encoding", acceptEncoding)
	}
	public := cfg.public
	if public == nil {
		public = isPublic
	}
	return &Engine{cfg: cfg, clients: newClients(&cfg, public), log: log, header: h, x: x, public: public}
}

// UserAgent is the User-Agent the engine sends, which robots.txt is matched for.
func (e *Engine) UserAgent() string { return e.header.Get("User-Agent") }

// Run fetches every job that arrives on jobs until jobs is closed and sends
// one record per completed job on out, which it closes when it returns.
//
// Closing stop ends dispatching: no new request starts, queued jobs are
// dropped without a record, and Run returns once the requests in flight have
// finished. Canceling ctx ends those too; a job whose fetch did not complete
// has no record. Run returns ctx.Err() when ctx ended it.
func (e *Engine) Run(ctx context.Context, stop <-chan struct{}, jobs <-chan Job, out chan<- *output.Record) error {
	defer close(out)
	g, ctx := errgroup.WithContext(ctx)
	tasks := make(chan *task)
	results := make(chan result, e.cfg.Concurrency)
	if e.cfg.Adaptive {
		e.lag = new(lagMonitor)
		lctx, stopLag := context.WithCancel(ctx)
		defer stopLag()
		go e.lag.run(lctx)
	}
	s := newScheduler(e, jobs, tasks, results, out, stop)
	g.Go(func() error { return s.run(ctx) })
	for range e.cfg.Concurrency {
		g.Go(func() error { return e.worker(ctx, tasks, results, out) })
	}
	return g.Wait()
}

// worker runs tasks until the scheduler closes tasks. A record is sent to
// out before the result goes back, so that the scheduler's count of work in
// hand never falls below what is unwritten.
func (e *Engine) worker(ctx context.Context, tasks <-chan *task, results chan<- result, out chan<- *output.Record) error {
	for t := range tasks {
		t.started = time.Now()
		var res result
		if t.kind == taskRobots {
			res = e.fetchRobots(ctx, t)
		} else {
			res = e.attempt(ctx, t)
		}
		if res.rec != nil {
			// The writer drains out until it is closed, whatever happens to
			// the output, so this send cannot block forever; watching ctx
			// here would drop a completed record in a race with an interrupt.
			out <- res.rec
		}
		select {
		case results <- res:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// newRecord starts j's record with what is known before any request.
func newRecord(j *job) *output.Record {
	return &output.Record{Seq: j.Seq, URL: j.Raw, Input: j.Input, Depth: j.Depth, Referrer: j.Referrer}
}

// finish completes a record: its timing fields, and the extraction of a
// record that had no HTML body.
func (e *Engine) finish(rec *output.Record, j *job, now time.Time, extracted bool) *output.Record {
	if !extracted {
		e.x.Empty(rec)
	}
	rec.FetchedAt = now
	rec.Attempts = j.attempts
	if j.attempts > 0 {
		rec.ElapsedMS = now.Sub(j.started).Milliseconds()
	}
	return rec
}

// failRecord is the record of a job that ends without a response.
func (e *Engine) failRecord(j *job, kind output.ErrorKind, msg string) *output.Record {
	rec := newRecord(j)
	rec.ErrorKind, rec.Error = kind, msg
	return e.finish(rec, j, time.Now(), false)
}

func fmtDuration(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}
