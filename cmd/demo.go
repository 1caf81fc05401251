package cmd

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/internal/site"
)

// DemoOptions are scrape's options plus the size of the built-in site.
type DemoOptions struct {
	ScrapeOptions
	Pages int
	Port  int
	// Serve serves the site until interrupted instead of scraping it.
	Serve bool
}

// demoSelects are the demo's rules when the user gives none, to show fields.
var demoSelects = []string{"h1=h1", "price=.price"}

// NewCmdDemo returns `trawl demo`: the built-in site on a free loopback port,
// scraped with the same engine and flags as scrape.
func NewCmdDemo(env *Env, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{}
	cmd := &cobra.Command{
		Use:   "demo [flags]",
		Short: "Scrape the built-in site on a loopback port (no network needed)",
		Example: `  trawl demo
  trawl demo --pages 1000 -c 64 --per-host 64 -f csv -o demo.csv
  trawl demo --serve --port 8089 > urls.txt &   # the site alone, for scrape and crawl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDemo(cmd.Context(), env, opts)
		},
	}
	AddScrapeFlags(cmd.Flags(), &opts.ScrapeOptions, env.Build.Version)
	cmd.Flags().IntVar(&opts.Pages, "pages", site.DefaultPages, "pages of the built-in site to scrape")
	cmd.Flags().IntVar(&opts.Port, "port", 0, "serve the built-in site on this 127.0.0.1 port (0: a free one); a fixed port keeps URLs, and so --cache and --resume, the same across runs")
	cmd.Flags().BoolVar(&opts.Serve, "serve", false, "only serve the site: print its page URLs on stdout, one a line, and serve until interrupted")
	return cmd
}

// maxDemoPages bounds --pages: the site renders pages on demand, but a
// list longer than this is a typo.
const maxDemoPages = 10_000_000

func runDemo(ctx context.Context, env *Env, opts *DemoOptions) error {
	if err := intInRange("pages", opts.Pages, 1, maxDemoPages); err != nil {
		return err
	}
	if err := intInRange("port", opts.Port, 0, 65535); err != nil {
		return err
	}
	if opts.Serve {
		return serveDemo(ctx, env, opts)
	}
	if len(opts.Selects) == 0 {
		opts.Selects = demoSelects
	}
	if _, err := opts.validate(); err != nil {
		return err
	}
	srv, err := site.Start(ctx, site.Options{Pages: opts.Pages, Port: opts.Port})
	if err != nil {
		return fmt.Errorf("start demo site: %w", err)
	}
	defer srv.Close()
	// With --extract the demo scrapes its article too, first: it is what
	// text, markdown and the structured data show best.
	total := int64(opts.Pages)
	var article string
	if len(opts.Extract) > 0 {
		article = srv.URL + site.ArticlePath + "\n"
		total++
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := io.WriteString(pw, article)
		if err == nil {
			err = site.PageURLs(pw, srv.URL, opts.Pages)
		}
		pw.CloseWithError(err)
	}()
	defer pr.Close()
	return runScrape(ctx, env, &opts.ScrapeOptions, []input.Source{{Name: "demo", R: pr}}, total)
}

// serveDemo serves the site on 127.0.0.1 and prints its page URLs on
// stdout, then serves until a signal (exit 0) or the end of ctx.
func serveDemo(ctx context.Context, env *Env, opts *DemoOptions) error {
	srv, err := site.Start(ctx, site.Options{Pages: opts.Pages, Port: opts.Port})
	if err != nil {
		return fmt.Errorf("start demo site: %w", err)
	}
	defer srv.Close()
	if err := site.PageURLs(env.IO.Out, srv.URL, opts.Pages); err != nil {
		return outputErr("", err)
	}
	if !opts.Quiet {
		fmt.Fprintf(env.IO.ErrOut, "trawl: serving the demo site at %s/ (sitemap %s/sitemap.xml); Ctrl-C ends it\n", srv.URL, srv.URL)
	}
	select {
	case <-env.Signals:
	case <-ctx.Done():
	}
	return nil
}
