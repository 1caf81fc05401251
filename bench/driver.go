package main

// The driver: for each scenario it starts the site as a child process,
// writes the URL list, runs each client as a child process over it, checks
// the records (in another child), and measures wall time and the client's
// rusage.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/trawl-dev/trawl/extract"
)

type driverOpts struct {
	trawl string
	colly string
	// scrapy is the Scrapy peer's command (its runner, or a Python and
	// the runner), resolved; empty for none.
	scrapy []string
	// scrapyVersion is the runner's -version line.
	scrapyVersion string
	// trawlArg, collyArg and scrapyArg are as given, for the printed commands.
	trawlArg  string
	collyArg  string
	scrapyArg string

	scenarios []string
	floors    []string
	runs      int
	warmup    bool

	n    int
	size int
	conc int

	latN    int
	latency time.Duration
	latC    int
	latSize int

	memN    []int
	memSize int
	big     bool
	bigN    int

	extractN int

	hostsN       int
	hosts        int
	hostsC       int
	hostsPerHost int
	hostsLayouts []string

	robots     bool
	trawlExtra []string
	profileDir string
	jsonOut    string
	timeout    time.Duration
	keep       bool
	tmpRoot    string
	argv       []string
}

// scenario is one table: one site, one list, several clients.
type scenario struct {
	key     string // throughput, select, latency, memory, hosts
	name    string // the table's heading
	what    string // one line on what it measures
	n       int
	size    int
	latency time.Duration
	hosts   int
	layout  string
	sel     bool
	conc    int
	perHost int
	floors  []string
	trawl   bool
	peers   bool
	// scrapy: run the Scrapy peer (parse, and no-parse unless sel); not in
	// the hosts scenario.
	scrapy bool
	// extractors: after trawl, a trawl run with --extract NAME for each.
	extractors []string
	ideal      time.Duration
}

// result is one client's run of one scenario: the raw numbers of -json.
type result struct {
	Scenario     string    `json:"scenario"`
	Client       string    `json:"client"`
	N            int       `json:"n"`
	PageSize     int       `json:"page_size"`
	LatencyMS    int64     `json:"latency_ms"`
	Hosts        int       `json:"hosts"`
	Concurrency  int       `json:"concurrency"`
	Command      []string  `json:"command"`
	WallS        float64   `json:"wall_s"`
	WallAllS     []float64 `json:"wall_all_s,omitempty"`
	PagesPerS    float64   `json:"pages_per_s"`
	UserS        float64   `json:"cpu_user_s"`
	SysS         float64   `json:"cpu_sys_s"`
	CPUS         float64   `json:"cpu_s"`
	CPUUsPerPage float64   `json:"cpu_us_per_page"`
	MaxRSSKiB    int64     `json:"max_rss_kib"`
	// PolledHWMKiB is the largest VmHWM seen polling /proc/PID/status
	// every 20ms: a cross-check of MaxRSSKiB that misses the last poll.
	PolledHWMKiB int64   `json:"polled_vmhwm_kib,omitempty"`
	SiteCPUS     float64 `json:"site_cpu_s"`
	// OtherCPUS is the CPU the rest of the machine used during the run
	// (all CPUs' busy time from /proc/stat less the client's and the
	// site's): noise from other processes when it is large.
	OtherCPUS float64       `json:"other_cpu_s"`
	IdealS    float64       `json:"ideal_s,omitempty"`
	ExitCode  int           `json:"exit_code"`
	Stderr    string        `json:"stderr,omitempty"`
	Check     *checkSummary `json:"check,omitempty"`
	OK        bool          `json:"ok"`
	Failure   string        `json:"failure,omitempty"`
}

