package cmd

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/trawl-dev/trawl/internal/site"
)

// crawlSite starts a generated site: 121 nodes (fanout 3, depth 4 of a full
// tree), 8 orphans only the sitemaps list.
func crawlSite(t *testing.T) (*site.CrawlSite, *site.Recorder) {
	t.Helper()
	cs := &site.CrawlSite{Pages: 121, Fanout: 3, Orphans: 8}
	rec, err := site.NewRecorder("", nil, site.Handler(cs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rec.Close)
	return cs, rec
}

// crawlRecs runs trawl crawl and decodes its records.
func crawlRecs(t *testing.T, args ...string) (code int, recs []map[string]any, stderr string) {
	t.Helper()
	code, out, errOut := run(t, "", append([]string{"crawl", "--progress", "never"}, args...)...)
	return code, records(t, out), errOut
}

func path(t *testing.T, s any) string {
	t.Helper()
	str, _ := s.(string)
	u, err := url.Parse(str)
	if err != nil {
		t.Fatalf("bad URL %q", str)
	}
	return u.Path
}

// goodPaths maps the final path of every good record to its depth, failing
// the test when a page has two good records.
func goodPaths(t *testing.T, recs []map[string]any) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, r := range recs {
		if r["error_kind"] != nil {
			continue
		}
		p := path(t, r["final_url"])
		if _, dup := got[p]; dup {
			t.Errorf("two good records for %s", p)
		}
		got[p] = int(r["depth"].(float64))
	}
	return got
}

