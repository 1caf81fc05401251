package cmd

import (
	"encoding/csv"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/trawl-dev/trawl/input"
)

func TestCSVInput(t *testing.T) {
	ts := newServer(t, pageHandler)
	in := "id,link,note\n" +
		fmt.Sprintf("1,%s/a,\"quoted, with comma\"\n", ts.URL) +
		fmt.Sprintf("2,%s/b,\"has \"\"quotes\"\"\",extra\n", ts.URL) +
		fmt.Sprintf("3,%s/c,plain\n", ts.URL)
	code, out, errOut := run(t, in, "scrape", "-q", "--input-format", "csv", "--url-field", "link", "--ordered", "--max-failures", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d records:\n%s", len(lines), out)
	}
	if !strings.HasSuffix(lines[0], `"input":{"id":"1","note":"quoted, with comma"}}`) {
		t.Errorf("record 1 = %s", lines[0])
	}
	if !strings.Contains(lines[1], `"error_kind":"invalid_url"`) || !strings.Contains(lines[1], "line 3") {
		t.Errorf("malformed row record = %s", lines[1])
	}
	if !strings.HasSuffix(lines[2], `"input":{"id":"3","note":"plain"}}`) {
		t.Errorf("record 3 = %s", lines[2])
	}

	// CSV out: the input columns come after the fixed ones, in input order.
	code, out, _ = run(t, in, "scrape", "-q", "--input-format", "csv", "--url-field", "link", "-f", "csv", "--ordered", "--max-failures", "1")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 4 {
		t.Fatalf("csv out: exit %d, %v, %q", code, err, rows)
	}
	h := rows[0]
	if !slices.Equal(h[len(h)-2:], []string{"id", "note"}) || rows[1][len(h)-2] != "1" || rows[1][len(h)-1] != "quoted, with comma" {
		t.Errorf("csv header %q, row %q", h, rows[1])
	}

	code, _, errOut = run(t, in, "scrape", "--input-format", "csv", "--url-field", "nope")
	if code != 1 || !strings.Contains(errOut, `"nope"`) {
		t.Errorf("missing column: exit %d, %q", code, errOut)
	}
}

func TestJSONLInput(t *testing.T) {
	ts := newServer(t, pageHandler)
	in := fmt.Sprintf(`{"url":"%[1]s/a","id":7,"tags":["x","y"]}
not json
{"id":9}
{"url":"%[1]s/b","meta":{"k":null}}
`, ts.URL)
	code, out, errOut := run(t, in, "scrape", "-q", "--input-format", "jsonl", "--ordered", "--max-failures", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d records:\n%s", len(lines), out)
	}
	if !strings.HasSuffix(lines[0], `"input":{"id":7,"tags":["x","y"]}}`) || !strings.HasSuffix(lines[3], `"input":{"meta":{"k":null}}}`) {
		t.Errorf("records:\n%s\n%s", lines[0], lines[3])
	}
	for i, l := range lines[1:3] {
		if !strings.Contains(l, `"error_kind":"invalid_url"`) || !strings.Contains(l, fmt.Sprintf("line %d", i+2)) {
			t.Errorf("bad line %d record = %s", i+2, l)
		}
	}
}

// TestJSONLInputToCSV: the CSV header's input columns come from the first
// line with fields, even when an invalid line completes first.
func TestJSONLInputToCSV(t *testing.T) {
	ts := newServer(t, pageHandler)
	in := fmt.Sprintf("garbage\n{\"url\":\"%[1]s/a\",\"id\":7,\"tag\":\"x\"}\n{\"url\":\"%[1]s/b\",\"tag\":\"y\",\"new\":1}\n", ts.URL)
	code, out, _ := run(t, in, "scrape", "-q", "--input-format", "jsonl", "-f", "csv", "--ordered", "--max-failures", "1")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 4 {
		t.Fatalf("exit %d, %v, %q", code, err, out)
	}
	h := rows[0]
	if !slices.Equal(h[len(h)-2:], []string{"id", "tag"}) {
		t.Fatalf("header %q", h)
	}
	if got := rows[2][len(h)-2:]; !slices.Equal(got, []string{"7", "x"}) {
		t.Errorf("row a input cells %q", got)
	}
	if got := rows[3][len(h)-2:]; !slices.Equal(got, []string{"", "y"}) {
		t.Errorf("row b input cells %q", got)
	}
}

