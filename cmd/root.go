// Package cmd holds trawl's cobra commands: flags become a validated
// configuration, the stages are wired together, and errors become exit codes.
// It does no HTTP, parsing or formatting itself.
package cmd

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// BuildInfo says what binary this is.
type BuildInfo struct {
	Version string
	Commit  string
}

// Env is what every command gets from main: its streams, the signals that
// interrupt a run, and the build.
type Env struct {
	IO      *IOStreams
	Signals <-chan os.Signal
	Build   BuildInfo
}

// Main runs trawl with args and returns the exit code.
func Main(ctx context.Context, env *Env, args []string) int {
	root := NewCmdRoot(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	report(env.IO, err)
	return ExitCode(err)
}

// NewCmdRoot returns the trawl command with its subcommands.
func NewCmdRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "trawl",
		Short: "A fast, polite, concurrent web scraper for URL lists",
		Long: `trawl fetches every URL of a list (files or stdin), politely and concurrently,
extracts title, description and --select fields from each HTML page, and
streams one record per URL as JSON Lines, JSON or CSV.

  trawl demo                          scrape the built-in site (no network)
  trawl scrape urls.txt > out.jsonl   scrape a URL file
  cat urls.txt | trawl scrape -f csv  read stdin, write CSV`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       env.Build.Version,
	}
	root.SetOut(env.IO.Out)
	root.SetErr(env.IO.ErrOut)
	root.SetIn(env.IO.In)
	root.SetVersionTemplate(versionText(env.Build))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &UsageError{Err: err}
	})
	root.AddCommand(
		NewCmdScrape(env, nil),
		NewCmdDemo(env, nil),
		NewCmdCrawl(env, nil),
		NewCmdVersion(env),
	)
	root.CompletionOptions.HiddenDefaultCmd = false
	return root
}

// NewCmdVersion returns `trawl version`.
func NewCmdVersion(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print version, commit and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(env.IO.Out, versionText(env.Build))
			return err
		},
	}
}

func versionText(b BuildInfo) string {
	commit := b.Commit
	if commit == "" {
		commit = "unknown"
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					commit = s.Value
				}
			}
		}
	}
	return fmt.Sprintf("trawl %s\ncommit %s\n%s %s/%s\n", b.Version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
