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
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trawl-dev/trawl/extract"
	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/frontier"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

// defaultGrace is SPEC.md's time for in-flight requests after a first signal.
const defaultGrace = 5 * time.Second

// scrapeRun is one scrape being set up, run and summed up. cmd only wires:
// input → frontier → fetch (with extract as its Extractor) → output.
type scrapeRun struct {
	env       *Env
	opts      *ScrapeOptions
	cfg       *config
	srcs      []input.Source
	closeSrcs func()
	stream    *input.Stream
	done      *output.Done
	statsFile *os.File
	schema    output.Schema
	total     int64
}

// runScrape runs one scrape. srcs replaces opts.Files when not nil (the
// demo's generated list), and total is then its number of URLs.
func runScrape(ctx context.Context, env *Env, opts *ScrapeOptions, srcs []input.Source, total int64) error {
	cfg, err := opts.validate()
	if err != nil {
		return err
	}
	r := &scrapeRun{env: env, opts: opts, cfg: cfg, srcs: srcs, total: total, closeSrcs: func() {}}
	defer func() { r.closeSrcs() }()
	stopProfile, err := startProfile(opts)
	if err != nil {
		return err
	}
	defer stopProfile()
	if err := r.open(); err != nil {
		return err
	}
	if r.statsFile != nil {
		defer r.statsFile.Close()
	}
	return r.execute(ctx)
}

// open does everything that may fail before the output is opened: the
// inputs, the cache, --resume's file and --stats.
func (r *scrapeRun) open() error {
	ios, opts, cfg := r.env.IO, r.opts, r.cfg
	cfg.fetch.Logger = newLogger(ios, opts)
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
	r.stream = stream
	r.schema = output.Schema{Fields: cfg.rules.Names(), Input: stream.HasInput()}
	cfg.fetch.Extractor = extract.NewExtractor(cfg.rules)
	if opts.Cache != "" {
		if cfg.fetch.Cache, err = fetch.OpenCache(opts.Cache, &r.schema, cfg.rules.Specs()); err != nil {
			return &UsageError{Flag: "cache", Err: err}
		}
	}
	if opts.Resume {
		if r.done, err = scanResume(opts.Output); err != nil {
			return err
		}
		if r.done != nil && !opts.Quiet {
			fmt.Fprintf(ios.ErrOut, "trawl: resuming %s: %d URLs already done\n", opts.Output, r.done.Len())
		}
	}
	if opts.Stats != "" {
		// Opened now, so that an unwritable path fails before any request.
		if r.statsFile, err = os.Create(opts.Stats); err != nil {
			return &UsageError{Flag: "stats", Err: err}
		}
	}
	return nil
}

// execute wires the stages, runs them to their end and sums up.
func (r *scrapeRun) execute(ctx context.Context) error {
	ios, opts, cfg := r.env.IO, r.opts, r.cfg
	out, closeOut, err := openOutput(ios, opts.Output, opts.Resume)
	if err != nil {
		return err
	}
	var win *output.Window
	if cfg.orderedWin > 0 {
		win = output.NewWindow(cfg.orderedWin)
	}
	fr := frontier.New(r.stream, frontier.Config{Shard: cfg.shard, Done: r.done, Window: win})
	r.schema.InputColumns = fr.Columns
	w := output.New(cfg.format, out, output.Options{Schema: r.schema, CSVRaw: opts.CSVRaw})
	prog := newProgress(ios, opts, r.total)
	stats := output.NewStats(time.Now())

	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	stop := make(chan struct{})
	grace := opts.Grace
	if grace == 0 {
		grace = defaultGrace
	}
	intr := watchSignals(r.env.Signals, stop, cancelRun, grace)
	defer intr.close()

	g, gctx := errgroup.WithContext(runCtx)
	jobs := make(chan fetch.Job, 256)
	recs := make(chan *output.Record, 2*cfg.fetch.Concurrency)
	// The frontier stops at the first signal: its context ends then.
	inCtx, cancelIn := context.WithCancel(gctx)
	defer cancelIn()
	go func() {
		select {
		case <-stop:
			cancelIn()
		case <-inCtx.Done():
		}
	}()
	var inputErr error
	g.Go(func() error {
		inputErr = fr.Run(inCtx, jobs)
		return inputErr
	})
	engine := fetch.New(cfg.fetch)
	g.Go(func() error { return engine.Run(gctx, stop, jobs, recs) })

	writeErr := writeRecords(recs, w, win, func(rec *output.Record) { stats.Add(rec); prog.add(rec) }, cancelRun)
	prog.finish()
	if cerr := w.Close(); writeErr == nil && cerr != nil {
		writeErr = outputErr(opts.Output, cerr)
	}
	if cerr := closeOut(); writeErr == nil && cerr != nil {
		writeErr = outputErr(opts.Output, cerr)
	}
	runErr := g.Wait()
	stats.Finished = time.Now()
	sig := intr.signal()
	stats.Interrupted = sig != nil
	return r.finish(stats, writeErr, sig, inputErr, runErr)
}

