package main

// End-to-end tests of the built binary: what only a real process shows —
// signals and exit codes, a closed stdout, stdin that is a pipe, and the
// separation of stdout (records) from stderr (everything else). TestMain
// builds trawl once; each test runs it with os/exec against a loopback
// site.Recorder and never touches anything but 127.0.0.0/8.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
)

// trawlBin is the binary TestMain built.
var trawlBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "trawl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		wd, err := os.Getwd()
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		// The go command that runs this test is the one on PATH, or the
		// one that GOROOT (set by go test) names.
		goCmd, err := exec.LookPath("go")
		if err != nil {
			goCmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		}
		trawlBin = filepath.Join(dir, "trawl")
		build := exec.Command(goCmd, "build", "-o", trawlBin, ".")
		build.Dir = wd
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build: %v\n%s", err, out)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// recordKeys are SPEC.md's keys of a record, in order.
var recordKeys = []string{"url", "final_url", "status", "content_type", "title",
	"description", "fields", "bytes", "elapsed_ms", "attempts", "fetched_at",
	"error_kind", "error"}

// csvColumns are SPEC.md's fixed CSV columns, in order.
var csvColumns = []string{"url", "final_url", "status", "content_type", "title",
	"description", "bytes", "elapsed_ms", "attempts", "fetched_at", "error_kind", "error"}

// ---------------------------------------------------------------------------
// The loopback server.

// e2eServer serves site.Faults through a site.Recorder: fast pages, pages
// that hang until trawl cancels them, pages that linger until the test
// releases them, and statuses, and counts what it sees.
type e2eServer struct {
	*site.Recorder
	faults *site.Faults
}

func newE2EServer(t *testing.T) *e2eServer {
	t.Helper()
	f := site.NewFaults()
	rec, err := site.NewRecorder("", nil, f.Serve)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close() // unblock every handler, then close
		rec.Close()
	})
	return &e2eServer{Recorder: rec, faults: f}
}

// releaseLinger lets every /linger/ request answer.
func (s *e2eServer) releaseLinger() { s.faults.Release() }

func (s *e2eServer) requests() int { return len(s.Requests()) }
func (s *e2eServer) fast() int     { n, _, _ := s.CountPrefix("/fast/"); return n }
func (s *e2eServer) slowStarted() int {
	n, _, _ := s.CountPrefix("/slow/")
	return n
}
func (s *e2eServer) slowActive() int   { _, n, _ := s.CountPrefix("/slow/"); return n }
func (s *e2eServer) slowCanceled() int { _, _, n := s.CountPrefix("/slow/"); return n }
func (s *e2eServer) lingerActive() int { _, n, _ := s.CountPrefix("/linger/"); return n }

// urls returns n URLs base/kind/0 .. base/kind/n-1.
func (s *e2eServer) urls(kind string, n int) []string {
	u := make([]string, n)
	for i := range u {
		u[i] = fmt.Sprintf("%s/%s/%d", s.URL, kind, i)
	}
	return u
}

func (s *e2eServer) counters() string {
	return fmt.Sprintf("requests=%d fast=%d slowStarted=%d slowActive=%d slowCanceled=%d lingerActive=%d",
		s.requests(), s.fast(), s.slowStarted(), s.slowActive(),
		s.slowCanceled(), s.lingerActive())
}

// ---------------------------------------------------------------------------
// Running trawl.

// syncBuffer is a bytes.Buffer safe to read while the process writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a running trawl.
type proc struct {
	t       *testing.T
	cmd     *exec.Cmd
	stdout  *syncBuffer
	stderr  *syncBuffer
	done    chan struct{}
	waitErr error
	exited  time.Time
}

// childEnv is the environment of every trawl run: no proxy, so that nothing
// leaves loopback whatever the machine's settings.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "NO_COLOR":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "NO_PROXY=*", "no_proxy=*")
}

// command returns an unstarted trawl command with args.
func command(args ...string) *exec.Cmd {
	c := exec.Command(trawlBin, args...)
	c.Env = childEnv()
	c.Dir = os.TempDir()
	return c
}

