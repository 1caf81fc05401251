package extract

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/trawl-dev/trawl/internal/htmlparse"
	"github.com/trawl-dev/trawl/output"
)

// Result is what a page yields.
type Result struct {
	Title       *string
	Description *string
	// Values are the rules' values, in rule order.
	Values []output.Value
	// Base is the page's base URL: its URL resolved against <base href>.
	Base *url.URL
	// Robots are the contents of its <meta name=robots> (and of
	// <meta name=TOKEN> for the agent token given to Node).
	Robots []string
}

// urlAttrs are the attributes whose values are URLs, resolved to absolute.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "cite": true, "data": true,
	"poster": true, "formaction": true, "background": true, "longdesc": true,
	"manifest": true, "icon": true, "codebase": true, "usemap": true, "xlink:href": true,
}

// Page parses body (UTF-8 HTML) once and extracts title, description and the
// rules' fields. Links resolve against the page's <base href>, itself
// resolved against pageURL. Malformed HTML never fails: whatever the HTML5
// parser recovers is used.
func (rs Rules) Page(body []byte, pageURL *url.URL) Result {
	if len(rs) == 0 {
		// Without rules only title and description are wanted: no tree.
		if title, desc, ok := quickHead(body); ok {
			return Result{Title: title, Description: desc, Values: []output.Value{}}
		}
	} else if streamable(rs) {
		if res, _, _, ok := streamPage(body, pageURL, rs, nil, "", false); ok {
			return res
		}
	}
	root, err := htmlparse.Parse(bytes.NewReader(body))
	if err != nil {
		// html.Parse fails only on reader errors; a bytes.Reader has none.
		return rs.Empty()
	}
	return rs.Node(root, pageURL)
}

// Empty is the result of a page with nothing in it, or of a body that is not
// HTML: null title and description, null or [] fields.
func (rs Rules) Empty() Result {
	res := Result{Values: make([]output.Value, len(rs))}
	for i, r := range rs {
		if r.List {
			res.Values[i] = output.Value{IsList: true, List: []string{}}
		}
	}
	return res
}

// Node extracts from a parsed document.
func (rs Rules) Node(root *html.Node, pageURL *url.URL) Result {
	return rs.node(root, pageURL, "")
}

// node extracts from a parsed document; agent, when set, is the product
// token whose <meta name=...> robots directives are kept too.
func (rs Rules) node(root *html.Node, pageURL *url.URL, agent string) Result {
	res := rs.Empty()
	var base *url.URL
	hw := headWalk{res: &res, base: &base, agent: agent}
	hw.walk(root)
	if base == nil {
		base = pageURL
	} else if pageURL != nil {
		base = pageURL.ResolveReference(base)
	}
	res.Base = base
	if len(rs) == 0 {
		return res
	}
	doc := goquery.NewDocumentFromNode(root)
	ar := newAttrResolver(base)
	var sb strings.Builder
	for i, r := range rs {
		if !r.List {
			if n := doc.FindMatcher(r.first); n.Length() > 0 {
				if s, ok := value(n.Nodes[0], r.Attr, ar, &sb); ok {
					res.Values[i].Str = &s
				}
			}
			continue
		}
		for _, n := range doc.FindMatcher(r.all).Nodes {
			if s, ok := value(n, r.Attr, ar, &sb); ok {
				res.Values[i].List = append(res.Values[i].List, s)
			}
		}
	}
	return res
}

// headWalk finds the first HTML <title>, <meta name=description> and
// <base href> in document order, and the robots <meta>s, without goquery:
// they are wanted on every page.
type headWalk struct {
	res      *Result
	base     **url.URL
	baseDone bool
	// agent is the product token of the robots <meta> kept beside "robots".
	agent string
}

func (w *headWalk) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.Namespace == "" {
			switch c.DataAtom {
			case atom.Title:
				if w.res.Title == nil {
					var sb strings.Builder
					s := collapse(c, &sb)
					w.res.Title = &s
				}
				continue
			case atom.Meta:
				w.meta(c)
			case atom.Base:
				if !w.baseDone {
					if v, ok := attrOK(c, "href"); ok {
						w.baseDone = true
						if u, err := url.Parse(cleanURL(v)); err == nil {
							*w.base = u
						}
					}
				}
			}
		}
		w.walk(c)
	}
}

