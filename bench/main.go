// Command bench measures trawl against floors and peers on a loopback site.
//
// One binary, four modes:
//
//	bench -trawl bin/trawl [-colly bin/colly-bench] [-scrapy '/usr/bin/python3 bench/peers/scrapy/run.py'] [-scenario all|throughput|select|latency|memory|hosts] ...
//	    the driver: runs the scenarios and prints Markdown tables
//	bench -serve -addr 127.0.0.1:0 -size 16384 -latency 0 -pages N [-hosts 200]
//	    the target site; prints its base URL(s) on stdout's first line
//	bench -client bare|tokenizer|parse -c 64 -list FILE [-select]
//	    a floor: the least a Go program does to fetch and parse the same URLs
//	bench -verify FILE -n N -size S -bases 'URL ...' [-layout L] [-check-text] [-select]
//	    checks a client's records (the driver runs it)
//
// All traffic goes to 127.0.0.0/8. See bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/trawl-dev/trawl/internal/site"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(argv []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage:
  bench -trawl bin/trawl [-colly bin/colly-bench] [-scrapy 'PYTHON bench/peers/scrapy/run.py'] [-scenario all|throughput|select|latency|memory|hosts] [flags]
  bench -serve -addr 127.0.0.1:0 -size 16384 -latency 0 -pages N [-hosts 200]
  bench -client bare|tokenizer|parse -c 64 -list FILE [-select]
  bench -verify FILE -n N -size S -bases 'URL ...' [-layout interleaved|blocks] [-check-text] [-select]