// startCmd starts c, capturing stdout and stderr unless they are set, and
// makes sure it is gone at the end of the test.
func startCmd(t *testing.T, c *exec.Cmd) *proc {
	t.Helper()
	p := &proc{t: t, cmd: c, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	if c.Stdout == nil {
		c.Stdout = p.stdout
	}
	if c.Stderr == nil {
		c.Stderr = p.stderr
	}
	if err := c.Start(); err != nil {
		t.Fatalf("start trawl: %v", err)
	}
	go func() {
		p.waitErr = c.Wait()
		p.exited = time.Now()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			c.Process.Kill()
			<-p.done
		}
	})
	return p
}

// start starts trawl with args, stdin from /dev/null.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	return startCmd(t, command(args...))
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *proc) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %v: %v", sig, err)
	}
}

// wait waits up to timeout for the process to exit and returns its exit
// code; it fails the test when the process is still running then.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.cmd.Process.Kill()
		<-p.done
		p.t.Fatalf("trawl %q still running after %s; killed\nstdout:\n%s\nstderr:\n%s",
			p.cmd.Args[1:], timeout, tail(p.stdout.String()), tail(p.stderr.String()))
	}
	var ee *exec.ExitError
	if p.waitErr != nil && !errors.As(p.waitErr, &ee) {
		p.t.Fatalf("wait: %v", p.waitErr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// runTrawl runs trawl to its end (at most 20 s) with stdin from the string.
func runTrawl(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	c := command(args...)
	c.Stdin = strings.NewReader(stdin)
	p := startCmd(t, c)
	code = p.wait(20 * time.Second)
	return code, p.stdout.String(), p.stderr.String()
}

// waitFor polls cond every 10ms for up to timeout.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting: %s", timeout, what())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// writeURLs writes one URL a line to a new file and returns its path.
func writeURLs(t *testing.T, urls ...[]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("# e2e URL list\n\n")
	for _, us := range urls {
		for _, u := range us {
			b.WriteString(u)
			b.WriteByte('\n')
		}
	}
	path := filepath.Join(t.TempDir(), "urls.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func tail(s string) string {
	if len(s) > 4000 {
		return "..." + s[len(s)-4000:]
	}
	return s
}

// ---------------------------------------------------------------------------
// Checking output.

// objectKeys returns the keys of the JSON object raw, in order.
func objectKeys(raw []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// checkRecord checks that raw is one complete record: SPEC.md's 13 keys in
// order and fetched_at in its layout; it returns the record decoded.
func checkRecord(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	keys, err := objectKeys(raw)
	if err != nil {
		t.Fatalf("record %s: %v", raw, err)
	}
	if !slices.Equal(keys, recordKeys) {
		t.Fatalf("record keys = %q, want %q\nrecord: %s", keys, recordKeys, raw)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("record %s: %v", raw, err)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", m["fetched_at"].(string)); err != nil {
		t.Errorf("fetched_at of %s: %v", raw, err)
	}
	return m
}

// jsonArray parses out as a JSON array of complete records.
func jsonArray(t *testing.T, out string) []map[string]any {
	t.Helper()
	var raws []json.RawMessage
	if err := json.Unmarshal([]byte(out), &raws); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, tail(out))
	}
	var generic []map[string]any
	if err := json.Unmarshal([]byte(out), &generic); err != nil {
		t.Fatalf("output is not a []map[string]any: %v", err)
	}
	recs := make([]map[string]any, len(raws))
	for i, raw := range raws {
		recs[i] = checkRecord(t, raw)
	}
	return recs
}

// jsonLines parses out as JSON Lines of complete records.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	if out != "" && !strings.HasSuffix(out, "\n") {
		t.Fatalf("JSON Lines output does not end with a newline:\n%s", tail(out))
	}
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			t.Fatalf("empty line in JSON Lines output:\n%s", tail(out))
		}
		recs = append(recs, checkRecord(t, []byte(line)))
	}
	if out == "" {
		return nil
	}
	return recs
}

// urlsOf returns the records' urls, failing on a duplicate.
func urlsOf(t *testing.T, recs []map[string]any) []string {
	t.Helper()
	var urls []string
	seen := map[string]bool{}
	for _, r := range recs {
		u, _ := r["url"].(string)
		if seen[u] {
			t.Errorf("url %s has two records", u)
		}
		seen[u] = true
		urls = append(urls, u)
	}
	slices.Sort(urls)
	return urls
}

func sorted(urls ...[]string) []string {
	all := slices.Concat(urls...)
	slices.Sort(all)
	return all
}

