package cmd

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
)

// TestAdaptiveLogAndStats: -v logs each change of a host's pace, --stats
// counts the slowdowns per host, and --adaptive=false does neither.
func TestAdaptiveLogAndStats(t *testing.T) {
	for _, adaptive := range []bool{true, false} {
		cp := &site.Capacity{MaxInFlight: 2, Latency: 20 * time.Millisecond}
		srv, err := site.NewRecorder("127.0.0.2", nil, cp.Serve)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		var list strings.Builder
		for i := range 60 {
			fmt.Fprintf(&list, "%s/p%d\n", srv.URL, i)
		}
		stats := filepath.Join(t.TempDir(), "stats.json")
		code, out, errOut := run(t, list.String(), "scrape", "-v", "--stats", stats, "-c", "8", "--per-host", "8",
			"--retries", "6", "--retry-wait", "20ms", fmt.Sprintf("--adaptive=%v", adaptive))
		if n := strings.Count(out, "\n"); n != 60 {
			t.Fatalf("adaptive=%v: %d records, want 60 (exit %d)", adaptive, n, code)
		}
		slower := regexp.MustCompile(`(?m)^.*pace slower.*host=127\.0\.0\.2 concurrency=(\d+) rate=(\S+) reason=(\S+)$`).FindAllStringSubmatch(errOut, -1)
		faster := regexp.MustCompile(`(?m)^.*pace faster.*host=127\.0\.0\.2 concurrency=\d+ rate=\S+ reason=healthy$`).FindAllString(errOut, -1)
		var m struct {
			Slowdowns map[string]int `json:"slowdowns"`
		}
		if err := json.Unmarshal([]byte(readFile(t, stats)), &m); err != nil {
			t.Fatal(err)
		}
		if !adaptive {
			if len(slower)+len(faster) != 0 || m.Slowdowns == nil || len(m.Slowdowns) != 0 {
				t.Errorf("--adaptive=false: %d pace lines, slowdowns %v; want none and {}", len(slower)+len(faster), m.Slowdowns)
			}
			continue
		}
		if code != 0 {
			t.Errorf("adaptive: exit %d: %s", code, errOut)
		}
		if len(slower) == 0 || len(faster) == 0 {
			t.Fatalf("adaptive: %d slower and %d faster lines in:\n%s", len(slower), len(faster), errOut)
		}
		if slower[0][1] != "4" || slower[0][3] != "overloaded" || !strings.HasSuffix(slower[0][2], "/s") {
			t.Errorf("first slowdown: %q; want concurrency 4 (half of 8), a rate, overloaded", slower[0][0])
		}
		if len(m.Slowdowns) != 1 || m.Slowdowns["127.0.0.2"] != len(slower) {
			t.Errorf("slowdowns %v; want 127.0.0.2: %d (the lines logged)", m.Slowdowns, len(slower))
		}
	}
}
