package cmd

import (
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/time/rate"

	"github.com/trawl-dev/trawl/extract"
	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
	"github.com/trawl-dev/trawl/ratelimit"
)

// ScrapeOptions are the flags of scrape (and demo), as given.
type ScrapeOptions struct {
	Files []string

	// Limits are -c, --per-host, --rate, --host-rate and --burst.
	ratelimit.Limits
	// rateErr and hostRateErr keep a --rate or --host-rate that did not
	// parse, for validate to refuse with the flag's name.
	rateErr, hostRateErr error

	Output         string
	Format         string
	Timeout        time.Duration
	ConnectTimeout time.Duration
	Retries        int
	RetryWait      time.Duration
	MaxRetryWait   time.Duration
	Headers        []string
	UserAgent      string
	Proxy          string
	Insecure       bool
	MaxRedirects   int
	// AllowPrivateRedirects is --allow-private-redirects.
	AllowPrivateRedirects bool
	MaxBody               string
	IgnoreRobots          bool
	Selects               []string
	// Extract is --extract: extractor names, comma-separated, repeatable.
	Extract     []string
	RulesFile   string
	Ordered     bool
	MaxFailures int
	Progress    string
	Quiet       bool
	Verbose     bool
	Stats       string
	CSVRaw      bool
	LogFormat   string
	InputFormat string
	URLField    string
	Resume      bool
	Cache       string
	Shard       string
	CPUProfile  string
	MemProfile  string

	// Grace is how long in-flight requests may finish after the first
	// signal; SPEC.md's 5 seconds unless a test shortens it.
	Grace time.Duration
}

// NewCmdScrape returns `trawl scrape`. runF replaces the run in tests of flag
// parsing; nil runs for real.
func NewCmdScrape(env *Env, runF func(*ScrapeOptions) error) *cobra.Command {
	opts := &ScrapeOptions{}
	cmd := &cobra.Command{
		Use:   "scrape [flags] [FILE ...]",
		Short: "Fetch every URL of the FILEs (or stdin) and stream one record per URL",
		Example: `  trawl scrape urls.txt > out.jsonl
  trawl scrape -s price=.price -s 'links[]=a@href' urls.txt | jq .fields
  cat urls.txt | trawl scrape -o out.csv --rate 10/s --per-host 2`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return runScrape(cmd.Context(), env, opts, nil, -1)
		},
	}
	AddInputFlags(cmd.Flags(), opts)
	AddScrapeFlags(cmd.Flags(), opts, env.Build.Version)
	return cmd
}

// AddInputFlags binds the flags of scrape alone: how its list is read and
// split.
func AddInputFlags(f *pflag.FlagSet, opts *ScrapeOptions) {
	f.StringVar(&opts.InputFormat, "input-format", "lines", "input format: lines, csv or jsonl")
	f.StringVar(&opts.URLField, "url-field", "url", "the CSV column or JSON Lines field that holds the URL")
	f.StringVar(&opts.Shard, "shard", "", "process only shard `K/N` of the list, split by a hash of the host")
}