func (o *driverOpts) plan() ([]scenario, error) {
	want := map[string]bool{}
	for _, s := range o.scenarios {
		switch s {
		case "all":
			for _, k := range []string{"throughput", "select", "extract", "latency", "memory", "hosts"} {
				want[k] = true
			}
		case "throughput", "select", "extract", "latency", "memory", "hosts":
			want[s] = true
		default:
			return nil, fmt.Errorf("-scenario %q: want all, throughput, select, extract, latency, memory or hosts (comma-separated)", s)
		}
	}
	selFloors := func() []string {
		// Only the parse floor extracts fields.
		for _, f := range o.floors {
			if f == "parse" {
				return []string{"parse"}
			}
		}
		return nil
	}
	var plan []scenario
	if want["throughput"] {
		plan = append(plan, scenario{key: "throughput", name: "throughput",
			what: "pages/s and CPU per page with nothing to wait for: default extraction (title, description)",
			n:    o.n, size: o.size, conc: o.conc, perHost: o.conc, floors: o.floors, trawl: true, peers: true, scrapy: true})
	}
	if want["select"] {
		plan = append(plan, scenario{key: "select", name: "select",
			what: "the same with -s h1=h1 -s 'links[]=a@href' -s 'price[]=.price': CSS selection and URL resolution on every page",
			n:    o.n, size: o.size, sel: true, conc: o.conc, perHost: o.conc, floors: selFloors(), trawl: true, peers: true, scrapy: true})
	}
	if want["extract"] {
		plan = append(plan, scenario{key: "extract", name: "extract",
			what: "trawl's default extraction, then --extract NAME for each extractor alone: an extractor's cost is its CPU µs/page less the default's",
			n:    o.extractN, size: o.size, conc: o.conc, perHost: o.conc, trawl: true, extractors: extract.Extractors()})
	}
	if want["latency"] {
		ideal := time.Duration((o.latN+o.latC-1)/o.latC) * o.latency
		plan = append(plan, scenario{key: "latency", name: "latency-bound",
			what: "every response waits the site's latency: does the client keep c requests in flight? (ideal = ceil(N/c) x latency)",
			n:    o.latN, size: o.latSize, latency: o.latency, conc: o.latC, perHost: o.latC, floors: o.floors, trawl: true, peers: true, scrapy: true, ideal: ideal})
	}
	if want["memory"] {
		ns := append([]int(nil), o.memN...)
		if o.big {
			ns = append(ns, o.bigN)
		}
		for _, n := range ns {
			plan = append(plan, scenario{key: "memory", name: fmt.Sprintf("memory N=%d", n),
				what: "trawl's peak RSS as the list grows: bounded by concurrency and lookahead, not by N",
				n:    n, size: o.memSize, conc: o.conc, perHost: o.conc, trawl: true})
		}
	}
	if want["hosts"] {
		for _, layout := range o.hostsLayouts {
			plan = append(plan, scenario{key: "hosts", name: "many hosts (" + layout + ")",
				what: fmt.Sprintf("URLs over %d loopback hosts, trawl with --per-host %d: the scheduler's per-host queues (%s)",
					o.hosts, o.hostsPerHost, layoutWhat(layout)),
				n: o.hostsN, size: o.size, hosts: o.hosts, layout: layout, conc: o.hostsC, perHost: o.hostsPerHost,
				floors: o.floors, trawl: true, peers: true})
		}
	}
	return plan, nil
}

func layoutWhat(layout string) string {
	if layout == "blocks" {
		return "each host's URLs in one run, hosts one after another"
	}
	return "URL k on host k mod H"
}

// driver runs the plan.
type driver struct {
	o       *driverOpts
	self    string
	tmp     string
	results []*result
	failed  bool
	out     io.Writer
}

