package extract

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

// corpusModule is the module whose real web pages TestStreamCorpus reads:
// go-trafilatura ships 945 pages of news sites, blogs, shops and
// forums in test-files/comparison. It is read from the module cache, not
// required by trawl's go.mod.
const corpusModule = "github.com/markusmobius/go-trafilatura@v1.12.2"

// corpusRuleSets are realistic --select (and --follow) rule sets, all
// streamable, and whether the links extractor is asked too.
var corpusRuleSets = []struct {
	name          string
	rules, follow []string
	links         bool
}{
	{"extract links", nil, nil, true},
	{"article", []string{
		"title=h1", "subtitles[]=h2", "desc=meta[name=description]@content",
		"canonical=link[rel=canonical]@href", "paragraphs[]=article p", "author=[rel=author]",
		"published=meta[property='article:published_time']@content", "lang=html@lang",
	}, nil, false},
	{"links", []string{
		"links[]=a@href", "images[]=img@src", "scripts[]=script@src", "nav[]=nav a",
		"menu[]=ul > li > a@href", "first_items[]=li:first-child", "styles[]=link[rel~=stylesheet]@href",
	}, []string{"a[href]@href", ".pagination a@href"}, true},
	{"shop", []string{
		"price[]=.price", "name=[itemprop=name]", "content[]=div.content p", "main=#main > article h2",
		"og_title=meta[property=\"og:title\"]@content", "cells[]=p:nth-of-type(2n+1)",
		"not_nav[]=body > div:not(.nav, #header) > h2", "all_text=body",
	}, nil, false},
}

// corpusDir returns the directory of the corpus pages, or skips t.
func corpusDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env GOMODCACHE: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(corpusModule), "test-files", "comparison")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no corpus of real pages (%v); run: go mod download %s", err, corpusModule)
	}
	return dir
}

// TestStreamCorpus holds the streaming matcher to the tree path on real
// pages: for each page and rule set (and the links extractor, alone and
// with rules), when the streamer answers, it answers what the tree gives.
// It logs the share of pages the streamer answered.
func TestStreamCorpus(t *testing.T) {
	dir := corpusDir(t)
	pages, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 100 {
		t.Fatalf("%d pages in %s, want at least 100", len(pages), dir)
	}
	if testing.Short() || raceEnabled {
		// Every fourth page: the race detector makes each ten times
		// slower.
		var some []string
		for i := 0; i < len(pages); i += 4 {
			some = append(some, pages[i])
		}
		pages = some
	}
	type set struct {
		rules  Rules
		follow []FollowRule
		n      int
	}
	sets := make([]set, len(corpusRuleSets))
	for i, rs := range corpusRuleSets {
		sets[i].rules = mustRules(t, rs.rules...)
		if rs.follow != nil {
			f, err := ParseFollow(rs.follow)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range f {
				if r.stream == nil {
					t.Fatalf("--follow %s: not streamable", r.Selector)
				}
			}
			sets[i].follow = f
		}
	}
	u := mustURL(t, "https://corpus.example/news/2024/article.html")
	bails := map[string]int{}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// Pages reach extraction as UTF-8 (fetch decodes them).
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
		root, err := htmlparse.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for i := range sets {
			s := &sets[i]
			links := corpusRuleSets[i].links
			res, followed, linked, why := runStream(b, u, s.rules, s.follow, streamAgent, links)
			if why != "" {
				bails[why]++
				continue
			}
			s.n++
			want := s.rules.node(root, u, streamAgent)
			var wantFollowed []string
			if s.follow != nil {
				wantFollowed = followTree(root, want.Base, s.follow)
			}
			var wantLinked []byte
			if links {
				wantLinked = appendLinks(nil, root, want.Base)
			}
			if d := diffResults(res, want, followed, wantFollowed, linked, wantLinked); d != "" {
				t.Errorf("%s, rules %s: stream and tree differ: %s", filepath.Base(p), corpusRuleSets[i].name, d)
			}
		}
	}
	for i, s := range sets {
		t.Logf("rules %s: %d of %d pages (%.0f%%) streamed", corpusRuleSets[i].name, s.n, len(pages), 100*float64(s.n)/float64(len(pages)))
		if corpusRuleSets[i].links && s.n < len(pages)/2 {
			t.Errorf("rules %s: only %d of %d pages streamed with links", corpusRuleSets[i].name, s.n, len(pages))
		}
	}
	t.Logf("gave up on: %v", bails)
}
