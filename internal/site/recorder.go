package site

import (
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// HandlerFunc answers the n-th request (from 1) to r's path.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, n int)

// Handler adapts an http.Handler to a HandlerFunc.
func Handler(h http.Handler) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ int) { h.ServeHTTP(w, r) }
}

// Request is one request a Recorder saw.
type Request struct {
	Path    string
	Query   string
	Header  http.Header
	Arrived time.Time
	// Done is when the handler returned; zero while it runs.
	Done time.Time
	// Canceled: the client went away (its context ended) before the
	// handler returned.
	Canceled bool
}

// Group counts requests in flight over several Recorders (one host each),
// for limits that hold across hosts.
type Group struct {
	mu            sync.Mutex
	inflight, max int
}

func (g *Group) enter() {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.inflight++
	g.max = max(g.max, g.inflight)
	g.mu.Unlock()
}

func (g *Group) leave() {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.inflight--
	g.mu.Unlock()
}

// MaxInFlight is the most requests in flight at once over the group.
func (g *Group) MaxInFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.max
}

// Recorder is a loopback server, on an address of its own, that records
// every request it answers: the test server of every package's tests, so
// that limits, retries and politeness are checked where they matter, at the
// server. Hosts are told apart by address (127.0.0.2, 127.0.0.3, ...):
// trawl's per-host limits key on the host name without port.
type Recorder struct {
	// Host is the address it listens on ("127.0.0.2"); URL its base URL
	// ("http://127.0.0.2:port"), without a trailing slash.
	Host string
	URL  string
	// Arrived, when set before the first request, gets each request's
	// path as it arrives.
	Arrived chan string

	srv   *http.Server
	group *Group
	h     HandlerFunc
	// conns are the open connections, for CloseClientConnections.
	conns map[net.Conn]struct{}

	mu       sync.Mutex
	reqs     []Request
	counts   map[string]int
	inflight int
	max      int
}

// NewRecorder starts a Recorder on ip (port chosen by the system; "" is
// 127.0.0.1) answering with h, counted in group (may be nil). Close it
// when done.
func NewRecorder(ip string, group *Group, h HandlerFunc) (*Recorder, error) {
	if ip == "" {
		ip = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return nil, err
	}
	s := &Recorder{Host: ip, group: group, h: h, counts: make(map[string]int), conns: make(map[net.Conn]struct{})}
	s.srv = &http.Server{Handler: s, ErrorLog: log.New(io.Discard, "", 0), ConnState: s.connState}
	s.URL = "http://" + ln.Addr().String()
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server and its connections.
func (s *Recorder) Close() { s.srv.Close() }

func (s *Recorder) connState(c net.Conn, st http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch st {
	case http.StateNew:
		s.conns[c] = struct{}{}
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	}
}

// CloseClientConnections closes every open connection, as a server that
// crashes mid-response would.
func (s *Recorder) CloseClientConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

func (s *Recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	s.mu.Lock()
	s.counts[r.URL.Path]++
	n := s.counts[r.URL.Path]
	s.inflight++
	s.max = max(s.max, s.inflight)
	idx := len(s.reqs)
	s.reqs = append(s.reqs, Request{Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Arrived: arrived})
	s.mu.Unlock()
	s.group.enter()
	if s.Arrived != nil {
		s.Arrived <- r.URL.Path
	}
	// The counts drop before the handler returns, so before net/http
	// flushes the (small) response: the server never counts a request
	// that the client already considers done.
	defer func() {
		canceled := r.Context().Err() != nil
		s.group.leave()
		s.mu.Lock()
		s.inflight--
		s.reqs[idx].Done = time.Now()
		s.reqs[idx].Canceled = canceled
		s.mu.Unlock()
	}()
	if s.h == nil {
		Page(w, r, n)
		return
	}
	s.h(w, r, n)
}

// Requests returns the requests seen so far, robots.txt included, in
// arrival order.
func (s *Recorder) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// Pages returns the requests other than /robots.txt.
func (s *Recorder) Pages() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Path != "/robots.txt" {
			out = append(out, r)
		}
	}
	return out
}

// Hits is the number of requests other than /robots.txt.
func (s *Recorder) Hits() int { return len(s.Pages()) }

// Count is how many requests path had.
func (s *Recorder) Count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[path]
}

// CountPrefix is how many requests had a path starting with prefix, and
// how many of those are still in flight and were canceled by the client.
func (s *Recorder) CountPrefix(prefix string) (all, inflight, canceled int) {
	for _, r := range s.Requests() {
		if !strings.HasPrefix(r.Path, prefix) {
			continue
		}
		all++
		if r.Done.IsZero() {
			inflight++
		}
		if r.Canceled {
			canceled++
		}
	}
	return all, inflight, canceled
}

// MaxInFlight is the most requests this server had in flight at once.
func (s *Recorder) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max
}

// Page is a small HTML page titled with the path: what a Recorder with no
// handler serves.
func Page(w http.ResponseWriter, r *http.Request, _ int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, "<title>"+htmlEscape(r.URL.Path)+"</title>")
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}