func runDriver(ctx context.Context, o *driverOpts) error {
	plan, err := o.plan()
	if err != nil {
		return err
	}
	if o.trawl == "" {
		return errors.New("-trawl: give the trawl binary (build it with: go build -o bin/trawl .)")
	}
	if o.trawl, err = binPath(o.trawl); err != nil {
		return fmt.Errorf("-trawl: %v", err)
	}
	if o.colly != "" {
		if o.colly, err = binPath(o.colly); err != nil {
			return fmt.Errorf("-colly: %v", err)
		}
	}
	if o.scrapyArg != "" {
		if o.scrapy, err = scrapyCommand(o.scrapyArg); err != nil {
			return fmt.Errorf("-scrapy: %v", err)
		}
		// Fail now, not after the other clients' runs, when the runner
		// cannot import scrapy.
		if o.scrapyVersion, err = commandFirstLine(ctx, o.scrapy, "-version"); err != nil {
			return fmt.Errorf("-scrapy %q: %s -version: %v", o.scrapyArg, o.scrapyArg, err)
		}
	}
	if o.profileDir != "" {
		if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
			return err
		}
		if o.profileDir, err = filepath.Abs(o.profileDir); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(o.tmpRoot, "trawl-bench-")
	if err != nil {
		return err
	}
	if !o.keep {
		defer os.RemoveAll(tmp)
	}
	d := &driver{o: o, self: self, tmp: tmp, out: os.Stdout}
	d.header(ctx)
	for i, sc := range plan {
		if err := ctx.Err(); err != nil {
			return err
		}
		rs, err := d.scenario(ctx, sc)
		if err != nil {
			return fmt.Errorf("%s: %v", sc.name, err)
		}
		switch {
		case sc.key != "memory":
			d.table(sc, rs)
		case i+1 == len(plan) || plan[i+1].key != "memory":
			d.memoryTable() // after the last of the memory runs
		}
	}
	d.footer()
	if o.jsonOut != "" {
		if err := d.writeJSON(o.jsonOut); err != nil {
			return err
		}
		logf("raw numbers written to %s", o.jsonOut)
	}
	if o.keep {
		logf("lists and outputs kept in %s", tmp)
	}
	if d.failed {
		return errors.New("some client produced wrong or missing records (see the tables and the examples above)")
	}
	return nil
}

func binPath(p string) (string, error) {
	if !strings.ContainsRune(p, os.PathSeparator) {
		return exec.LookPath(p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s is not an executable file", p)
	}
	return abs, nil
}

// scrapyCommand resolves the -scrapy command: its first word is the
// executable (a Python, or the runner itself with its #! line), looked up in
// PATH when it has no slash; later words that name files (the runner) are
// made absolute, so the command holds whatever the working directory.
func scrapyCommand(s string) ([]string, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil, errors.New("empty command")
	}
	exe, err := binPath(f[0])
	if err != nil {
		return nil, err
	}
	cmd := []string{exe}
	for _, a := range f[1:] {
		if st, err := os.Stat(a); err == nil && !st.IsDir() {
			if abs, err := filepath.Abs(a); err == nil {
				a = abs
			}
		}
		cmd = append(cmd, a)
	}
	return cmd, nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// siteProc is a running target site.
type siteProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	bases []string
	args  []string
}

func (d *driver) startSite(ctx context.Context, sc scenario) (*siteProc, error) {
	args := []string{"-serve", "-addr", "127.0.0.1:0", "-size", strconv.Itoa(sc.size),
		"-latency", sc.latency.String(), "-pages", strconv.Itoa(sc.n)}
	if sc.hosts > 0 {
		args = append(args, "-hosts", strconv.Itoa(sc.hosts))
	}
	cmd := exec.CommandContext(ctx, d.self, append(args, "-watch-stdin")...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &siteProc{cmd: cmd, stdin: stdin, args: args}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
		io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		s.bases = strings.Fields(l)
	case <-time.After(15 * time.Second):
	}
	if len(s.bases) == 0 {
		s.stop()
		return nil, errors.New("the site printed no base URL")
	}
	return s, nil
}

func (s *siteProc) stop() {
	s.stdin.Close() // the site stops at the end of its stdin
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// cpu is the site's user+sys CPU so far, from /proc (0 when unreadable).
func (s *siteProc) cpu() float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the ")" that ends the command name: state is field 3,
	// utime 14 and stime 15 (in clock ticks, 100 a second on Linux).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100
}