// finish prints the summary, writes --stats, and picks the run's error.
func (r *scrapeRun) finish(stats *output.Stats, writeErr error, sig os.Signal, inputErr, runErr error) error {
	if !errors.Is(writeErr, errBrokenPipe) {
		if !r.opts.Quiet {
			printSummary(r.env.IO, r.opts, stats)
		}
		if r.statsFile != nil {
			if err := writeStats(r.statsFile, stats); err != nil && writeErr == nil {
				writeErr = err
			}
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
		return &TooManyFailuresError{Failed: stats.Failed, Max: r.cfg.maxFail, Quiet: r.opts.Quiet}
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

// outputErr names a failed output; a closed pipe is errBrokenPipe.
func outputErr(path string, err error) error {
	if errors.Is(err, syscall.EPIPE) || errors.Is(err, errBrokenPipe) {
		return errBrokenPipe
	}
	var pe *os.PathError
	if path == "" || errors.As(err, &pe) {
		return fmt.Errorf("write output: %w", err)
	}
	return fmt.Errorf("write %s: %w", path, err)
}

// openSources opens the input FILEs ("-" or none: stdin) and returns them
// with a function that closes them.
func openSources(ios *IOStreams, files []string) ([]input.Source, func(), error) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	srcs := make([]input.Source, 0, len(files))
	var opened []*os.File
	closeAll := func() {
		for _, f := range opened {
			f.Close()
		}
	}
	for _, f := range files {
		if f == "-" {
			srcs = append(srcs, input.Source{Name: "stdin", R: ios.In})
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("open input: %w", err)
		}
		opened = append(opened, fh)
		srcs = append(srcs, input.Source{Name: f, R: fh})
	}
	return srcs, closeAll, nil
}

func openOutput(ios *IOStreams, path string, appendTo bool) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return ios.Out, func() error { return nil }, nil
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open output: %w", err)
	}
	return f, f.Close, nil
}

func writeStats(f *os.File, s *output.Stats) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write stats: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write stats: %w", err)
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

// interrupter turns signals into SPEC.md's two steps: the first stops
// dispatching and gives in-flight requests the grace time; the second, or
// the end of the grace time, cancels them.
type interrupter struct {
	mu   sync.Mutex
	sig  os.Signal
	done chan struct{}
	wg   sync.WaitGroup
}

func watchSignals(sigs <-chan os.Signal, stop chan struct{}, cancel context.CancelFunc, grace time.Duration) *interrupter {
	in := &interrupter{done: make(chan struct{})}
	if sigs == nil {
		return in
	}
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		var graceC <-chan time.Time
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
					t := time.NewTimer(grace)
					defer t.Stop()
					graceC = t.C
				} else {
					cancel()
				}
			case <-graceC:
				cancel()
			case <-in.done:
				return
			}
		}
	}()
	return in
}

func (in *interrupter) signal() os.Signal {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.sig
}

func (in *interrupter) close() {
	close(in.done)
	in.wg.Wait()
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
