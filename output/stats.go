package output

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Histogram records non-negative values (milliseconds) in log-linear buckets:
// exact below 128, then 64 buckets per power of two, so a percentile is
// within 1/64 (1.6%) of the true value in constant memory.
type Histogram struct {
	counts [histBuckets]int64
	n      int64
	max    int64
}

const (
	histLinear  = 128
	histSub     = 64
	histBuckets = histLinear + 57*histSub
)

func bucketOf(v int64) int {
	if v < histLinear {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	e := bits.Len64(uint64(v)) - 7 // v>>e is in [64, 128)
	return histLinear + (e-1)*histSub + int(v>>e) - histSub
}

// bucketHigh is the largest value that falls in bucket i.
func bucketHigh(i int) int64 {
	if i < histLinear {
		return int64(i)
	}
	e := (i-histLinear)/histSub + 1
	sub := int64((i-histLinear)%histSub + histSub)
	return (sub+1)<<e - 1
}

// Record adds one value.
func (h *Histogram) Record(v int64) {
	h.counts[bucketOf(v)]++
	h.n++
	if v > h.max {
		h.max = v
	}
}

// Count is the number of values recorded.
func (h *Histogram) Count() int64 { return h.n }

// Max is the largest value recorded.
func (h *Histogram) Max() int64 { return h.max }

// Quantile returns the value below which a fraction q of the values fall, as
// the upper bound of its bucket (never above Max); 0 when empty.
func (h *Histogram) Quantile(q float64) int64 {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.9999999)
	if rank < 1 {
		rank = 1
	}
	var seen int64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			if v := bucketHigh(i); v < h.max {
				return v
			}
			return h.max
		}
	}
	return h.max
}

// Stats are the run's statistics, fed one record at a time.
type Stats struct {
	URLs, OK, Failed int64
	ByKind           map[ErrorKind]int64
	ByStatus         map[int]int64
	Retries          int64
	Bytes            int64
	Latency          Histogram
	Started          time.Time
	Finished         time.Time
	Interrupted      bool
	// Run is what --stats says of the run beyond its counts.
	Run RunInfo
	// Crawl, in a crawl, are its figures.
	Crawl *CrawlStats
	// Slowdowns are the hosts adaptive politeness slowed (at most 100),
	// and how many times each was.
	Slowdowns map[string]int
}

// CrawlStats are a crawl's figures in the summary and --stats.
type CrawlStats struct {
	// Discovered are the distinct URLs admitted; Queued those admitted
	// but neither fetched nor refused when the run ended.
	Discovered, Queued int64
	// MaxDepth is the greatest depth among the records.
	MaxDepth int
	// SitemapWarnings count sitemaps that could not be read whole.
	SitemapWarnings int64
}

// RunInfo describes a run for --stats: how it ended and what it read and
// wrote, so that a monitor needs nothing but the stats file.
type RunInfo struct {
	ExitCode int
	// Error is the fatal message of an exit 1; nil otherwise.
	Error       *string
	MaxFailures int64
	Version     string
	// Inputs are the input FILEs as given ("-" for stdin).
	Inputs []string
	// Output is the -o FILE; nil for stdout.
	Output *string
}

// NewStats returns empty statistics for a run started at start.
func NewStats(start time.Time) *Stats {
	return &Stats{ByKind: make(map[ErrorKind]int64), ByStatus: make(map[int]int64), Started: start}
}

// Add counts one record.
func (s *Stats) Add(r *Record) {
	s.URLs++
	if r.Failed() {
		s.Failed++
		s.ByKind[r.ErrorKind]++
	} else {
		s.OK++
	}
	s.ByStatus[r.Status]++
	if r.Attempts > 1 {
		s.Retries += int64(r.Attempts - 1)
	}
	s.Bytes += r.Bytes
	if r.Attempts > 0 {
		s.Latency.Record(r.ElapsedMS)
	}
	if s.Crawl != nil && r.Depth > s.Crawl.MaxDepth {
		s.Crawl.MaxDepth = r.Depth
	}
}

// Elapsed is the run's wall time.
func (s *Stats) Elapsed() time.Duration { return s.Finished.Sub(s.Started) }

// PagesPerSecond is records completed per second of wall time.
func (s *Stats) PagesPerSecond() float64 {
	if d := s.Elapsed().Seconds(); d > 0 {
		return float64(s.URLs) / d
	}
	return 0
}

