package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trawl-dev/trawl/extract"
	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/frontier"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

// scrapeRun is one run being set up, run and summed up. cmd only wires:
// input → frontier → fetch (with extract as its Extractor) → output, and in
// a crawl the records back to the frontier before they are written.
type scrapeRun struct {
	env       *Env
	opts      *ScrapeOptions
	cfg       *config
	srcs      []input.Source
	closeSrcs func()
	done      *output.Done
	schema    output.Schema
	total     int64
	win       *output.Window
	// door is where the URLs come from: the list's frontier, or a crawl's.
	door door
	// crawl is the crawl's door, in a crawl: it sees every record before
	// it is written, and ends with the run.
	crawl *frontier.Crawl
	// engine is the run's fetch engine, once started.
	engine *fetch.Engine
}

// door is the frontier a run's URLs come through.
type door interface {
	// Run sends jobs until there are no more, and closes jobs.
	Run(ctx context.Context, jobs chan<- fetch.Job) error
	// Read is the URLs the input gave (before --shard and --resume).
	Read() int64
	// Columns are the input's pass-through columns, for CSV.
	Columns() []string
}

// runScrape runs one scrape. srcs replaces opts.Files when not nil (the
// demo's generated list), and total is then its number of URLs.
func runScrape(ctx context.Context, env *Env, opts *ScrapeOptions, srcs []input.Source, total int64) error {
	return runPipeline(ctx, env, opts, nil, func(r *scrapeRun) error {
		r.srcs, r.total = srcs, total
		return r.openList()
	})
}

// runPipeline checks the files and flags of a run, then opens it and runs
// it: the steps scrape, demo and crawl share. More are the files only a
// crawl names (--seeds); open sets up the run's door.
func runPipeline(ctx context.Context, env *Env, opts *ScrapeOptions, more []namedFile, open func(*scrapeRun) error) (err error) {
	// Same files first: `-o list.txt list.txt` is that, whatever else.
	if err := checkDistinct(append(opts.files(), more...)); err != nil {
		return err
	}
	cfg, err := opts.validate()
	if err != nil {
		return err
	}
	if opts.Stats != "" {
		if err := checkDirWritable(opts.Stats, "write"); err != nil {
			return &UsageError{Flag: "stats", Err: err}
		}
	}
	// The flags are accepted: from here on every exit writes --stats.
	stats := output.NewStats(time.Now())

	if opts.Stats != "" {
		defer func() { err = writeRunStats(env, opts, cfg, stats, err) }()
	}
	r := &scrapeRun{env: env, opts: opts, cfg: cfg, closeSrcs: func() {}, total: -1}
	defer func() { r.closeSrcs() }()
	stopProfile, err := startProfile(opts)
	if err != nil {
		return err
	}
	defer stopProfile()
	cfg.fetch.Logger = newLogger(env.IO, opts)
	if cfg.orderedWin > 0 {
		r.win = output.NewWindow(cfg.orderedWin)
	}
	if err := open(r); err != nil {
		return err
	}
	return r.execute(ctx, stats)
}

// files are the files the command line names, for checkDistinct.
func (o *ScrapeOptions) files() []namedFile {
	var fs []namedFile
	if o.Output != "" && o.Output != "-" {
		fs = append(fs, namedFile{"output", o.Output})
	}
	for _, f := range []namedFile{{"stats", o.Stats}, {"rules", o.RulesFile}, {"cache", o.Cache},
		{"cpuprofile", o.CPUProfile}, {"memprofile", o.MemProfile}} {
		if f.path != "" {
			fs = append(fs, f)
		}
	}
	for _, f := range o.Files {
		if f != "-" {
			fs = append(fs, namedFile{"", f})
		}
	}
	return fs
}

// writeRunStats writes --stats at the end of a run, however it ended, and
// returns the run's error (or the stats file's, when only that failed).
func writeRunStats(env *Env, opts *ScrapeOptions, cfg *config, stats *output.Stats, runErr error) error {
	if stats.Finished.IsZero() {
		stats.Finished = time.Now()
	}
	code := ExitCode(runErr)
	info := output.RunInfo{ExitCode: code, MaxFailures: cfg.maxFail, Version: env.Build.Version, Inputs: opts.Files}
	if len(opts.Files) == 0 {
		info.Inputs = []string{"-"}
	}
	if code == ExitError {
		msg := runErr.Error()
		info.Error = &msg
	}
	if opts.Output != "" && opts.Output != "-" {
		info.Output = &opts.Output
	}
	stats.Run = info
	if err := writeStatsFile(opts.Stats, stats); err != nil && runErr == nil {
		return err
	}
	return runErr
}

