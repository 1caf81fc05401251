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

	if srcs == nil {
		if srcs, err = openSources(ios, opts.Files); err != nil {
			return err
		}
		defer func() {
			for _, s := range srcs {
				if c, ok := s.r.(io.Closer); ok && s.r != ios.In {
					c.Close()
				}
			}
		}()
	}
	out, closeOut, err := openOutput(ios, opts.Output)
	if err != nil {
		return err
	}
	w := output.New(cfg.format, out, output.Options{FieldNames: cfg.fetch.Rules.Names(), CSVRaw: opts.CSVRaw})

	if srcs == nil && opts.Progress != "never" && !opts.Quiet && (opts.Progress == "always" || ios.ErrTTY) {
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
	var inputErr error
	g.Go(func() error {
		inputErr = readInput(gctx, stop, srcs, win, jobs)
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
			fmt.Fprint(ios.ErrOut, stats.Summary())
		}
		if opts.Stats != "" {
			if err := writeStats(opts.Stats, stats); err != nil && writeErr == nil {
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
		return &TooManyFailuresError{Failed: stats.Failed, Max: cfg.maxFail}
	}
	return nil
}

// readInput streams every source's items to jobs, numbering them, and closes
// jobs. With --ordered it takes a window slot per item first, which bounds
// how far it runs ahead of the writer.
func readInput(ctx context.Context, stop <-chan struct{}, srcs []source, win *output.Window, jobs chan<- fetch.Job) error {
	defer close(jobs)
	var seq int64
	for _, src := range srcs {
		lr := input.NewLines(src.r)
		for {
			it, err := lr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", src.name, err)
			}
			if err := win.Acquire(ctx); err != nil {
				return nil
			}
			j := fetch.Job{Seq: seq, Raw: it.Raw, URL: it.URL, Err: it.Err}
			seq++
			select {
			case jobs <- j:
			case <-stop:
				return nil
			case <-ctx.Done():
				return nil
			}
		}
	}
	return nil
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

func openOutput(ios *IOStreams, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return ios.Out, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open output: %w", err)
	}
	return f, f.Close, nil
}

func writeStats(path string, s *output.Stats) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
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
