package frontier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sync"

	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/internal/weburl"
	"github.com/trawl-dev/trawl/output"
)

// CrawlConfig shapes a crawl: what it admits, how deep and how much.
type CrawlConfig struct {
	Depth    int
	Scope    Scope
	Include  []*regexp.Regexp
	Exclude  []*regexp.Regexp
	MaxPages int // 0: no limit
	Sitemaps bool
	// Window is how many queued URLs are kept in memory; the rest spill to
	// files in a temporary directory under SpillDir ("": the system's).
	Window   int
	SpillDir string
	// StateDir, when set, keeps the crawl's journal there (FILE.crawl/ of
	// -o FILE) for --resume; Shape is what it records.
	StateDir string
	Shape    Shape
	// Resume continues the crawl journaled in StateDir; Done are the URLs
	// of the output's good records.
	Resume bool
	Done   *output.Done
	// Ordered, with --ordered, bounds how far admission runs ahead of the
	// writer: a slot per page.
	Ordered *output.Window
}

// CrawlStats are what a crawl adds to the run's statistics.
type CrawlStats struct {
	// Discovered are the distinct URLs admitted: seeds, sitemap URLs,
	// links in scope that pass the filters, redirect targets.
	Discovered int64
	// Queued are those admitted but neither fetched nor refused (yet).
	Queued int64
	// SitemapWarnings count the sitemaps that could not be read whole.
	SitemapWarnings int64
	// SeenBytes is the memory of the seen set.
	SeenBytes int64
}

// maxSitemapFiles bounds the sitemap files a crawl fetches: an index of
// indexes could otherwise lead on forever.
const maxSitemapFiles = 10000

// Crawl is the door of a crawl: seeds, then the links and sitemap URLs its
// pages lead to, each admitted once (the seen set), within depth, scope and
// filters, in admission order. Records come back to it through Finished
// before they are written, so that what a page leads to is admitted — and
// journaled — before its record exists.
type Crawl struct {
	cfg   CrawlConfig
	seeds []input.Item

	mu        sync.Mutex
	seen      *Seen
	queue     *Queue
	sitemapQ  []fetch.Job
	sitemaps  map[string]bool // sitemap files asked for, by URL
	origins   map[string]bool // origins whose sitemaps were asked for
	seedFinal map[int]*url.URL
	inflight  map[int64]flight
	state     *State
	err       error // a queue or journal error: the run's end

	nextSeq, nextInternal int64
	pages                 int // page jobs dispatched, toward MaxPages
	seedsDone             bool
	stats                 CrawlStats
	wake                  chan struct{}
}

// flight is a job the engine has, as the crawl knows it.
type flight struct {
	entry Entry
	kind  fetch.JobKind
}

// NewCrawl returns the door of a crawl from seeds (invalid ones become
// invalid_url records). With cfg.Resume it replays the journal first.
func NewCrawl(seeds []input.Item, cfg CrawlConfig) (*Crawl, error) {
	if cfg.Window <= 0 {
		cfg.Window = 10000
	}
	c := &Crawl{cfg: cfg, seeds: seeds, seen: NewSeen(1024), sitemaps: map[string]bool{}, origins: map[string]bool{},
		seedFinal: map[int]*url.URL{}, inflight: map[int64]flight{}, wake: make(chan struct{}, 1)}
	q, err := NewQueue(cfg.SpillDir, cfg.Window)
	if err != nil {
		return nil, err
	}
	c.queue = q
	switch {
	case cfg.StateDir != "" && cfg.Resume:
		c.state, err = openState(cfg.StateDir, cfg.Shape, c)
	case cfg.StateDir != "":
		c.state, err = CreateState(cfg.StateDir, cfg.Shape)
	}
	if err == nil {
		err = c.err
	}
	if err != nil {
		q.Close()
		return nil, err
	}
	// Good records of the output count toward --max-pages.
	c.pages = cfg.Done.Len()
	return c, nil
}

