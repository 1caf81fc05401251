package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// progressServer answers every page after a few milliseconds, so a run of
// a few hundred URLs lasts long enough for the bar to draw.
func progressServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		time.Sleep(5 * time.Millisecond)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<title>P %s</title>", r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func progressList(t *testing.T, base string, n int) string {
	var urls []string
	for i := range n {
		urls = append(urls, fmt.Sprintf("%s/p/%d", base, i))
	}
	return writeURLs(t, urls)
}

// TestProgressBarOnTerminal: with stderr a pseudo-terminal the bar is drawn
// there (auto); stdout, a pipe, carries only the records.
func TestProgressBarOnTerminal(t *testing.T) {
	t.Parallel()
	srv := progressServer(t)
	list := progressList(t, srv.URL, 300)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	c := command("scrape", "-c", "2", "--per-host", "2", list)
	var stdout bytes.Buffer
	c.Stdout = &stdout
	c.Stderr = tty
	var term bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); io.Copy(&term, ptmx) }()
	p := startCmd(t, c)
	code := p.wait(30 * time.Second)
	tty.Close()
	wg.Wait()
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, term.String())
	}
	screen := term.String()
	if !strings.Contains(screen, "pages/s") || !strings.Contains(screen, "/300") || !strings.Contains(screen, "ok, 0 failed") {
		t.Errorf("no progress bar on the terminal:\n%q", tail(screen))
	}
	if !strings.Contains(screen, "300 URLs: 300 ok, 0 failed") {
		t.Errorf("no summary on the terminal:\n%q", tail(screen))
	}
	if n := len(jsonLines(t, stdout.String())); n != 300 {
		t.Errorf("stdout has %d records, want 300", n)
	}
}

// TestProgressBarOnlyWhenAsked: stderr a pipe shows no bar under auto, and
// one with --progress always; stdout carries only records either way.
func TestProgressBarOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	srv := progressServer(t)
	list := progressList(t, srv.URL, 200)
	code, out, errOut := runTrawl(t, "", "scrape", "-c", "2", "--per-host", "2", list)
	if code != 0 || strings.Contains(errOut, "pages/s)") || strings.Contains(errOut, "\r") {
		t.Errorf("auto with stderr a pipe drew a bar (exit %d):\n%q", code, errOut)
	}
	if n := len(jsonLines(t, out)); n != 200 {
		t.Errorf("%d records", n)
	}
	code, out, errOut = runTrawl(t, "", "scrape", "-c", "2", "--per-host", "2", "--progress", "always", list)
	if code != 0 || !strings.Contains(errOut, "ok, 0 failed") || !strings.Contains(errOut, "/200") {
		t.Errorf("--progress always drew no bar (exit %d):\n%q", code, errOut)
	}
	if n := len(jsonLines(t, out)); n != 200 {
		t.Errorf("%d records with the bar", n)
	}
	code, _, errOut = runTrawl(t, "", "scrape", "-q", "--progress", "always", list)
	if code != 0 || errOut != "" {
		t.Errorf("-q still wrote %q", errOut)
	}
}