func TestResumeCutsTornLineAndSkipsDone(t *testing.T) {
	ts := newServer(t, pageHandler)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	prefix := fmt.Sprintf(`{"url":"%[1]s/a","error_kind":null}
{"url":"%[1]s/b","error_kind":"timeout"}
`, ts.URL)
	os.WriteFile(out, []byte(prefix+`{"url":"`+ts.URL+`/c","sta`), 0o644)
	list := fmt.Sprintf("%[1]s/a\n%[1]s/b\n%[1]s/c\n", ts.URL)
	code, _, errOut := run(t, list, "scrape", "--resume", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), prefix) {
		t.Fatalf("prefix lost:\n%s", b)
	}
	rest := records(t, strings.TrimPrefix(string(b), prefix))
	got := []string{}
	for _, r := range rest {
		got = append(got, r["url"].(string))
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{ts.URL + "/b", ts.URL + "/c"}) {
		t.Errorf("appended records for %v", got)
	}
	if ts.Count("/a") != 0 || ts.Count("/b") != 1 || ts.Count("/c") != 1 {
		t.Errorf("requests a=%d b=%d c=%d", ts.Count("/a"), ts.Count("/b"), ts.Count("/c"))
	}
	// A missing file is a normal run.
	code, _, _ = run(t, list, "scrape", "-q", "--resume", "-o", filepath.Join(t.TempDir(), "new.jsonl"))
	if code != 0 {
		t.Errorf("resume on a missing file: exit %d", code)
	}
	for _, args := range [][]string{{"--resume"}, {"--resume", "-o", out + ".csv"}} {
		code, _, errOut := run(t, list, append([]string{"scrape"}, args...)...)
		if code != 1 || !strings.Contains(errOut, "--resume") {
			t.Errorf("%v: exit %d %q", args, code, errOut)
		}
	}
}

func TestCacheConditionalRequests(t *testing.T) {
	var mu sync.Mutex
	var conditional, notModified int
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		etag := `"v1-` + r.URL.Path + `"`
		mu.Lock()
		defer mu.Unlock()
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			conditional++
			if inm == etag {
				notModified++
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("ETag", etag)
		pageHandler(w, r)
	})
	dir := t.TempDir()
	list := fmt.Sprintf("%[1]s/a\n%[1]s/b\n", ts.URL)
	args := []string{"scrape", "-q", "--cache", dir, "-s", "h=h1", "-s", "ps[]=.p", "--ordered"}
	code, first, _ := run(t, list, args...)
	code2, second, _ := run(t, list, args...)
	if code != 0 || code2 != 0 {
		t.Fatalf("exit %d, %d", code, code2)
	}
	if conditional != 2 || notModified != 2 {
		t.Fatalf("second run: %d conditional requests, %d answered 304; want 2 and 2", conditional, notModified)
	}
	r1, r2 := records(t, first), records(t, second)
	for i := range r1 {
		if r2[i]["status"] != 304.0 || r2[i]["error_kind"] != nil || r2[i]["title"] != r1[i]["title"] ||
			fmt.Sprint(r2[i]["fields"]) != fmt.Sprint(r1[i]["fields"]) || r2[i]["description"] != r1[i]["description"] {
			t.Errorf("304 record %v\nvs first %v", r2[i], r1[i])
		}
	}
	// Other rules: the stored fields do not fit, so no validators are sent.
	run(t, list, "scrape", "-q", "--cache", dir, "-s", "other=h1")
	if conditional != 2 {
		t.Errorf("validators sent under other rules: %d conditional", conditional)
	}
}

