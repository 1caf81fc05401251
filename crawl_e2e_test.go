package main

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
)

// TestCrawlKillResume: a crawl killed with SIGKILL and resumed fetches no
// page that has a good record again, and every page the crawl reaches ends
// with exactly one good record — checked at the server.
func TestCrawlKillResume(t *testing.T) {
	t.Parallel()
	cs := &site.CrawlSite{Pages: 2000, Fanout: 4, Latency: 2 * time.Millisecond}
	srv, err := site.NewRecorder("127.0.0.1", nil, site.Handler(cs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	out := filepath.Join(dir, "site.jsonl")
	args := []string{"crawl", srv.URL + "/", "--depth", "10", "-o", out, "-q", "-c", "4", "--per-host", "4",
		"--follow", "li a@href", "--max-failures", "100000"}

	p := start(t, args...)
	waitFor(t, 30*time.Second, func() bool {
		b, _ := os.ReadFile(out)
		return bytes.Count(b, []byte("\n")) >= 400
	}, func() string { return "400 records before the kill" })
	p.signal(syscall.SIGKILL)
	p.wait(10 * time.Second)
	time.Sleep(300 * time.Millisecond) // the requests the kill cut short end at the server
	phase1 := len(srv.Requests())

	first, _ := os.ReadFile(out)
	goodBefore := map[string]bool{}
	for _, line := range strings.Split(string(first), "\n") {
		var r struct {
			URL       string  `json:"url"`
			FinalURL  *string `json:"final_url"`
			ErrorKind *string `json:"error_kind"`
		}
		if json.Unmarshal([]byte(line), &r) != nil || r.ErrorKind != nil || r.FinalURL == nil {
			continue
		}
		goodBefore[urlPath(t, *r.FinalURL)] = true
	}
	if len(goodBefore) < 300 {
		t.Fatalf("%d good records before the kill", len(goodBefore))
	}
	if _, err := os.Stat(out + ".crawl"); err != nil {
		t.Fatalf("no state after the kill: %v", err)
	}

	code, _, stderr := runTrawl(t, "", append(args, "--resume")...)
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	for _, r := range srv.Requests()[phase1:] {
		if goodBefore[r.Path] {
			t.Errorf("%s had a good record and was fetched again", r.Path)
		}
	}
	final, _ := os.ReadFile(out)
	got := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(string(final), "\n"), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("a line of the resumed output is not a record: %q", line)
		}
		if r["error_kind"] == nil {
			got[urlPath(t, r["final_url"].(string))]++
		}
	}
	want := cs.Reach(10, true, false)
	for p := range want {
		if got[p] != 1 {
			t.Errorf("%s has %d good records, want 1", p, got[p])
		}
	}
	for p, n := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s has %d good records, and is not reachable", p, n)
		}
	}
	if _, err := os.Stat(out + ".crawl"); !os.IsNotExist(err) {
		t.Errorf("state left after the resumed crawl ended: %v", err)
	}
}

func urlPath(t *testing.T, s string) string {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("bad URL %q", s)
	}
	return u.Path
}
