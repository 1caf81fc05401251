package main

// Markdown tables ready for a README, and the raw numbers as JSON.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"
)

func (d *driver) printf(format string, args ...any) {
	fmt.Fprintf(d.out, format, args...)
}

// header prints the machine, the versions and the bench's command line.
func (d *driver) header(ctx context.Context) {
	d.printf("## trawl bench, %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	d.printf("- machine: %s, %d CPUs, %s/%s, %s\n", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			d.printf("- load average at the start: %s %s %s (other processes on the machine show in the other CPU s column)\n", f[0], f[1], f[2])
		}
	}
	d.printf("- trawl: `%s`\n", firstLine(ctx, d.o.trawl, "version"))
	if d.o.colly != "" {
		d.printf("- colly: `%s`\n", firstLine(ctx, d.o.colly, "-version"))
	}
	if len(d.o.scrapy) > 0 {
		d.printf("- scrapy: `%s` (CONCURRENT_REQUESTS = CONCURRENT_REQUESTS_PER_DOMAIN = c, CONCURRENT_ITEMS 1, no robots.txt, retries, cookies, "+
			"AutoThrottle or delay; records through its jsonlines feed export; `scrapy (no parse)` fetches and parses nothing)\n", d.o.scrapyVersion)
	}
	d.printf("- command: `go run ./bench %s`\n", shellJoin(d.o.argv))
	if d.o.runs > 1 {
		d.printf("- each client ran %d times; each row is its run of median wall time (every wall time is in -json)\n", d.o.runs)
	}
	d.printf("- every client is a child process over the same URL list and the same site (another child process, on loopback); " +
		"pages/s = N / wall time; CPU s = user + sys of the client (rusage); peak RSS = the client's rusage maxrss; " +
		"site CPU s = the site's CPU during the run, on the same cores\n\n")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func firstLine(ctx context.Context, path string, args ...string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, args...).Output()
	if err != nil {
		return path + " (no version: " + err.Error() + ")"
	}
	l, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return l
}

// commandFirstLine runs cmd with args and gives the first line of its
// stdout, or an error with the end of its stderr.
func commandFirstLine(ctx context.Context, cmd []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	argv := append(append([]string(nil), cmd[1:]...), args...)
	out, err := exec.CommandContext(ctx, cmd[0], argv...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			msg := strings.TrimSpace(string(ee.Stderr))
			if len(msg) > 500 {
				msg = "..." + msg[len(msg)-500:]
			}
			return "", fmt.Errorf("%v: %s", err, msg)
		}
		return "", err
	}
	l, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if l == "" {
		return "", errors.New("no version line on stdout")
	}
	return l, nil
}

// displayCommand is a client's command line with the list file called
// urls.txt and the binary as given on the bench's command line.
func (d *driver) displayCommand(c client) string {
	name := "bench"
	switch c.name {
	case "trawl":
		name = d.o.trawlArg
	case "colly":
		name = d.o.collyArg
	case "scrapy", "scrapy (no parse)":
		// The command as given, and the arguments after it.
		words := strings.Fields(d.o.scrapyArg)
		var prof []string
		if d.o.profileDir != "" {
			prof = c.profile("PROFDIR/NAME")
		}
		args := c.argv("urls.txt", prof)[len(d.o.scrapy)-1:]
		return shellJoin(append(words, args...))
	}
	var prof []string
	if d.o.profileDir != "" {
		prof = c.profile("PROFDIR/NAME")
	}
	return shellJoin(append([]string{name}, c.argv("urls.txt", prof)...))
}

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"$`\\|&;<>()[]{}*?!#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