// client is one command to run over the list.
type client struct {
	name string
	path string
	// argv gives the arguments for the list file and the profiling
	// flags (none unless -profile).
	argv func(list string, prof []string) []string
	// profile gives the profiling flags for a file prefix.
	profile func(prefix string) []string
	// text, sel and extract: what verify compares.
	text    bool
	sel     bool
	extract string
}

func goProfileFlags(p string) []string {
	return []string{"-cpuprofile", p + ".cpu.pprof", "-memprofile", p + ".mem.pprof"}
}

func (d *driver) clients(sc scenario) []client {
	var cs []client
	c := strconv.Itoa(sc.conc)
	for _, f := range sc.floors {
		cs = append(cs, client{name: "floor: " + f, path: d.self, text: f != "bare", sel: sc.sel, profile: goProfileFlags,
			argv: func(list string, prof []string) []string {
				args := []string{"-client", f, "-c", c}
				if sc.sel {
					args = append(args, "-select")
				}
				return append(append(args, prof...), "-list", list)
			}})
	}
	if sc.trawl {
		for _, x := range append([]string{""}, sc.extractors...) {
			name := "trawl"
			if x != "" {
				name += " --extract " + x
			}
			cs = append(cs, client{name: name, path: d.o.trawl, text: true, sel: sc.sel, extract: x,
				profile: func(p string) []string {
					return []string{"--cpuprofile", p + ".cpu.pprof", "--memprofile", p + ".mem.pprof"}
				},
				argv: func(list string, prof []string) []string {
					args := []string{"scrape", "-c", c, "--per-host", strconv.Itoa(sc.perHost)}
					if !d.o.robots {
						args = append(args, "--ignore-robots")
					}
					args = append(args, "-q")
					if sc.sel {
						args = append(args, "-s", "h1=h1", "-s", "links[]=a@href", "-s", "price[]=.price")
					}
					if x != "" {
						args = append(args, "--extract", x)
					}
					args = append(args, d.o.trawlExtra...)
					return append(append(args, prof...), list)
				}})
		}
	}
	if sc.peers && d.o.colly != "" {
		cs = append(cs, client{name: "colly", path: d.o.colly, text: true, sel: sc.sel, profile: goProfileFlags,
			argv: func(list string, prof []string) []string {
				args := []string{"-c", c}
				if sc.sel {
					args = append(args, "-select")
				}
				return append(append(args, prof...), "-list", list)
			}})
	}
	if sc.scrapy && len(d.o.scrapy) > 0 {
		modes := []bool{false}
		if !sc.sel {
			// No-parse is the same work in select: it runs beside
			// throughput's and latency's rows only.
			modes = append(modes, true)
		}
		for _, noparse := range modes {
			name := "scrapy"
			if noparse {
				name = "scrapy (no parse)"
			}
			cs = append(cs, client{name: name, path: d.o.scrapy[0], text: !noparse, sel: sc.sel && !noparse,
				profile: func(p string) []string { return []string{"-cpuprofile", p + ".cpu.pstats"} },
				argv: func(list string, prof []string) []string {
					args := append(append([]string(nil), d.o.scrapy[1:]...), "-c", c)
					if sc.sel {
						args = append(args, "-select")
					}
					if noparse {
						args = append(args, "-noparse")
					}
					return append(append(args, prof...), "-list", list)
				}})
		}
	}
	return cs
}

func (d *driver) scenario(ctx context.Context, sc scenario) ([]*result, error) {
	logf("%s: starting the site (%d pages of ~%d bytes, latency %v, hosts %d)", sc.name, sc.n, sc.size, sc.latency, max(sc.hosts, 1))
	s, err := d.startSite(ctx, sc)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	layout := listLayout{bases: s.bases, n: sc.n, layout: sc.layout}
	list := filepath.Join(d.tmp, fmt.Sprintf("urls-%s-%d.txt", strings.NewReplacer(" ", "-", "(", "", ")", "", "=", "").Replace(sc.name), sc.n))
	if err := layout.writeList(list); err != nil {
		return nil, err
	}
	if d.o.warmup {
		d.warm(ctx, sc, layout)
	}
	var rs []*result
	for _, c := range d.clients(sc) {
		r, err := d.measure(ctx, sc, s, c, list, layout)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
		d.results = append(d.results, r)
	}
	if !d.o.keep {
		os.Remove(list)
	}
	return rs, nil
}

