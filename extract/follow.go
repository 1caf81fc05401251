package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/trawl-dev/trawl/internal/weburl"
)

// DefaultFollow is where a crawl takes its links from when --follow does
// not say: every a[href].
const DefaultFollow = "a[href]@href"

// FollowRule is one compiled --follow SELECTOR@attr.
type FollowRule struct {
	Rule
	// anchors: the rule is a[href]@href, which a tokenizer pass can follow
	// without building the page's tree.
	anchors bool
}

// ParseFollow compiles --follow values; none gives DefaultFollow.
func ParseFollow(specs []string) ([]FollowRule, error) {
	if len(specs) == 0 {
		specs = []string{DefaultFollow}
	}
	rules := make([]FollowRule, 0, len(specs))
	for _, spec := range specs {
		r, err := NewRule("links[]", spec)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", spec, strings.TrimPrefix(err.Error(), "links: "))
		}
		if r.Attr == "" {
			return nil, fmt.Errorf("%q: want SELECTOR@attr, such as '.pager a@href'", spec)
		}
		rules = append(rules, FollowRule{Rule: r, anchors: r.Selector == "a[href]" && r.Attr == "href"})
	}
	return rules, nil
}

// resolver resolves a page's links against its base URL, parsed once.
type resolver struct{ base *weburl.Base }

func newResolver(base *url.URL) resolver {
	b, err := weburl.NewBase(base)
	if err != nil {
		return resolver{}
	}
	return resolver{base: b}
}

// followable resolves a link's attribute value against the page's base URL
// as a browser does, and returns its normalized form (fragment removed), or
// false when it is not an http(s) URL.
func (r resolver) followable(v string) (string, bool) {
	if r.base == nil {
		return "", false
	}
	l, err := r.base.ResolveNormal(v)
	return l, err == nil
}

// linkSet collects a page's links once each, in document order.
type linkSet struct {
	links []string
	seen  map[string]struct{}
}

func (s *linkSet) add(l string) {
	if s.seen == nil {
		s.seen = make(map[string]struct{})
	}
	if _, ok := s.seen[l]; ok {
		return
	}
	s.seen[l] = struct{}{}
	s.links = append(s.links, l)
}

// follow adds link v, resolved by r, when it can be followed.
func (s *linkSet) follow(r resolver, v string) {
	if l, ok := r.followable(v); ok {
		s.add(l)
	}
}

// followTree takes the links of a parsed page by the rules.
func followTree(root *html.Node, base *url.URL, rules []FollowRule) []string {
	var set linkSet
	res := newResolver(base)
	doc := goquery.NewDocumentFromNode(root)
	for _, r := range rules {
		for _, n := range doc.FindMatcher(r.all).Nodes {
			if v, ok := attrOK(n, r.Attr); ok {
				set.follow(res, v)
			}
		}
	}
	return set.links
}

// tokenPage is what pageTokens finds.
type tokenPage struct {
	title, desc *string
	links       []string
	robots      []string
}

// pageTokens reads a page with the tokenizer alone, no tree, in one pass:
// its title and description (as quickHead finds them), its a[href] links,
// its <base href> and its robots <meta>s. ok is false when the page has
// what the tree builder would treat otherwise (foreign content, a
// <select>, which drops an <a>, nesting past the tree builder's depth): the
// caller then parses.
func pageTokens(body []byte, pageURL *url.URL, agent string) (tokenPage, bool) {
	z := html.NewTokenizer(bytes.NewReader(body))
	var out tokenPage
	var hrefs []string
	var base *url.URL
	var depth depthGuard
	var title strings.Builder
	inTitle, baseDone := false, false
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			if inTitle {
				s := Collapse(title.String())
				out.title = &s
			}
			b := pageURL
			if base != nil && pageURL != nil {
				b = pageURL.ResolveReference(base)
			}
			var set linkSet
			res := newResolver(b)
			for _, h := range hrefs {
				if l, ok := res.followable(h); ok {
					set.add(l)
				}
			}
			out.links = set.links
			return out, true
		case html.TextToken:
			if inTitle {
				title.Write(z.Text())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			depth.token(tt, name)
			if inTitle && atom.Lookup(name) == atom.Title {
				s := Collapse(title.String())
				out.title, inTitle = &s, false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !depth.token(tt, name) {
				return tokenPage{}, false
			}
			switch atom.Lookup(name) {
			case atom.Svg, atom.Math, atom.Select:
				return tokenPage{}, false
			case atom.Title:
				if out.title == nil && !inTitle {
					inTitle = true
					title.Reset()
				}
			case atom.A:
				if v, ok := tagAttr(z, hasAttr, "href"); ok {
					hrefs = append(hrefs, v)
				}
			case atom.Base:
				if v, ok := tagAttr(z, hasAttr, "href"); ok && !baseDone {
					baseDone = true
					if u, err := url.Parse(cleanURL(v)); err == nil {
						base = u
					}
				}
			case atom.Meta:
				if hasAttr {
					out.meta(z, agent)
				}
			}
		}
	}
}

// tagAttr returns the first value of attribute key of the current tag, as
// the tree builder keeps the first of repeated attributes.
func tagAttr(z *html.Tokenizer, hasAttr bool, key string) (string, bool) {
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		if string(k) == key {
			return string(v), true
		}
	}
	return "", false
}

// meta reads a <meta>: the first description, and every robots directive
// for the agent (name=robots, or name=agent).
func (p *tokenPage) meta(z *html.Tokenizer, agent string) {
	var name, content string
	var hasName, hasContent bool
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "name":
			if !hasName {
				name, hasName = string(v), true
			}
		case "content":
			if !hasContent {
				content, hasContent = string(v), true
			}
		}
	}
	switch {
	case p.desc == nil && hasContent && strings.EqualFold(name, "description"):
		s := Collapse(content)
		p.desc = &s
	case strings.EqualFold(name, "robots") || agent != "" && strings.EqualFold(name, agent):
		p.robots = append(p.robots, content)
	}
}

// Nofollow reports whether robots directives (the values of X-Robots-Tag
// headers, or of <meta name=robots> contents) say nofollow or none for the
// agent whose product token is token. A directive list may start with an
// agent's name ("googlebot: nofollow"): it then applies to that agent only.
func Nofollow(values []string, token string) bool {
	for _, v := range values {
		directives := v
		if name, rest, ok := strings.Cut(v, ":"); ok {
			n := strings.ToLower(strings.TrimSpace(name))
			if !strings.ContainsAny(n, " ,") && !colonDirective[n] {
				if n != token {
					continue
				}
				directives = rest
			}
		}
		for _, d := range strings.Split(directives, ",") {
			switch strings.ToLower(strings.TrimSpace(d)) {
			case "nofollow", "none":
				return true
			}
		}
	}
	return false
}

// colonDirective are the robots directives written with a colon, which
// are not agent names.
var colonDirective = map[string]bool{"unavailable_after": true, "max-snippet": true,
	"max-image-preview": true, "max-video-preview": true}