func sameReach(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	var missing, extra, wrong []string
	for p, d := range want {
		g, ok := got[p]
		switch {
		case !ok:
			missing = append(missing, p)
		case g != d:
			wrong = append(wrong, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			extra = append(extra, p)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra)+len(wrong) > 0 {
		t.Errorf("%s: %d pages, want %d; missing %q, extra %q, wrong depth %q", what, len(got), len(want), missing, extra, wrong)
	}
}

// noneTwice fails when the server saw any page twice.
func noneTwice(t *testing.T, rec *site.Recorder) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range rec.Pages() {
		seen[r.Path]++
		if seen[r.Path] == 2 {
			t.Errorf("%s was requested twice", r.Path)
		}
	}
}

// TestCrawlDepthAndRobots: a crawl reaches exactly the pages within
// --depth, through cycles, fragments and redirects, each fetched once, and
// obeys robots.txt, meta robots and X-Robots-Tag nofollow.
func TestCrawlDepthAndRobots(t *testing.T) {
	cs, srv := crawlSite(t)
	dir := t.TempDir()
	stats := filepath.Join(dir, "stats.json")
	code, recs, errOut := crawlRecs(t, srv.URL+"/", "--depth", "3", "--max-failures", "1000", "--stats", stats)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	sameReach(t, "depth 3", goodPaths(t, recs), cs.Reach(3, true, false))
	noneTwice(t, srv)
	for _, r := range srv.Pages() {
		if strings.HasPrefix(r.Path, "/secret/") || strings.HasPrefix(r.Path, "/o/") {
			t.Errorf("fetched %s", r.Path)
		}
	}
	var robots, seed int
	for _, r := range recs {
		switch {
		case r["error_kind"] == "robots":
			robots++
			if !strings.HasPrefix(path(t, r["url"]), "/secret/") || r["attempts"] != 0.0 {
				t.Errorf("robots record %v", r)
			}
		case r["depth"] == 0.0:
			seed++
			if r["referrer"] != nil || r["url"] != srv.URL+"/" || path(t, r["final_url"]) != "/n/0" {
				t.Errorf("seed record %v", r)
			}
		default:
			ref, _ := r["referrer"].(string)
			if !strings.HasPrefix(ref, srv.URL+"/n/") {
				t.Errorf("%s: referrer %v", r["url"], r["referrer"])
			}
		}
	}
	if seed != 1 || robots == 0 {
		t.Errorf("%d seed records, %d robots records", seed, robots)
	}
	var st map[string]any
	json.Unmarshal([]byte(readFile(t, stats)), &st)
	if st["max_depth"] != 3.0 || st["queued"] != 0.0 || st["discovered"] == nil || st["urls"] != float64(len(recs)) {
		t.Errorf("stats: max_depth %v queued %v discovered %v urls %v", st["max_depth"], st["queued"], st["discovered"], st["urls"])
	}
	// discovered: every page with a record, and the redirect targets.
	if d := int(st["discovered"].(float64)); d < len(recs) || d > len(recs)+len(cs.Children(3))*20 {
		t.Errorf("discovered %d with %d records", d, len(recs))
	}

	// --ignore-robots: the nofollow pages' links are followed, and the
	// disallowed pages fetched.
	code, recs, _ = crawlRecs(t, srv.URL+"/", "--depth", "3", "--ignore-robots", "--max-failures", "1000")
	if code != 0 {
		t.Fatalf("--ignore-robots: exit %d", code)
	}
	good := goodPaths(t, recs)
	want := cs.Reach(3, false, false)
	for p := range good {
		if strings.HasPrefix(p, "/secret/") {
			delete(good, p)
		}
	}
	sameReach(t, "--ignore-robots", good, want)
}

// TestCrawlDepthZeroAndSeeds: --depth 0 fetches the seeds only; a seed that
// is not an http(s) URL is an invalid_url record; --seeds reads a file.
func TestCrawlDepthZeroAndSeeds(t *testing.T) {
	_, srv := crawlSite(t)
	seeds := filepath.Join(t.TempDir(), "seeds.txt")
	writeFile(t, seeds, "# seeds\n"+srv.URL+"/n/5\nmailto:x@example.invalid\n")
	code, recs, errOut := crawlRecs(t, srv.URL+"/", "--seeds", seeds, "--depth", "0", "--max-failures", "1")
	if code != 0 || len(recs) != 3 {
		t.Fatalf("exit %d, %d records: %s", code, len(recs), errOut)
	}
	kinds := map[string]any{}
	for _, r := range recs {
		kinds[r["url"].(string)] = r["error_kind"]
	}
	if kinds[srv.URL+"/"] != nil || kinds[srv.URL+"/n/5"] != nil || kinds["mailto:x@example.invalid"] != "invalid_url" {
		t.Errorf("records %v", kinds)
	}
	if n := len(srv.Pages()); n != 3 { // "/", its hop "/n/0", "/n/5"
		t.Errorf("server saw %d page requests, want 3", n)
	}
}

// TestCrawlSitemaps: --sitemaps seeds the URLs of the sitemap index, its
// plain and gzipped sitemaps, at depth 1, in scope, past robots.txt.
func TestCrawlSitemaps(t *testing.T) {
	cs, srv := crawlSite(t)
	dir := t.TempDir()
	stats := filepath.Join(dir, "stats.json")
	code, recs, errOut := crawlRecs(t, srv.URL+"/", "--depth", "1", "--sitemaps", "--max-failures", "1000", "--stats", stats)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	sameReach(t, "--sitemaps", goodPaths(t, recs), cs.Reach(1, true, true))
	for _, r := range recs {
		if p := path(t, r["url"]); strings.HasPrefix(p, "/sitemap") {
			t.Errorf("a sitemap has a record: %v", r["url"])
		}
		if strings.HasPrefix(path(t, r["url"]), "/o/") && (r["referrer"] != nil || r["depth"] != 1.0) {
			t.Errorf("sitemap URL record %v", r)
		}
		if strings.Contains(r["url"].(string), "elsewhere") {
			t.Errorf("out of scope sitemap URL admitted: %v", r["url"])
		}
	}
	for _, p := range []string{"/sitemap.xml", "/sitemap-a.xml", "/sitemap-b.xml.gz"} {
		if n := srv.Count(p); n != 1 {
			t.Errorf("%s fetched %d times, want 1", p, n)
		}
	}
	var st map[string]any
	json.Unmarshal([]byte(readFile(t, stats)), &st)
	if st["sitemap_warnings"] != 0.0 {
		t.Errorf("sitemap_warnings %v", st["sitemap_warnings"])
	}
}

// TestCrawlBadSitemap: a sitemap that is not XML or is missing is a warning
// on stderr, counted in --stats, never fatal.
func TestCrawlBadSitemap(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprintf(w, "Sitemap: http://%s/not-xml\nSitemap: http://%s/gone.xml\n", r.Host, r.Host)
		case "/not-xml":
			fmt.Fprint(w, "this is { not a sitemap")
		case "/gone.xml":
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<title>home</title>")
		}
	})
	dir := t.TempDir()
	stats := filepath.Join(dir, "stats.json")
	code, recs, errOut := crawlRecs(t, srv.URL+"/", "--sitemaps", "--stats", stats)
	if code != 0 || len(recs) != 1 {
		t.Fatalf("exit %d, %d records: %s", code, len(recs), errOut)
	}
	if strings.Count(errOut, "trawl: warning: sitemap ") != 2 || !strings.Contains(errOut, "not-xml") || !strings.Contains(errOut, "gone.xml") {
		t.Errorf("stderr %q", errOut)
	}
	var st map[string]any
	json.Unmarshal([]byte(readFile(t, stats)), &st)
	if st["sitemap_warnings"] != 2.0 {
		t.Errorf("sitemap_warnings %v", st["sitemap_warnings"])
	}
}

