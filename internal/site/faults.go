package site

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Faults serves the routes tests use to make a server misbehave on
// purpose, beside plain pages:
//
//	/robots.txt   404 (allow all)
//	/fast/N       200 HTML page titled "Fast N", at once
//	/slow/N       nothing, until the client gives up or Close
//	/linger/N     200 HTML page titled "Linger N", once Release is called
//	/status/C/N   status C with an HTML page titled "Status C"
//
// Serve it through a Recorder to count what arrives.
type Faults struct {
	release     chan struct{}
	releaseOnce sync.Once
	done        chan struct{}
	closeOnce   sync.Once
}

// NewFaults returns the fault routes.
func NewFaults() *Faults {
	return &Faults{release: make(chan struct{}), done: make(chan struct{})}
}

// Release lets every /linger/ request answer.
func (f *Faults) Release() { f.releaseOnce.Do(func() { close(f.release) }) }

// Close unblocks every request still held, so a server can shut down.
func (f *Faults) Close() { f.closeOnce.Do(func() { close(f.done) }) }

// Serve answers one request; it is a HandlerFunc.
func (f *Faults) Serve(w http.ResponseWriter, r *http.Request, _ int) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	page := func(status int, title string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title>"+
			"<meta name=\"description\" content=\"e2e page\"></head><body><h1>%s</h1></body></html>", title, title)
	}
	switch {
	case r.URL.Path == "/robots.txt":
		http.NotFound(w, r)
	case len(parts) == 2 && parts[0] == "fast":
		page(http.StatusOK, "Fast "+parts[1])
	case len(parts) == 2 && parts[0] == "slow":
		select {
		case <-r.Context().Done():
		case <-f.done:
		}
	case len(parts) == 2 && parts[0] == "linger":
		select {
		case <-f.release:
			page(http.StatusOK, "Linger "+parts[1])
		case <-r.Context().Done():
		case <-f.done:
		}
	case len(parts) == 3 && parts[0] == "status":
		code, err := strconv.Atoi(parts[1])
		if err != nil || code < 100 || code > 999 {
			http.Error(w, "bad status", http.StatusBadRequest)
			return
		}
		page(code, "Status "+parts[1])
	default:
		http.NotFound(w, r)
	}
}
