package cmd

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/trawl-dev/trawl/internal/site"
)

// run executes trawl in-process with Test() streams.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, out, errOut := Test(stdin)
	env := &Env{IO: ios, Build: BuildInfo{Version: "test", Commit: "abc"}}
	code = Main(t.Context(), env, args)
	return code, out.String(), errOut.String()
}

// records decodes JSON Lines output.
func records(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		recs = append(recs, m)
	}
	return recs
}

func byURL(recs []map[string]any) map[string]map[string]any {
	m := make(map[string]map[string]any, len(recs))
	for _, r := range recs {
		m[r["url"].(string)] = r
	}
	return m
}

// testServer is the test server of these tests: a site.Recorder.
type testServer = site.Recorder

// newServer starts a Recorder answering with h.
func newServer(t *testing.T, h http.HandlerFunc) *testServer {
	t.Helper()
	ts, err := site.NewRecorder("", nil, site.Handler(h))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ts.Close)
	return ts
}

func pageHandler(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/robots.txt":
		http.NotFound(w, r)
	case strings.HasPrefix(r.URL.Path, "/missing"):
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(404)
		fmt.Fprint(w, "<title>Gone</title>")
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title> Page
 %s </title><meta name="description" content="About %s"></head>
<body><h1>H %s</h1><a href="/x">x</a><a href="y?z=1">y</a><span class="p">1</span><span class="p">2</span></body></html>`,
			r.URL.Path, r.URL.Path, r.URL.Path)
	}
}

var schemaKeys = []string{"url", "final_url", "status", "content_type", "title", "description",
	"fields", "bytes", "elapsed_ms", "attempts", "fetched_at", "error_kind", "error"}

func keysInOrder(t *testing.T, line string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.Token()
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	return keys
}

func TestScrapeRecordsPerLine(t *testing.T) {
	ts := newServer(t, pageHandler)
	in := fmt.Sprintf("%[1]s/a\n\n# a comment\n  %[1]s/b  \nftp://nope/\n%[1]s/missing\n%[1]s/c", ts.URL)
	code, out, errOut := run(t, in, "scrape", "-s", "h=h1", "-s", "links[]=a@href", "-s", "none=.absent", "--max-failures", "5")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d records for 5 URL lines:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if got := keysInOrder(t, l); !slices.Equal(got, schemaKeys) {
			t.Fatalf("keys %v, want %v", got, schemaKeys)
		}
	}
	recs := byURL(records(t, out))
	a := recs[ts.URL+"/a"]
	if a["status"] != 200.0 || a["title"] != "Page /a" || a["description"] != "About /a" ||
		a["final_url"] != ts.URL+"/a" || a["content_type"] != "text/html; charset=utf-8" ||
		a["attempts"] != 1.0 || a["error_kind"] != nil || a["error"] != nil {
		t.Errorf("record a = %v", a)
	}
	f := a["fields"].(map[string]any)
	if f["h"] != "H /a" || f["none"] != nil || fmt.Sprint(f["links"]) != fmt.Sprintf("[%[1]s/x %[1]s/y?z=1]", ts.URL) {
		t.Errorf("fields = %v", f)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", a["fetched_at"].(string)); err != nil {
		t.Errorf("fetched_at %v: %v", a["fetched_at"], err)
	}
	bad := recs["ftp://nope/"]
	if bad["error_kind"] != "invalid_url" || bad["status"] != 0.0 || bad["attempts"] != 0.0 ||
		bad["final_url"] != nil || bad["elapsed_ms"] != 0.0 || !strings.Contains(bad["error"].(string), `scheme "ftp"`) {
		t.Errorf("invalid record = %v", bad)
	}
	if bf := bad["fields"].(map[string]any); bf["h"] != nil || fmt.Sprint(bf["links"]) != "[]" {
		t.Errorf("invalid record fields = %v", bf)
	}
	miss := recs[ts.URL+"/missing"]
	if miss["error_kind"] != "http_status" || miss["status"] != 404.0 || miss["title"] != "Gone" || miss["error"] != "HTTP 404 Not Found" {
		t.Errorf("404 record = %v", miss)
	}
	if got := ts.Hits(); got != 4 {
		t.Errorf("server saw %d page requests, want 4", got)
	}
	if !strings.Contains(errOut, "5 URLs: 3 ok, 2 failed (invalid_url 1, http_status 1)") {
		t.Errorf("summary = %q", errOut)
	}
}

func TestExitCodes(t *testing.T) {
	ts := newServer(t, pageHandler)
	list := fmt.Sprintf("%[1]s/missing1\n%[1]s/missing2\n%[1]s/ok\n", ts.URL)
	// Under -q, exit 2 still says why in one line: a cron mail must.
	if code, _, errOut := run(t, list, "scrape", "-q"); code != 2 || errOut != "trawl: 2 URLs failed, more than --max-failures 0\n" {
		t.Errorf("2 failures, --max-failures 0, -q: exit %d, stderr %q; want 2 and one line", code, errOut)
	}
	if code, _, errOut := run(t, list, "scrape", "--progress", "never"); code != 2 || !strings.Contains(errOut, "trawl: 2 URLs failed, more than --max-failures 0") {
		t.Errorf("2 failures without -q: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := run(t, list, "scrape", "-q", "--max-failures", "1"); code != 2 {
		t.Errorf("2 failures, --max-failures 1: exit %d, want 2", code)
	}
	if code, _, _ := run(t, list, "scrape", "-q", "--max-failures", "2"); code != 0 {
		t.Errorf("2 failures, --max-failures 2: exit %d, want 0", code)
	}
	code, _, errOut := run(t, "", "scrape", "/does/not/exist.txt")
	if code != 1 || !strings.Contains(errOut, "/does/not/exist.txt") || !strings.HasPrefix(errOut, "trawl: ") {
		t.Errorf("missing input: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run(t, list, "scrape", "-o", filepath.Join(t.TempDir(), "no", "such", "dir.jsonl"))
	if code != 1 || !strings.Contains(errOut, "no/such/dir.jsonl") {
		t.Errorf("unwritable output: exit %d, stderr %q", code, errOut)
	}
	if code, out, _ := run(t, "", "--help"); code != 0 || !strings.Contains(out, "scrape") {
		t.Errorf("--help: exit %d", code)
	}
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "trawl test\ncommit abc\ngo") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestBadFlagsRefusedBeforeAnyRequest: exit 1, a message naming the flag,
// and the server sees nothing.
func TestBadFlagsRefusedBeforeAnyRequest(t *testing.T) {
	ts := newServer(t, pageHandler)
	list := ts.URL + "/a\n"
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"--rate", "fast"}, "--rate"},
		{[]string{"--host-rate", "5/d"}, "--host-rate"},
		{[]string{"-c", "-1"}, "--concurrency"},
		{[]string{"--per-host", "0"}, "--per-host"},
		{[]string{"--burst", "0"}, "--burst"},
		{[]string{"-f", "xml"}, "--format"},
		{[]string{"-s", "x=[["}, "--select"},
		{[]string{"-s", "=h1"}, "--select"},
		{[]string{"-s", "a=h1", "-s", "a[]=p"}, "--select"},
		{[]string{"--max-body", "lots"}, "--max-body"},
		{[]string{"-t", "0s"}, "--timeout"},
		{[]string{"-t", "soon"}, "--timeout"},
		{[]string{"--retries", "-2"}, "--retries"},
		{[]string{"-H", "NoColon"}, "--header"},
		{[]string{"--proxy", "::bad"}, "--proxy"},
		{[]string{"--progress", "sometimes"}, "--progress"},
		{[]string{"-q", "-v"}, "--quiet"},
		{[]string{"--no-such-flag"}, "--no-such-flag"},
		{[]string{"--max-redirects", "-1"}, "--max-redirects"},
		{[]string{"--log-format", "xml"}, "--log-format"},
		{[]string{"-A", "bot\r\nX-Evil: 1"}, "--user-agent"},
		{[]string{"-H", "X-A: a\x00b"}, "--header"},
		{[]string{"--stats", "/nonexistent/dir/stats.json"}, "--stats"},
		{[]string{"--input-format", "xml"}, "--input-format"},
		{[]string{"--shard", "0/3"}, "--shard"},
		{[]string{"--cache", "/proc/no/such/cache"}, "--cache"},
	} {
		code, out, errOut := run(t, list, append([]string{"scrape"}, tc.args...)...)
		if code != 1 || out != "" || !strings.HasPrefix(errOut, "trawl: ") || !strings.Contains(errOut, tc.flag) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 naming %s", tc.args, code, out, errOut, tc.flag)
		}
		if strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: error printed %d lines: %q", tc.args, strings.Count(errOut, "\n"), errOut)
		}
	}
	if n := ts.Hits(); n != 0 {
		t.Errorf("server saw %d requests for refused flags", n)
	}
}

// TestFlagParsing checks argv → options through the runF stub.
func TestFlagParsing(t *testing.T) {
	ios, _, _ := Test("")
	env := &Env{IO: ios, Build: BuildInfo{Version: "1.2.3"}}
	var got *ScrapeOptions
	cmd := NewCmdScrape(env, func(o *ScrapeOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"-c", "8", "--per-host", "2", "-r", "300/m", "--host-rate", "2", "--burst", "3",
		"-t", "5s", "--retries", "4", "-H", "X-A: 1", "-H", "X-B: 2", "-s", "p=.price", "-s", "l[]=a@href",
		"--ordered", "-o", "out.csv", "--max-body", "512KiB", "a.txt", "-", "b.txt"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Concurrency != 8 || got.PerHost != 2 || got.Rate != rate.Limit(5) || got.HostRate != 2 || got.Burst != 3 ||
		got.Timeout != 5*time.Second || got.Retries != 4 || !got.Ordered ||
		!slices.Equal(got.Headers, []string{"X-A: 1", "X-B: 2"}) || !slices.Equal(got.Selects, []string{"p=.price", "l[]=a@href"}) ||
		!slices.Equal(got.Files, []string{"a.txt", "-", "b.txt"}) || got.UserAgent != "trawl/1.2.3" {
		t.Fatalf("options = %+v", got)
	}
	cfg, err := got.validate()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.format != "csv" || cfg.fetch.Rate != rate.Limit(5) || cfg.fetch.HostRate != 2 || cfg.fetch.MaxBody != 512<<10 ||
		cfg.fetch.Header.Get("X-B") != "2" || len(cfg.rules) != 2 || cfg.orderedWin != OrderedWindow(8) {
		t.Fatalf("config = %+v", cfg)
	}
}

func TestFormatsAndOutputFile(t *testing.T) {
	ts := newServer(t, pageHandler)
	list := fmt.Sprintf("%[1]s/a\n%[1]s/b\nbad url\n", ts.URL)
	dir := t.TempDir()

	code, _, errOut := run(t, list, "scrape", "-q", "-o", filepath.Join(dir, "out.json"), "--max-failures", "1")
	if code != 0 {
		t.Fatalf("json: exit %d %s", code, errOut)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out.json"))
	var arr []map[string]any
	if err := json.Unmarshal(b, &arr); err != nil || len(arr) != 3 {
		t.Fatalf("json output %d records, %v:\n%s", len(arr), err, b)
	}

	code, _, _ = run(t, list, "scrape", "-q", "-o", filepath.Join(dir, "out.csv"), "-s", "h=h1", "--max-failures", "1")
	if code != 0 {
		t.Fatalf("csv: exit %d", code)
	}
	f, _ := os.Open(filepath.Join(dir, "out.csv"))
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	if strings.Join(rows[0], ",") != "url,final_url,status,content_type,title,description,bytes,elapsed_ms,attempts,fetched_at,error_kind,error,h" {
		t.Errorf("csv header = %v", rows[0])
	}

	// -f beats the extension.
	code, _, _ = run(t, list, "scrape", "-q", "-f", "jsonl", "-o", filepath.Join(dir, "x.csv"), "--max-failures", "1")
	b, _ = os.ReadFile(filepath.Join(dir, "x.csv"))
	if code != 0 || len(records(t, string(b))) != 3 {
		t.Errorf("-f jsonl to x.csv: exit %d, %q", code, b)
	}
}

func TestOrdered(t *testing.T) {
	// Early URLs are slowest, so completion order is the reverse of input order.
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/p/%d", &i)
		time.Sleep(time.Duration(20-i) * 5 * time.Millisecond)
		pageHandler(w, r)
	})
	var in strings.Builder
	var want []string
	for i := range 20 {
		fmt.Fprintf(&in, "%s/p/%d\n", ts.URL, i)
		want = append(want, fmt.Sprintf("%s/p/%d", ts.URL, i))
	}
	code, out, _ := run(t, in.String(), "scrape", "-q", "--ordered", "-c", "20", "--per-host", "20")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got []string
	for _, r := range records(t, out) {
		got = append(got, r["url"].(string))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("--ordered gave %v", got)
	}
}

func TestErrorKinds(t *testing.T) {
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case strings.HasPrefix(r.URL.Path, "/redir/"):
			var n int
			fmt.Sscanf(r.URL.Path, "/redir/%d", &n)
			if n == 0 {
				pageHandler(w, r)
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/redir/%d", n-1), http.StatusFound)
		case r.URL.Path == "/ftp":
			http.Redirect(w, r, "ftp://example.com/file", http.StatusMovedPermanently)
		case r.URL.Path == "/big":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<title>Big</title>"+strings.Repeat("x", 5000))
		case r.URL.Path == "/hang":
			// Headers and part of the body, then nothing: a body timeout.
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<title>Half")
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
		default:
			pageHandler(w, r)
		}
	})
	in := fmt.Sprintf("%[1]s/redir/2\n%[1]s/redir/3\n%[1]s/ftp\n%[1]s/big\n%[1]s/hang\nhttp://127.0.0.1:1/closed\n", ts.URL)
	code, out, errOut := run(t, in, "scrape", "-q", "--max-redirects", "2", "--max-body", "1KiB",
		"-t", "2s", "--retries", "0", "--max-failures", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs := byURL(records(t, out))
	check := func(path, kind string, status float64, finalURL any) map[string]any {
		t.Helper()
		r := recs[path]
		if r == nil {
			t.Fatalf("no record for %s in\n%s", path, out)
		}
		if r["error_kind"] != kind && !(kind == "" && r["error_kind"] == nil) || r["status"] != status || r["final_url"] != finalURL {
			t.Errorf("%s: kind %v status %v final %v (error %v); want %q %v %v", path, r["error_kind"], r["status"], r["final_url"], r["error"], kind, status, finalURL)
		}
		return r
	}
	check(ts.URL+"/redir/2", "", 200, ts.URL+"/redir/0")
	r := check(ts.URL+"/redir/3", "redirect", 302, ts.URL+"/redir/1")
	if r["error"] != "stopped after 2 redirects (--max-redirects 2)" {
		t.Errorf("redirect error = %v", r["error"])
	}
	check(ts.URL+"/ftp", "redirect", 301, ts.URL+"/ftp")
	r = check(ts.URL+"/big", "too_large", 200, ts.URL+"/big")
	if r["bytes"] != 1024.0 || r["title"] != "Big" {
		t.Errorf("too_large record: bytes %v title %v", r["bytes"], r["title"])
	}
	r = check(ts.URL+"/hang", "timeout", 200, ts.URL+"/hang")
	if r["attempts"] != 1.0 || r["error"] != "reading body: body not complete within --timeout 2s" || r["title"] != nil {
		t.Errorf("timeout record = %v", r)
	}
	check("http://127.0.0.1:1/closed", "connect", 0, nil)
}

// TestHangTimeoutHasNoStatus: a server that never answers is a timeout with status 0.
func TestHangTimeoutHasNoStatus(t *testing.T) {
	release := make(chan struct{})
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	code, out, _ := run(t, ts.URL+"/x\n", "scrape", "-q", "-t", "200ms", "--retries", "1", "--retry-wait", "10ms", "--max-failures", "1")
	r := records(t, out)
	if code != 0 || len(r) != 1 || r[0]["error_kind"] != "timeout" || r[0]["status"] != 0.0 || r[0]["attempts"] != 2.0 ||
		r[0]["error"] != "no response within --timeout 200ms" {
		t.Fatalf("exit %d, records %v", code, r)
	}
	if ts.Count("/x") != 2 {
		t.Errorf("server saw %d requests, want 2", ts.Count("/x"))
	}
}

func TestInterruptInProcess(t *testing.T) {
	started := make(chan struct{}, 100)
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/fast") {
			pageHandler(w, r)
			return
		}
		started <- struct{}{}
		<-r.Context().Done()
	})
	var in strings.Builder
	for i := range 5 {
		fmt.Fprintf(&in, "%s/fast/%d\n", ts.URL, i)
	}
	for i := range 50 {
		fmt.Fprintf(&in, "%s/slow/%d\n", ts.URL, i)
	}
	ios, out, _ := Test(in.String())
	sigs := make(chan os.Signal, 2)
	env := &Env{IO: ios, Signals: sigs, Build: BuildInfo{Version: "test"}}
	root := NewCmdRoot(env)
	done := make(chan int)
	go func() {
		root.SetArgs([]string{"scrape", "-q", "-f", "json", "-c", "4", "--per-host", "4"})
		err := root.ExecuteContext(t.Context())
		done <- ExitCode(err)
	}()
	for range 4 {
		select {
		case <-started:
		case <-time.After(10 * time.Second):
			t.Fatal("slow requests never started")
		}
	}
	sigs <- syscall.SIGTERM
	sigs <- syscall.SIGINT // the second signal cancels at once
	select {
	case code := <-done:
		if code != ExitSIGTERM {
			t.Errorf("exit %d, want %d", code, ExitSIGTERM)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("second signal did not cancel at once")
	}
	var arr []map[string]any
	if err := json.Unmarshal(out.Bytes(), &arr); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out)
	}
	if len(arr) != 5 {
		t.Errorf("%d records, want the 5 fast ones", len(arr))
	}
	for _, r := range arr {
		if !strings.Contains(r["url"].(string), "/fast/") {
			t.Errorf("record for unfinished URL %v", r["url"])
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"512KiB": 512 << 10, "10MiB": 10 << 20, "1GiB": 1 << 30, "100": 100,
		"10M": 10 << 20, "5kb": 5000, "1.5KiB": 1536, " 2 MiB ": 2 << 20, "7B": 7} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1MiB", "1e3", "0x10", "MiB", "NaN", "1 ZiB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"512KiB", "10MiB", "1", "1.5k", "-3", "99999999999999TiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && n < 0 {
			t.Fatalf("ParseSize(%q) = %d", s, n)
		}
		if err != nil && !strings.Contains(err.Error(), "size") {
			t.Fatalf("error %q does not say what was wrong", err)
		}
	})
}

func TestUsageErrorNamesFlag(t *testing.T) {
	err := error(&UsageError{Flag: "rate", Err: errors.New("bad")})
	if err.Error() != "--rate: bad" || ExitCode(err) != 1 {
		t.Errorf("%v → %d", err, ExitCode(err))
	}
	if ExitCode(&InterruptedError{Signal: syscall.SIGTERM}) != 143 || ExitCode(&InterruptedError{Signal: os.Interrupt}) != 130 ||
		ExitCode(&TooManyFailuresError{}) != 2 || ExitCode(errBrokenPipe) != 0 || ExitCode(nil) != 0 {
		t.Error("exit code table")
	}
}

func TestRulesFile(t *testing.T) {
	ts := newServer(t, pageHandler)
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(rules, []byte("h: h1\nps[]: .p\nlink: a@href\n"), 0o644)
	code, out, errOut := run(t, ts.URL+"/a\n", "scrape", "-q", "--rules", rules, "-s", "link=span.p")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"fields":{"h":"H /a","ps":["1","2"],"link":"1"}`) {
		t.Fatalf("got %s", out)
	}
	os.WriteFile(rules, []byte("h: '[['\n"), 0o644)
	code, _, errOut = run(t, ts.URL+"/a\n", "scrape", "--rules", rules)
	if code != 1 || !strings.Contains(errOut, "--rules: "+rules) {
		t.Errorf("bad rules file: exit %d, %q", code, errOut)
	}
	code, _, errOut = run(t, ts.URL+"/a\n", "scrape", "--rules", filepath.Join(dir, "none.yaml"))
	if code != 1 || !strings.Contains(errOut, "--rules") || !strings.Contains(errOut, "none.yaml") {
		t.Errorf("missing rules file: exit %d, %q", code, errOut)
	}
	if ts.Hits() != 1 {
		t.Errorf("server saw %d requests, want 1", ts.Hits())
	}
}
