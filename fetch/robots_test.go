package fetch

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/jimsmart/grobotstxt"
)

// TestRelevantGroupsSameVerdicts: matching the reduced robots.txt gives the
// verdicts of the whole file, over generated files and paths.
func TestRelevantGroupsSameVerdicts(t *testing.T) {
	agents := []string{"trawl", "*", "googlebot", "Trawl", "trawl-extra", "* junk", "otherbot"}
	lines := []string{"allow: /a", "disallow: /", "disallow: /a/b", "allow: /*.html$", "disallow: /*?q=",
		"crawl-delay: 2", "sitemap: http://x/s.xml", "# comment", "", "disallow:", "allow: /a/b/c"}
	paths := []string{"/", "/a", "/a/b", "/a/b/c", "/x.html", "/y?q=1", "/a/b/c.html", "/z"}
	rng := rand.New(rand.NewPCG(7, 9))
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		for i := rng.IntN(12); i >= 0; i-- {
			if rng.IntN(3) == 0 {
				b.WriteString("user-agent: " + agents[rng.IntN(len(agents))] + "\n")
			} else {
				b.WriteString(lines[rng.IntN(len(lines))] + "\n")
			}
		}
		body := b.String()
		reduced := relevantGroups(body, "trawl/1.0")
		for _, p := range paths {
			u := &url.URL{Scheme: "http", Host: "h", Path: p}
			if strings.Contains(p, "?") {
				u, _ = url.Parse("http://h" + p)
			}
			want := grobotstxt.AgentAllowed(body, "trawl", u.String())
			got := (&robots{body: reduced}).allowed("trawl/1.0", u)
			if reduced == "" {
				got = true
			}
			if got != want {
				t.Fatalf("robots.txt:\n%s\nreduced:\n%s\n%s: reduced says %v, whole file %v", body, reduced, p, got, want)
			}
		}
	}
}