// openList does everything a scrape may fail at before the output is
// opened: the inputs (a CSV header read), the cache and --resume's file.
func (r *scrapeRun) openList() error {
	ios, opts, cfg := r.env.IO, r.opts, r.cfg
	if r.srcs == nil {
		srcs, closeSrcs, err := openSources(ios, opts.Files)
		if err != nil {
			return err
		}
		r.srcs, r.closeSrcs = srcs, closeSrcs
		if ios.InTTY && !opts.Quiet && (len(opts.Files) == 0 || slices.Contains(opts.Files, "-")) {
			// A person who typed `trawl scrape` alone would otherwise see
			// nothing happen.
			fmt.Fprintln(ios.ErrOut, "trawl: reading URLs from the terminal, one a line; end with Ctrl-D")
		}
		if opts.Progress != "never" && !opts.Quiet && (opts.Progress == "always" || ios.ErrTTY) {
			r.total = totalFor(opts.Files)
		}
	}
	stream, err := input.Open(cfg.inputFormat, opts.URLField, r.srcs)
	if err != nil {
		return err
	}
	r.schema = output.Schema{Fields: cfg.rules.Names(), Extract: cfg.extract, Input: stream.HasInput()}
	if err := r.openExtraction(extract.Config{Rules: cfg.rules, Extract: cfg.extract}); err != nil {
		return err
	}
	if err := r.openResume(); err != nil {
		return err
	}
	fr := frontier.New(stream, frontier.Config{Shard: cfg.shard, Done: r.done, Window: r.win})
	r.door = fr
	return nil
}

// openExtraction sets up what is extracted from each page, and the cache of
// it (--cache), whose entries are only used under the same settings.
func (r *scrapeRun) openExtraction(xc extract.Config) error {
	cfg := r.cfg
	cfg.fetch.Extractor = extract.NewExtractor(xc)
	if r.opts.Cache == "" {
		return nil
	}
	settings := cfg.rules.Specs()
	for _, x := range xc.Extract {
		settings = append(settings, "extract:"+x)
	}
	for _, f := range xc.Follow {
		settings = append(settings, "follow:"+f.Selector+"@"+f.Attr)
	}
	var err error
	if cfg.fetch.Cache, err = fetch.OpenCache(r.opts.Cache, &r.schema, settings); err != nil {
		return &UsageError{Flag: "cache", Err: err}
	}
	return nil
}

// openResume reads --resume's file: the URLs already done.
func (r *scrapeRun) openResume() error {
	if !r.opts.Resume {
		return nil
	}
	var err error
	if r.done, err = scanResume(r.opts.Output); err != nil {
		return err
	}
	if r.done != nil && !r.opts.Quiet {
		fmt.Fprintf(r.env.IO.ErrOut, "trawl: resuming %s: %d URLs already done\n", r.opts.Output, r.done.Len())
	}
	return nil
}

// execute opens the output, wires the stages, runs them to their end and
// sums up. A run that an interrupt cannot end in time (its output blocked
// on a pipe nobody reads) is abandoned: execute returns, and the process
// exits, without waiting for it.
func (r *scrapeRun) execute(ctx context.Context, stats *output.Stats) error {
	ios, opts := r.env.IO, r.opts
	dest := &outputFile{ios: ios, path: opts.Output, appendTo: opts.Resume}
	if err := dest.checkWritable(); err != nil {
		return err
	}
	// An output that blocks when opened (a FIFO) is opened by the writer.
	var out io.Writer
	closeOut := func() error { return nil }
	if !dest.blocks() {
		var err error
		if out, closeOut, err = dest.open(); err != nil {
			return err
		}
	}
	r.schema.InputColumns = r.door.Columns
	if r.crawl != nil {
		stats.Crawl = &output.CrawlStats{}
	}
	prog := newProgress(ios, opts, r.total)

	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	stop := make(chan struct{})
	grace := opts.Grace
	if grace == 0 {
		grace = defaultGrace
	}
	intr := watchSignals(r.env.Signals, stop, cancelRun, grace)
	defer intr.close()

	g, toWrite, inputErr := r.stages(runCtx, stop)
	// mu guards stats and the bar between the writer and an abandon.
	var mu sync.Mutex
	count := func(rec *output.Record) {
		mu.Lock()
		stats.Add(rec)
		prog.add(rec)
		mu.Unlock()
	}
	wdone := r.writer(dest, out, closeOut, toWrite, count, cancelRun)
	var writeErr error
	select {
	case writeErr = <-wdone:
	case <-intr.abandon:
		// Held for good: the writer, if it wakes up, changes nothing more.
		mu.Lock()
		stats.Finished, stats.Interrupted = time.Now(), true
		if !opts.Quiet {
			printSummary(ios, opts, stats)
		}
		return &InterruptedError{Signal: intr.signal()}
	}
	prog.finish()
	runErr := g.Wait()
	stats.Finished = time.Now()
	stats.Slowdowns = r.engine.Slowdowns()
	sig := intr.signal()
	stats.Interrupted = sig != nil
	if r.crawl != nil {
		// A crawl that ended keeps no state; an interrupted one (or a
		// failed one) keeps it for --resume.
		ended := sig == nil && writeErr == nil && *inputErr == nil && (runErr == nil || errors.Is(runErr, context.Canceled))
		if err := r.closeCrawl(stats, ended); err != nil && writeErr == nil {
			writeErr = err
		}
	}
	return r.finish(stats, writeErr, sig, *inputErr, runErr)
}