// warm runs the bare floor over the first pages, so no client pays for a
// cold site (its first connections, buffers and goroutine stacks).
func (d *driver) warm(ctx context.Context, sc scenario, layout listLayout) {
	w := layout
	w.n = min(sc.n, 2000)
	list := filepath.Join(d.tmp, "warmup.txt")
	if err := w.writeList(list); err != nil {
		return
	}
	defer os.Remove(list)
	cmd := exec.CommandContext(ctx, d.self, "-client", "bare", "-c", strconv.Itoa(sc.conc), "-list", list)
	cmd.Run()
}

// measure runs client c over the list d.o.runs times and keeps the run of
// median wall time; then checks that run's records.
func (d *driver) measure(ctx context.Context, sc scenario, s *siteProc, c client, list string, layout listLayout) (*result, error) {
	var runs []*result
	var outs []string
	for i := 0; i < d.o.runs; i++ {
		out := filepath.Join(d.tmp, fmt.Sprintf("out-%s-%d.jsonl", strings.NewReplacer(": ", "-", " ", "-").Replace(c.name), i))
		var prof []string
		if d.o.profileDir != "" {
			prof = c.profile(filepath.Join(d.o.profileDir, sanitize(sc.name)+"-"+sanitize(strings.ReplaceAll(c.name, ": ", "-"))))
		}
		args := c.argv(list, prof)
		logf("%s: %s (run %d of %d)", sc.name, c.name, i+1, d.o.runs)
		r, err := d.run(ctx, sc, s, c, args, out)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
		outs = append(outs, out)
	}
	// The median run by wall time.
	idx := make([]int, len(runs))
	for i := range idx {
		idx[i] = i
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && runs[idx[j]].WallS < runs[idx[j-1]].WallS; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	m := idx[len(idx)/2]
	r := runs[m]
	if len(runs) > 1 {
		for _, x := range runs {
			r.WallAllS = append(r.WallAllS, x.WallS)
		}
	}
	// Check the records even when the client failed: they say how.
	var fails []string
	if r.Failure != "" {
		fails = append(fails, r.Failure)
	}
	sum, err := d.verify(ctx, sc, c, outs[m], layout)
	switch {
	case err != nil:
		fails = append(fails, "verify: "+err.Error())
	default:
		r.Check = sum
		if !sum.OK(sc.n) {
			fails = append(fails, fmt.Sprintf("%d records, %d good, %d bad, %d missing (want %d good)", sum.Records, sum.Good, sum.Bad, sum.Missing, sc.n))
		}
	}
	r.Failure = strings.Join(fails, "; ")
	r.OK = r.Failure == ""
	if !r.OK {
		d.failed = true
		logf("%s: %s: FAILED: %s", sc.name, c.name, r.Failure)
		if r.Check != nil {
			for _, e := range r.Check.Examples {
				logf("    %s", e)
			}
		}
		if r.Stderr != "" {
			logf("    stderr: %s", r.Stderr)
		}
	}
	if !d.o.keep {
		for _, o := range outs {
			os.Remove(o)
		}
	}
	return r, nil
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, s)
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	b   []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (d *driver) run(ctx context.Context, sc scenario, s *siteProc, c client, args []string, outPath string) (*result, error) {
	r := &result{Scenario: sc.name, Client: c.name, N: sc.n, PageSize: sc.size, LatencyMS: sc.latency.Milliseconds(),
		Hosts: max(sc.hosts, 1), Concurrency: sc.conc, IdealS: sc.ideal.Seconds()}
	r.Command = append([]string{c.path}, args...)
	out, err := os.Create(outPath)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	rctx, cancel := context.WithTimeout(ctx, d.o.timeout)
	defer cancel()
	cmd := exec.CommandContext(rctx, c.path, args...)
	cmd.Stdout = out
	stderr := &tailBuffer{max: 4 << 10}
	cmd.Stderr = stderr
	cmd.WaitDelay = 5 * time.Second

	siteCPU0 := s.cpu()
	busy0 := machineBusy()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	hwm := make(chan int64, 1)
	stopPoll := make(chan struct{})
	go pollHWM(cmd.Process.Pid, stopPoll, hwm)
	werr := cmd.Wait()
	wall := time.Since(start)
	close(stopPoll)
	r.PolledHWMKiB = <-hwm
	r.SiteCPUS = s.cpu() - siteCPU0
	busy := machineBusy() - busy0

	st := cmd.ProcessState
	r.ExitCode = st.ExitCode()
	r.WallS = wall.Seconds()
	r.PagesPerS = float64(sc.n) / wall.Seconds()
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		r.UserS = time.Duration(ru.Utime.Nano()).Seconds()
		r.SysS = time.Duration(ru.Stime.Nano()).Seconds()
		r.MaxRSSKiB = int64(ru.Maxrss) // KiB on Linux
	} else {
		r.UserS, r.SysS = st.UserTime().Seconds(), st.SystemTime().Seconds()
	}
	r.CPUS = r.UserS + r.SysS
	r.CPUUsPerPage = r.CPUS / float64(sc.n) * 1e6
	if busy0 > 0 {
		r.OtherCPUS = max(0, busy-r.CPUS-r.SiteCPUS)
	}
	r.Stderr = strings.TrimSpace(string(stderr.b))
	switch {
	case rctx.Err() == context.DeadlineExceeded:
		r.Failure = fmt.Sprintf("killed after -timeout %v", d.o.timeout)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case werr != nil:
		r.Failure = fmt.Sprintf("exit: %v", werr)
		if strings.Contains(r.Stderr, "unknown flag") && d.o.profileDir != "" {
			r.Failure += " (this client has no profiling flags: run without -profile)"
		}
	}
	return r, nil
}

