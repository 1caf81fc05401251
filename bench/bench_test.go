package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/extract"
	"github.com/trawl-dev/trawl/internal/site"
	"github.com/trawl-dev/trawl/output"
)

// Each floor's records, and the site's pages, pass the checker; a wrong
// record does not.
func TestFloorsPassTheChecker(t *testing.T) {
	const size, pages = 8192, 20
	srv := httptest.NewServer(&site.Bench{Size: size, Pages: pages})
	defer srv.Close()
	client := srv.Client()
	cases := []struct {
		kind      string
		sel, text bool
	}{
		{"bare", false, false},
		{"tokenizer", false, true},
		{"parse", false, true},
		{"parse", true, true},
	}
	for _, c := range cases {
		f := &floor{kind: c.kind, sel: c.sel, client: client, buf: make([]byte, 32<<10)}
		o := verifyOpts{size: size, text: c.text, sel: c.sel, layout: listLayout{bases: []string{srv.URL}, n: pages}}
		for k := 0; k < pages; k++ {
			line, err := appendJSONLine(nil, f.fetch(o.layout.url(k)))
			if err != nil {
				t.Fatal(err)
			}
			var r checkRecord
			if err := json.Unmarshal(line, &r); err != nil {
				t.Fatal(err)
			}
			var wantLinks []string
			checkPage(&r, k, o, &wantLinks, func(kind, format string, args ...any) {
				t.Errorf("%s floor (select %v), page %d: %s: %s", c.kind, c.sel, k, kind, line)
			})
		}
	}

	// A record with another page's title fails.
	r := checkRecord{URL: srv.URL + "/p/3", Status: 200, Title: ptr(site.BenchTitle(4)), Description: ptr(site.BenchDescription(3))}
	n := int64(site.BenchPageLen(3, size))
	r.Bytes = &n
	var problems []string
	var wantLinks []string
	checkPage(&r, 3, verifyOpts{size: size, text: true}, &wantLinks, func(kind, _ string, _ ...any) { problems = append(problems, kind) })
	if len(problems) != 1 || problems[0] != "title" {
		t.Errorf("problems %v, want [title]", problems)
	}
}

func TestSiteServesOnlyItsPages(t *testing.T) {
	srv := httptest.NewServer(&site.Bench{Size: 1024, Pages: 5})
	defer srv.Close()
	for path, want := range map[string]int{"/p/4": 200, "/p/5": 404, "/p/x": 404, "/robots.txt": 200, "/": 200, "/nope": 404} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	if got := site.BenchPrice(1, 1); got != "$"+strconv.Itoa((7919+104729)%100000/100)+"."+site.TwoDigits((7919+104729)%100) {
		t.Errorf("site.BenchPrice(1, 1) = %q", got)
	}
}

func ptr(s string) *string { return &s }

// scrapyPython is a Python that imports scrapy: $TRAWL_BENCH_PYTHON, else
// python3 in PATH, else /usr/bin/python3 (Debian's python3-scrapy is for
// that one; a pyenv or venv python3 earlier in PATH does not see it). The
// test is skipped when none does: CI does not install scrapy.
func scrapyPython(t *testing.T) string {
	t.Helper()
	cands := []string{"python3", "/usr/bin/python3"}
	if p := os.Getenv("TRAWL_BENCH_PYTHON"); p != "" {
		cands = []string{p}
	}
	var why []string
	for _, p := range cands {
		out, err := exec.Command(p, "-c", "import scrapy").CombinedOutput()
		if err == nil {
			return p
		}
		msg := strings.TrimSpace(string(out))
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		why = append(why, fmt.Sprintf("%s: %v %s", p, err, msg))
	}
	t.Skipf("the Scrapy peer needs scrapy, and no Python here imports it (%s); "+
		"make bench-peers installs Debian's python3-scrapy", strings.Join(why, "; "))
	return ""
}

// The Scrapy peer's records, in each of its modes, pass the checker over a
// small loopback site: the checks the bench driver makes of it.
func TestScrapyPeerPassesTheChecker(t *testing.T) {
	py := scrapyPython(t)
	const size, pages = 8192, 40
	srv := httptest.NewServer(&site.Bench{Size: size, Pages: pages}) // 127.0.0.1
	defer srv.Close()
	dir := t.TempDir()
	layout := listLayout{bases: []string{srv.URL}, n: pages}
	list := filepath.Join(dir, "urls.txt")
	if err := layout.writeList(list); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		flags     []string
		text, sel bool
	}{
		{"parse", nil, true, false},
		{"select", []string{"-select"}, true, true},
		{"noparse", []string{"-noparse"}, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.name+".jsonl")
			f, err := os.Create(out)
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{filepath.Join("peers", "scrapy", "run.py"), "-c", "8", "-list", list}, c.flags...)
			cmd := exec.Command(py, args...)
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = f, &stderr
			err = cmd.Run()
			f.Close()
			if err != nil {
				t.Fatalf("%s %v: %v\n%s", py, args, err, stderr.String())
			}
			sum, err := verify(verifyOpts{file: out, size: size, text: c.text, sel: c.sel, layout: layout})
			if err != nil {
				t.Fatal(err)
			}
			if !sum.OK(pages) {
				t.Errorf("%d records, %d good, %d bad, %d missing, want %d good: %v\n%s",
					sum.Records, sum.Good, sum.Bad, sum.Missing, pages, sum.Examples, stderr.String())
			}
			if c.name == "noparse" {
				// It extracts nothing: checked for text, it fails.
				sum, err := verify(verifyOpts{file: out, size: size, text: true, layout: layout})
				if err != nil {
					t.Fatal(err)
				}
				if sum.Good != 0 || sum.Problems["title"] != pages {
					t.Errorf("no-parse records checked for titles: %d good, problems %v; want none good, %d title problems", sum.Good, sum.Problems, pages)
				}
			}
		})
	}

	// A page that is not there is an error record, not a silent gap.
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte(srv.URL+"/p/"+strconv.Itoa(pages)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, filepath.Join("peers", "scrapy", "run.py"), "-c", "2", "-list", bad).Output()
	if err != nil {
		t.Fatal(err)
	}
	var r checkRecord
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if r.Status != 404 || r.ErrorKind == nil || *r.ErrorKind != "http_status" {
		t.Errorf("record of a missing page: %s, want status 404 and error_kind http_status", out)
	}
}

