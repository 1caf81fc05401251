package extract

import (
	"net/url"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// appendLinks appends the links value (a JSON array) for the document: an
// object {"url","text","rel"} for every HTML <a href> in document order.
// url is the href resolved against base, fragment kept; rel the attribute
// as written, or null without one; text the link's text as collapse reads
// it (no script, style, template or noscript; white space collapsed and
// trimmed). Decisions where SPEC is silent:
//   - A link whose href cannot be made absolute (it does not parse, or it
//     is relative and base is nil) is left out. javascript: and mailto:
//     URLs are absolute and kept.
//   - The text of a link nested in another (the parser allows it through
//     tables) belongs to the inner link only: every piece of text is in at
//     most one link's text, so the output stays linear in the page.
func appendLinks(dst []byte, root *html.Node, base *url.URL) []byte {
	dst = append(dst, '[')
	var sb textBuilder
	forEachElement(root, func(a *html.Node) {
		if a.DataAtom != atom.A || a.Namespace != "" {
			return
		}
		href, ok := attrOK(a, "href")
		if !ok {
			return
		}
		u, ok := absURL(base, href)
		if !ok {
			return
		}
		rel, hasRel := attrOK(a, "rel")
		dst = appendLink(dst, u, sb.linkText(a), rel, hasRel)
	})
	return append(dst, ']')
}

// appendLink appends a link's object to a links array that dst ends, open:
// the one encoding of a link, the tree's (appendLinks) and the streamer's
// (streamer.linksValue).
func appendLink(dst []byte, u, text, rel string, hasRel bool) []byte {
	if dst[len(dst)-1] != '[' {
		dst = append(dst, ',')
	}
	dst = append(dst, `{"url":`...)
	dst = appendJSONString(dst, u)
	dst = append(dst, `,"text":`...)
	dst = appendJSONString(dst, text)
	dst = append(dst, `,"rel":`...)
	dst = appendJSONStringOrNull(dst, rel, hasRel)
	return append(dst, '}')
}

// textBuilder collects a link's text with white space collapsed.
type textBuilder struct {
	b     []byte
	space bool
}

// linkText returns a's text as collapse does, leaving out the text of
// links nested in it.
func (t *textBuilder) linkText(a *html.Node) string {
	t.b, t.space = t.b[:0], false
	c := a.FirstChild
	for c != nil {
		descend := false
		switch c.Type {
		case html.TextNode:
			t.add(c.Data)
		case html.ElementNode:
			descend = !skipText(c)
		}
		if descend && c.FirstChild != nil {
			c = c.FirstChild
			continue
		}
		for c != nil && c.NextSibling == nil {
			c = c.Parent
			if c == a {
				c = nil
			}
		}
		if c != nil {
			c = c.NextSibling
		}
	}
	return string(t.b)
}

// skipText reports whether an element's text is not link text: what
// collapse leaves out (code, templates), and nested HTML links, whose text
// is their own.
func skipText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Noscript:
		return true
	}
	return n.DataAtom == atom.A && n.Namespace == ""
}

func (t *textBuilder) add(s string) {
	for _, r := range s {
		if isSpace(r) {
			t.space = len(t.b) > 0
			continue
		}
		if t.space {
			t.b = append(t.b, ' ')
			t.space = false
		}
		t.b = utf8.AppendRune(t.b, r)
	}
}