// written counts the records of url prefix pre in output text so far: for
// JSON a record's "url" key, for CSV a row that starts with it.
func writtenJSON(out, pre string) int { return strings.Count(out, `{"url":"`+pre) }
func writtenCSV(out, pre string) int  { return strings.Count(out, "\n"+pre) }

// ---------------------------------------------------------------------------
// 1–3: interrupts.

// TestSIGINTDrainsAndClosesJSON: the first SIGINT lets the requests in flight
// finish within the grace time, cancels the ones still hanging at its end,
// and closes a valid JSON array of complete records; exit 130.
func TestSIGINTDrainsAndClosesJSON(t *testing.T) {
	t.Parallel()
	s := newE2EServer(t)
	const nFast, nLinger, nSlow = 20, 2, 10
	fast, linger, slow := s.urls("fast", nFast), s.urls("linger", nLinger), s.urls("slow", nSlow)
	list := writeURLs(t, fast, linger, slow)
	// 8 in flight to the one host: after the fast pages, the 2 lingering and
	// 6 of the slow ones; the other 4 slow ones wait in the queue.
	p := start(t, "scrape", "-f", "json", "-c", "8", "--per-host", "8", list)

	waitFor(t, 15*time.Second, func() bool {
		return writtenJSON(p.stdout.String(), s.URL+"/fast/") == nFast &&
			s.lingerActive() == nLinger && s.slowActive() == 8-nLinger
	}, func() string {
		return fmt.Sprintf("all fast records written and 8 requests hanging; %s; fast records on stdout: %d",
			s.counters(), writtenJSON(p.stdout.String(), s.URL+"/fast/"))
	})
	if n := s.fast(); n != nFast {
		t.Fatalf("server saw %d fast requests, want %d", n, nFast)
	}

	sigAt := time.Now()
	p.signal(syscall.SIGINT)
	// The lingering requests were in flight at the signal: they may finish
	// within the grace time. They answer 2 s after it, long after trawl has
	// taken the signal (else the slots they free could start slow requests
	// before it had), and well before the 5 s are up.
	time.Sleep(2 * time.Second)
	if !p.running() {
		t.Fatalf("trawl exited within 2s of SIGINT with requests in flight (exit %d), want it to wait for them",
			p.cmd.ProcessState.ExitCode())
	}
	s.releaseLinger()
	code := p.wait(20 * time.Second)
	took := p.exited.Sub(sigAt)
	stdout, stderr := p.stdout.String(), p.stderr.String()
	t.Logf("exit %d %s after SIGINT; stderr:\n%s", code, took.Round(time.Millisecond), stderr)

	if code != 130 {
		t.Errorf("exit code = %d, want 130", code)
	}
	// Requests still hanging get the whole grace time (5 s) before they are
	// canceled.
	if took < 4500*time.Millisecond {
		t.Errorf("exited %s after SIGINT with requests in flight, want the 5s grace time", took)
	}
	recs := jsonArray(t, stdout)
	if got, want := urlsOf(t, recs), sorted(fast, linger); !slices.Equal(got, want) {
		t.Errorf("record urls = %q\nwant (the fast and lingering ones, no slow one) %q", got, want)
	}
	for _, r := range recs {
		if r["status"] != float64(200) || r["error_kind"] != nil {
			t.Errorf("record %v: want status 200, no error", r)
		}
	}
	if !strings.Contains(stderr, "interrupted") {
		t.Errorf("stderr does not mention \"interrupted\":\n%s", stderr)
	}
	// No new request after the signal: the 4 queued slow URLs were never
	// requested, and the 6 in flight were canceled.
	waitFor(t, 10*time.Second, func() bool { return s.slowActive() == 0 }, s.counters)
	if n := s.slowStarted(); n != 8-nLinger {
		t.Errorf("slow requests started = %d, want %d (none after the signal)", n, 8-nLinger)
	}
	if n := s.slowCanceled(); n != 8-nLinger {
		t.Errorf("slow requests canceled = %d, want %d", n, 8-nLinger)
	}
}

