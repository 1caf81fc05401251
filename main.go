// Command trawl is a fast, polite, concurrent web scraper for URL lists.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/trawl-dev/trawl/cmd"
)

// Set by the linker: -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = ""
)

func main() {
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
