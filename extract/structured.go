package extract

// The structured-data extractors of --extract (jsonld, opengraph,
// microdata, meta, links). Each has a tree path, appendX(dst, root, ...),
// that appends its JSON value for a document parsed by html.Parse; the
// three head extractors (jsonld, opengraph, meta) also have a tokenizer
// path, scanStructured, held to the tree path by a differential fuzz test,
// and links a streaming one (the streaming matcher of stream.go, held to
// the tree by its differential tests).
// jsonld, opengraph and meta read the same few elements, so both paths
// feed them to one headCollector, in document order.
//
// Choices SPEC leaves open, common to all of them:
//   - Only elements of the HTML namespace count (an SVG <a> is no link),
//     and the contents of <template> are left out, as the DOM leaves them
//     out of the document (their scripts never run, their links are not on
//     the page).
//   - URLs are resolved against base (the page's URL resolved against its
//     first <base href>). A URL that cannot be made absolute — it does not
//     parse, or it is relative and base is nil or itself relative — is left
//     out (microdata, whose standard says so, writes "" instead).
//   - Attribute values are written as they are (no white space collapsed),
//     but for links' text.

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// forEachElement calls fn for every element below n in document order,
// leaving out the contents of HTML <template> elements. It needs no
// recursion, however deep the tree.
func forEachElement(n *html.Node, fn func(*html.Node)) {
	c := n.FirstChild
	for c != nil {
		descend := true
		if c.Type == html.ElementNode {
			fn(c)
			descend = !(c.DataAtom == atom.Template && c.Namespace == "")
		}
		if descend && c.FirstChild != nil {
			c = c.FirstChild
			continue
		}
		for c.NextSibling == nil {
			c = c.Parent
			if c == n || c == nil {
				return
			}
		}
		c = c.NextSibling
	}
}

// isHTML reports whether n is an HTML element.
func isHTML(n *html.Node) bool { return n.Type == html.ElementNode && n.Namespace == "" }

// attrIn returns the first attribute key (no namespace) in attrs: the one
// the parser's DOM would keep.
func attrIn(attrs []html.Attribute, key string) (string, bool) {
	for _, a := range attrs {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// absURL resolves the attribute value ref against base as Rules.Node
// resolves URL attributes; ok is false when the result is not absolute.
func absURL(base *url.URL, ref string) (string, bool) {
	u, err := url.Parse(cleanURL(ref))
	if err != nil {
		return "", false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !u.IsAbs() {
		return "", false
	}
	return u.String(), true
}

// resolveBase is the document's base URL as Rules.Node computes it: the
// first <base href> value (found says there is one) resolved against the
// page's URL; the page's URL when there is none or it does not parse.
func resolveBase(pageURL *url.URL, href string, found bool) *url.URL {
	if !found {
		return pageURL
	}
	b, err := url.Parse(cleanURL(href))
	if err != nil {
		return pageURL
	}
	if pageURL != nil {
		return pageURL.ResolveReference(b)
	}
	return b
}

// documentBase finds the first HTML <base href> of a parsed document, as
// Rules.Node does, and resolves it with resolveBase.
func documentBase(root *html.Node, pageURL *url.URL) *url.URL {
	var walk func(*html.Node) (string, bool)
	walk = func(n *html.Node) (string, bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Base && c.Namespace == "" {
				if v, ok := attrOK(c, "href"); ok {
					return v, true
				}
			}
			if v, ok := walk(c); ok {
				return v, true
			}
		}
		return "", false
	}
	href, found := walk(root)
	return resolveBase(pageURL, href, found)
}

// hasToken reports whether the space-separated list s holds tok, compared
// ASCII case-insensitively (as rel and type tokens are).
func hasToken(s, tok string) bool {
	for len(s) > 0 {
		s = strings.TrimLeft(s, " \t\n\f\r")
		end := strings.IndexAny(s, " \t\n\f\r")
		if end < 0 {
			end = len(s)
		}
		if strings.EqualFold(s[:end], tok) {
			return true
		}
		s = s[end:]
	}
	return false
}

// asciiSpace are the HTML standard's ASCII white space characters.
const asciiSpace = " \t\n\f\r"

// textOf returns the concatenated text children of n (a script's source).
func textOf(n *html.Node) string {
	if c := n.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		return c.Data
	}
	var sb strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			sb.WriteString(c.Data)
		}
	}
	return sb.String()
}

// headTree feeds a parsed document's elements to h in document order.
func headTree(h *headCollector, root *html.Node) {
	forEachElement(root, func(n *html.Node) {
		if n.Namespace != "" {
			return
		}
		switch n.DataAtom {
		case atom.Html:
			h.html(n.Attr)
		case atom.Meta:
			h.meta(n.Attr)
		case atom.Link:
			h.link(n.Attr)
		case atom.Time:
			h.time(n.Attr)
		case atom.Script:
			if h.wantScript(n.Attr) {
				h.script(textOf(n))
			}
		}
	})
}