// AddScrapeFlags binds the flags that scrape, demo and crawl share to opts.
func AddScrapeFlags(f *pflag.FlagSet, opts *ScrapeOptions, version string) {
	// Commands without AddInputFlags read lines.
	opts.InputFormat, opts.URLField = input.FormatLines, "url"
	f.StringVarP(&opts.Output, "output", "o", "", "write records to `FILE` instead of stdout")
	f.StringVarP(&opts.Format, "format", "f", "", "output format: jsonl, json or csv (default: from the --output extension, else jsonl)")
	f.IntVarP(&opts.Concurrency, "concurrency", "c", 16, "requests in flight, in all")
	f.IntVar(&opts.PerHost, "per-host", 4, "requests in flight to one host")
	f.VarP(&rateFlag{p: &opts.Rate, err: &opts.rateErr, s: "0"}, "rate", "r", "requests started per time, in all: 20/s, 300/m, 5000/h or a number per second; 0 is no limit")
	f.Var(&rateFlag{p: &opts.HostRate, err: &opts.hostRateErr, s: "0"}, "host-rate", "requests started per time to each host, as --rate")
	f.IntVar(&opts.Burst, "burst", 1, "token-bucket burst of --rate and --host-rate")
	f.BoolVar(&opts.Adaptive, "adaptive", true, "adapt each host's pace to how it copes (slower on 429, 503, timeouts and rising latency; back up when healthy), never above the caps; --adaptive=false keeps it fixed")
	f.DurationVarP(&opts.Timeout, "timeout", "t", 30*time.Second, "one attempt, from connect to the last body byte")
	f.DurationVar(&opts.ConnectTimeout, "connect-timeout", 10*time.Second, "dial plus TLS handshake")
	f.IntVar(&opts.Retries, "retries", 2, "retries after the first attempt, on network errors, timeouts, 408, 429, 500, 502, 503, 504")
	f.DurationVar(&opts.RetryWait, "retry-wait", 500*time.Millisecond, "base of the exponential backoff (full jitter, capped at 30s)")
	f.DurationVar(&opts.MaxRetryWait, "max-retry-wait", 60*time.Second, "a Retry-After longer than this fails the URL at once")
	f.StringArrayVarP(&opts.Headers, "header", "H", nil, "request header `'K: V'` (repeatable)")
	f.StringVarP(&opts.UserAgent, "user-agent", "A", "trawl/"+version, "User-Agent header, and the agent robots.txt is matched for")
	f.StringVar(&opts.Proxy, "proxy", "", "proxy `URL` (default: HTTP_PROXY, HTTPS_PROXY, NO_PROXY)")
	f.BoolVarP(&opts.Insecure, "insecure", "k", false, "skip TLS certificate verification")
	f.IntVar(&opts.MaxRedirects, "max-redirects", 10, "redirects followed; one more ends the URL with error_kind redirect")
	f.BoolVar(&opts.AllowPrivateRedirects, "allow-private-redirects", false, "follow a redirect from a public address to a loopback, private or link-local one")
	f.StringVar(&opts.MaxBody, "max-body", "10MiB", "`SIZE` of body read (512KiB, 10MiB, ...); more is cut off with error_kind too_large")
	f.BoolVar(&opts.IgnoreRobots, "ignore-robots", false, "do not fetch or obey robots.txt")
	f.StringArrayVarP(&opts.Selects, "select", "s", nil, "extract `NAME=SELECTOR[@attr]` (NAME[]= for every match; repeatable)")
	f.StringSliceVar(&opts.Extract, "extract", nil, "add `LIST` of extractors to each record's extracted object: jsonld, opengraph, microdata, meta, links, text, markdown (comma-separated, repeatable)")
	f.StringVar(&opts.RulesFile, "rules", "", "read --select rules from a YAML or JSON `FILE` (name: selector); flags come last")
	f.BoolVar(&opts.Ordered, "ordered", false, "write records in input order (memory bounded by a reorder window)")
	f.IntVar(&opts.MaxFailures, "max-failures", 0, "exit 2 when more URLs than this fail (default 0: any failure)")
	f.StringVar(&opts.Progress, "progress", "auto", "progress bar on stderr: auto (when stderr is a terminal), always, never")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress, summary or warnings: stderr carries only a fatal error")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "one log line per request on stderr")
	f.StringVar(&opts.Stats, "stats", "", "write the run summary as JSON to `FILE`")
	f.BoolVar(&opts.CSVRaw, "csv-raw", false, "do not guard CSV cells that start with = + - @ tab or CR")
	f.StringVar(&opts.LogFormat, "log-format", "text", "log lines on stderr: text or json")
	f.BoolVar(&opts.Resume, "resume", false, "with --output FILE (jsonl): skip URLs that already have a good record there, and append")
	f.StringVar(&opts.Cache, "cache", "", "keep ETag/Last-Modified per URL in `DIR` and send conditional requests; a 304 repeats the stored extraction")
	f.StringVar(&opts.CPUProfile, "cpuprofile", "", "write a CPU profile to `FILE`")
	f.StringVar(&opts.MemProfile, "memprofile", "", "write a heap profile to `FILE` at the end")
	f.MarkHidden("cpuprofile")
	f.MarkHidden("memprofile")
	f.SortFlags = false
}

// config is a validated run configuration.
type config struct {
	inputFormat string
	shard       input.Shard
	format      output.Format
	compression output.Compression
	rules       extract.Rules
	extract     []string
	fetch       fetch.Config
	maxFail     int64
	orderedWin  int
}

// validate checks every flag before anything is opened or requested, and
// names the flag in its error.
func (o *ScrapeOptions) validate() (*config, error) {
	c := &config{}
	for _, check := range []func(*config) error{o.checkOutput, o.checkInput, o.checkLimits,
		o.checkHTTP, o.checkRules, o.checkReporting} {
		if err := check(c); err != nil {
			return nil, err
		}
	}
	if err := o.checkCSVNames(c, output.Schema{Extract: c.extract}); err != nil {
		return nil, err
	}
	c.maxFail = int64(o.MaxFailures)
	if o.Ordered {
		c.orderedWin = OrderedWindow(o.Concurrency)
	}
	return c, nil
}

