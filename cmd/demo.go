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
  trawl demo --pages 1000 -c 64 --per-host 64 -f csv -o demo.csv`,
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
	return cmd
}

func runDemo(ctx context.Context, env *Env, opts *DemoOptions) error {
	if opts.Pages < 1 {
		return usageErr("pages", "must be at least 1, not %d", opts.Pages)
	}
	if len(opts.Selects) == 0 {
		opts.Selects = demoSelects
	}
	if _, err := opts.validate(); err != nil {
		return err
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return usageErr("port", "must be from 0 to 65535, not %d", opts.Port)
	}
	srv, err := site.Start(ctx, site.Options{Pages: opts.Pages, Port: opts.Port})
	if err != nil {
		return fmt.Errorf("start demo site: %w", err)
	}
	defer srv.Close()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(site.PageURLs(pw, srv.URL, opts.Pages)) }()
	defer pr.Close()
	return runScrape(ctx, env, &opts.ScrapeOptions, []input.Source{{Name: "demo", R: pr}}, int64(opts.Pages))
}
