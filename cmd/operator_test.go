package cmd

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func operatorList(ts *testServer) string {
	return fmt.Sprintf("%[1]s/a\n%[1]s/b\n%[1]s/missing\nftp://x/\n%[1]s/c\n", ts.URL)
}

func TestQuietPrintsNothing(t *testing.T) {
	ts := newServer(t, pageHandler)
	code, out, errOut := run(t, operatorList(ts), "scrape", "-q", "--max-failures", "2")
	if code != 0 || errOut != "" || len(records(t, out)) != 5 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestVerboseOneLinePerRequest(t *testing.T) {
	ts := newServer(t, pageHandler)
	code, out, errOut := run(t, operatorList(ts), "scrape", "-v", "--max-failures", "2")
	if code != 0 || len(records(t, out)) != 5 {
		t.Fatalf("exit %d", code)
	}
	var reqLines []string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.Contains(l, "msg=request") {
			reqLines = append(reqLines, l)
		}
	}
	// Four URLs were requested (the ftp line was not).
	if len(reqLines) != 4 {
		t.Fatalf("%d request lines:\n%s", len(reqLines), errOut)
	}
	for _, l := range reqLines {
		if !strings.Contains(l, "url="+ts.URL) || !strings.Contains(l, "attempt=1") || !strings.Contains(l, "status=") {
			t.Errorf("log line %q", l)
		}
	}
	if !strings.Contains(errOut, "msg=robots.txt") {
		t.Errorf("no robots.txt line in\n%s", errOut)
	}
}

func TestLogFormatJSON(t *testing.T) {
	ts := newServer(t, pageHandler)
	_, _, errOut := run(t, operatorList(ts), "scrape", "-v", "--log-format", "json", "--max-failures", "2")
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	requests := 0
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("stderr line is not JSON: %q", l)
		}
		if m["msg"] == "request" {
			requests++
		}
		if m["msg"] == "summary" {
			st := m["stats"].(map[string]any)
			if st["urls"] != 5.0 || st["failed"] != 2.0 {
				t.Errorf("summary %v", st)
			}
		}
	}
	if requests != 4 || !strings.Contains(lines[len(lines)-1], `"msg":"summary"`) {
		t.Errorf("%d request lines, last %q", requests, lines[len(lines)-1])
	}
}

func TestStatsFileMatchesRecords(t *testing.T) {
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/flaky") {
			// 503 on the first attempt, 200 on the retry.
			if flakyOnce(r.URL.Path) {
				w.WriteHeader(503)
				return
			}
		}
		pageHandler(w, r)
	})
	stats := filepath.Join(t.TempDir(), "stats.json")
	list := operatorList(ts) + ts.URL + "/flaky1\n"
	code, out, _ := run(t, list, "scrape", "-q", "--stats", stats, "--max-failures", "2", "--retry-wait", "1ms")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	b, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		URLs, OK, Failed, Retries, Bytes int64
		ByKind                           map[string]int64 `json:"by_error_kind"`
		ByStatus                         map[string]int64 `json:"by_status"`
		Interrupted                      bool
		Latency                          map[string]int64 `json:"latency_ms"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	recs := records(t, out)
	byStatus := map[string]int64{}
	var bytes, failed int64
	for _, r := range recs {
		byStatus[strconv.Itoa(int(r["status"].(float64)))]++
		bytes += int64(r["bytes"].(float64))
		if r["error_kind"] != nil {
			failed++
		}
	}
	var kinds int64
	for _, n := range st.ByKind {
		kinds += n
	}
	if st.URLs != int64(len(recs)) || st.URLs != 6 || st.OK+st.Failed != st.URLs || st.Failed != failed ||
		kinds != st.Failed || st.Retries != 1 || st.Bytes != bytes || st.Interrupted {
		t.Errorf("stats %s\nrecords: %d, %d failed, %d bytes", b, len(recs), failed, bytes)
	}
	if fmt.Sprint(st.ByStatus) != fmt.Sprint(byStatus) {
		t.Errorf("by_status %v, records say %v", st.ByStatus, byStatus)
	}
	if st.Latency["max"] < st.Latency["p50"] {
		t.Errorf("latency %v", st.Latency)
	}
}

var (
	flakyMu   sync.Mutex
	flakySeen = map[string]bool{}
)

func flakyOnce(path string) bool {
	flakyMu.Lock()
	defer flakyMu.Unlock()
	if flakySeen[path] {
		return false
	}
	flakySeen[path] = true
	return true
}

func TestTerminalStdinHint(t *testing.T) {
	ts := newServer(t, pageHandler)
	ios, out, errOut := Test(ts.URL + "/a\n")
	ios.InTTY = true
	code := Main(t.Context(), &Env{IO: ios}, []string{"scrape"})
	if code != 0 || !strings.HasPrefix(errOut.String(), "trawl: reading URLs from the terminal") || len(records(t, out.String())) != 1 {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	ios, _, errOut = Test(ts.URL + "/a\n")
	ios.InTTY = true
	Main(t.Context(), &Env{IO: ios}, []string{"scrape", "-q"})
	if errOut.Len() != 0 {
		t.Errorf("-q printed %q", errOut)
	}
}