// checkOutput: -o, -f and --resume.
func (o *ScrapeOptions) checkOutput(c *config) error {
	var err error
	toFile := o.Output != "" && o.Output != "-"
	switch {
	case o.Format != "":
		if c.format, err = output.ParseFormat(o.Format); err != nil {
			return &UsageError{Flag: "format", Err: err}
		}
		if toFile {
			c.compression = output.CompressionFromPath(o.Output)
		}
	case toFile:
		if c.format, c.compression, err = output.FormatFromPath(o.Output); err != nil {
			return &UsageError{Flag: "output", Err: err}
		}
	default:
		c.format = output.JSONL
	}
	switch {
	case o.Resume && !toFile:
		return usageErr("resume", "needs --output FILE: it reads that file and appends to it")
	case o.Resume && c.format != output.JSONL:
		return usageErr("resume", "works with the jsonl format only, not %s (a JSON array or CSV cannot be appended to)", c.format)
	case o.Resume && c.compression != output.NoCompression:
		return usageErr("resume", "cannot append to a compressed file (%s)", o.Output)
	}
	return nil
}

// checkCSVNames refuses, in CSV output, a --select NAME that would repeat a
// column: a record column, or an extractor given in the same run. In JSON
// the names cannot clash.
func (o *ScrapeOptions) checkCSVNames(c *config, schema output.Schema) error {
	if c.format != output.CSV {
		return nil
	}
	for _, n := range c.rules.Names() {
		if schema.CSVClash(n) {
			return usageErr("select", "%q is also a column of the CSV output; choose another NAME", n)
		}
	}
	return nil
}

// checkInput: --input-format, --url-field and --shard.
func (o *ScrapeOptions) checkInput(c *config) error {
	switch o.InputFormat {
	case input.FormatLines, input.FormatCSV, input.FormatJSONL:
		c.inputFormat = o.InputFormat
	default:
		return usageErr("input-format", "want lines, csv or jsonl, not %q", o.InputFormat)
	}
	if strings.TrimSpace(o.URLField) == "" {
		return usageErr("url-field", "must not be empty")
	}
	if o.Shard != "" {
		var err error
		if c.shard, err = input.ParseShard(o.Shard); err != nil {
			return &UsageError{Flag: "shard", Err: err}
		}
	}
	return nil
}

// The bounds of flag values: past them a value is a typo, or would exhaust
// the machine (every request in flight holds a buffer and a connection).
const (
	maxConcurrency = 10000
	maxRetries     = 100
	maxRedirects   = 100
	maxBodySize    = 1 << 30
	maxTimeout     = 24 * time.Hour
	maxWait        = 30 * 24 * time.Hour
)

// intInRange checks an integer flag.
func intInRange(flag string, v, lo, hi int) error {
	if v < lo || v > hi {
		return usageErr(flag, "must be from %d to %d, not %d", lo, hi, v)
	}
	return nil
}

// checkLimits: the politeness limits.
func (o *ScrapeOptions) checkLimits(c *config) error {
	for _, err := range []error{
		intInRange("concurrency", o.Concurrency, 1, maxConcurrency),
		intInRange("per-host", o.PerHost, 1, maxConcurrency),
		intInRange("burst", o.Burst, 1, maxConcurrency),
	} {
		if err != nil {
			return err
		}
	}
	switch {
	case o.rateErr != nil:
		return &UsageError{Flag: "rate", Err: o.rateErr}
	case o.hostRateErr != nil:
		return &UsageError{Flag: "host-rate", Err: o.hostRateErr}
	}
	c.fetch.Limits = o.Limits
	c.fetch.Lookahead = fetch.DefaultLookahead(o.Concurrency)
	return nil
}

