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

	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

// source is one input: a name for messages and its reader.
type source struct {
	name string
	r    io.Reader
}

// defaultGrace is SPEC.md's time for in-flight requests after a first signal.
const defaultGrace = 5 * time.Second

// runScrape runs one scrape: input → fetch.Engine → [reorder] → writer.
// srcs replaces opts.Files when not nil (the demo's generated list), and
// total is then its number of URLs.
func runScrape(ctx context.Context, env *Env, opts *ScrapeOptions, srcs []source, total int64) (err error) {
	cfg, err := opts.validate()
	if err != nil {
		return err
	}
	ios := env.IO
	cfg.fetch.Logger = newLogger(ios, opts)
	stopProfile, err := startProfile(opts)
	if err != nil {
		return err
	}
	defer stopProfile()

	fromFiles := srcs == nil
	if fromFiles {
		if srcs, err = openSources(ios, opts.Files); err != nil {
			return err
		}
		if ios.InTTY && !opts.Quiet && (len(opts.Files) == 0 || slices.Contains(opts.Files, "-")) {
			// A person who typed `trawl scrape` alone would otherwise see
			// nothing happen.
			fmt.Fprintln(ios.ErrOut, "trawl: reading URLs from the terminal, one a line; end with Ctrl-D")
		}
		defer func() {
			for _, s := range srcs {
				if c, ok := s.r.(io.Closer); ok && s.r != ios.In {
					c.Close()
				}
			}
		}()
	}
	if opts.Cache != "" {
		if cfg.fetch.Cache, err = fetch.OpenCache(opts.Cache, cfg.fetch.Rules.Specs()); err != nil {
			return &UsageError{Flag: "cache", Err: err}
		}
	}
	var done *output.Done
	if opts.Resume {
		if done, err = scanResume(opts.Output); err != nil {
			return err
		}
		if done != nil && !opts.Quiet {
			fmt.Fprintf(ios.ErrOut, "trawl: resuming %s: %d URLs already done\n", opts.Output, done.Len())
		}
	}
	var statsFile *os.File
	if opts.Stats != "" {
		// Opened now, so that an unwritable path fails before any request.
		if statsFile, err = os.Create(opts.Stats); err != nil {
			return &UsageError{Flag: "stats", Err: err}
		}
		defer statsFile.Close()
	}
	out, closeOut, err := openOutput(ios, opts.Output, opts.Resume)
	if err != nil {
		return err
	}
	cols := &columns{}
	w := output.New(cfg.format, out, output.Options{FieldNames: cfg.fetch.Rules.Names(), CSVRaw: opts.CSVRaw, InputColumns: cols.get})

	if fromFiles && opts.Progress != "never" && !opts.Quiet && (opts.Progress == "always" || ios.ErrTTY) {
		total = totalFor(opts.Files)
	}
	prog := newProgress(ios, opts, total)
	stats := output.NewStats(time.Now())
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	stop := make(chan struct{})
	grace := opts.Grace
	if grace == 0 {
		grace = defaultGrace
	}
	intr := watchSignals(env.Signals, stop, cancelRun, grace)
	defer intr.close()

	var win *output.Window
	if cfg.orderedWin > 0 {
		win = output.NewWindow(cfg.orderedWin)
	}
	g, gctx := errgroup.WithContext(runCtx)
	jobs := make(chan fetch.Job, 256)
	recs := make(chan *output.Record, 2*cfg.fetch.Concurrency)
	// The input stage stops at the first signal: its context ends then.
	inCtx, cancelIn := context.WithCancel(gctx)
	defer cancelIn()
	go func() {
		select {
		case <-stop:
			cancelIn()
		case <-inCtx.Done():
		}
	}()
	in := &inputStage{format: cfg.inputFormat, urlField: opts.URLField, done: done, shard: cfg.shard, cols: cols, win: win}
	var inputErr error
	g.Go(func() error {
		inputErr = in.run(inCtx, srcs, jobs)
		return inputErr
	})
	engine := fetch.New(cfg.fetch)
	g.Go(func() error { return engine.Run(gctx, stop, jobs, recs) })

	writeErr := writeRecords(recs, w, win, func(r *output.Record) { stats.Add(r); prog.add(r) }, cancelRun)
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

	if !errors.Is(writeErr, errBrokenPipe) {
		if !opts.Quiet {
			printSummary(ios, opts, stats)
		}
		if statsFile != nil {
			if err := writeStats(statsFile, stats); err != nil && writeErr == nil {
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
	case stats.Failed > cfg.maxFail:
		return &TooManyFailuresError{Failed: stats.Failed, Max: cfg.maxFail, Quiet: opts.Quiet}
	}
	return nil
}

// inputStage reads every source's items, drops those another shard or an
// earlier run (--resume) owns, numbers the rest and sends them to jobs.
type inputStage struct {
	format   string
	urlField string
	done     *output.Done
	shard    input.Shard
	cols     *columns
	// win, with --ordered, bounds how far the input runs ahead of the
	// writer: a slot per item, freed when its record is written.
	win *output.Window
}

type nextItem struct {
	it  input.Item
	err error
}

// run sends jobs until the sources end or ctx does, and closes jobs. The
// reads happen in a goroutine of their own: a read of an idle stdin pipe
// cannot be interrupted, and must not keep an interrupted run alive.
func (s *inputStage) run(ctx context.Context, srcs []source, jobs chan<- fetch.Job) error {
	defer close(jobs)
	items := make(chan nextItem, 64)
	quit := make(chan struct{})
	defer close(quit)
	go s.read(srcs, items, quit)
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
		it := n.it
		// An invalid URL has no host: shard 1 alone reports it.
		if s.shard.N > 0 && (it.URL == nil && s.shard.K != 1 || it.URL != nil && !s.shard.Keep(it.URL)) {
			continue
		}
		if s.done.Has(it.Raw) {
			continue
		}
		if err := s.win.Acquire(ctx); err != nil {
			return nil
		}
		j := fetch.Job{Seq: seq, Raw: it.Raw, URL: it.URL, Err: it.Err, HasInput: s.format != "lines"}
		if len(it.Input) > 0 {
			j.Input = make([]output.InputField, len(it.Input))
			for i, f := range it.Input {
				j.Input[i] = output.InputField{Key: f.Key, Raw: f.Raw}
			}
		}
		seq++
		select {
		case jobs <- j:
		case <-ctx.Done():
			return nil
		}
	}
}

// read turns the sources into items on out, in order, until quit.
func (s *inputStage) read(srcs []source, out chan<- nextItem, quit <-chan struct{}) {
	defer close(out)
	send := func(n nextItem) bool {
		select {
		case out <- n:
			return true
		case <-quit:
			return false
		}
	}
	for i, src := range srcs {
		var rd input.Reader
		switch s.format {
		case "csv":
			c, err := input.NewCSV(src.r, s.urlField)
			if err != nil {
				send(nextItem{err: fmt.Errorf("%s: %w", src.name, err)})
				return
			}
			if i == 0 {
				s.cols.set(c.Columns())
			}
			rd = c
		case "jsonl":
			rd = input.NewJSONL(src.r, s.urlField)
			if i == 0 {
				// CSV output needs the input columns before its first
				// row: they are the fields of the first line that has
				// any, so read ahead to it (a bounded number of lines).
				held, ok := s.firstFields(rd, src.name)
				for _, n := range held {
					if !send(n) || n.err != nil {
						return
					}
				}
				if !ok {
					continue
				}
			}
		default:
			rd = input.NewLines(src.r)
		}
		for {
			it, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				send(nextItem{err: fmt.Errorf("read %s: %w", src.name, err)})
				return
			}
			if !send(nextItem{it: it}) {
				return
			}
		}
	}
}

