// Command trawl is a fast, polite, concurrent web scraper for URL lists.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/trawl-dev/trawl/cmd"
)

// Set by the linker: -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = ""
)

// trawl's live heap is small and bounded (the pages in flight), so the
// garbage collector may let it grow further between cycles: GOGC=400 cuts
// the CPU per page by a quarter (make bench) for some 15 MB more RSS, and a
// soft limit keeps a run of huge pages from growing without bound. The
// GOGC and GOMEMLIMIT variables still win.
const (
	gcPercent   = 400
	memoryLimit = 512 << 20
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	// A closed stdout must be a write error trawl handles quietly, not a
	// SIGPIPE death mid-record.
	signal.Ignore(syscall.SIGPIPE)
	// Signals go to a channel rather than signal.NotifyContext: an interrupt
	// has two steps (drain, then cancel) and its exit code names the signal.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	env := &cmd.Env{IO: cmd.System(), Signals: sigs, Build: cmd.BuildInfo{Version: version, Commit: commit}}
	os.Exit(cmd.Main(context.Background(), env, os.Args[1:]))
}
