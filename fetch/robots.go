package fetch

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jimsmart/grobotstxt"

	"github.com/trawl-dev/trawl/output"
)

// maxRobotsBody is what RFC 9309 asks a crawler to parse at least.
const maxRobotsBody = 500 << 10

// maxDelaySeconds keeps an absurd Crawl-delay from overflowing a Duration;
// any delay near it fails the origin's URLs anyway (--max-retry-wait).
const maxDelaySeconds = 1e8

// robotsState is one origin's robots.txt, as the scheduler keeps it.
type robotsState int

const (
	robotsUnknown robotsState = iota
	robotsPending
	robotsReady
	robotsFailed
)

// robots is one origin's robots.txt verdicts.
type robots struct {
	state robotsState
	// body is the robots.txt text; empty allows all.
	body string
	// disallowAll is a 5xx robots.txt (RFC 9309 2.3.1.4).
	disallowAll bool
	crawlDelay  time.Duration
	// failKind and failMsg are set when robots.txt could not be fetched.
	failKind output.ErrorKind
	failMsg  string
	// attempts are the fetches of robots.txt so far; retryAt, while
	// unknown, is when to try again.
	attempts int
	retryAt  time.Time
	// sitemaps are the absolute URLs of its Sitemap: lines.
	sitemaps []string
}

// allowed reports whether agent may fetch u under r.
func (r *robots) allowed(agent string, u *url.URL) bool {
	if r.disallowAll {
		return false
	}
	if r.body == "" {
		return true
	}
	// Groups are matched by product token ("trawl" of "trawl/1.2"), as
	// RFC 9309 says; grobotstxt compares what it is given as a whole.
	return grobotstxt.AgentAllowed(r.body, ProductToken(agent), u.String())
}

// origin is the key robots.txt is kept under: scheme, host and port.
func origin(u *url.URL) string {
	return u.Scheme + "://" + strings.ToLower(u.Host)
}

// fetchRobots fetches t's origin's robots.txt. Its result has no record:
// it is the origin's verdicts, or a retry (a timeout, 5xx or 429 is tried
// again like a page, with --retries and backoff, before it counts).
func (e *Engine) fetchRobots(ctx context.Context, t *task) result {
	res := result{task: t}
	rb := &robots{state: robotsReady}
	res.robots = rb
	actx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, t.origin+"/robots.txt", nil)
	if err != nil {
		rb.state, rb.failKind, rb.failMsg = robotsFailed, output.KindOther, "robots.txt: "+err.Error()
		return res
	}
	req.Header = e.header
	start, lag := time.Now(), e.lag.now()
	resp, err := e.clients.robots.Do(req)
	t.health = healthOf(resp, err, time.Since(start)-(e.lag.now()-lag))
	if err != nil {
		if ctx.Err() != nil {
			return result{task: t, canceled: true}
		}
		kind, msg := e.classify(err, actx, "no response")
		return e.robotsFailed(res, t, failure{kind: kind, err: err}, "fetching robots.txt: "+msg)
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code >= 500 || code == http.StatusTooManyRequests:
		f := failure{kind: output.KindHTTPStatus, status: code, retryAfter: resp.Header.Get("Retry-After")}
		if v := e.decide(f, t.attempt, time.Now()); v.retry {
			res.retryAt, res.pauseHost = time.Now().Add(v.wait), v.pauseHost
			e.log.Debug("robots.txt", "origin", t.origin, "status", code, "retry_in", v.wait.Round(time.Millisecond).String())
			return res
		}
		// RFC 9309 2.3.1.4: unreachable, so everything is disallowed.
		rb.disallowAll = true
		rb.failMsg = fmt.Sprintf("robots.txt answered HTTP %d: the whole site is disallowed", code)
	case code >= 400:
		// RFC 9309 2.3.1.3: unavailable, so everything is allowed.
	case code >= 200 && code < 300:
		body, err := e.readRobots(resp)
		if err != nil {
			if ctx.Err() != nil {
				return result{task: t, canceled: true}
			}
			kind, msg := e.classify(err, actx, "robots.txt not complete")
			return e.robotsFailed(res, t, failure{kind: kind, err: err}, "reading robots.txt: "+msg)
		}
		e.parseRobots(rb, body)
	}
	e.log.Debug("robots.txt", "origin", t.origin, "status", resp.StatusCode, "crawl_delay", rb.crawlDelay.String())
	return res
}

