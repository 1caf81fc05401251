package site

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Hostile is a server that does what careless and hostile servers do, for
// the tests of what trawl protects. Serve it through a Recorder. Routes:
//
//	/robots.txt           Robots, after RobotsFail failures (see below); 404 when Robots is ""
//	/nested/{tag}/{n}     n nested <tag> elements, the text "bottom" in the deepest
//	/attr/{n}             a page whose one <div> has an n-byte attribute
//	/location/{code}/...?to=X  status code with the Location X verbatim (the raw query after "to=")
//	/no-location/{code}   status code without a Location
//	/retry-after/{v}      503 with Retry-After v
//	/flaky/{n}/...        503 for the first n requests of the path, then a page
//	/bytes                a page with invalid UTF-8 and C0 controls in its title,
//	                      description, headers and links
//	anything else         a small page titled with the path
type Hostile struct {
	// Robots is the robots.txt body; "" answers 404.
	Robots string
	// RobotsFail is how many robots.txt requests fail before Robots is
	// served: with RobotsFailStatus, or by hanging until the client gives
	// up when it is 0.
	RobotsFail       int
	RobotsFailStatus int

	mu          sync.Mutex
	robotsSeen  int
	flakyCounts map[string]int
}

// Serve answers one request; it is a HandlerFunc.
func (h *Hostile) Serve(w http.ResponseWriter, r *http.Request, n int) {
	p := r.URL.Path
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case p == "/robots.txt":
		h.robots(w, r)
	case len(parts) == 3 && parts[0] == "nested":
		depth, _ := strconv.Atoi(parts[2])
		writeBody(w, 200, "text/html; charset=utf-8", Nested(parts[1], depth))
	case len(parts) == 2 && parts[0] == "attr":
		size, _ := strconv.Atoi(parts[1])
		writeBody(w, 200, "text/html; charset=utf-8", HugeAttribute(size))
	case len(parts) >= 2 && parts[0] == "location":
		code, _ := strconv.Atoi(parts[1])
		to, _ := strings.CutPrefix(r.URL.RawQuery, "to=")
		// Set directly: net/http would clean up a Location given to
		// http.Redirect.
		w.Header()["Location"] = []string{to}
		w.WriteHeader(code)
	case len(parts) == 2 && parts[0] == "no-location":
		code, _ := strconv.Atoi(parts[1])
		w.WriteHeader(code)
	case len(parts) == 2 && parts[0] == "retry-after":
		w.Header().Set("Retry-After", parts[1])
		writeSimple(w, 503, "Busy", "Come back later.")
	case len(parts) >= 2 && parts[0] == "flaky":
		fails, _ := strconv.Atoi(parts[1])
		h.mu.Lock()
		if h.flakyCounts == nil {
			h.flakyCounts = make(map[string]int)
		}
		h.flakyCounts[p]++
		k := h.flakyCounts[p]
		h.mu.Unlock()
		if k <= fails {
			writeSimple(w, 503, "Busy", "Try again.")
			return
		}
		Page(w, r, n)
	case p == "/bytes":
		w.Header()["Content-Type"] = []string{"text/html; charset=\xff\xfe"}
		w.Header()["X-Robots-Tag"] = []string{"\xffnoindex"}
		io.WriteString(w, BadBytesPage)
	default:
		Page(w, r, n)
	}
}

func (h *Hostile) robots(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.robotsSeen++
	failing := h.robotsSeen <= h.RobotsFail
	h.mu.Unlock()
	switch {
	case failing && h.RobotsFailStatus == 0:
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	case failing:
		w.WriteHeader(h.RobotsFailStatus)
	case h.Robots == "":
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, h.Robots)
	}
}

// BadBytesPage is what /bytes serves: invalid UTF-8 and C0 controls in
// every place a record takes text from.
const BadBytesPage = "<html><head><title>bad\xff\xfe title\x00\x01\x1b end</title>" +
	"<meta name=\"description\" content=\"desc\x00\x07 \xc3\x28 x\">" +
	"</head><body><h1>head\x02ing \xe2\x82</h1><a href=\"/p?\xff=\x01\">link\x00</a></body></html>"

// Nested is a page of depth nested <tag> elements with the text "bottom"
// in the deepest one.
func Nested(tag string, depth int) []byte {
	var b strings.Builder
	b.Grow(depth * (2*len(tag) + 5))
	b.WriteString("<!DOCTYPE html><html><head><title>Nested</title></head><body>")
	for range depth {
		b.WriteString("<" + tag + ">")
	}
	b.WriteString("bottom")
	for range depth {
		b.WriteString("</" + tag + ">")
	}
	b.WriteString("<p class=\"after\">after</p></body></html>")
	return []byte(b.String())
}

// HugeAttribute is a page whose one <div> has a size-byte attribute.
func HugeAttribute(size int) []byte {
	var b strings.Builder
	b.Grow(size + 200)
	b.WriteString("<!DOCTYPE html><html><head><title>Attribute</title></head><body><div class=\"big\" data-x=\"")
	for b.Len() < size {
		b.WriteString("abcdefghijklmnopqrstuvwxyz012345")
	}
	b.WriteString("\">text</div><p class=\"after\">after</p></body></html>")
	return []byte(b.String())
}

// CutRobots returns a robots.txt longer than limit bytes whose limit-th byte
// falls inside rule, just after its first max(0, keep) bytes: a reader
// that reads only limit bytes and keeps the cut line reads rule[:keep].
func CutRobots(limit int, rule string, keep int) string {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	filler := "# " + strings.Repeat("x", 76) + "\n"
	for b.Len()+len(filler) <= limit-keep {
		b.WriteString(filler)
	}
	// A last comment line fills up to exactly limit-keep bytes.
	if gap := limit - keep - b.Len(); gap > 0 {
		if gap == 1 {
			b.WriteString("\n")
		} else {
			b.WriteString("#" + strings.Repeat("y", gap-2) + "\n")
		}
	}
	b.WriteString(rule + "\n")
	b.WriteString("Disallow: /after-the-cut\n")
	return b.String()
}