// stages starts the frontier and the engine. The records come out of the
// returned channel (through the frontier again in a crawl); the input's
// error is read once the group is done.
func (r *scrapeRun) stages(runCtx context.Context, stop chan struct{}) (*errgroup.Group, <-chan *output.Record, *error) {
	g, gctx := errgroup.WithContext(runCtx)
	jobs := make(chan fetch.Job, 256)
	recs := make(chan *output.Record, 2*r.cfg.fetch.Concurrency)
	// The frontier stops at the first signal: its context ends then.
	inCtx, cancelIn := context.WithCancel(gctx)
	go func() {
		defer cancelIn()
		select {
		case <-stop:
		case <-inCtx.Done():
		}
	}()
	inputErr := new(error)
	g.Go(func() error {
		*inputErr = r.door.Run(inCtx, jobs)
		return *inputErr
	})
	engine := fetch.New(r.cfg.fetch)
	r.engine = engine
	g.Go(func() error { return engine.Run(gctx, stop, jobs, recs) })
	if r.crawl != nil {
		return g, r.tap(recs), inputErr
	}
	return g, recs, inputErr
}

// writer drains recs into the output, in a goroutine of its own so that an
// interrupt can end the run even when the output blocks; an output that
// blocks when opened (a FIFO) is opened there too.
func (r *scrapeRun) writer(dest *outputFile, out io.Writer, closeOut func() error, recs <-chan *output.Record,
	count func(*output.Record), cancel context.CancelFunc) <-chan error {
	wdone := make(chan error, 1)
	go func() {
		if out == nil {
			var err error
			if out, closeOut, err = dest.open(); err != nil {
				cancel()
				for range recs {
				}
				wdone <- err
				return
			}
		}
		wdone <- r.write(recs, out, closeOut, r.win, count, cancel)
	}()
	return wdone
}

// closeCrawl adds the crawl's figures to stats and ends its frontier.
func (r *scrapeRun) closeCrawl(stats *output.Stats, ended bool) error {
	cs := r.crawl.Stats()
	if stats.Crawl == nil {
		stats.Crawl = &output.CrawlStats{}
	}
	stats.Crawl.Discovered, stats.Crawl.Queued, stats.Crawl.SitemapWarnings = cs.Discovered, cs.Queued, cs.SitemapWarnings
	if err := r.crawl.Close(ended); err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	return nil
}

// write drains recs into the output in its format and closes it.
func (r *scrapeRun) write(recs <-chan *output.Record, out io.Writer, closeOut func() error, win *output.Window, count func(*output.Record), cancel context.CancelFunc) error {
	w := output.New(r.cfg.format, out, output.Options{Schema: r.schema, CSVRaw: r.opts.CSVRaw, Compression: r.cfg.compression})
	writeErr := writeRecords(recs, w, win, count, cancel)
	if cerr := w.Close(); writeErr == nil && cerr != nil {
		writeErr = outputErr(r.opts.Output, cerr)
	}
	if cerr := closeOut(); writeErr == nil && cerr != nil {
		writeErr = outputErr(r.opts.Output, cerr)
	}
	return writeErr
}