// robotsFailed answers a robots.txt that could not be fetched: a retry
// while --retries allow, then the failure every URL of the origin gets.
func (e *Engine) robotsFailed(res result, t *task, f failure, msg string) result {
	if v := e.decide(f, t.attempt, time.Now()); v.retry {
		res.retryAt = time.Now().Add(v.wait)
		e.log.Debug("robots.txt", "origin", t.origin, "error_kind", string(f.kind), "error", msg, "retry_in", v.wait.Round(time.Millisecond).String())
		return res
	}
	rb := res.robots
	rb.state, rb.failKind, rb.failMsg = robotsFailed, f.kind, msg
	e.log.Debug("robots.txt", "origin", t.origin, "error_kind", string(f.kind), "error", msg)
	return res
}

// readRobots reads robots.txt's body up to its cap. A line cut by the cap
// is dropped, never read short: "Disallow: /private" cut to "Disallow: /"
// would refuse the whole site.
func (e *Engine) readRobots(resp *http.Response) ([]byte, error) {
	dec, closeDec, err := decoder(resp.Body, resp.Header.Get("Content-Encoding"))
	if err != nil {
		// A body that cannot be decoded says nothing: allow all.
		return nil, nil
	}
	defer closeDec()
	body, err := readBody(dec, nil, maxRobotsBody)
	if err == errTooLarge {
		return body[:bytes.LastIndexByte(body, '\n')+1], nil
	}
	return body, err
}

// parseRobots fills rb from a robots.txt body: its Crawl-delay, and the
// groups that apply to trawl. A Crawl-delay past --max-retry-wait fails
// the origin's URLs rather than stalling the run.
func (e *Engine) parseRobots(rb *robots, body []byte) {
	full := string(body)
	rb.crawlDelay, rb.sitemaps = crawlDelay(full, e.UserAgent())
	if rb.crawlDelay > e.cfg.MaxRetryWait {
		rb.state, rb.failKind = robotsFailed, output.KindRobots
		rb.failMsg = fmt.Sprintf("robots.txt asks for a Crawl-delay of %s, longer than --max-retry-wait %s",
			fmtDuration(rb.crawlDelay.Round(time.Second)), fmtDuration(e.cfg.MaxRetryWait))
		return
	}
	// Every URL of the origin is checked against the body: keep only the
	// groups that can apply to trawl, so that a large robots.txt costs its
	// parse once, here, not once per URL.
	rb.body = relevantGroups(full, e.UserAgent())
}

// relevantGroups returns robots.txt reduced to the groups that name agent's
// product token or *, rewritten line by line from the parser's events.
// Matching it gives the same verdicts as matching the whole file: the
// groups left out are ones whose rules the matcher would skip.
func relevantGroups(body, agent string) string {
	h := &groupHandler{token: ProductToken(agent)}
	grobotstxt.Parse(body, h)
	h.flush()
	return h.out.String()
}

type groupHandler struct {
	token    string
	out      strings.Builder
	agents   []string // the current group's user-agent lines
	rules    []string // and its rules
	relevant bool
	inAgents bool
}

func (h *groupHandler) flush() {
	// A group naming trawl counts even with no rules: it means trawl may
	// fetch everything, whatever the * group says.
	if h.relevant {
		for _, a := range h.agents {
			h.out.WriteString("user-agent: " + a + "\n")
		}
		for _, r := range h.rules {
			h.out.WriteString(r + "\n")
		}
	}
	h.agents, h.rules, h.relevant = h.agents[:0], h.rules[:0], false
}

