package cmd

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

// progress shows a run moving on stderr. The writer stage calls it once per
// record; it redraws a few times a second at most, so that it costs nothing
// measurable on a fast run.
type progress struct {
	bar         *progressbar.ProgressBar
	start       time.Time
	lastDraw    time.Time
	done        int64
	ok, failed  int64
	pendingAdds int
}

// redrawEvery throttles the bar.
const redrawEvery = 150 * time.Millisecond

// newProgress returns the bar for this run, or nil when it is not wanted:
// --progress never, -q, or auto with stderr not a terminal. total < 0 means
// unknown (stdin): a spinner with the same counts.
func newProgress(ios *IOStreams, opts *ScrapeOptions, total int64) *progress {
	switch {
	case opts.Quiet, opts.Progress == "never":
		return nil
	case opts.Progress == "auto" && !ios.ErrTTY:
		return nil
	}
	color := ios.ErrTTY && ios.Getenv("NO_COLOR") == ""
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(ios.ErrOut),
		progressbar.OptionSetDescription("fetching"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("pages"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionThrottle(redrawEvery),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionEnableColorCodes(color),
		progressbar.OptionUseANSICodes(ios.ErrTTY),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetRenderBlankState(true),
	)
	return &progress{bar: bar, start: time.Now()}
}

// totalFor counts the URLs of the input files for the bar, when they are
// all regular files; -1 when any is stdin or a pipe.
func totalFor(files []string) int64 {
	if len(files) == 0 {
		return -1
	}
	var total int64
	for _, f := range files {
		if f == "-" {
			return -1
		}
		fh, err := os.Open(f)
		if err != nil {
			return -1
		}
		st, err := fh.Stat()
		if err != nil || !st.Mode().IsRegular() {
			fh.Close()
			return -1
		}
		n, err := input.CountLines(fh)
		fh.Close()
		if err != nil {
			return -1
		}
		total += n
	}
	return total
}

// add counts one record.
func (p *progress) add(r *output.Record) {
	if p == nil {
		return
	}
	p.done++
	if r.Failed() {
		p.failed++
	} else {
		p.ok++
	}
	p.pendingAdds++
	if now := time.Now(); now.Sub(p.lastDraw) >= redrawEvery {
		p.lastDraw = now
		p.bar.Add(p.pendingAdds)
		p.pendingAdds = 0
		p.bar.Describe(fmt.Sprintf("%d ok, %d failed", p.ok, p.failed))
	}
}

// finish clears the bar, so the summary stands alone.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.bar.Add(p.pendingAdds)
	p.bar.Clear()
	p.bar.Exit()
}