// TestCrawlFilters: --include, --exclude and --follow decide what is
// followed; seeds skip the filters.
func TestCrawlFilters(t *testing.T) {
	cs, srv := crawlSite(t)
	// Exclude node 2: its subtree is reached through it alone.
	code, recs, _ := crawlRecs(t, srv.URL+"/", "--depth", "3", "--exclude", `/n/2$`, "--max-failures", "1000")
	if code != 0 {
		t.Fatalf("--exclude: exit %d", code)
	}
	want := cs.Reach(3, true, false)
	sub := []int{2}
	for len(sub) > 0 {
		i := sub[0]
		sub = sub[1:]
		delete(want, "/n/"+itoa(i))
		sub = append(sub, cs.Children(i)...)
	}
	sameReach(t, "--exclude", goodPaths(t, recs), want)

	// Include only single-digit nodes; the seed "/" passes as the user's.
	code, recs, _ = crawlRecs(t, srv.URL+"/", "--depth", "3", "--include", `/n/[0-9]$`, "--include", `/r/[0-9]$`)
	if code != 0 {
		t.Fatalf("--include: exit %d", code)
	}
	re := regexp.MustCompile(`/(n|r)/[0-9]$`)
	for _, r := range recs[1:] {
		if u := r["url"].(string); !re.MatchString(u) {
			t.Errorf("--include let %s through", u)
		}
	}
	if len(recs) < 5 {
		t.Errorf("--include: %d records", len(recs))
	}

	// --follow 'li a@href': the child links only, so no /secret/ link.
	code, recs, errOut := crawlRecs(t, srv.URL+"/", "--depth", "3", "--follow", "li a@href")
	if code != 0 {
		t.Fatalf("--follow: exit %d %s", code, errOut)
	}
	sameReach(t, "--follow", goodPaths(t, recs), cs.Reach(3, true, false))
	for _, r := range recs {
		if r["error_kind"] != nil {
			t.Errorf("--follow: failed record %v", r)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestCrawlScope: --scope prefix keeps to the seed's path; host keeps to
// the seed's (final) host.
func TestCrawlScope(t *testing.T) {
	cs, srv := crawlSite(t)
	// The children of nodes 3, 10, 17... are linked through /r/: out of
	// the /n/ prefix, so their subtrees are not reached.
	code, recs, _ := crawlRecs(t, srv.URL+"/n/0", "--depth", "3", "--scope", "prefix", "--max-failures", "1000")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	got := goodPaths(t, recs)
	for p := range got {
		if !strings.HasPrefix(p, "/n/") {
			t.Errorf("--scope prefix reached %s", p)
		}
	}
	for _, c := range cs.Children(3) {
		if _, ok := got["/n/"+itoa(c)]; ok {
			t.Errorf("--scope prefix reached /n/%d through /r/", c)
		}
	}
	// Two hosts: each seed's links stay on its host.
	_, other := crawlSite(t)
	code, recs, _ = crawlRecs(t, srv.URL+"/n/1", other.URL+"/n/2", "--depth", "1", "--max-failures", "1000")
	if code != 0 {
		t.Fatalf("two hosts: exit %d", code)
	}
	hosts := map[string]int{}
	for _, r := range recs {
		u, _ := url.Parse(r["url"].(string))
		hosts[u.Host]++
	}
	if len(hosts) != 2 || len(srv.Pages()) == 0 || len(other.Pages()) == 0 {
		t.Errorf("hosts %v", hosts)
	}
}

// TestCrawlMaxPages: at most N URLs are fetched, then the run ends
// normally; what was queued is dropped and counted.
func TestCrawlMaxPages(t *testing.T) {
	_, srv := crawlSite(t)
	stats := filepath.Join(t.TempDir(), "stats.json")
	code, recs, errOut := crawlRecs(t, srv.URL+"/", "--depth", "5", "--max-pages", "10", "--max-failures", "10", "--stats", stats)
	if code != 0 || len(recs) != 10 {
		t.Fatalf("exit %d, %d records, want 10: %s", code, len(recs), errOut)
	}
	var st map[string]any
	json.Unmarshal([]byte(readFile(t, stats)), &st)
	if q, _ := st["queued"].(float64); q < 1 {
		t.Errorf("queued %v, want the dropped queue", st["queued"])
	}
}

// TestCrawlOrdered: --ordered writes records in admission order: a page
// is admitted after the page it was found on, so its referrer's record
// comes first, one level up.
func TestCrawlOrdered(t *testing.T) {
	_, srv := crawlSite(t)
	for i := 0; i < 3; i++ {
		code, recs, _ := crawlRecs(t, srv.URL+"/", "--depth", "4", "--ordered", "-c", "8", "--per-host", "8", "--max-failures", "1000")
		if code != 0 || len(recs) < 50 {
			t.Fatalf("exit %d, %d records", code, len(recs))
		}
		written := map[string]int{} // final URL → depth
		for k, r := range recs {
			d := int(r["depth"].(float64))
			if ref, ok := r["referrer"].(string); ok {
				if rd, ok := written[ref]; !ok || rd != d-1 {
					t.Fatalf("record %d (%s, depth %d) before its referrer %s (written: %v, depth %d)", k, r["url"], d, ref, ok, rd)
				}
			}
			if f, ok := r["final_url"].(string); ok {
				written[f] = d
			}
		}
	}
}

// TestCrawlCache: with --cache a second crawl gets a 304 for every node,
// repeats the stored extraction and still follows the stored links.
func TestCrawlCache(t *testing.T) {
	cs, srv := crawlSite(t)
	cache := t.TempDir()
	args := []string{srv.URL + "/", "--depth", "2", "--cache", cache, "--follow", "li a@href", "-s", "h=h1"}
	code, first, _ := crawlRecs(t, args...)
	if code != 0 {
		t.Fatalf("first: exit %d", code)
	}
	code, second, _ := crawlRecs(t, args...)
	if code != 0 {
		t.Fatalf("second: exit %d", code)
	}
	sameReach(t, "cached", goodPaths(t, second), cs.Reach(2, true, false))
	// Every page fetched without a redirect is a 304 (the cache keeps a
	// URL's own response, not a redirect's target).
	n304, direct := 0, 0
	for _, r := range second {
		if r["url"] == r["final_url"] {
			direct++
		}
		if r["status"] == 304.0 {
			n304++
			if f := r["fields"].(map[string]any); !strings.HasPrefix(f["h"].(string), "Node ") {
				t.Errorf("304 record fields %v", f)
			}
		}
	}
	if n304 != direct || direct < 8 || len(second) != len(first) {
		t.Errorf("%d records of %d were 304s, %d without a redirect, %d in the first run", n304, len(second), direct, len(first))
	}
}

// TestCrawlBadFlags: exit 1 naming the flag, before any request.
func TestCrawlBadFlags(t *testing.T) {
	_, srv := crawlSite(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{srv.URL, "--shard", "1/2"}, "--shard"},
		{[]string{srv.URL, "--include", "a(b"}, "--include"},
		{[]string{srv.URL, "--exclude", "[z-a]"}, "--exclude"},
		{[]string{srv.URL, "--scope", "planet"}, "--scope"},
		{[]string{srv.URL, "--follow", ".pager a"}, "--follow"},
		{[]string{srv.URL, "--depth", "-1"}, "--depth"},
		{[]string{srv.URL, "--input-format", "csv"}, "unknown flag"},
		{nil, "no seeds"},
	} {
		code, out, errOut := run(t, "", append([]string{"crawl"}, c.args...)...)
		if code != 1 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 1 naming %s", c.args, code, errOut, c.want)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

// TestCrawlResumeChecks: --resume with other shaping flags names them; a
// FILE whose crawl ended has nothing to resume; a crawl that ends removes
// its state.
func TestCrawlResumeChecks(t *testing.T) {
	_, srv := crawlSite(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "site.jsonl")
	code, _, errOut := run(t, "", "crawl", "-q", srv.URL+"/", "--depth", "1", "-o", out, "--max-failures", "100")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	if _, err := os.Stat(out + ".crawl"); !os.IsNotExist(err) {
		t.Errorf("state left after the crawl ended: %v", err)
	}
	code, _, errOut = run(t, "", "crawl", "-q", srv.URL+"/", "--depth", "1", "-o", out, "--resume")
	if code != 1 || !strings.Contains(errOut, "nothing to resume") {
		t.Errorf("resume of an ended crawl: exit %d %q", code, errOut)
	}
	// A state left by an interrupted crawl, resumed with another --depth.
	os.Mkdir(out+".crawl", 0o755)
	shape := `{"seeds":["` + srv.URL + `/"],"depth":1,"scope":"host","include":null,"exclude":null,"follow":null,"sitemaps":false}`
	writeFile(t, filepath.Join(out+".crawl", "shape.json"), shape)
	code, _, errOut = run(t, "", "crawl", "-q", srv.URL+"/", "--depth", "2", "--scope", "domain", "-o", out, "--resume")
	if code != 1 || !strings.Contains(errOut, "--depth") || !strings.Contains(errOut, "--scope") {
		t.Errorf("resume with other flags: exit %d %q", code, errOut)
	}
}