// checkHTTP: timeouts, retries, redirects, the body cap and the request.
func (o *ScrapeOptions) checkHTTP(c *config) error {
	fc := &c.fetch
	for _, d := range []struct {
		flag string
		v    time.Duration
		zero bool
		max  time.Duration
	}{{"timeout", o.Timeout, false, maxTimeout}, {"connect-timeout", o.ConnectTimeout, false, maxTimeout},
		{"retry-wait", o.RetryWait, true, maxTimeout}, {"max-retry-wait", o.MaxRetryWait, true, maxWait}} {
		if d.v < 0 || d.v == 0 && !d.zero {
			return usageErr(d.flag, "must be a positive duration, not %s", d.v)
		}
		if d.v > d.max {
			return usageErr(d.flag, "must be at most %s, not %s", d.max, d.v)
		}
	}
	if err := intInRange("retries", o.Retries, 0, maxRetries); err != nil {
		return err
	}
	if err := intInRange("max-redirects", o.MaxRedirects, 0, maxRedirects); err != nil {
		return err
	}
	var err error
	if fc.MaxBody, err = ParseSize(o.MaxBody); err != nil {
		return &UsageError{Flag: "max-body", Err: err}
	}
	if fc.MaxBody < 1 || fc.MaxBody > maxBodySize {
		return usageErr("max-body", "must be from 1 byte to %s, not %s", output.FormatSize(maxBodySize), o.MaxBody)
	}
	if fc.Header, err = parseHeaders(o.Headers); err != nil {
		return &UsageError{Flag: "header", Err: err}
	}
	if o.Proxy != "" {
		u, err := url.Parse(o.Proxy)
		if err != nil || u.Host == "" || !(u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "socks5" || u.Scheme == "socks5h") {
			return usageErr("proxy", "want a URL such as http://host:3128 or socks5://host:1080, not %q", o.Proxy)
		}
		fc.Proxy = u
	}
	if strings.TrimSpace(o.UserAgent) == "" {
		return usageErr("user-agent", "must not be empty")
	}
	if strings.ContainsFunc(o.UserAgent, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return usageErr("user-agent", "%q: a header value may not contain control characters", o.UserAgent)
	}
	fc.Timeout, fc.ConnectTimeout = o.Timeout, o.ConnectTimeout
	fc.Retries, fc.RetryWait, fc.MaxRetryWait = o.Retries, o.RetryWait, o.MaxRetryWait
	fc.UserAgent, fc.Insecure, fc.MaxRedirects = o.UserAgent, o.Insecure, o.MaxRedirects
	fc.AllowPrivateRedirects = o.AllowPrivateRedirects
	fc.IgnoreRobots = o.IgnoreRobots
	return nil
}

// checkRules: --rules and --select, compiled once.
func (o *ScrapeOptions) checkRules(c *config) error {
	specs := o.Selects
	if o.RulesFile != "" {
		data, err := os.ReadFile(o.RulesFile)
		if err != nil {
			return &UsageError{Flag: "rules", Err: err}
		}
		file, err := extract.ParseRulesFile(data)
		if err != nil {
			return usageErr("rules", "%s: %v", o.RulesFile, err)
		}
		if _, err := extract.Compile(file); err != nil {
			return usageErr("rules", "%s: %v", o.RulesFile, err)
		}
		if specs, err = extract.Merge(file, o.Selects); err != nil {
			return &UsageError{Flag: "select", Err: err}
		}
	}
	var err error
	if c.rules, err = extract.Compile(specs); err != nil {
		return &UsageError{Flag: "select", Err: err}
	}
	if c.extract, err = extract.ParseExtract(o.Extract); err != nil {
		return &UsageError{Flag: "extract", Err: err}
	}
	return nil
}

// checkReporting: what trawl says on stderr, and --max-failures.
func (o *ScrapeOptions) checkReporting(*config) error {
	switch {
	case o.MaxFailures < 0:
		return usageErr("max-failures", "must be 0 or more, not %d", o.MaxFailures)
	case o.Progress != "auto" && o.Progress != "always" && o.Progress != "never":
		return usageErr("progress", "want auto, always or never, not %q", o.Progress)
	case o.LogFormat != "text" && o.LogFormat != "json":
		return usageErr("log-format", "want text or json, not %q", o.LogFormat)
	case o.Quiet && o.Verbose:
		return usageErr("quiet", "cannot be used with --verbose")
	}
	return nil
}

// OrderedWindow is how many records --ordered may hold back, at most, while
// it waits for an earlier one: memory is bounded by it, not by the list.
func OrderedWindow(concurrency int) int {
	if n := 64 * concurrency; n > 4096 {
		return n
	}
	return 4096
}

// rateFlag is a --rate or --host-rate value. A value that does not parse is
// kept, with its error, for validate: bad flags are refused there, all in
// one place, with the flag's name.
type rateFlag struct {
	p   *rate.Limit
	err *error
	s   string
}

func (f *rateFlag) String() string { return f.s }
func (f *rateFlag) Type() string   { return "RATE" }
func (f *rateFlag) Set(s string) error {
	f.s = s
	*f.p, *f.err = ratelimit.ParseRate(s)
	return nil
}

// parseHeaders parses -H 'K: V' values.
func parseHeaders(hs []string) (http.Header, error) {
	h := http.Header{}
	for _, s := range hs {
		k, v, ok := strings.Cut(s, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t\r\n") || !validToken(k) {
			return nil, fmt.Errorf("%q: want 'Name: value'", s)
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			return nil, fmt.Errorf("%q: a header value may not contain a line break or control character", s)
		}
		h.Add(textproto.CanonicalMIMEHeaderKey(k), strings.TrimSpace(v))
	}
	return h, nil
}

func validToken(s string) bool {
	for _, c := range s {
		if c <= ' ' || c >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c) {
			return false
		}
	}
	return true
}