// Summary is the human summary for stderr: one or two lines.
func (s *Stats) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d URLs: %d ok, %d failed", s.URLs, s.OK, s.Failed)
	if s.Failed > 0 {
		var parts []string
		for _, k := range kinds {
			if n := s.ByKind[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, n))
			}
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, ", %d retries, %s in %s", s.Retries, FormatSize(s.Bytes), s.Elapsed().Round(time.Millisecond))
	if s.Interrupted {
		b.WriteString(" (interrupted)")
	}
	fmt.Fprintf(&b, "\n%.1f pages/s, latency p50 %dms p95 %dms",
		s.PagesPerSecond(), s.Latency.Quantile(0.50), s.Latency.Quantile(0.95))
	if c := s.Crawl; c != nil {
		fmt.Fprintf(&b, "; crawl: %d discovered, %d queued, max depth %d", c.Discovered, c.Queued, c.MaxDepth)
		if c.SitemapWarnings > 0 {
			fmt.Fprintf(&b, ", %d sitemap warnings", c.SitemapWarnings)
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// MarshalJSON writes the --stats document with SPEC.md's keys.
func (s *Stats) MarshalJSON() ([]byte, error) {
	type latency struct {
		P50 int64 `json:"p50"`
		P95 int64 `json:"p95"`
		P99 int64 `json:"p99"`
		Max int64 `json:"max"`
	}
	byKind := make(map[string]int64, len(kinds))
	for _, k := range kinds {
		byKind[string(k)] = s.ByKind[k]
	}
	inputs := s.Run.Inputs
	if inputs == nil {
		inputs = []string{}
	}
	slowdowns := s.Slowdowns
	if slowdowns == nil {
		slowdowns = map[string]int{}
	}
	byStatus := make(map[string]int64, len(s.ByStatus))
	codes := make([]int, 0, len(s.ByStatus))
	for c := range s.ByStatus {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		byStatus[strconv.Itoa(c)] = s.ByStatus[c]
	}
	type crawl struct {
		Discovered      int64 `json:"discovered"`
		Queued          int64 `json:"queued"`
		MaxDepth        int   `json:"max_depth"`
		SitemapWarnings int64 `json:"sitemap_warnings"`
	}
	var c *crawl
	if s.Crawl != nil {
		c = &crawl{s.Crawl.Discovered, s.Crawl.Queued, s.Crawl.MaxDepth, s.Crawl.SitemapWarnings}
	}
	return json.Marshal(struct {
		URLs        int64            `json:"urls"`
		OK          int64            `json:"ok"`
		Failed      int64            `json:"failed"`
		ByKind      map[string]int64 `json:"by_error_kind"`
		ByStatus    map[string]int64 `json:"by_status"`
		Retries     int64            `json:"retries"`
		Bytes       int64            `json:"bytes"`
		ElapsedS    float64          `json:"elapsed_s"`
		PagesPerS   float64          `json:"pages_per_s"`
		Latency     latency          `json:"latency_ms"`
		StartedAt   string           `json:"started_at"`
		FinishedAt  string           `json:"finished_at"`
		Interrupted bool             `json:"interrupted"`
		ExitCode    int              `json:"exit_code"`
		Error       *string          `json:"error"`
		MaxFailures int64            `json:"max_failures"`
		Version     string           `json:"version"`
		Inputs      []string         `json:"inputs"`
		Output      *string          `json:"output"`
		Slowdowns   map[string]int   `json:"slowdowns"`
		*crawl
	}{
		s.URLs, s.OK, s.Failed, byKind, byStatus, s.Retries, s.Bytes,
		round3(s.Elapsed().Seconds()), round3(s.PagesPerSecond()),
		latency{s.Latency.Quantile(.50), s.Latency.Quantile(.95), s.Latency.Quantile(.99), s.Latency.Max()},
		s.Started.UTC().Format(TimeLayout), s.Finished.UTC().Format(TimeLayout), s.Interrupted,
		s.Run.ExitCode, s.Run.Error, s.Run.MaxFailures, s.Run.Version, inputs, s.Run.Output, slowdowns, c,
	})
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// FormatSize writes n bytes in binary units, as --max-body takes them.
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
