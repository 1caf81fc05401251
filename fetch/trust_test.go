package fetch

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
	"github.com/trawl-dev/trawl/output"
)

// The tests of SPEC.md's "Redirects and politeness" and robots.txt edge
// cases, against site.Hostile servers on their own loopback addresses.

func hostile(t *testing.T, ip string, h *site.Hostile) *polServer {
	t.Helper()
	if h == nil {
		h = &site.Hostile{}
	}
	return newPolServer(t, ip, nil, h.Serve)
}

func robotsConfig() Config {
	cfg := polConfig()
	cfg.IgnoreRobots = false
	return cfg
}

// TestRedirectObeysTargetRobots: a hop to another origin fetches that
// origin's robots.txt first, and a disallowed hop ends the URL with robots,
// final_url the refused URL, and no request to it.
func TestRedirectObeysTargetRobots(t *testing.T) {
	b := hostile(t, "127.0.0.31", &site.Hostile{Robots: "User-agent: *\nDisallow: /private/\n"})
	a := hostile(t, "127.0.0.30", nil)
	refused := b.URL + "/private/x"
	allowed := b.URL + "/open/y"
	res := polRun(t, t.Context(), robotsConfig(), []string{
		a.URL + "/location/302?to=" + refused,
		a.URL + "/location/301?to=" + allowed,
	}, nil, nil)
	recs := res.ByURL(t)
	r := recs[a.URL+"/location/302?to="+refused]
	if r.ErrorKind != output.KindRobots || str(r.FinalURL) != refused || r.Status != 302 || r.Attempts != 1 {
		t.Errorf("refused hop: kind %q final %q status %d attempts %d", r.ErrorKind, str(r.FinalURL), r.Status, r.Attempts)
	}
	r = recs[a.URL+"/location/301?to="+allowed]
	if r.ErrorKind != output.KindNone || str(r.FinalURL) != allowed || r.Status != 200 || r.Attempts != 1 {
		t.Errorf("allowed hop: kind %q final %q status %d attempts %d", r.ErrorKind, str(r.FinalURL), r.Status, r.Attempts)
	}
	if b.Count("/private/x") != 0 || b.Count("/robots.txt") != 1 || b.Count("/open/y") != 1 {
		t.Errorf("target saw private %d, robots.txt %d, open %d; want 0, 1, 1", b.Count("/private/x"), b.Count("/robots.txt"), b.Count("/open/y"))
	}
}

// TestRedirectObeysTargetPerHost: hops to one host hold to that host's
// --per-host, however many origins send them there.
func TestRedirectObeysTargetPerHost(t *testing.T) {
	b := newPolServer(t, "127.0.0.33", nil, func(w http.ResponseWriter, r *http.Request, n int) {
		polSleep(r, 30*time.Millisecond)
		site.Page(w, r, n)
	})
	var urls []string
	for i, ip := range []string{"127.0.0.34", "127.0.0.35", "127.0.0.36"} {
		a := hostile(t, ip, nil)
		for k := range 6 {
			urls = append(urls, a.URL+"/location/302?to="+b.URL+"/p"+string(rune('a'+i))+string(rune('0'+k)))
		}
	}
	cfg := polConfig()
	cfg.Concurrency, cfg.PerHost = 12, 2
	res := polRun(t, t.Context(), cfg, urls, nil, nil)
	polCheckOK(t, res, len(urls))
	if m := b.MaxInFlight(); m > 2 {
		t.Errorf("the redirect target had %d requests in flight, want <= --per-host 2", m)
	}
	if n := len(b.Pages()); n != len(urls) {
		t.Errorf("target saw %d requests, want %d", n, len(urls))
	}
}

// TestRedirectChainIsOneAttempt: the hops of a chain count as one attempt,
// and a retry starts again at the hop that failed, not at the listed URL.
func TestRedirectChainIsOneAttempt(t *testing.T) {
	b := hostile(t, "127.0.0.38", nil)
	a := hostile(t, "127.0.0.37", nil)
	u := a.URL + "/location/302?to=" + b.URL + "/flaky/1/x"
	res := polRun(t, t.Context(), polConfig(), []string{u}, nil, nil)
	r := res.ByURL(t)[u]
	if r.ErrorKind != output.KindNone || r.Attempts != 2 || str(r.FinalURL) != b.URL+"/flaky/1/x" {
		t.Errorf("kind %q attempts %d final %q; want ok after 2 attempts", r.ErrorKind, r.Attempts, str(r.FinalURL))
	}
	if n := len(a.Pages()); n != 1 {
		t.Errorf("the listed URL was requested %d times, want 1: the retry starts at the failing hop", n)
	}
	if n := b.Count("/flaky/1/x"); n != 2 {
		t.Errorf("the failing hop was requested %d times, want 2", n)
	}
}