// The journal's replay (--resume): what was admitted is seen, and what has
// no good record in the output is queued again, in admission order.

func (c *Crawl) replayAdmitted(e Entry) {
	c.seen.Add(c.norm(e))
	c.stats.Discovered++
	if !c.cfg.Done.Has(e.URL) {
		c.push(e)
	}
}

func (c *Crawl) replaySeedFinal(seed int, final string) {
	if u, err := weburl.Parse(final); err == nil {
		c.seedFinal[seed] = u
	}
}

func (c *Crawl) replaySeen(u string) {
	if c.seen.Add(u) {
		c.stats.Discovered++
	}
}

// norm is the seen set's key of an entry: its URL normalized (a seed is
// kept as given, a discovered URL normalized already).
func (c *Crawl) norm(e Entry) string {
	if e.Depth > 0 || e.Referrer != "" {
		return e.URL
	}
	if u, err := weburl.Parse(e.URL); err == nil {
		return weburl.Normalize(u)
	}
	return e.URL
}

func (c *Crawl) push(e Entry) {
	if err := c.queue.Push(e); err != nil && c.err == nil {
		c.err = err
	}
}

// Read is the number of seeds read.
func (c *Crawl) Read() int64 { return int64(len(c.seeds)) }

// Columns: a crawl's records have no input columns.
func (c *Crawl) Columns() []string { return nil }

// Stats returns the crawl's figures so far.
func (c *Crawl) Stats() CrawlStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.stats
	st.Queued = int64(c.queue.Len())
	for _, f := range c.inflight {
		if f.kind == fetch.JobPage {
			st.Queued++
		}
	}
	st.SeenBytes = int64(c.seen.Bytes())
	return st
}

// Run sends the crawl's jobs until nothing is left to fetch, --max-pages is
// reached or ctx ends, and closes jobs.
func (c *Crawl) Run(ctx context.Context, jobs chan<- fetch.Job) error {
	defer close(jobs)
	c.admitSeeds()
	for {
		j, ok, done := c.next()
		if done {
			return c.failure()
		}
		if !ok {
			select {
			case <-c.wake:
				continue
			case <-ctx.Done():
				return nil
			}
		}
		if j.Kind == fetch.JobPage {
			if err := c.cfg.Ordered.Acquire(ctx); err != nil {
				return nil
			}
		}
		select {
		case jobs <- j:
		case <-ctx.Done():
			return nil
		}
	}
}

func (c *Crawl) failure() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// admitSeeds admits the seeds not already seen (a resumed crawl has them).
func (c *Crawl) admitSeeds() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, it := range c.seeds {
		if it.URL == nil {
			// Not a URL: its record says why.
			c.push(Entry{URL: it.Raw, Seed: i})
			continue
		}
		e := Entry{URL: it.Raw, Seed: i}
		if c.seen.Add(weburl.Normalize(it.URL)) && !c.cfg.Done.Has(it.Raw) {
			c.stats.Discovered++
			c.push(e)
			c.log(e)
		}
	}
	c.seedsDone = true
	c.sync()
}

func (c *Crawl) log(e Entry) {
	if c.state != nil {
		c.state.logAdmitted(e)
	}
}

func (c *Crawl) sync() {
	if c.state != nil {
		if err := c.state.sync(); err != nil && c.err == nil {
			c.err = fmt.Errorf("crawl state: %w", err)
		}
	}
}

// next is the next job to send: a sitemap first, then the queue's head.
// ok is false when there is none now; done when the crawl is over.
func (c *Crawl) next() (j fetch.Job, ok, done bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.cfg.MaxPages > 0 && c.pages >= c.cfg.MaxPages
	switch {
	case c.err != nil:
		return j, false, true
	case !limit && len(c.sitemapQ) > 0:
		j = c.sitemapQ[0]
		c.sitemapQ = c.sitemapQ[1:]
		c.nextInternal--
		j.Seq = c.nextInternal
		c.inflight[j.Seq] = flight{kind: j.Kind, entry: Entry{URL: j.Raw, Seed: j.Depth}}
		j.Depth = 0
		return j, true, false
	case !limit && c.queue.Len() > 0:
		e, _, err := c.queue.Pop()
		if err != nil {
			c.err = err
			return j, false, true
		}
		j = c.job(e)
		c.inflight[j.Seq] = flight{entry: e, kind: fetch.JobPage}
		c.pages++
		return j, true, false
	}
	// Nothing to send: over when nothing is in flight either, or when
	// --max-pages is reached and no page is.
	return j, false, c.seedsDone && len(c.inflight) == 0
}

