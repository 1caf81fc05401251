package frontier

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Shape is what shapes a crawl: the flags whose change would make a resumed
// crawl a different one (SPEC.md). It is kept in the state directory and
// compared on --resume.
type Shape struct {
	Seeds    []string `json:"seeds"`
	Depth    int      `json:"depth"`
	Scope    string   `json:"scope"`
	Include  []string `json:"include"`
	Exclude  []string `json:"exclude"`
	Follow   []string `json:"follow"`
	Sitemaps bool     `json:"sitemaps"`
}

// Diff names the flags in which s and o differ, in flag order.
func (s Shape) Diff(o Shape) []string {
	var d []string
	if !slices.Equal(s.Seeds, o.Seeds) {
		d = append(d, "the seeds")
	}
	if s.Depth != o.Depth {
		d = append(d, "--depth")
	}
	if s.Scope != o.Scope {
		d = append(d, "--scope")
	}
	if !slices.Equal(s.Include, o.Include) {
		d = append(d, "--include")
	}
	if !slices.Equal(s.Exclude, o.Exclude) {
		d = append(d, "--exclude")
	}
	if !slices.Equal(s.Follow, o.Follow) {
		d = append(d, "--follow")
	}
	if s.Sitemaps != o.Sitemaps {
		d = append(d, "--sitemaps")
	}
	return d
}

// State is a crawl's journal in FILE.crawl/: its shape, and a log of what it
// admitted, appended as it goes. It is what --resume continues from, even
// after SIGKILL: every line is written (a write(2), no fsync: a killed
// process loses nothing the kernel has) before the record of the page that
// led to it, so a page with a record in FILE has its links in the log.
type State struct {
	dir string
	f   *os.File
	bw  *bufio.Writer
}

const (
	shapeFile = "shape.json"
	logFile   = "crawl.log"
)

// ErrNothingToResume is --resume of a crawl that ended: its output has
// records, and its state is gone.
var ErrNothingToResume = errors.New("nothing to resume: the crawl that wrote it ended (its state directory is gone)")

// StateDir is the state directory of a crawl writing to output.
func StateDir(output string) string { return output + ".crawl" }

// replay is what a journal holds, handed over line by line on --resume so
// that a crawl of millions of pages is read back in bounded memory.
type replay interface {
	// replayAdmitted is an admitted entry, in admission order.
	replayAdmitted(Entry)
	// replaySeedFinal is a seed's final URL.
	replaySeedFinal(seed int, final string)
	// replaySeen is a URL seen besides the admitted ones (a redirect's
	// target).
	replaySeen(url string)
}

// CreateState starts a new journal in dir, replacing one left by a crawl
// that was not resumed.
func CreateState(dir string, shape Shape) (*State, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("crawl state %s: %w", dir, err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("crawl state: %w", err)
	}
	b, err := json.MarshalIndent(shape, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, shapeFile), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("crawl state: %w", err)
	}
	return openLog(dir)
}

// openState opens the journal in dir for --resume: it checks that shape is
// the stored one and replays the log into r, cutting off a torn last line.
func openState(dir string, shape Shape, r replay) (*State, error) {
	if err := CheckShape(dir, shape); err != nil {
		return nil, err
	}
	keep, err := readLog(filepath.Join(dir, logFile), r)
	if err != nil {
		return nil, err
	}
	if err := os.Truncate(filepath.Join(dir, logFile), keep); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("crawl state: %w", err)
	}
	return openLog(dir)
}

// CheckShape fails when the crawl whose state is in dir was shaped
// otherwise than shape, naming the flags that differ.
func CheckShape(dir string, shape Shape) error {
	b, err := os.ReadFile(filepath.Join(dir, shapeFile))
	if err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	var stored Shape
	if err := json.Unmarshal(b, &stored); err != nil {
		return fmt.Errorf("crawl state %s: %w", filepath.Join(dir, shapeFile), err)
	}
	if d := shape.Diff(stored); len(d) > 0 {
		return fmt.Errorf("%s differ from those of the interrupted crawl (%s): resume with the same ones, or start anew without --resume",
			strings.Join(d, ", "), filepath.Join(dir, shapeFile))
	}
	return nil
}

func openLog(dir string) (*State, error) {
	f, err := os.OpenFile(filepath.Join(dir, logFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("crawl state: %w", err)
	}
	return &State{dir: dir, f: f, bw: bufio.NewWriterSize(f, 64<<10)}, nil
}

// The log's lines, tab-separated (URLs are normalized: no tab, no newline):
//
//	a <depth> <seed> <referrer> <url>   an admitted URL
//	s <seed> <final url>                a seed's final URL
//	f <url>                             a URL seen as a redirect's target

func (s *State) logAdmitted(e Entry) {
	s.bw.WriteString("a\t" + strconv.Itoa(e.Depth) + "\t" + strconv.Itoa(e.Seed) + "\t" + e.Referrer + "\t" + e.URL + "\n")
}

func (s *State) logSeedFinal(seed int, final string) {
	s.bw.WriteString("s\t" + strconv.Itoa(seed) + "\t" + final + "\n")
}

func (s *State) logSeen(u string) { s.bw.WriteString("f\t" + u + "\n") }

// sync hands what was logged to the kernel; it is called before the record
// that led to it is written.
func (s *State) sync() error { return s.bw.Flush() }

// Close closes the journal, keeping it (an interrupted crawl).
func (s *State) Close() error {
	err := s.bw.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Remove closes the journal and removes the state directory: the crawl
// ended, nothing is left to resume.
func (s *State) Remove() error {
	s.f.Close()
	return os.RemoveAll(s.dir)
}

// readLog replays a journal into r; keep is the length of its whole lines.
func readLog(path string, r replay) (int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("crawl state: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	var keep int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			return keep, nil // a torn last line is dropped
		}
		if err != nil {
			return 0, fmt.Errorf("crawl state %s: %w", path, err)
		}
		keep += int64(len(line))
		if err := replayLine(bytes.TrimSuffix(line, []byte("\n")), r); err != nil {
			return 0, fmt.Errorf("crawl state %s: line %d: %v", path, n, err)
		}
	}
}

func replayLine(line []byte, r replay) error {
	parts := strings.Split(string(line), "\t")
	switch {
	case parts[0] == "a" && len(parts) == 5:
		depth, err1 := strconv.Atoi(parts[1])
		seed, err2 := strconv.Atoi(parts[2])
		if err1 != nil || err2 != nil {
			return errors.New("bad numbers")
		}
		r.replayAdmitted(Entry{URL: parts[4], Depth: depth, Seed: seed, Referrer: parts[3]})
	case parts[0] == "s" && len(parts) == 3:
		seed, err := strconv.Atoi(parts[1])
		if err != nil {
			return errors.New("bad seed number")
		}
		r.replaySeedFinal(seed, parts[2])
	case parts[0] == "f" && len(parts) == 2:
		r.replaySeen(parts[1])
	default:
		return fmt.Errorf("not a crawl state line: %.80q", line)
	}
	return nil
}
