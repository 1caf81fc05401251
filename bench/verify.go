package main

// Checking a client's records. It runs as its own child process (-verify),
// so the driver never holds records: a child's rusage maxrss on Linux is at
// least its parent's peak RSS at the exec, and the driver must stay small
// for the clients' peaks to be their own.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/trawl-dev/trawl/internal/site"
)

// listLayout says which URL is line k of a list, so that a record's url
// tells which page it must hold.
type listLayout struct {
	bases  []string // the site's base URLs, one per host
	n      int
	layout string // "interleaved" (host k mod H) or "blocks" (runs of N/H)
}

func (l *listLayout) host(k int) int {
	h := len(l.bases)
	if h <= 1 {
		return 0
	}
	if l.layout == "blocks" {
		per := (l.n + h - 1) / h
		return k / per
	}
	return k % h
}

// url is line k of the list.
func (l *listLayout) url(k int) string {
	return l.bases[l.host(k)] + "/p/" + strconv.Itoa(k)
}

// writeList writes the list's N lines to path.
func (l *listLayout) writeList(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	for k := 0; k < l.n; k++ {
		w.WriteString(l.url(k))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkSummary is what -verify reports.
type checkSummary struct {
	Records  int            `json:"records"`
	Good     int            `json:"good"`
	Bad      int            `json:"bad"`
	Missing  int            `json:"missing"`
	Problems map[string]int `json:"problems,omitempty"`
	Examples []string       `json:"examples,omitempty"`
	// Checked names what was compared beyond url, status and bytes.
	Checked string `json:"checked"`
}

func (c *checkSummary) OK(n int) bool {
	return c.Records == n && c.Good == n && c.Bad == 0 && c.Missing == 0
}

// checkRecord is what is read of each record.
type checkRecord struct {
	URL         string  `json:"url"`
	Status      int     `json:"status"`
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Fields      *struct {
		H1    *string   `json:"h1"`
		Price *[]string `json:"price"`
		Links *[]string `json:"links"`
	} `json:"fields"`
	Extracted map[string]json.RawMessage `json:"extracted"`
	Bytes     *int64                     `json:"bytes"`
	ErrorKind *string                    `json:"error_kind"`
	Error     *string                    `json:"error"`
}

type verifyOpts struct {
	file   string
	layout listLayout
	size   int
	// text: compare title and description (every client but bare).
	text bool
	// sel: compare fields.h1, fields.price and fields.links.
	sel bool
	// extract: check extracted.NAME (checkExtracted).
	extract string
}

// verify reads the JSON Lines records of file and checks each against the
// page its url names.
func verify(o verifyOpts) (*checkSummary, error) {
	f, err := os.Open(o.file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sum := &checkSummary{Problems: map[string]int{}, Checked: "url, status, bytes"}
	if o.text {
		sum.Checked += ", title, description"
	}
	if o.sel {
		sum.Checked += ", fields.h1, fields.price, fields.links"
	}
	if o.extract != "" {
		sum.Checked += ", extracted." + o.extract
	}
	seen := make([]bool, o.layout.n)
	prefixes := map[string]int{}
	for h, b := range o.layout.bases {
		prefixes[b+"/p/"] = h
	}
	var wantLinks []string
	br := bufio.NewReaderSize(f, 256<<10)
	lineNo := 0
	for {
		line, err := br.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		lineNo++
		sum.Records++
		var problems []string
		bad := func(kind, format string, args ...any) {
			problems = append(problems, kind)
			if len(sum.Examples) < 12 {
				sum.Examples = append(sum.Examples, fmt.Sprintf("line %d: %s: ", lineNo, kind)+fmt.Sprintf(format, args...))
			}
		}
		var r checkRecord
		if jerr := json.Unmarshal(line, &r); jerr != nil {
			bad("json", "%v: %.200q", jerr, line)
		} else {
			k := -1
			slash := strings.LastIndex(r.URL, "/p/")
			if slash >= 0 {
				if i, err := strconv.Atoi(r.URL[slash+3:]); err == nil && i >= 0 && i < o.layout.n {
					if h, ok := prefixes[r.URL[:slash+3]]; ok && h == o.layout.host(i) {
						k = i
					}
				}
			}
			switch {
			case k < 0:
				bad("url", "%q is not a URL of the list", r.URL)
			case seen[k]:
				bad("duplicate", "%q has a second record", r.URL)
			default:
				seen[k] = true
				checkPage(&r, k, o, &wantLinks, bad)
			}
		}
		if len(problems) == 0 {
			sum.Good++
		} else {
			sum.Bad++
			for _, p := range problems {
				sum.Problems[p]++
			}
		}
		if err == io.EOF {
			break
		}
	}
	for k, ok := range seen {
		if !ok {
			sum.Missing++
			if len(sum.Examples) < 12 {
				sum.Examples = append(sum.Examples, fmt.Sprintf("missing: no record for %s", o.layout.url(k)))
			}
		}
	}
	if sum.Missing > 0 {
		sum.Problems["missing"] = sum.Missing
	}
	return sum, nil
}

func checkPage(r *checkRecord, k int, o verifyOpts, wantLinks *[]string, bad func(kind, format string, args ...any)) {
	if r.ErrorKind != nil || r.Error != nil {
		bad("error", "error_kind %s, error %s", strOrNull(r.ErrorKind), strOrNull(r.Error))
	}
	if r.Status != 200 {
		bad("status", "status %d, want 200", r.Status)
	}
	if want := int64(site.BenchPageLen(k, o.size)); r.Bytes == nil || *r.Bytes != want {
		got := "null"
		if r.Bytes != nil {
			got = strconv.FormatInt(*r.Bytes, 10)
		}
		bad("bytes", "bytes %s, want %d", got, want)
	}
	if o.text {
		if want := site.BenchTitle(k); r.Title == nil || *r.Title != want {
			bad("title", "title %s, want %q", strOrNull(r.Title), want)
		}
		if want := site.BenchDescription(k); r.Description == nil || *r.Description != want {
			bad("description", "description %s, want %q", strOrNull(r.Description), want)
		}
	}
	if o.extract != "" {
		checkExtracted(r, k, o.extract, wantLinks, bad)
	}
	if !o.sel {
		return
	}
	if r.Fields == nil {
		bad("fields", "no fields object")
		return
	}
	if r.Fields.H1 == nil {
		bad("fields.h1", "fields.h1 missing or null")
	} else if want := site.BenchHeading(k); *r.Fields.H1 != want {
		bad("fields.h1", "fields.h1 %q, want %q", *r.Fields.H1, want)
	}
	if r.Fields.Price == nil {
		bad("fields.price", "fields.price missing or null")
	} else {
		got := *r.Fields.Price
		want := make([]string, site.BenchPricesPerPage)
		for i := range want {
			want[i] = site.BenchPrice(k, i)
		}
		if d := diffList(got, want); d != "" {
			bad("fields.price", "%s", d)
		}
	}
	if r.Fields.Links == nil {
		bad("fields.links", "fields.links missing or null")
		return
	}
	base, err := url.Parse(r.URL)
	if err != nil {
		bad("url", "%v", err)
		return
	}
	*wantLinks = site.BenchLinks(base, k, *wantLinks)
	if d := diffList(*r.Fields.Links, *wantLinks); d != "" {
		bad("fields.links", "%s", d)
	}
}

func diffList(got, want []string) string {
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			return fmt.Sprintf("item %d is %q, want %q", i, got[i], want[i])
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d items, want %d", len(got), len(want))
	}
	return ""
}

func strOrNull(s *string) string {
	if s == nil {
		return "null"
	}
	return strconv.Quote(*s)
}

// runVerify is the -verify mode: it prints the summary as one JSON line.
func runVerify(o verifyOpts) error {
	if o.layout.n < 1 || len(o.layout.bases) == 0 {
		return errors.New("-verify: want -n >= 1 and -bases")
	}
	sum, err := verify(o)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(sum)
}

// checkExtracted checks extracted.NAME on bench page k: the page has no
// structured data (jsonld and microdata [], opengraph {}), lang "en" (meta),
// its links exactly (links), and its first price in its main text (text,
// markdown).
func checkExtracted(r *checkRecord, k int, name string, wantLinks *[]string, bad func(kind, format string, args ...any)) {
	kind := "extracted." + name
	raw, ok := r.Extracted[name]
	if !ok {
		bad(kind, "no extracted.%s", name)
		return
	}
	var err error
	switch name {
	case "jsonld", "microdata":
		var v []any
		if err = json.Unmarshal(raw, &v); err == nil && (v == nil || len(v) > 0) {
			err = fmt.Errorf("%.100s, want []", raw)
		}
	case "opengraph":
		var v map[string]any
		if err = json.Unmarshal(raw, &v); err == nil && (v == nil || len(v) > 0) {
			err = fmt.Errorf("%.100s, want {}", raw)
		}
	case "meta":
		var v struct{ Lang *string }
		if err = json.Unmarshal(raw, &v); err == nil && (v.Lang == nil || *v.Lang != "en") {
			err = fmt.Errorf("lang %v, want \"en\"", strOrNull(v.Lang))
		}
	case "links":
		var v []struct{ URL string }
		if err = json.Unmarshal(raw, &v); err == nil {
			var base *url.URL
			if base, err = url.Parse(r.URL); err == nil {
				*wantLinks = site.BenchLinks(base, k, *wantLinks)
				got := make([]string, len(v))
				for i, l := range v {
					got[i] = l.URL
				}
				if d := diffList(got, *wantLinks); d != "" {
					err = errors.New(d)
				}
			}
		}
	case "text", "markdown":
		var v string
		if err = json.Unmarshal(raw, &v); err == nil && !strings.Contains(v, site.BenchPrice(k, 0)) {
			err = fmt.Errorf("%.100q lacks the first price %q", v, site.BenchPrice(k, 0))
		}
	default:
		err = fmt.Errorf("no check for extractor %q", name)
	}
	if err != nil {
		bad(kind, "%v", err)
	}
}