// job makes the Job of a queued entry.
func (c *Crawl) job(e Entry) fetch.Job {
	j := fetch.Job{Seq: c.nextSeq, Raw: e.URL, Depth: e.Depth}
	c.nextSeq++
	if e.Referrer != "" {
		ref := e.Referrer
		j.Referrer = &ref
	}
	var u *url.URL
	var err error
	if e.Depth > 0 || e.Referrer != "" {
		// Discovered: normalized already, which net/url reads as is.
		u, err = url.Parse(e.URL)
	} else {
		u, err = weburl.Parse(e.URL)
	}
	if err != nil {
		j.Err = fmt.Errorf("invalid URL %q: %w", e.URL, err)
	} else {
		j.URL = u
	}
	return j
}

// Finished takes a record back from the engine before it is written: what
// the page (or sitemap) leads to is admitted, and journaled. It reports
// whether the record is to be written (a sitemap's is not) and, for a
// sitemap that could not be read whole, the warning to print.
func (c *Crawl) Finished(rec *output.Record) (write bool, warning string) {
	c.mu.Lock()
	defer func() {
		c.sync()
		c.mu.Unlock()
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}()
	f, ok := c.inflight[rec.Seq]
	if !ok {
		return true, ""
	}
	delete(c.inflight, rec.Seq)
	switch f.kind {
	case fetch.JobSitemaps:
		for _, s := range rec.Sitemaps {
			c.askSitemap(s, f.entry.Seed)
		}
		return false, ""
	case fetch.JobSitemap:
		return false, c.sitemapDone(rec, f.entry.Seed)
	}
	c.pageDone(rec, f.entry)
	return true, ""
}

// pageDone admits what a page leads to: its redirect target (seen), its
// seed's final URL (the scope of its chain), its links.
func (c *Crawl) pageDone(rec *output.Record, e Entry) {
	final := ""
	if rec.FinalURL != nil && *rec.FinalURL != e.URL {
		// A redirect's target counts as seen; a page that answered at its
		// own (normalized) URL needs nothing more.
		if u, err := weburl.Parse(*rec.FinalURL); err == nil {
			final = *rec.FinalURL
			n := weburl.Normalize(u)
			if c.seen.Add(n) {
				c.stats.Discovered++
			}
			if c.state != nil && rec.ErrorKind == output.KindNone && n != c.norm(e) {
				// Journaled once it is good: a resumed crawl does not
				// fetch it again, whatever leads there.
				c.state.logSeen(n)
			}
		}
	} else if rec.FinalURL != nil {
		final = e.URL
	}
	if e.Depth == 0 && e.Referrer == "" {
		if _, known := c.seedFinal[e.Seed]; !known {
			scope, _ := weburl.Parse(final)
			if scope == nil {
				scope, _ = weburl.Parse(e.URL)
			}
			if scope != nil {
				c.seedFinal[e.Seed] = scope
				if c.state != nil {
					c.state.logSeedFinal(e.Seed, scope.String())
				}
				if c.cfg.Sitemaps && e.Depth == 0 {
					c.askSitemaps(scope, e.Seed)
				}
			}
		}
	}
	if rec.Status >= 400 || e.Depth >= c.cfg.Depth || final == "" {
		// Links are taken from pages, error pages excepted, and not past
		// --depth.
		return
	}
	for _, l := range rec.Links {
		c.admit(l, e.Depth+1, final, e.Seed)
	}
}