flags:
`)
		fs.PrintDefaults()
	}
	var (
		// modes
		serve      = fs.Bool("serve", false, "run the target site")
		crawlSite  = fs.Bool("crawl-site", false, "site: serve a crawlable tree of -pages tiny pages /n/0 ... with -fanout links down (internal/site.CrawlSite, plain) instead of /p/")
		fanout     = fs.Int("fanout", 10, "site: children of a node of -crawl-site")
		capacity   = fs.Int("capacity", 0, "site: a host of limited capacity (internal/site.Capacity): 503 past this many requests in flight; its counts are printed to stderr at exit")
		maxRate    = fs.Int("max-rate", 0, "site: as -capacity, 429 past this many requests a second")
		clientKind = fs.String("client", "", "run a floor client: bare, tokenizer or parse")
		verifyFile = fs.String("verify", "", "check the JSON Lines records in `FILE`")

		// site
		addr       = fs.String("addr", "127.0.0.1:0", "site: listen address (loopback only)")
		pages      = fs.Int("pages", 1000000, "site: pages /p/0 ... /p/N-1 exist")
		hosts      = fs.Int("hosts", 0, "site: listen on 127.0.1.1 ... 127.0.1.N instead of -addr's host; driver: hosts of the hosts scenario")
		lifetime   = fs.Duration("lifetime", 2*time.Hour, "site: stop after this long whatever happens")
		watchStdin = fs.Bool("watch-stdin", false, "site: stop at the end of stdin (the driver sets it)")
		latency    = fs.Duration("latency", 0, "site: delay of every response; driver: of the latency scenario (default there 100ms)")
		size       = fs.Int("size", 16384, "site: bytes of a page (about); driver: page size of throughput, select, extract and hosts")

		// client and verify
		conc       = fs.Int("c", 64, "client: workers; driver: concurrency of throughput, select, extract and memory")
		list       = fs.String("list", "", "client: the URL list `FILE`")
		sel        = fs.Bool("select", false, "client: also extract the h1 text, .price texts and absolute a@href links; verify: check them")
		cpuprofile = fs.String("cpuprofile", "", "client: write a CPU profile to `FILE`")
		memprofile = fs.String("memprofile", "", "client: write a heap profile to `FILE`")
		n          = fs.Int("n", 20000, "driver: pages of throughput and select; verify: lines of the list")
		bases      = fs.String("bases", "", "verify: the site's base URLs, space-separated")
		layout     = fs.String("layout", "interleaved", "verify: how URLs spread over hosts")
		checkText  = fs.Bool("check-text", false, "verify: check title and description")
		extractX   = fs.String("extract", "", "verify: check the `NAME` --extract extractor's value")

		// driver
		trawl        = fs.String("trawl", "", "driver: the trawl binary (e.g. bin/trawl)")
		colly        = fs.String("colly", "", "driver: the colly peer binary (built from bench/peers); none by default")
		scrapy       = fs.String("scrapy", "", "driver: the Scrapy peer's `command`: its runner, or a Python and the runner, space-separated (e.g. '/usr/bin/python3 bench/peers/scrapy/run.py'); none by default")
		scenarios    = fs.String("scenario", "all", "driver: all, or a comma-separated list of throughput, select, extract, latency, memory, hosts")
		floors       = fs.String("floors", "bare,tokenizer,parse", "driver: floor clients to run (comma-separated; empty for none)")
		runs         = fs.Int("runs", 1, "driver: runs of each client; the run of median wall time is reported")
		warmup       = fs.Bool("warmup", true, "driver: warm the site with 2,000 requests before a scenario's clients")
		latN         = fs.Int("latency-n", 2000, "driver: pages of the latency scenario")
		latC         = fs.Int("latency-c", 100, "driver: concurrency of the latency scenario")
		latSize      = fs.Int("latency-size", 16384, "driver: page size of the latency scenario")
		memN         = fs.String("mem-n", "10000", "driver: list lengths of the memory scenario (comma-separated)")
		memSize      = fs.Int("mem-size", 2048, "driver: page size of the memory scenario")
		big          = fs.Bool("big", false, "driver: add the memory scenario's big run (-big-n)")
		bigN         = fs.Int("big-n", 1000000, "driver: list length of the big memory run")
		extractN     = fs.Int("extract-n", 5000, "driver: pages of the extract scenario (one trawl run per extractor)")
		hostsN       = fs.Int("hosts-n", 20000, "driver: pages of the hosts scenario")
		hostsC       = fs.Int("hosts-c", 64, "driver: concurrency of the hosts scenario")
		hostsPerHost = fs.Int("per-host", 4, "driver: trawl's --per-host in the hosts scenario")
		hostsLayout  = fs.String("hosts-layout", "interleaved,blocks", "driver: URL orders of the hosts scenario: interleaved (host k mod H), blocks (one host after another)")
		robots       = fs.Bool("robots", false, "driver: let trawl fetch and obey robots.txt (the site allows all); off passes --ignore-robots")
		trawlExtra   = fs.String("trawl-args", "", "driver: more trawl scrape flags, space-separated")
		profileDir   = fs.String("profile", "", "driver: pass --cpuprofile/--memprofile (trawl) and -cpuprofile/-memprofile (floors, colly) with files in `DIR`")
		jsonOut      = fs.String("json", "", "driver: write the raw numbers to `FILE`")
		timeout      = fs.Duration("timeout", 20*time.Minute, "driver: kill a client run after this long")
		keep         = fs.Bool("keep", false, "driver: keep URL lists and outputs (the temp dir is printed)")
		tmpRoot      = fs.String("tmp", "", "driver: parent of the temp dir (default: the system's)")
	)
	if err := fs.Parse(argv); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	switch {
	case *serve:
		o := serveOpts{addr: *addr, size: *size, latency: *latency, pages: *pages, hosts: *hosts,
			lifetime: *lifetime, watchStdin: *watchStdin}
		if *crawlSite {
			o.handler = &site.CrawlSite{Pages: *pages, Fanout: *fanout, Latency: *latency, Plain: true}
		}
		if *capacity > 0 || *maxRate > 0 {
			if *crawlSite {
				return fmt.Errorf("-capacity and -max-rate serve pages of their own, not -crawl-site")
			}
			cp := &site.Capacity{MaxInFlight: *capacity, MaxRate: *maxRate, Latency: *latency}
			o.handler, o.atExit = cp, func() {
				refused, served := cp.Counts()
				fmt.Fprintf(os.Stderr, "bench site: %d answers 503 or 429, %d pages\n", refused, served)
			}
		}
		return runServe(o)
	case *clientKind != "":
		if *list == "" {
			return fmt.Errorf("-client needs -list FILE")
		}
		return runClient(clientOpts{kind: *clientKind, conc: *conc, list: *list, sel: *sel, cpuprofile: *cpuprofile, memprofile: *memprofile})
	case *verifyFile != "":
		return runVerify(verifyOpts{file: *verifyFile, size: *size, text: *checkText, sel: *sel, extract: *extractX,
			layout: listLayout{bases: strings.Fields(*bases), n: *n, layout: *layout}})
	}

	// The driver checks records in a child and holds none, so its own
	// peak RSS, the least any child's maxrss can read, stays small.
	debug.SetGCPercent(50)
	o := &driverOpts{
		trawl: *trawl, colly: *colly, trawlArg: *trawl, collyArg: *colly, scrapyArg: *scrapy,
		scenarios: splitList(*scenarios), floors: splitList(*floors), runs: *runs, warmup: *warmup,
		n: *n, size: *size, conc: *conc,
		latN: *latN, latency: *latency, latC: *latC, latSize: *latSize,
		memSize: *memSize, big: *big, bigN: *bigN,
		extractN: *extractN, hostsN: *hostsN, hosts: *hosts, hostsC: *hostsC, hostsPerHost: *hostsPerHost, hostsLayouts: splitList(*hostsLayout),
		robots: *robots, trawlExtra: strings.Fields(*trawlExtra), profileDir: *profileDir, jsonOut: *jsonOut,
		timeout: *timeout, keep: *keep, tmpRoot: *tmpRoot, argv: argv,
	}
	if !set["latency"] {
		o.latency = 100 * time.Millisecond
	}
	if !set["hosts"] {
		o.hosts = 200
	}
	for _, s := range splitList(*memN) {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return fmt.Errorf("-mem-n %q: want positive numbers, comma-separated", *memN)
		}
		o.memN = append(o.memN, v)
	}
	for _, f := range o.floors {
		switch f {
		case "bare", "tokenizer", "parse":
		default:
			return fmt.Errorf("-floors: %q is not one of bare, tokenizer, parse", f)
		}
	}
	for _, l := range o.hostsLayouts {
		if l != "interleaved" && l != "blocks" {
			return fmt.Errorf("-hosts-layout: %q is not interleaved or blocks", l)
		}
	}
	switch {
	case o.n < 1 || o.latN < 1 || o.extractN < 1 || o.hostsN < 1 || o.bigN < 1:
		return fmt.Errorf("-n, -latency-n, -extract-n, -hosts-n and -big-n must be at least 1")
	case o.conc < 1 || o.latC < 1 || o.hostsC < 1 || o.hostsPerHost < 1:
		return fmt.Errorf("-c, -latency-c, -hosts-c and -per-host must be at least 1")
	case o.hosts < 1 || o.hosts > 254:
		return fmt.Errorf("-hosts %d: want 1 to 254", o.hosts)
	case o.runs < 1:
		return fmt.Errorf("-runs %d: want at least 1", o.runs)
	case o.latency <= 0:
		return fmt.Errorf("-latency %v: the latency scenario wants a positive latency", o.latency)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runDriver(ctx, o)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
