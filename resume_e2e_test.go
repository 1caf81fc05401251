package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestResumeAfterSIGKILL kills a run part-way with SIGKILL (no chance to
// clean up), resumes it, and checks at the server that no URL that already
// had a good record was requested again, and in the file that every URL has
// exactly one good record and the first run's complete lines are a prefix.
func TestResumeAfterSIGKILL(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	phase := 1
	hits := map[int]map[string]int{1: {}, 2: {}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		hits[phase][r.URL.Path]++
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<title>T %s</title>", r.URL.Path)
	}))
	t.Cleanup(srv.Close)

	const n = 1500
	var urls []string
	for i := range n {
		urls = append(urls, fmt.Sprintf("%s/p/%d", srv.URL, i))
	}
	list := writeURLs(t, urls)
	out := filepath.Join(t.TempDir(), "out.jsonl")

	p := start(t, "scrape", "-q", "-c", "4", "--per-host", "4", "-o", out, list)
	waitFor(t, 20*time.Second, func() bool {
		b, _ := os.ReadFile(out)
		return bytes.Count(b, []byte("\n")) >= 200
	}, func() string { return "200 records in the first run" })
	p.signal(syscall.SIGKILL)
	p.wait(10 * time.Second)

	first, _ := os.ReadFile(out)
	complete := first[:bytes.LastIndexByte(first, '\n')+1]
	doneBefore := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(complete), "\n"), "\n") {
		rec := checkRecord(t, []byte(line))
		if rec["error_kind"] == nil {
			doneBefore[rec["url"].(string)] = true
		}
	}
	if len(doneBefore) < 200 || len(doneBefore) >= n {
		t.Fatalf("first run left %d good records; want a part of %d", len(doneBefore), n)
	}

	mu.Lock()
	phase = 2
	mu.Unlock()
	code, _, stderr := runTrawl(t, "", "scrape", "--resume", "-c", "8", "--per-host", "8", "-o", out, list)
	if code != 0 {
		t.Fatalf("resume exit %d: %s", code, stderr)
	}
	if want := fmt.Sprintf("resuming %s: %d URLs already done", out, len(doneBefore)); !strings.Contains(stderr, want) {
		t.Errorf("stderr %q lacks %q", stderr, want)
	}
	mu.Lock()
	for u := range doneBefore {
		path := strings.TrimPrefix(u, srv.URL)
		if hits[2][path] != 0 {
			t.Errorf("%s had a good record but was requested again", u)
		}
	}
	if len(hits[2]) != n-len(doneBefore) {
		t.Errorf("resume requested %d URLs, want %d", len(hits[2]), n-len(doneBefore))
	}
	mu.Unlock()

	final, _ := os.ReadFile(out)
	if !bytes.HasPrefix(final, complete) {
		t.Fatal("the first run's complete lines are not a prefix of the resumed file")
	}
	good := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(final))
	for sc.Scan() {
		rec := checkRecord(t, sc.Bytes())
		if rec["error_kind"] == nil {
			good[rec["url"].(string)]++
		}
	}
	if len(good) != n {
		t.Errorf("%d URLs have a good record, want %d", len(good), n)
	}
	for u, c := range good {
		if c != 1 {
			t.Errorf("%s has %d good records", u, c)
		}
	}
}