// TestSIGTERMClosesCSV: SIGTERM exits 143 with a CSV whose every row is whole,
// and --stats says the run was interrupted.
func TestSIGTERMClosesCSV(t *testing.T) {
	t.Parallel()
	s := newE2EServer(t)
	const nFast, nSlow = 10, 6
	fast, slow := s.urls("fast", nFast), s.urls("slow", nSlow)
	list := writeURLs(t, fast, slow)
	statsPath := filepath.Join(t.TempDir(), "stats.json")
	p := start(t, "scrape", "-f", "csv", "-c", "4", "--per-host", "4", "-s", "h=h1", "--stats", statsPath, list)

	waitFor(t, 15*time.Second, func() bool {
		return writtenCSV(p.stdout.String(), s.URL+"/fast/") == nFast && s.slowActive() == 4
	}, func() string {
		return fmt.Sprintf("all fast rows written and 4 requests hanging; %s; rows: %d",
			s.counters(), writtenCSV(p.stdout.String(), s.URL+"/fast/"))
	})
	p.signal(syscall.SIGTERM)
	code := p.wait(20 * time.Second)
	stdout, stderr := p.stdout.String(), p.stderr.String()
	if code != 143 {
		t.Errorf("exit code = %d, want 143; stderr:\n%s", code, stderr)
	}

	r := csv.NewReader(strings.NewReader(stdout))
	r.FieldsPerRecord = 0 // every row as long as the header
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, tail(stdout))
	}
	if len(rows) == 0 {
		t.Fatal("CSV output is empty: want a header")
	}
	if want := append(slices.Clone(csvColumns), "h"); !slices.Equal(rows[0], want) {
		t.Fatalf("header = %q, want %q", rows[0], want)
	}
	var urls []string
	for _, row := range rows[1:] {
		if len(row) != len(rows[0]) {
			t.Fatalf("row %q has %d cells, header %d", row, len(row), len(rows[0]))
		}
		urls = append(urls, row[0])
		if row[2] != "200" || row[10] != "" || !strings.HasPrefix(row[12], "Fast ") {
			t.Errorf("row %q: want status 200, no error_kind, h \"Fast N\"", row)
		}
	}
	slices.Sort(urls)
	if want := sorted(fast); !slices.Equal(urls, want) {
		t.Errorf("CSV urls = %q, want %q", urls, want)
	}
	for i := 1; i < len(urls); i++ {
		if urls[i] == urls[i-1] {
			t.Errorf("url %s has two rows", urls[i])
		}
	}

	b, err := os.ReadFile(statsPath)
	if err != nil {
		t.Fatalf("--stats: %v", err)
	}
	var st struct {
		URLs        int  `json:"urls"`
		OK          int  `json:"ok"`
		Failed      int  `json:"failed"`
		Interrupted bool `json:"interrupted"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("--stats %s: %v", b, err)
	}
	if !st.Interrupted || st.URLs != nFast || st.OK != nFast || st.Failed != 0 {
		t.Errorf("--stats = %+v, want interrupted with %d URLs, all ok", st, nFast)
	}
	if !strings.Contains(stderr, "interrupted") {
		t.Errorf("stderr does not mention \"interrupted\":\n%s", stderr)
	}
}

// TestSecondSIGINTCancelsAtOnce: with requests hanging, the first SIGINT
// waits for them; a second one ends the run at once, still with a valid JSON
// array (here in an --output file whose .json extension picks the format).
func TestSecondSIGINTCancelsAtOnce(t *testing.T) {
	t.Parallel()
	s := newE2EServer(t)
	const nFast, nSlow = 3, 8
	fast, slow := s.urls("fast", nFast), s.urls("slow", nSlow)
	list := writeURLs(t, fast, slow)
	outPath := filepath.Join(t.TempDir(), "out.json")
	p := start(t, "scrape", "-o", outPath, "-c", "4", "--per-host", "4", list)

	readOut := func() string { b, _ := os.ReadFile(outPath); return string(b) }
	waitFor(t, 15*time.Second, func() bool {
		return writtenJSON(readOut(), s.URL+"/fast/") == nFast && s.slowActive() == 4
	}, func() string {
		return fmt.Sprintf("fast records in %s and 4 requests hanging; %s", outPath, s.counters())
	})

	p.signal(syscall.SIGINT)
	// The first signal waits for the requests in flight: still running.
	time.Sleep(500 * time.Millisecond)
	if !p.running() {
		t.Fatalf("trawl exited on the first SIGINT with requests in flight (exit %d), want it to wait for them",
			p.cmd.ProcessState.ExitCode())
	}
	second := time.Now()
	p.signal(syscall.SIGINT)
	code := p.wait(20 * time.Second)
	took := p.exited.Sub(second)
	t.Logf("exit %d %s after the second SIGINT", code, took.Round(time.Millisecond))
	if code != 130 {
		t.Errorf("exit code = %d, want 130; stderr:\n%s", code, p.stderr.String())
	}
	if took > 2500*time.Millisecond {
		t.Errorf("exited %s after the second SIGINT, want at once (well under the 5s grace)", took)
	}
	if out := p.stdout.String(); out != "" {
		t.Errorf("stdout with --output = %q, want nothing", out)
	}
	recs := jsonArray(t, readOut())
	if got, want := urlsOf(t, recs), sorted(fast); !slices.Equal(got, want) {
		t.Errorf("record urls = %q, want %q", got, want)
	}
	waitFor(t, 10*time.Second, func() bool { return s.slowActive() == 0 }, s.counters)
	if n := s.slowStarted(); n != 4 {
		t.Errorf("slow requests started = %d, want 4 (none after the first signal)", n)
	}
}

// TestSIGINTWithIdleStdin: a run reading a pipe on stdin that stays open (a
// producer that has not finished) ends on SIGINT like any other run.
func TestSIGINTWithIdleStdin(t *testing.T) {
	t.Parallel()
	s := newE2EServer(t)
	c := command("scrape", "-f", "json")
	stdin, err := c.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	p := startCmd(t, c)
	fast := s.urls("fast", 2)
	fmt.Fprintln(stdin, fast[0])
	fmt.Fprintln(stdin, fast[1])
	waitFor(t, 15*time.Second, func() bool { return writtenJSON(p.stdout.String(), s.URL+"/fast/") == 2 },
		func() string { return "2 records on stdout; " + s.counters() })

	p.signal(syscall.SIGINT)
	code := p.wait(10 * time.Second)
	if code != 130 {
		t.Errorf("exit code = %d, want 130", code)
	}
	recs := jsonArray(t, p.stdout.String())
	if got, want := urlsOf(t, recs), sorted(fast); !slices.Equal(got, want) {
		t.Errorf("record urls = %q, want %q", got, want)
	}
}

// ---------------------------------------------------------------------------
// 4: a closed stdout.

// TestClosedStdoutStopsQuietly emulates `trawl scrape FILE | head -3`.
func TestClosedStdoutStopsQuietly(t *testing.T) {
	t.Parallel()
	s := newE2EServer(t)
	const n = 2000
	list := writeURLs(t, s.urls("fast", n))
	c := command("scrape", "--per-host", "16", list)
	stdout, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := startCmd(t, c)
	br := bufio.NewReader(stdout)
	for i := range 3 {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("line %d: %v (stderr:\n%s)", i+1, err, p.stderr.String())
		}
		checkRecord(t, []byte(strings.TrimSuffix(line, "\n")))
	}
	stdout.Close()

	code := p.wait(20 * time.Second)
	stderr := p.stderr.String()
	t.Logf("exit %d after the reader closed; server saw %d of %d pages; stderr: %q", code, s.fast(), n, stderr)
	if code != 0 {
		t.Errorf("exit code = %d, want 0", code)
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("stderr has a panic or a stack trace:\n%s", tail(stderr))
	}
	// The writer blocks on the full pipe, so the fetching stops soon after
	// the reader goes: far from the whole list.
	if got := s.fast(); got >= n/2 {
		t.Errorf("server saw %d of %d pages after the reader closed after 3 lines, want trawl to stop", got, n)
	}
	if strings.Contains(stderr, "trawl: ") {
		t.Errorf("stderr has an error message, want a quiet stop:\n%s", tail(stderr))
	}
}

// ---------------------------------------------------------------------------
// 5: exit codes.

func TestExitCodes(t *testing.T) {
	t.Parallel()

	t.Run("all ok is 0", func(t *testing.T) {
		t.Parallel()
		s := newE2EServer(t)
		fast := s.urls("fast", 5)
		code, stdout, stderr := runTrawl(t, "", "scrape", writeURLs(t, fast))
		if code != 0 {
			t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
		}
		recs := jsonLines(t, stdout)
		if got := urlsOf(t, recs); !slices.Equal(got, sorted(fast)) {
			t.Errorf("record urls = %q, want %q", got, sorted(fast))
		}
		for _, r := range recs {
			if r["status"] != float64(200) || r["error_kind"] != nil || r["attempts"] != float64(1) {
				t.Errorf("record %v: want status 200, no error, 1 attempt", r)
			}
		}
	})

	for _, tc := range []struct {
		maxFailures string
		want        int
	}{{"2", 2}, {"3", 0}} {
		t.Run("3 failures with --max-failures "+tc.maxFailures, func(t *testing.T) {
			t.Parallel()
			s := newE2EServer(t)
			list := writeURLs(t, s.urls("status/404", 3), s.urls("fast", 2))
			code, stdout, stderr := runTrawl(t, "", "scrape", "--max-failures", tc.maxFailures, list)
			if code != tc.want {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
			recs := jsonLines(t, stdout)
			failed := 0
			for _, r := range recs {
				if r["error_kind"] != nil {
					failed++
					if r["error_kind"] != "http_status" || r["status"] != float64(404) {
						t.Errorf("record %v: want http_status 404", r)
					}
				}
			}
			if len(recs) != 5 || failed != 3 {
				t.Errorf("%d records, %d failed; want 5 and 3", len(recs), failed)
			}
			if tc.want == 2 && !strings.Contains(stderr, "trawl: ") {
				t.Errorf("stderr has no trawl: message for exit 2:\n%s", stderr)
			}
		})
	}

	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"--rate", "fast"}, "--rate"},
		{[]string{"-c", "-1"}, "--concurrency"},
		{[]string{"--format", "xml"}, "--format"},
		{[]string{"-s", "x=[["}, "--select"},
	} {
		t.Run("bad flag "+strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			s := newE2EServer(t)
			args := append([]string{"scrape"}, tc.args...)
			args = append(args, writeURLs(t, s.urls("fast", 3)))
			code, stdout, stderr := runTrawl(t, "", args...)
			if code != 1 {
				t.Errorf("exit code = %d, want 1", code)
			}
			if n := s.requests(); n != 0 {
				t.Errorf("server saw %d requests, want 0", n)
			}
			if !strings.HasPrefix(stderr, "trawl: ") || !strings.Contains(stderr, tc.flag) {
				t.Errorf("stderr = %q, want a message starting \"trawl: \" that names %s", stderr, tc.flag)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}

	t.Run("unreadable input is 1", func(t *testing.T) {
		t.Parallel()
		s := newE2EServer(t)
		missing := filepath.Join(t.TempDir(), "no-such-list.txt")
		code, stdout, stderr := runTrawl(t, "", "scrape", writeURLs(t, s.urls("fast", 3)), missing)
		if code != 1 {
			t.Errorf("exit code = %d, want 1", code)
		}
		if !strings.HasPrefix(stderr, "trawl: ") || !strings.Contains(stderr, missing) {
			t.Errorf("stderr = %q, want a trawl: message naming %s", stderr, missing)
		}
		if n := s.requests(); n != 0 {
			t.Errorf("server saw %d requests, want 0", n)
		}
		if stdout != "" {
			t.Errorf("stdout = %q, want nothing", stdout)
		}
	})

	t.Run("unwritable output is 1", func(t *testing.T) {
		t.Parallel()
		s := newE2EServer(t)
		out := filepath.Join(t.TempDir(), "no-such-dir", "out.jsonl")
		code, stdout, stderr := runTrawl(t, "", "scrape", "-o", out, writeURLs(t, s.urls("fast", 3)))
		if code != 1 {
			t.Errorf("exit code = %d, want 1", code)
		}
		if !strings.HasPrefix(stderr, "trawl: ") || !strings.Contains(stderr, out) {
			t.Errorf("stderr = %q, want a trawl: message naming %s", stderr, out)
		}
		if n := s.requests(); n != 0 {
			t.Errorf("server saw %d requests, want 0", n)
		}
		if stdout != "" {
			t.Errorf("stdout = %q, want nothing", stdout)
		}
	})
}

// ---------------------------------------------------------------------------
// 6–7: version, help, completion, demo.

func TestVersionHelpCompletion(t *testing.T) {
	t.Parallel()

	t.Run("version", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runTrawl(t, "", "version")
		if code != 0 {
			t.Fatalf("exit code = %d, want 0; stderr:\n%s", code, stderr)
		}
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if !strings.HasPrefix(lines[0], "trawl ") {
			t.Errorf("first line = %q, want it to start \"trawl \"", lines[0])
		}
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, runtime.Version()) }) {
			t.Errorf("no line contains the Go version %s:\n%s", runtime.Version(), stdout)
		}
	})

	for _, args := range [][]string{nil, {"--help"}} {
		t.Run("help "+strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runTrawl(t, "", args...)
			if code != 0 {
				t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
			}
			for _, want := range []string{"scrape", "demo", "Usage:"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("help on stdout does not mention %q:\n%s", want, stdout)
				}
			}
			if stderr != "" {
				t.Errorf("stderr = %q, want nothing", stderr)
			}
		})
	}

	t.Run("completion bash", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runTrawl(t, "", "completion", "bash")
		if code != 0 {
			t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
		}
		if !strings.Contains(stdout, "bash completion") {
			t.Errorf("completion script does not contain \"bash completion\":\n%s", tail(stdout))
		}
	})
}

func TestDemo(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runTrawl(t, "", "demo", "--pages", "5", "-q")
	if code != 0 {
		t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr with -q = %q, want nothing", stderr)
	}
	recs := jsonLines(t, stdout)
	if len(recs) != 5 {
		t.Fatalf("%d records, want 5:\n%s", len(recs), stdout)
	}
	paths := map[string]bool{}
	for _, r := range recs {
		title, _ := r["title"].(string)
		if r["status"] != float64(200) || !strings.HasPrefix(title, "Product ") || r["error_kind"] != nil {
			t.Errorf("record %v: want status 200 and a title starting \"Product \"", r)
		}
		u, _ := r["url"].(string)
		if !strings.HasPrefix(u, "http://127.0.0.1:") {
			t.Errorf("demo url %q is not on loopback", u)
		}
		if i := strings.Index(u, "/page/"); i >= 0 {
			paths[u[i:]] = true
		}
	}
	for i := 1; i <= 5; i++ {
		if !paths["/page/"+strconv.Itoa(i)] {
			t.Errorf("no record of /page/%d; records:\n%s", i, stdout)
		}
	}
}

// ---------------------------------------------------------------------------
// 8: stdout carries only records.

func TestVerboseLogsOnlyOnStderr(t *testing.T) {
	t.Parallel()
	s := newE2EServer(t)
	const n = 12
	fast := s.urls("fast", n)
	code, stdout, stderr := runTrawl(t, "", "scrape", "-v", writeURLs(t, fast))
	if code != 0 {
		t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
	}
	recs := jsonLines(t, stdout)
	if got := urlsOf(t, recs); !slices.Equal(got, sorted(fast)) {
		t.Errorf("stdout urls = %q, want exactly %q", got, sorted(fast))
	}
	var reqLines []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "request") {
			reqLines = append(reqLines, l)
		}
	}
	if len(reqLines) < n {
		t.Errorf("%d stderr lines mention \"request\", want at least %d:\n%s", len(reqLines), n, stderr)
	}
	for _, u := range fast {
		if !slices.ContainsFunc(reqLines, func(l string) bool { return strings.Contains(l, u+" ") || strings.HasSuffix(l, u) }) {
			t.Errorf("no request log line for %s", u)
		}
	}
}

// ---------------------------------------------------------------------------
// Streaming from a pipe.

// TestStdinIsStreamed: with stdin a pipe that stays open, the first URL's
// record reaches a pipe reader before the input ends.
func TestStdinIsStreamed(t *testing.T) {
	t.Parallel()
	s := newE2EServer(t)
	c := command("scrape", "-q")
	stdin, err := c.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	p := startCmd(t, c)
	fast := s.urls("fast", 2)
	if _, err := io.WriteString(stdin, fast[0]+"\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, func() bool { return strings.HasSuffix(p.stdout.String(), "\n") },
		func() string { return "the first record on stdout with stdin open; " + s.counters() })
	if !p.running() {
		t.Fatal("trawl exited before its stdin was closed")
	}
	if _, err := io.WriteString(stdin, "\n# comment\n"+fast[1]+"\n"); err != nil {
		t.Fatal(err)
	}
	stdin.Close()
	code := p.wait(20 * time.Second)
	if code != 0 {
		t.Errorf("exit code = %d, want 0; stderr:\n%s", code, p.stderr.String())
	}
	recs := jsonLines(t, p.stdout.String())
	if len(recs) != 2 || recs[0]["url"] != fast[0] || recs[1]["url"] != fast[1] {
		t.Errorf("records = %v, want %s then %s", recs, fast[0], fast[1])
	}
	if stderr := p.stderr.String(); stderr != "" {
		t.Errorf("stderr with -q = %q, want nothing", stderr)
	}
}