func fmtRate(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func fmtMB(kib int64) string {
	return fmt.Sprintf("%.1f", float64(kib)/1024)
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func checkCell(r *result) string {
	if r.OK {
		return "ok"
	}
	var ps []string
	if r.ExitCode != 0 {
		ps = append(ps, fmt.Sprintf("exit %d", r.ExitCode))
	}
	if r.Check != nil {
		keys := make([]string, 0, len(r.Check.Problems))
		for k := range r.Check.Problems {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps = append(ps, fmt.Sprintf("%s %d", k, r.Check.Problems[k]))
		}
	}
	if len(ps) == 0 {
		ps = append(ps, r.Failure)
	}
	return "**FAIL** (" + strings.Join(ps, ", ") + ")"
}

// table prints one scenario's table and the commands that produced it.
func (d *driver) table(sc scenario, rs []*result) {
	var tr *result
	for _, r := range rs {
		if r.Client == "trawl" {
			tr = r
		}
	}
	lat := "no latency"
	if sc.latency > 0 {
		lat = "latency " + sc.latency.String()
	}
	hosts := "1 host"
	if sc.hosts > 0 {
		hosts = fmt.Sprintf("%d hosts", sc.hosts)
	}
	d.printf("### %s: %d pages of %s, %s, %s, c=%d\n\n", sc.name, sc.n, sizeName(sc.size), lat, hosts, sc.conc)
	d.printf("%s.", sc.what)
	if sc.ideal > 0 {
		d.printf(" Ideal: %.2f s.", sc.ideal.Seconds())
	}
	d.printf("\n\n")
	cols := "| client | pages/s | wall s | CPU s | CPU µs/page | peak RSS MB | site CPU s | other CPU s | trawl ÷ client, pages/s | trawl ÷ client, CPU |"
	sep := "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	if sc.ideal > 0 {
		cols += " wall ÷ ideal |"
		sep += " ---: |"
	}
	if len(sc.extractors) > 0 {
		cols += " extractor's CPU µs/page |"
		sep += " ---: |"
	}
	d.printf("%s check |\n%s --- |\n", cols, sep)
	for _, r := range rs {
		rp, rc := "-", "-"
		if tr != nil {
			rp, rc = ratio(tr.PagesPerS, r.PagesPerS), ratio(tr.CPUS, r.CPUS)
		}
		d.printf("| %s | %s | %.2f | %.2f | %.0f | %s | %.2f | %.2f | %s | %s |", r.Client, fmtRate(r.PagesPerS), r.WallS, r.CPUS,
			r.CPUUsPerPage, fmtMB(r.MaxRSSKiB), r.SiteCPUS, r.OtherCPUS, rp, rc)
		if sc.ideal > 0 {
			d.printf(" %.2f |", r.WallS/sc.ideal.Seconds())
		}
		if len(sc.extractors) > 0 {
			if tr != nil && r != tr {
				d.printf(" %.0f |", r.CPUUsPerPage-tr.CPUUsPerPage)
			} else {
				d.printf(" - |")
			}
		}
		d.printf(" %s |\n", checkCell(r))
	}
	d.printf("\n")
	d.noise(rs)
	d.commands(sc)
}

// noise warns when other processes took a noticeable share of the CPUs
// during a run: its wall time (pages/s) is then not the client's alone.
func (d *driver) noise(rs []*result) {
	var noisy []string
	for _, r := range rs {
		if avail := r.WallS * float64(runtime.NumCPU()); avail > 0 && r.OtherCPUS > 0.1*avail {
			name := r.Client
			if strings.HasPrefix(r.Scenario, "memory") {
				name = fmt.Sprintf("N=%d", r.N)
			}
			noisy = append(noisy, fmt.Sprintf("%s (%.0f%%)", name, 100*r.OtherCPUS/avail))
		}
	}
	if len(noisy) > 0 {
		again := "Run again on a quiet machine, or with -runs 3."
		if d.o.runs > 1 {
			again = "Run again on a quiet machine."
		}
		d.printf("⚠ Other processes used more than 10%% of the CPUs during: %s. Their pages/s are low by up to that share; "+
			"CPU s and CPU µs/page hold. %s\n\n", strings.Join(noisy, ", "), again)
	}
}

func sizeName(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d B", n)
}

func (d *driver) commands(sc scenario) {
	d.printf("```sh\n")
	args := []string{"bench", "-serve", "-addr", "127.0.0.1:0", "-size", fmt.Sprint(sc.size), "-latency", sc.latency.String(), "-pages", fmt.Sprint(sc.n)}
	if sc.hosts > 0 {
		args = append(args, "-hosts", fmt.Sprint(sc.hosts))
	}
	d.printf("%s   # the site\n", shellJoin(args))
	ex := "/p/0 ... /p/" + fmt.Sprint(sc.n-1)
	if sc.hosts > 0 {
		ex += fmt.Sprintf(" over http://127.0.1.1:PORT ... http://127.0.1.%d:PORT, %s", sc.hosts, layoutWhat(sc.layout))
	} else {
		ex = "http://127.0.0.1:PORT" + ex
	}
	d.printf("# urls.txt: %d URLs, %s\n", sc.n, ex)
	for _, c := range d.clients(sc) {
		d.printf("%s\n", d.displayCommand(c))
	}
	d.printf("```\n\n")
}

// memoryTable prints trawl's peak RSS at each N of the memory scenario.
func (d *driver) memoryTable() {
	var rs []*result
	for _, r := range d.results {
		if strings.HasPrefix(r.Scenario, "memory") {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return
	}
	d.printf("### memory scaling: trawl over lists of growing length, pages of %s, no latency, c=%d\n\n", sizeName(rs[0].PageSize), rs[0].Concurrency)
	d.printf("Peak RSS must be bounded by the concurrency, the scheduler's lookahead and the reorder window, not by the length of the list (DESIGN.md).\n\n")
	d.printf("| N | pages/s | wall s | CPU s | CPU µs/page | peak RSS MB | site CPU s | other CPU s | check |\n")
	d.printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, r := range rs {
		d.printf("| %d | %s | %.2f | %.2f | %.0f | %s | %.2f | %.2f | %s |\n", r.N, fmtRate(r.PagesPerS), r.WallS, r.CPUS, r.CPUUsPerPage,
			fmtMB(r.MaxRSSKiB), r.SiteCPUS, r.OtherCPUS, checkCell(r))
	}
	d.printf("\n")
	d.noise(rs)
	if len(rs) > 1 {
		first, last := rs[0], rs[len(rs)-1]
		d.printf("Peak RSS at N=%d ÷ at N=%d: **%s** (%s MB vs %s MB; 1.00 is flat).\n\n", last.N, first.N,
			ratio(float64(last.MaxRSSKiB), float64(first.MaxRSSKiB)), fmtMB(last.MaxRSSKiB), fmtMB(first.MaxRSSKiB))
	} else if !d.o.big {
		d.printf("Only N=%d ran: add `-big` for the N=%d run and the ratio (or `-mem-n 10000,100000`).\n\n", rs[0].N, d.o.bigN)
	}
	d.printf("```sh\n")
	for _, r := range rs {
		sc := scenario{key: "memory", n: r.N, size: r.PageSize, conc: r.Concurrency, perHost: r.Concurrency, trawl: true}
		for _, c := range d.clients(sc) {
			d.printf("%s   # N=%d, site: bench -serve -addr 127.0.0.1:0 -size %d -latency 0s -pages %d\n", d.displayCommand(c), r.N, r.PageSize, r.N)
		}
	}
	d.printf("```\n\n")
}

func (d *driver) footer() {
	d.printf("Peak RSS is the client's rusage maxrss. On Linux a child's maxrss is at least its parent's peak RSS at the exec; "+
		"the driver keeps itself small (it checks records in another child process) and peaked at %s MB, "+
		"so no number above can read lower than that.\n\n", fmtMB(selfHWM()))
}

func (d *driver) writeJSON(path string) error {
	doc := struct {
		Command   []string  `json:"command"`
		Machine   string    `json:"machine"`
		CPUs      int       `json:"cpus"`
		GoVersion string    `json:"go_version"`
		When      time.Time `json:"when"`
		DriverKiB int64     `json:"driver_peak_rss_kib"`
		Results   []*result `json:"results"`
	}{append([]string{"bench"}, d.o.argv...), cpuModel(), runtime.NumCPU(), runtime.Version(), time.Now().UTC(), selfHWM(), d.results}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