// finish prints the summary and picks the run's error.
func (r *scrapeRun) finish(stats *output.Stats, writeErr error, sig os.Signal, inputErr, runErr error) error {
	ios, opts := r.env.IO, r.opts
	if !errors.Is(writeErr, errBrokenPipe) && !opts.Quiet {
		printSummary(ios, opts, stats)
		if r.door.Read() == 0 && writeErr == nil && inputErr == nil && sig == nil {
			fmt.Fprintln(ios.ErrOut, "trawl: the input had no URLs (blank lines and # comments are skipped)")
		}
	}
	switch {
	case writeErr != nil:
		return writeErr
	case sig != nil:
		return &InterruptedError{Signal: sig}
	case inputErr != nil:
		return inputErr
	case runErr != nil && !errors.Is(runErr, context.Canceled):
		return runErr
	case stats.Failed > r.cfg.maxFail:
		return &TooManyFailuresError{Failed: stats.Failed, Max: r.cfg.maxFail}
	}
	return nil
}

// scanResume reads --output for --resume, cuts off a torn last line, and
// returns the URLs already done; nil when the file does not exist yet.
func scanResume(path string) (*output.Done, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	defer f.Close()
	done, keep, err := output.ScanResume(f)
	var nr *output.NotRecordError
	if errors.As(err, &nr) {
		return nil, fmt.Errorf("resume: %s is not a trawl output: %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("resume: read %s: %w", path, err)
	}
	if err := f.Truncate(keep); err != nil {
		return nil, fmt.Errorf("resume: cut the torn last line of %s: %w", path, err)
	}
	return done, nil
}

// writeRecords drains recs to w until recs is closed, flushing whenever recs
// is momentarily empty, so a pipe's reader sees each record at once while a
// fast run still writes in large chunks. It never stops draining: after a
// write error it cancels the run and discards, so no stage blocks on it.
func writeRecords(recs <-chan *output.Record, w output.Writer, win *output.Window, count func(*output.Record), cancel context.CancelFunc) error {
	var werr error
	emit := func(r *output.Record) error {
		count(r)
		return w.Write(r)
	}
	var ro *output.Reorder
	if win != nil {
		ro = output.NewReorder(win)
	}
	for {
		var r *output.Record
		var ok bool
		select {
		case r, ok = <-recs:
		default:
			if werr == nil {
				werr = w.Flush()
				if werr != nil {
					cancel()
				}
			}
			r, ok = <-recs
		}
		if !ok {
			break
		}
		if werr != nil {
			continue
		}
		if ro != nil {
			werr = ro.Push(r, emit)
		} else {
			werr = emit(r)
		}
		if werr != nil {
			cancel()
		}
	}
	if werr == nil && ro != nil {
		werr = ro.Drain(emit)
	}
	if werr != nil {
		return outputErr("", werr)
	}
	return nil
}

func newLogger(ios *IOStreams, opts *ScrapeOptions) *slog.Logger {
	level := slog.LevelWarn
	switch {
	case opts.Quiet:
		level = slog.LevelError
	case opts.Verbose:
		level = slog.LevelDebug
	}
	hopts := &slog.HandlerOptions{Level: level}
	if opts.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(ios.ErrOut, hopts))
	}
	return slog.New(slog.NewTextHandler(ios.ErrOut, hopts))
}

// startProfile starts the hidden --cpuprofile, and arranges --memprofile.
func startProfile(opts *ScrapeOptions) (func(), error) {
	var cpu *os.File
	if opts.CPUProfile != "" {
		f, err := os.Create(opts.CPUProfile)
		if err != nil {
			return nil, &UsageError{Flag: "cpuprofile", Err: err}
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, &UsageError{Flag: "cpuprofile", Err: err}
		}
		cpu = f
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if opts.MemProfile != "" {
			if f, err := os.Create(opts.MemProfile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
	}, nil
}

// printSummary writes the run summary on stderr: two lines of text, or with
// --log-format json one JSON log line, so that a log shipper parses every line.
func printSummary(ios *IOStreams, opts *ScrapeOptions, s *output.Stats) {
	if opts.LogFormat != "json" {
		fmt.Fprint(ios.ErrOut, s.Summary())
		return
	}
	b, err := json.Marshal(s)
	if err != nil {
		return
	}
	slog.New(slog.NewJSONHandler(ios.ErrOut, nil)).Info("summary", "stats", json.RawMessage(b))
}