// lookaheadForFields bounds how many JSON Lines firstFields reads ahead.
const lookaheadForFields = 1024

// firstFields reads rd up to its first item with pass-through fields and
// sets the CSV input columns from them. It returns what it read, to be sent
// in order, and whether rd has more to read.
func (s *inputStage) firstFields(rd input.Reader, name string) ([]nextItem, bool) {
	var held []nextItem
	for len(held) < lookaheadForFields {
		it, err := rd.Next()
		if err == io.EOF {
			return held, false
		}
		if err != nil {
			return append(held, nextItem{err: fmt.Errorf("read %s: %w", name, err)}), false
		}
		held = append(held, nextItem{it: it})
		if it.Input != nil {
			names := make([]string, len(it.Input))
			for k, f := range it.Input {
				names[k] = f.Key
			}
			s.cols.set(names)
			break
		}
	}
	return held, true
}

// columns carries the CSV input's column names from the input stage to the
// CSV writer's header; nil lets the writer take them from the first record.
type columns struct {
	mu    sync.Mutex
	names []string
}

func (c *columns) set(names []string) {
	c.mu.Lock()
	c.names = names
	c.mu.Unlock()
}

func (c *columns) get() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.names
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

func openSources(ios *IOStreams, files []string) ([]source, error) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	srcs := make([]source, 0, len(files))
	for _, f := range files {
		if f == "-" {
			srcs = append(srcs, source{name: "stdin", r: ios.In})
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			for _, s := range srcs {
				if c, ok := s.r.(io.Closer); ok && s.r != ios.In {
					c.Close()
				}
			}
			return nil, fmt.Errorf("open input: %w", err)
		}
		srcs = append(srcs, source{name: f, r: fh})
	}
	return srcs, nil
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