// TestBadRedirectsNotRetried: a Location that does not parse and a 3xx
// without Location end the URL with redirect, after one request.
func TestBadRedirectsNotRetried(t *testing.T) {
	a := hostile(t, "127.0.0.39", nil)
	cases := map[string]string{
		a.URL + "/location/302/a?to=http://[::1":         "does not parse",
		a.URL + "/location/301/b?to=http://%zz.example/": "does not parse",
		a.URL + "/no-location/302":                       "without a Location",
		a.URL + "/no-location/307":                       "without a Location",
		a.URL + "/location/302/c?to=mailto:x@y.example":  "scheme is not http or https",
	}
	var urls []string
	for u := range cases {
		urls = append(urls, u)
	}
	res := polRun(t, t.Context(), polConfig(), urls, nil, nil)
	for u, r := range res.ByURL(t) {
		if r.ErrorKind != output.KindRedirect || r.Attempts != 1 || !strings.Contains(r.Error, cases[u]) || r.Status < 300 || r.Status > 399 {
			t.Errorf("%s: kind %q attempts %d status %d error %q; want redirect after 1 attempt, %q", u, r.ErrorKind, r.Attempts, r.Status, r.Error, cases[u])
		}
		p, _ := url.Parse(u)
		if n := a.Count(p.Path); n != 1 {
			t.Errorf("%s requested %d times, want 1", u, n)
		}
	}
}

// TestPrivateRedirectRefused: a redirect from a public address to a
// private one is refused on the address dialled, unless allowed; a listed
// URL may name any address, and private to private is the user's own.
func TestPrivateRedirectRefused(t *testing.T) {
	pub := hostile(t, "127.0.0.40", nil)  // stands for a public address
	priv := hostile(t, "127.0.0.41", nil) // a private one
	cfg := polConfig()
	cfg.public = func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.40") }
	toPriv := pub.URL + "/location/302?to=" + priv.URL + "/secret"
	res := polRun(t, t.Context(), cfg, []string{toPriv, priv.URL + "/listed"}, nil, nil)
	recs := res.ByURL(t)
	if r := recs[toPriv]; r.ErrorKind != output.KindRedirect || !strings.Contains(r.Error, "127.0.0.41") || r.Attempts != 1 {
		t.Errorf("public → private: kind %q error %q attempts %d; want redirect naming the address", r.ErrorKind, r.Error, r.Attempts)
	}
	if r := recs[priv.URL+"/listed"]; r.ErrorKind != output.KindNone {
		t.Errorf("a listed private URL: kind %q, want ok", r.ErrorKind)
	}
	if n := priv.Count("/secret"); n != 0 {
		t.Errorf("the private host saw %d requests for the redirect target, want 0", n)
	}

	cfg.AllowPrivateRedirects = true
	res = polRun(t, t.Context(), cfg, []string{toPriv}, nil, nil)
	if r := res.ByURL(t)[toPriv]; r.ErrorKind != output.KindNone || str(r.FinalURL) != priv.URL+"/secret" {
		t.Errorf("with --allow-private-redirects: kind %q final %q", r.ErrorKind, str(r.FinalURL))
	}

	// Private to private: both are the user's network.
	cfg.AllowPrivateRedirects = false
	cfg.public = func(netip.Addr) bool { return false }
	res = polRun(t, t.Context(), cfg, []string{toPriv}, nil, nil)
	if r := res.ByURL(t)[toPriv]; r.ErrorKind != output.KindNone {
		t.Errorf("private → private: kind %q error %q", r.ErrorKind, r.Error)
	}
}

// TestRobotsCutLineDropped: a robots.txt longer than the cap keeps only
// whole lines: a rule cut to "Disallow: /" must not refuse the site.
func TestRobotsCutLineDropped(t *testing.T) {
	body := site.CutRobots(maxRobotsBody, "Disallow: /zzzz-secret", len("Disallow: /"))
	if len(body) <= maxRobotsBody || body[maxRobotsBody-len("Disallow: /"):maxRobotsBody] != "Disallow: /" {
		t.Fatal("fixture does not cut where intended")
	}
	s := hostile(t, "127.0.0.42", &site.Hostile{Robots: body})
	res := polRun(t, t.Context(), robotsConfig(), []string{s.URL + "/shop/1", s.URL + "/shop/2"}, nil, nil)
	polCheckOK(t, res, 2)
}

