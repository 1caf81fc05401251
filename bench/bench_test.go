package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/trawl-dev/trawl/internal/site"
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