func (w *headWalk) meta(c *html.Node) {
	name := attr(c, "name")
	switch {
	case w.res.Description == nil && strings.EqualFold(name, "description"):
		if v, ok := attrOK(c, "content"); ok {
			s := Collapse(v)
			w.res.Description = &s
		}
	case w.agent != "" && (strings.EqualFold(name, "robots") || strings.EqualFold(name, w.agent)):
		w.res.Robots = append(w.res.Robots, attr(c, "content"))
	}
}

func value(n *html.Node, name string, ar attrResolver, sb *strings.Builder) (string, bool) {
	if name == "" {
		return collapse(n, sb), true
	}
	v, ok := attrOK(n, name)
	if !ok {
		return "", false
	}
	return ar.value(v, name)
}

// attrResolver gives attribute values as --select writes them, URLs
// resolved against a page's base URL.
type attrResolver struct {
	base *url.URL
	// prefix is base's scheme://host (with user info), for the fast path
	// of resolve; "" where the fast path does not apply.
	prefix string
}

func newAttrResolver(base *url.URL) attrResolver {
	r := attrResolver{base: base}
	if base != nil && base.Scheme != "" && base.Opaque == "" && base.Host != "" {
		r.prefix = (&url.URL{Scheme: base.Scheme, User: base.User, Host: base.Host}).String()
	}
	return r
}

// value is the value of attribute name written v: collapsed, or for a URL
// attribute, absolute (false when it cannot be).
func (r attrResolver) value(v, name string) (string, bool) {
	if !urlAttrs[name] {
		return Collapse(v), true
	}
	if r.prefix != "" && plainPathRef(v) {
		return r.prefix + v, true
	}
	return absURL(r.base, v)
}

// plainPathRef reports whether v is a path-absolute URL reference that
// net/url parses, resolves against an absolute base with a host, and
// writes back unchanged after the base's scheme://host: a single leading
// slash, no dot segments, no fragment, and in the path only unreserved
// characters and slashes (no percent-escapes), in the query only those and
// ?=&%+,;:@. Most links on most pages are written so; FuzzAttrValue holds
// the fast path to net/url's.
func plainPathRef(v string) bool {
	if len(v) == 0 || v[0] != '/' || len(v) > 1 && v[1] == '/' {
		return false
	}
	query := false
	segStart := 0
	for i := 0; i <= len(v); i++ {
		var c byte = '/'
		if i < len(v) {
			c = v[i]
		}
		if !query && (c == '/' || c == '?') {
			// A segment ends: "." and ".." are dot segments.
			if seg := v[segStart:i]; seg == "." || seg == ".." {
				return false
			}
			segStart = i + 1
			query = c == '?'
			continue
		}
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '.', c == '_', c == '~':
		case query && strings.IndexByte("/?=&%+,;:@", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// cleanURL does what the URL standard does before parsing: strip leading and
// trailing C0 controls and spaces, and remove tabs and newlines.
func cleanURL(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key || a.Namespace != "" && a.Namespace+":"+a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// collapse returns n's text as a reader sees it (no script, style, template
// or noscript), with white space runs collapsed to one space and trimmed.
func collapse(n *html.Node, sb *strings.Builder) string {
	sb.Reset()
	space := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				for _, r := range c.Data {
					if isSpace(r) {
						space = sb.Len() > 0
						continue
					}
					if space {
						sb.WriteByte(' ')
						space = false
					}
					sb.WriteRune(r)
				}
			case html.ElementNode:
				// Code and templates are not text a reader sees.
				switch c.DataAtom {
				case atom.Script, atom.Style, atom.Template, atom.Noscript:
					continue
				}
				walk(c)
			}
		}
	}
	if n.Type == html.TextNode {
		return Collapse(n.Data)
	}
	walk(n)
	return sb.String()
}

// Collapse collapses runs of white space in s to one space and trims it.
func Collapse(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		if isSpace(r) {
			if prevSpace || r != ' ' {
				clean = false
				break
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	if clean && !prevSpace || s == "" {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0x85, 0xA0:
		return true
	}
	return r > 0xff && (r == 0x1680 || r >= 0x2000 && r <= 0x200a || r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000)
}