func (h *groupHandler) HandleRobotsStart() {}
func (h *groupHandler) HandleRobotsEnd()   {}
func (h *groupHandler) HandleUserAgent(_ int, ua string) {
	if !h.inAgents {
		h.flush()
	}
	h.inAgents = true
	ua = strings.TrimSpace(ua)
	h.agents = append(h.agents, ua)
	if ua == "*" || strings.HasPrefix(ua, "* ") || ProductToken(ua) == h.token {
		h.relevant = true
	}
}
func (h *groupHandler) rule(kind, v string) {
	h.inAgents = false
	if len(h.agents) > 0 {
		h.rules = append(h.rules, kind+": "+v)
	}
}
func (h *groupHandler) HandleAllow(_ int, v string)    { h.rule("allow", v) }
func (h *groupHandler) HandleDisallow(_ int, v string) { h.rule("disallow", v) }
func (h *groupHandler) HandleSitemap(int, string)      {}

// HandleUnknownAction: Crawl-delay and the like do not end a run of
// user-agent lines, in grobotstxt as in Google's parser; only rules do.
func (h *groupHandler) HandleUnknownAction(int, string, string) {}

// crawlDelay finds the Crawl-delay of the group that applies to agent: a
// group naming its product token beats the * group. grobotstxt, like
// Google, ignores Crawl-delay, so it is read here from the parser's events.
// It also returns the Sitemap: lines, which belong to no group.
func crawlDelay(body, agent string) (time.Duration, []string) {
	h := &delayHandler{token: ProductToken(agent)}
	grobotstxt.Parse(body, h)
	if h.specificSeen {
		return h.specific, h.sitemaps
	}
	return h.global, h.sitemaps
}

// ProductToken is the robots.txt product token of a User-Agent: "trawl" of
// "trawl/1.2 (+https://...)", lower-cased, as RFC 9309 matches groups.
func ProductToken(agent string) string {
	end := strings.IndexFunc(agent, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_')
	})
	if end >= 0 {
		agent = agent[:end]
	}
	return strings.ToLower(agent)
}

type delayHandler struct {
	token              string
	inGroup            bool // the previous line was a user-agent line
	forUs, forAll      bool
	specific, global   time.Duration
	specificSeen       bool
	globalSeen         bool
	specificDelayFound bool
	sitemaps           []string
}

func (h *delayHandler) HandleRobotsStart() {}
func (h *delayHandler) HandleRobotsEnd()   {}
func (h *delayHandler) HandleUserAgent(_ int, ua string) {
	if !h.inGroup {
		h.forUs, h.forAll = false, false
	}
	h.inGroup = true
	tok := ProductToken(strings.TrimSpace(ua))
	switch {
	case strings.TrimSpace(ua) == "*" || strings.HasPrefix(strings.TrimSpace(ua), "* "):
		h.forAll = true
	case tok != "" && tok == h.token:
		h.forUs = true
		h.specificSeen = true
	}
}
func (h *delayHandler) HandleAllow(int, string)    { h.inGroup = false }
func (h *delayHandler) HandleDisallow(int, string) { h.inGroup = false }
func (h *delayHandler) HandleSitemap(_ int, v string) {
	// Only absolute http(s) URLs, as sitemaps.org requires, and not more
	// than a robots.txt could sensibly list.
	if v = strings.TrimSpace(v); (strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")) && len(h.sitemaps) < maxRobotsSitemaps {
		h.sitemaps = append(h.sitemaps, v)
	}
}

// maxRobotsSitemaps bounds the Sitemap: lines kept of one robots.txt.
const maxRobotsSitemaps = 1000

func (h *delayHandler) HandleUnknownAction(_ int, action, value string) {
	if !strings.EqualFold(action, "crawl-delay") {
		return
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil || secs < 0 {
		return
	}
	if secs > maxDelaySeconds {
		secs = maxDelaySeconds
	}
	d := time.Duration(secs * float64(time.Second))
	if h.forUs && !h.specificDelayFound {
		h.specific, h.specificDelayFound = d, true
	}
	if h.forAll && !h.globalSeen {
		h.global, h.globalSeen = d, true
	}
}