// ClaimHop is fetch's question before it follows a redirect to u: true
// when u was not seen (it is now: no other chain will fetch it), false when
// the crawl fetched it or will.
func (c *Crawl) ClaimHop(u *url.URL) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.seen.Add(weburl.Normalize(u)) {
		return false
	}
	// Not journaled: a resumed crawl must follow the chain again unless
	// its page got a good record (pageDone journals it then).
	c.stats.Discovered++
	return true
}

// admit queues a normalized URL found at depth when it is in its seed's
// scope, passes the filters and was not seen.
func (c *Crawl) admit(l string, depth int, referrer string, seed int) {
	h := Hash(l)
	if c.seen.HasHash(h) {
		return
	}
	// l is normalized already: net/url reads it as weburl wrote it.
	u, err := url.Parse(l)
	if err != nil || !c.inScope(u, seed) || !c.passes(l) {
		return
	}
	c.seen.AddHash(h)
	c.stats.Discovered++
	e := Entry{URL: l, Depth: depth, Referrer: referrer, Seed: seed}
	c.push(e)
	c.log(e)
}

func (c *Crawl) inScope(u *url.URL, seed int) bool {
	s := c.seedFinal[seed]
	return s != nil && InScope(c.cfg.Scope, s, u)
}

// passes applies --include and --exclude.
func (c *Crawl) passes(l string) bool {
	if len(c.cfg.Include) > 0 {
		in := false
		for _, re := range c.cfg.Include {
			if re.MatchString(l) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	for _, re := range c.cfg.Exclude {
		if re.MatchString(l) {
			return false
		}
	}
	return true
}

// askSitemaps asks, once per origin, for the sitemaps of seed's origin.
func (c *Crawl) askSitemaps(u *url.URL, seed int) {
	origin := u.Scheme + "://" + u.Host
	if c.origins[origin] {
		return
	}
	c.origins[origin] = true
	root, _ := url.Parse(origin + "/")
	c.sitemapQ = append(c.sitemapQ, fetch.Job{Kind: fetch.JobSitemaps, Raw: root.String(), URL: root, Depth: seed})
}

// askSitemap asks for one sitemap file, once.
func (c *Crawl) askSitemap(s string, seed int) {
	u, err := weburl.Parse(s)
	if err != nil || c.sitemaps[weburl.Normalize(u)] || len(c.sitemaps) >= maxSitemapFiles {
		return
	}
	c.sitemaps[weburl.Normalize(u)] = true
	// Depth carries the seed until next() files the job: a sitemap's
	// URLs are in the scope of the seed whose origin it belongs to.
	c.sitemapQ = append(c.sitemapQ, fetch.Job{Kind: fetch.JobSitemap, Raw: u.String(), URL: u, Depth: seed})
}

// sitemapDone admits a sitemap's URLs (depth 1, in its seed's scope, past
// the filters) and asks for an index's sitemaps; it returns the warning of
// a sitemap that could not be read whole.
func (c *Crawl) sitemapDone(rec *output.Record, seed int) string {
	for _, s := range rec.Sitemaps {
		c.askSitemap(s, seed)
	}
	if c.cfg.Depth >= 1 {
		for _, l := range rec.Links {
			if u, err := weburl.Parse(l); err == nil {
				c.admit(weburl.Normalize(u), 1, "", seed)
			}
		}
	}
	if rec.Error != "" {
		c.stats.SitemapWarnings++
		return rec.Error
	}
	return ""
}

// Close ends the crawl's queue, and its journal: removed when the crawl
// ended (ended), kept otherwise for --resume.
func (c *Crawl) Close(ended bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.queue.Close()
	if c.state != nil {
		var serr error
		if ended {
			serr = c.state.Remove()
		} else {
			serr = c.state.Close()
		}
		err = errors.Join(err, serr)
	}
	return err
}

// StateExists reports whether a crawl's state directory exists.
func StateExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}
