package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// The site's pages are a function of i and the size.
func TestPagesAreDeterministic(t *testing.T) {
	for _, size := range []int{0, 2048, 16384} {
		for _, i := range []int{0, 7, 12345} {
			a := appendPage(nil, i, size)
			b := appendPage(nil, i, size)
			if !bytes.Equal(a, b) {
				t.Fatalf("page %d size %d differs between two calls", i, size)
			}
			if pageLen(i, size) != len(a) {
				t.Fatalf("pageLen(%d, %d) = %d, want %d", i, size, pageLen(i, size), len(a))
			}
			if size > 4096 && (len(a) < size || len(a) > size+fillerLen+64) {
				t.Errorf("page %d is %d bytes, want about %d", i, len(a), size)
			}
		}
	}
}

// Each floor's records, and the site's pages, pass the checker; a wrong
// record does not.
func TestFloorsPassTheChecker(t *testing.T) {
	const size, pages = 8192, 20
	srv := httptest.NewServer(&siteHandler{size: size, pages: pages})
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
	r := checkRecord{URL: srv.URL + "/p/3", Status: 200, Title: ptr(pageTitle(4)), Description: ptr(pageDescription(3))}
	n := int64(pageLen(3, size))
	r.Bytes = &n
	var problems []string
	var wantLinks []string
	checkPage(&r, 3, verifyOpts{size: size, text: true}, &wantLinks, func(kind, _ string, _ ...any) { problems = append(problems, kind) })
	if len(problems) != 1 || problems[0] != "title" {
		t.Errorf("problems %v, want [title]", problems)
	}
}

func TestSiteServesOnlyItsPages(t *testing.T) {
	srv := httptest.NewServer(&siteHandler{size: 1024, pages: 5})
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
	if got := pagePrice(1, 1); got != "$"+strconv.Itoa((7919+104729)%100000/100)+"."+twoDigits((7919+104729)%100) {
		t.Errorf("pagePrice(1, 1) = %q", got)
	}
}

func ptr(s string) *string { return &s }
