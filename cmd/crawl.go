package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/trawl-dev/trawl/extract"
	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/frontier"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

// CrawlOptions are scrape's options plus the crawl's.
type CrawlOptions struct {
	ScrapeOptions
	// SeedArgs are the SEED_URL arguments; SeedsFile is --seeds.
	SeedArgs  []string
	SeedsFile string
	Depth     int
	Scope     string
	Include   []string
	Exclude   []string
	Follow    []string
	MaxPages  int
	Sitemaps  bool
	// shard is --shard, which a crawl refuses (for now).
	shard string
}

// NewCmdCrawl returns `trawl crawl`: seeds, then the links their pages lead
// to, with scrape's engine, records, exit codes and interrupts.
func NewCmdCrawl(env *Env, runF func(*CrawlOptions) error) *cobra.Command {
	opts := &CrawlOptions{}
	cmd := &cobra.Command{
		Use:   "crawl [flags] [SEED_URL ...]",
		Short: "Start from seed URLs and follow links (depth, scope, sitemaps); one record per page",
		Example: `  trawl crawl https://example.com/ --depth 2 -o site.jsonl
  trawl crawl --seeds seeds.txt --scope domain --exclude '\?sort=' --max-pages 10000
  trawl crawl https://docs.example.com/guide/ --scope prefix --sitemaps -f csv -o docs.csv
  trawl crawl https://example.com/ -o site.jsonl --resume      # after an interrupt or a kill`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.SeedArgs = args
			if runF != nil {
				return runF(opts)
			}
			return runCrawl(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	AddScrapeFlags(f, &opts.ScrapeOptions, env.Build.Version)
	f.StringVar(&opts.SeedsFile, "seeds", "", "read seed URLs from `FILE`, one a line (- for stdin), besides the arguments")
	f.IntVar(&opts.Depth, "depth", 3, "follow links this many steps from the seeds (0: the seeds only)")
	f.StringVar(&opts.Scope, "scope", "host", "which links are followed: host, domain (registrable, by the public suffix list), prefix (the seed's path) or any")
	f.StringArrayVar(&opts.Include, "include", nil, "follow only URLs matching this Go `REGEXP` (repeatable; any of them)")
	f.StringArrayVar(&opts.Exclude, "exclude", nil, "do not follow URLs matching this Go `REGEXP` (repeatable)")
	f.StringArrayVar(&opts.Follow, "follow", nil, "take links from `SELECTOR@attr` (repeatable; default a[href]@href)")
	f.IntVar(&opts.MaxPages, "max-pages", 0, "fetch at most N URLs, then stop (0: no limit)")
	f.BoolVar(&opts.Sitemaps, "sitemaps", false, "also seed the URLs of each seed origin's sitemaps (robots.txt Sitemap: lines, else /sitemap.xml)")
	f.StringVar(&opts.shard, "shard", "", "not supported by crawl yet")
	f.MarkHidden("shard")
	return cmd
}

// maxDepth bounds --depth.
const maxDepth = 1000

// crawlConfig is the validated shape of a crawl.
type crawlConfig struct {
	frontier.CrawlConfig
	follow []extract.FollowRule
}

// validateCrawl checks the crawl's own flags, naming them.
func (o *CrawlOptions) validateCrawl() (*crawlConfig, error) {
	c := &crawlConfig{}
	if o.shard != "" {
		return nil, usageErr("shard", "a crawl cannot be split over machines yet: its discovered links would need routing to the shard that owns their host")
	}
	if err := intInRange("depth", o.Depth, 0, maxDepth); err != nil {
		return nil, err
	}
	if err := intInRange("max-pages", o.MaxPages, 0, 1<<40); err != nil {
		return nil, err
	}
	var err error
	if c.Scope, err = frontier.ParseScope(o.Scope); err != nil {
		return nil, &UsageError{Flag: "scope", Err: err}
	}
	for _, re := range []struct {
		flag string
		in   []string
		out  *[]*regexp.Regexp
	}{{"include", o.Include, &c.Include}, {"exclude", o.Exclude, &c.Exclude}} {
		for _, s := range re.in {
			x, err := regexp.Compile(s)
			if err != nil {
				return nil, usageErr(re.flag, "%q: %v", s, err)
			}
			*re.out = append(*re.out, x)
		}
	}
	if c.follow, err = extract.ParseFollow(o.Follow); err != nil {
		return nil, &UsageError{Flag: "follow", Err: err}
	}
	if len(o.SeedArgs) == 0 && o.SeedsFile == "" {
		return nil, &UsageError{Err: errors.New("no seeds: give SEED_URL arguments or --seeds FILE")}
	}
	c.Depth, c.MaxPages, c.Sitemaps = o.Depth, o.MaxPages, o.Sitemaps
	return c, nil
}

func runCrawl(ctx context.Context, env *Env, opts *CrawlOptions) error {
	cc, err := opts.validateCrawl()
	if err != nil {
		return err
	}
	var more []namedFile
	if opts.SeedsFile != "" && opts.SeedsFile != "-" {
		more = append(more, namedFile{"seeds", opts.SeedsFile})
	}
	return runPipeline(ctx, env, &opts.ScrapeOptions, more, func(r *scrapeRun) error {
		return r.openCrawl(opts, cc)
	})
}

// openCrawl reads the seeds, checks --resume against the crawl's state, and
// sets up the crawl's door and extraction.
func (r *scrapeRun) openCrawl(opts *CrawlOptions, cc *crawlConfig) error {
	seeds, err := readSeeds(r.env.IO, opts)
	if err != nil {
		return err
	}
	cfg := r.cfg
	r.schema = output.Schema{Fields: cfg.rules.Names(), Extract: cfg.extract, Crawl: true}
	if err := opts.checkCSVNames(cfg, r.schema); err != nil {
		return err
	}
	xc := extract.Config{Rules: cfg.rules, Extract: cfg.extract, Follow: cc.follow, Agent: fetch.ProductToken(cfg.fetch.UserAgent), IgnoreRobots: cfg.fetch.IgnoreRobots}
	if err := r.openExtraction(xc); err != nil {
		return err
	}
	cc.Shape = shapeOf(opts, seeds)
	toFile := opts.Output != "" && opts.Output != "-"
	if toFile && cfg.format == output.JSONL && cfg.compression == output.NoCompression {
		cc.StateDir = frontier.StateDir(opts.Output)
	}
	if opts.Resume {
		if err := checkCrawlResume(opts.Output, cc); err != nil {
			return err
		}
		if err := r.openResume(); err != nil {
			return err
		}
		cc.Resume, cc.Done = frontier.StateExists(cc.StateDir), r.done
	}
	cc.Ordered = r.win
	crawl, err := frontier.NewCrawl(seeds, cc.CrawlConfig)
	if err != nil {
		return err
	}
	r.door, r.crawl = crawl, crawl
	cfg.fetch.ClaimHop = crawl.ClaimHop
	return nil
}

// checkCrawlResume: --resume continues a crawl whose state is there, with
// the same shape; a FILE with records and no state is a crawl that ended.
func checkCrawlResume(out string, cc *crawlConfig) error {
	if frontier.StateExists(cc.StateDir) {
		if err := frontier.CheckShape(cc.StateDir, cc.Shape); err != nil {
			return &UsageError{Flag: "resume", Err: err}
		}
		return nil
	}
	if st, err := os.Stat(out); err == nil && st.Size() > 0 {
		return &UsageError{Flag: "resume", Err: fmt.Errorf("%s: %w", out, frontier.ErrNothingToResume)}
	}
	return nil
}

// readSeeds reads the seed arguments and --seeds into Items: a crawl holds
// its seeds (the scope of every chain is one of them).
func readSeeds(ios *IOStreams, opts *CrawlOptions) ([]input.Item, error) {
	var seeds []input.Item
	for _, a := range opts.SeedArgs {
		seeds = append(seeds, input.Parse(a))
	}
	if opts.SeedsFile == "" {
		return seeds, nil
	}
	srcs, closeSrcs, err := openSources(ios, []string{opts.SeedsFile})
	if err != nil {
		return nil, &UsageError{Flag: "seeds", Err: err}
	}
	defer closeSrcs()
	s, err := input.Open(input.FormatLines, "url", srcs)
	if err != nil {
		return nil, err
	}
	for {
		it, err := s.Next()
		if err == io.EOF {
			return seeds, nil
		}
		if err != nil {
			return nil, &UsageError{Flag: "seeds", Err: err}
		}
		seeds = append(seeds, it)
	}
}

// shapeOf is what shapes the crawl, for its state: a resumed crawl must be
// shaped the same.
func shapeOf(opts *CrawlOptions, seeds []input.Item) frontier.Shape {
	sh := frontier.Shape{Depth: opts.Depth, Scope: opts.Scope, Include: opts.Include, Exclude: opts.Exclude,
		Follow: opts.Follow, Sitemaps: opts.Sitemaps}
	for _, s := range seeds {
		sh.Seeds = append(sh.Seeds, s.Raw)
	}
	return sh
}

// tap passes a crawl's records through its frontier on their way to the
// writer: each page's links are admitted (and journaled) before its record
// is written; a sitemap's record is not written, and its warning is printed.
func (r *scrapeRun) tap(in <-chan *output.Record) <-chan *output.Record {
	out := make(chan *output.Record, cap(in))
	go func() {
		defer close(out)
		for rec := range in {
			write, warning := r.crawl.Finished(rec)
			if warning != "" && !r.opts.Quiet {
				fmt.Fprintf(r.env.IO.ErrOut, "trawl: warning: %s\n", warning)
			}
			if write {
				out <- rec
			}
		}
	}()
	return out
}