// The driver runs the Scrapy peer, with what each row is checked for, in
// throughput, select and latency, and not in the hosts scenario.
func TestDriverPlansScrapy(t *testing.T) {
	o := &driverOpts{scrapy: []string{"/usr/bin/python3", "/x/run.py"}, scrapyArg: "/usr/bin/python3 bench/peers/scrapy/run.py",
		scenarios: []string{"all"}, n: 10, conc: 4, latN: 10, latC: 5, latency: time.Millisecond, memN: []int{10},
		hostsN: 10, hosts: 2, hostsC: 4, hostsPerHost: 1, hostsLayouts: []string{"interleaved"}}
	plan, err := o.plan()
	if err != nil {
		t.Fatal(err)
	}
	d := &driver{o: o}
	got := map[string]string{}
	for _, sc := range plan {
		for _, c := range d.clients(sc) {
			if strings.HasPrefix(c.name, "scrapy") {
				got[sc.key+"/"+c.name] = fmt.Sprintf("%s %v text=%v sel=%v | %s", c.path, c.argv("L", nil), c.text, c.sel, d.displayCommand(c))
			}
		}
	}
	want := map[string]string{
		"throughput/scrapy":            "/usr/bin/python3 [/x/run.py -c 4 -list L] text=true sel=false | /usr/bin/python3 bench/peers/scrapy/run.py -c 4 -list urls.txt",
		"throughput/scrapy (no parse)": "/usr/bin/python3 [/x/run.py -c 4 -noparse -list L] text=false sel=false | /usr/bin/python3 bench/peers/scrapy/run.py -c 4 -noparse -list urls.txt",
		"select/scrapy":                "/usr/bin/python3 [/x/run.py -c 4 -select -list L] text=true sel=true | /usr/bin/python3 bench/peers/scrapy/run.py -c 4 -select -list urls.txt",
		"latency/scrapy":               "/usr/bin/python3 [/x/run.py -c 5 -list L] text=true sel=false | /usr/bin/python3 bench/peers/scrapy/run.py -c 5 -list urls.txt",
		"latency/scrapy (no parse)":    "/usr/bin/python3 [/x/run.py -c 5 -noparse -list L] text=false sel=false | /usr/bin/python3 bench/peers/scrapy/run.py -c 5 -noparse -list urls.txt",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %q\nwant %q", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected client %s: %s", k, got[k])
		}
	}
}

// trawl's own extractors pass the extract scenario's checks on the bench
// site's pages, and another page's values do not.
func TestExtractorsPassTheChecker(t *testing.T) {
	const size, pages = 16384, 6
	bench := &site.Bench{Size: size, Pages: pages}
	page := func(k int) []byte {
		w := httptest.NewRecorder()
		bench.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:9/p/"+strconv.Itoa(k), nil))
		if w.Code != 200 {
			t.Fatalf("page %d: %d", k, w.Code)
		}
		return w.Body.Bytes()
	}
	for _, name := range extract.Extractors() {
		x := extract.NewExtractor(extract.Config{Extract: []string{name}})
		values := make([]json.RawMessage, pages)
		for k := 0; k < pages; k++ {
			u, _ := url.Parse("http://127.0.0.1:9/p/" + strconv.Itoa(k))
			var rec output.Record
			x.Extract(page(k), u, nil, &rec)
			if len(rec.Extracted) != 1 {
				t.Fatalf("%s, page %d: extracted %v", name, k, rec.Extracted)
			}
			values[k] = rec.Extracted[0].JSON
		}
		for k := 0; k < pages; k++ {
			for _, from := range []int{k, (k + 1) % pages} {
				r := checkRecord{URL: "http://127.0.0.1:9/p/" + strconv.Itoa(k), Extracted: map[string]json.RawMessage{name: values[from]}}
				var problems []string
				var wantLinks []string
				checkExtracted(&r, k, name, &wantLinks, func(kind, format string, args ...any) {
					problems = append(problems, kind+": "+fmt.Sprintf(format, args...))
				})
				// Pages without structured data all give the same.
				same := from == k || name == "jsonld" || name == "opengraph" || name == "microdata" || name == "meta"
				if same && len(problems) > 0 {
					t.Errorf("%s, page %d: %v", name, k, problems)
				}
				if !same && len(problems) != 1 {
					t.Errorf("%s, page %d with page %d's value: problems %v, want one", name, k, from, problems)
				}
			}
		}
	}
	var problems []string
	checkExtracted(&checkRecord{URL: "http://127.0.0.1:9/p/1"}, 1, "links", new([]string), func(kind, _ string, _ ...any) { problems = append(problems, kind) })
	if len(problems) != 1 || problems[0] != "extracted.links" {
		t.Errorf("no extracted: problems %v", problems)
	}
}
