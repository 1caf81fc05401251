package main

// The target site is internal/site's Bench, served here in a process of its
// own on loopback addresses.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
)

// serveOpts are the flags of -serve.
type serveOpts struct {
	addr     string
	size     int
	latency  time.Duration
	pages    int
	hosts    int
	lifetime time.Duration
	// watchStdin stops the site when stdin reaches EOF: the driver holds
	// the pipe, so the site dies with it.
	watchStdin bool
	// handler replaces the bench pages (-crawl-site, -capacity), and
	// atExit, when set, reports at the end.
	handler http.Handler
	atExit  func()
}

// runServe listens, prints the base URLs (space-separated) as the first
// line of stdout, and serves until a signal, the end of its lifetime, or
// (with watchStdin, as the driver starts it) the end of stdin: it never
// outlives its purpose.
func runServe(o serveOpts) error {
	if o.size < 0 || o.pages < 1 || o.hosts < 0 || o.hosts > 254 {
		return errors.New("-serve: want -size >= 0, -pages >= 1, 0 <= -hosts <= 254")
	}
	host, port, err := net.SplitHostPort(o.addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", o.addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: the bench site listens on loopback addresses only", o.addr)
	}
	var lns []net.Listener
	if o.hosts == 0 {
		ln, err := net.Listen("tcp", o.addr)
		if err != nil {
			return err
		}
		lns = append(lns, ln)
	} else {
		// 127.0.1.1 ... 127.0.1.H: the same port when it is free on all,
		// else each its own.
		for h := 1; h <= o.hosts; h++ {
			a := net.JoinHostPort(fmt.Sprintf("127.0.1.%d", h), port)
			ln, err := net.Listen("tcp", a)
			if err != nil && port != "0" {
				ln, err = net.Listen("tcp", net.JoinHostPort(fmt.Sprintf("127.0.1.%d", h), "0"))
			}
			if err != nil {
				return err
			}
			if h == 1 && port == "0" {
				_, port, _ = net.SplitHostPort(ln.Addr().String())
			}
			lns = append(lns, ln)
		}
	}
	var h http.Handler = &site.Bench{Size: o.size, Pages: o.pages, Latency: o.latency}
	if o.handler != nil {
		h = o.handler
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}
	var bases []string
	for _, ln := range lns {
		bases = append(bases, "http://"+ln.Addr().String())
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, strings.Join(bases, " "))
	if err := w.Flush(); err != nil {
		return err
	}

	errc := make(chan error, len(lns))
	for _, ln := range lns {
		go func(ln net.Listener) { errc <- srv.Serve(ln) }(ln)
	}
	stdinGone := make(chan struct{})
	if o.watchStdin {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			close(stdinGone)
		}()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	life := time.NewTimer(o.lifetime)
	defer life.Stop()
	select {
	case <-stdinGone:
	case <-sig:
	case <-life.C:
		fmt.Fprintln(os.Stderr, "bench site: lifetime over, stopping")
	case err := <-errc:
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	if o.atExit != nil {
		o.atExit()
	}
	return nil
}