// TestRobotsRetriedThenRecovers: a robots.txt that fails (503, or no answer
// within --timeout) is retried like a page; when it recovers, its rules
// hold.
func TestRobotsRetriedThenRecovers(t *testing.T) {
	for _, status := range []int{503, 429, 0} {
		h := &site.Hostile{Robots: "User-agent: *\nDisallow: /no/\n", RobotsFail: 2, RobotsFailStatus: status}
		s := hostile(t, "127.0.0.43", h)
		cfg := robotsConfig()
		cfg.Timeout = 300 * time.Millisecond
		res := polRun(t, t.Context(), cfg, []string{s.URL + "/yes/1", s.URL + "/no/1"}, nil, nil)
		recs := res.ByURL(t)
		if r := recs[s.URL+"/yes/1"]; r.ErrorKind != output.KindNone {
			t.Errorf("status %d: allowed URL kind %q error %q", status, r.ErrorKind, r.Error)
		}
		if r := recs[s.URL+"/no/1"]; r.ErrorKind != output.KindRobots {
			t.Errorf("status %d: disallowed URL kind %q", status, r.ErrorKind)
		}
		if n := s.Count("/robots.txt"); n != 3 {
			t.Errorf("status %d: robots.txt requested %d times, want 3 (2 failures, then the answer)", status, n)
		}
		s.Close()
	}
}

// TestRobotsTimeoutSpent: a robots.txt that never answers fails the host's
// URLs with timeout once its retries are spent, after 1+retries tries.
func TestRobotsTimeoutSpent(t *testing.T) {
	s := hostile(t, "127.0.0.44", &site.Hostile{RobotsFail: 100})
	cfg := robotsConfig()
	cfg.Timeout = 200 * time.Millisecond
	res := polRun(t, t.Context(), cfg, []string{s.URL + "/a", s.URL + "/b"}, nil, nil)
	for _, r := range res.Recs {
		if r.ErrorKind != output.KindTimeout || !strings.Contains(r.Error, "robots.txt") || r.Attempts != 0 {
			t.Errorf("%s: kind %q error %q attempts %d", r.URL, r.ErrorKind, r.Error, r.Attempts)
		}
	}
	if n := s.Count("/robots.txt"); n != 1+cfg.Retries {
		t.Errorf("robots.txt requested %d times, want %d", n, 1+cfg.Retries)
	}
	if len(s.Pages()) != 0 {
		t.Errorf("pages were requested without robots.txt")
	}
}

// TestLongWaitsFailAtOnce: a Crawl-delay or Retry-After longer than
// --max-retry-wait fails the host's URLs at once, naming the wait, instead
// of stalling the run.
func TestLongWaitsFailAtOnce(t *testing.T) {
	slow := hostile(t, "127.0.0.45", &site.Hostile{Robots: "User-agent: *\nCrawl-delay: 99999999\n"})
	busy := hostile(t, "127.0.0.46", nil)
	cfg := robotsConfig()
	cfg.Concurrency, cfg.PerHost = 4, 1
	urls := polURLs(slow.URL, "p", 5)
	urls = append(urls, busy.URL+"/retry-after/99999999")
	urls = append(urls, polURLs(busy.URL, "q", 5)...)
	start := time.Now()
	res := polRun(t, t.Context(), cfg, urls, nil, nil)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the run took %v: a long wait stalled it", d)
	}
	for _, r := range res.Recs {
		switch {
		case strings.HasPrefix(r.URL, slow.URL):
			if r.ErrorKind != output.KindRobots || !strings.Contains(r.Error, "Crawl-delay") || !strings.Contains(r.Error, "--max-retry-wait") {
				t.Errorf("%s: kind %q error %q", r.URL, r.ErrorKind, r.Error)
			}
		case strings.HasSuffix(r.URL, "/retry-after/99999999"):
			if r.ErrorKind != output.KindHTTPStatus || r.Status != 503 || !strings.Contains(r.Error, "1157.4 days") || strings.Contains(r.Error, "h47m") {
				t.Errorf("%s: kind %q status %d error %q", r.URL, r.ErrorKind, r.Status, r.Error)
			}
		}
	}
	if len(slow.Pages()) != 0 {
		t.Errorf("the Crawl-delay host saw %d page requests, want 0", len(slow.Pages()))
	}
	// The busy host's other URLs either went before the Retry-After came
	// back, or fail at once with its wait: none waits.
	failed := 0
	for _, r := range res.Recs {
		if strings.HasPrefix(r.URL, busy.URL+"/q") && r.ErrorKind == output.KindHTTPStatus {
			failed++
			if !strings.Contains(r.Error, "Retry-After") || r.Attempts != 0 {
				t.Errorf("%s: error %q attempts %d", r.URL, r.Error, r.Attempts)
			}
		}
	}
	if failed+len(busy.Pages())-1 != 5 {
		t.Errorf("busy host: %d failed at once, %d requested; want 5 in all", failed, len(busy.Pages())-1)
	}
	if len(res.Recs) != len(urls) {
		t.Errorf("%d records, want %d", len(res.Recs), len(urls))
	}
}