// pollHWM sends the largest VmHWM of pid seen until stop.
func pollHWM(pid int, stop <-chan struct{}, res chan<- int64) {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	var best int64
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if v := readHWM(path); v > best {
			best = v
		}
		select {
		case <-stop:
			res <- best
			return
		case <-t.C:
		}
	}
}

func readHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	i := bytes.Index(b, []byte("VmHWM:"))
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+len("VmHWM:"):]))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseInt(f[0], 10, 64)
	return v
}

// machineBusy is the CPU time all CPUs have spent not idle since boot, in
// seconds, from /proc/stat (0 when unreadable).
func machineBusy() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0
	}
	var busy float64
	for i, v := range f[1:] {
		x, _ := strconv.ParseFloat(v, 64)
		// user nice system idle iowait irq softirq steal (guest time
		// is already in user)
		if i == 3 || i == 4 || i >= 8 {
			continue
		}
		busy += x
	}
	return busy / 100 // USER_HZ
}

// selfHWM is the driver's own peak RSS in KiB.
func selfHWM() int64 { return readHWM("/proc/self/status") }

func (d *driver) verify(ctx context.Context, sc scenario, c client, outPath string, layout listLayout) (*checkSummary, error) {
	args := []string{"-verify", outPath, "-n", strconv.Itoa(sc.n), "-size", strconv.Itoa(sc.size),
		"-layout", layout.layout, "-bases", strings.Join(layout.bases, " ")}
	if c.text {
		args = append(args, "-check-text")
	}
	if c.sel {
		args = append(args, "-select")
	}
	if c.extract != "" {
		args = append(args, "-extract", c.extract)
	}
	cmd := exec.CommandContext(ctx, d.self, args...)
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(string(stderr.b)))
	}
	var sum checkSummary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		return nil, err
	}
	return &sum, nil
}