func TestShardSplitsByHost(t *testing.T) {
	ts := newServer(t, pageHandler)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	var lines []string
	// Twelve loopback host names; only 127.0.0.1 has the server, the others
	// refuse the connection, which is a record all the same.
	for h := 1; h <= 12; h++ {
		for p := range 3 {
			lines = append(lines, fmt.Sprintf("http://127.0.0.%d:%s/h%d/p%d", h, port, h, p))
		}
	}
	list := strings.Join(lines, "\n") + "\n"
	seen := map[string]int{}
	hostShard := map[string]int{}
	for k := 1; k <= 3; k++ {
		code, out, errOut := run(t, list, "scrape", "-q", "--ignore-robots", "--retries", "0", "--max-failures", "100", "--shard", fmt.Sprintf("%d/3", k))
		if code != 0 {
			t.Fatalf("shard %d: exit %d %s", k, code, errOut)
		}
		for _, r := range records(t, out) {
			u := r["url"].(string)
			seen[u]++
			pu, _ := url.Parse(u)
			if prev, ok := hostShard[pu.Hostname()]; ok && prev != k {
				t.Errorf("host %s in shards %d and %d", pu.Hostname(), prev, k)
			}
			hostShard[pu.Hostname()] = k
			if !(input.Shard{K: k, N: 3}).Keep(pu) {
				t.Errorf("%s in shard %d", u, k)
			}
		}
	}
	if len(seen) != len(lines) {
		t.Errorf("%d of %d URLs covered", len(seen), len(lines))
	}
	for u, c := range seen {
		if c != 1 {
			t.Errorf("%s in %d shards", u, c)
		}
	}
	if code, _, errOut := run(t, list, "scrape", "--shard", "4/3"); code != 1 || !strings.Contains(errOut, "--shard") {
		t.Errorf("--shard 4/3: exit %d %q", code, errOut)
	}
}

// TestCSVFormulaGuard: a page title that a spreadsheet would run as a
// formula is written with a leading ' in CSV, and as is with --csv-raw.
func TestCSVFormulaGuard(t *testing.T) {
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<title>=HYPERLINK("http://evil.example","click")</title><p class=n>-42</p><p class=m>-1+1</p>`)
	})
	// A number is never guarded (SPEC.md: pandas and sqlite3 must read
	// -42 as a number); "-1+1" is not a number.
	for _, tc := range []struct {
		raw             bool
		title, num, not string
	}{{false, `'=HYPERLINK("http://evil.example","click")`, "-42", "'-1+1"}, {true, `=HYPERLINK("http://evil.example","click")`, "-42", "-1+1"}} {
		args := []string{"scrape", "-q", "-f", "csv", "-s", "n=.n", "-s", "m=.m"}
		if tc.raw {
			args = append(args, "--csv-raw")
		}
		code, out, _ := run(t, ts.URL+"/x\n", args...)
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if code != 0 || err != nil || len(rows) != 2 {
			t.Fatalf("exit %d, %v, %q", code, err, out)
		}
		if rows[1][4] != tc.title || rows[1][12] != tc.num || rows[1][13] != tc.not {
			t.Errorf("raw=%v: title cell %q, n cell %q, m cell %q", tc.raw, rows[1][4], rows[1][12], rows[1][13])
		}
	}
}

// TestDemoCache: the demo site's pages carry ETags, so a second cached demo
// run gets a 304 for every page and repeats the first run's extraction.
func TestDemoCache(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	args := []string{"demo", "-q", "--pages", "20", "--port", port, "--ordered", "--cache", dir}
	code, first, _ := run(t, "", args...)
	code2, second, _ := run(t, "", args...)
	if code != 0 || code2 != 0 {
		t.Fatalf("exit %d, %d", code, code2)
	}
	r1, r2 := records(t, first), records(t, second)
	if len(r1) != 20 || len(r2) != 20 {
		t.Fatalf("%d and %d records", len(r1), len(r2))
	}
	for i := range r1 {
		if r1[i]["status"] != 200.0 || r2[i]["status"] != 304.0 || r2[i]["bytes"] != 0.0 ||
			r2[i]["title"] != r1[i]["title"] || fmt.Sprint(r2[i]["fields"]) != fmt.Sprint(r1[i]["fields"]) {
			t.Errorf("page %d: first %v\nsecond %v", i, r1[i], r2[i])
		}
	}
}
