package extract

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file finds a page's main content for the text and markdown
// extractors (extract/MAINTEXT.md says why it is our own code and how well
// it does). The page is seen as a flat array of its nodes in document order
// (a "mirror"), so that every pass is a loop over that array: no pass
// recurses, none walks a node's ancestors more than a fixed number of steps,
// and so 100,000 nested elements cost what 100,000 siblings cost. The
// *html.Node tree is only read, never changed: the tree is shared with the
// other extractors.
//
// The passes:
//  1. mirror: each node, its parent and the end of its subtree; elements
//     that are never content (script, forms' controls, hidden ones) are
//     leaves; elements are flagged as boilerplate by tag, role, class or id
//     (navigation, sidebars, comments, share bars, ads, cookie banners…) and
//     as content markers (itemprop=articleBody, class "entry-content"…).
//  2. the best marker's ancestors are protected from the boilerplate flags
//     (a wrapper class "has-sidebar" must not drop the article), and so is
//     a flagged element holding most of the page's text.
//  3. text, link text and commas are summed bottom-up, boilerplate left out;
//     paragraphs give a score to their ancestors, readability-style.
//  4. the content is the best marker, or the best-scored element with its
//     siblings that look like content; inside it, link-heavy blocks and
//     boilerplate are skipped while building the article (maintext_build.go).

// mnode is one node of the mirror.
type mnode struct {
	n      *html.Node
	parent int32
	end    int32 // index after the last node of the subtree
	block  int32 // nearest block-level ancestor-or-self element
	flags  uint32
	// Bottom-up over the subtree, boilerplate left out; in bytes of
	// non-space text.
	text, link int32
	// own is the text whose nearest block is this element (a paragraph's
	// text), ownLink the part of it inside links.
	own, ownLink int32
	raw          int32 // text of the subtree, boilerplate included
	// mass is the paragraph text of the subtree: the own text, links
	// left out, of blocks with at least 25 bytes of it and at most half
	// of it in links.
	mass int32
}

const (
	fElem    uint32 = 1 << iota
	fText           // a text node
	fSkip           // never content: not descended into
	fJunk           // boilerplate by tag, role, class or id
	fComment        // boilerplate that is a comment section
	fHeader         // <header>: boilerplate, but its headings are kept inside the content
	fMarker         // strong content marker (articleBody, entry-content…)
	fWeak           // weak content marker (<article>, <main>)
	fInline         // inline element: its text belongs to its block
	fInLink         // inside <a href>
	fUnder          // itself or an ancestor is (effective) boilerplate
	fKeep           // protected from fJunk
	fByline         // byline, date or other article metadata
)

// article is the main content of a page, ready to be rendered as text or
// Markdown: blocks (paragraphs, headings, list items, code, table rows) of
// inline tokens whose strings live in buf.
type article struct {
	blocks []mblock
	toks   []mtok
	buf    []byte
}

// mainContent finds the page's main content once; both extractors render
// from it. root is a parsed page; base (may be nil) makes links absolute.
// It never returns nil: a page without main text gives an empty article.
func mainContent(root *html.Node, base *url.URL) *article {
	a := &article{}
	if root == nil {
		return a
	}
	m := buildMirror(root)
	if len(m) == 0 {
		return a
	}
	best := bestMarker(m)
	protect(m, best)
	measure(m)
	roots := chooseContent(m, best)
	if len(roots) == 0 {
		return a
	}
	var size int32
	for _, r := range roots {
		size += m[r].raw
	}
	a.buf = make([]byte, 0, size+size/8+64)
	b := builder{m: m, a: a, base: base}
	for _, r := range roots {
		b.build(r)
	}
	b.flush()
	return a
}

// Tags whose subtree is never content.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Canvas: true,
	atom.Select: true, atom.Option: true, atom.Textarea: true, atom.Input: true,
	atom.Button: true, atom.Audio: true, atom.Video: true, atom.Source: true,
	atom.Track: true, atom.Map: true, atom.Area: true, atom.Img: true,
	atom.Picture: true, atom.Dialog: true, atom.Label: true, atom.Figcaption: true,
	atom.Datalist: true, atom.Output: true, atom.Progress: true, atom.Meter: true,
	atom.Frameset: true, atom.Frame: true, atom.Applet: true,
}

// Boilerplate tags.
var junkTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Menu: true,
	atom.Fieldset: true,
}

// inlineTags' text belongs to the enclosing block.
var inlineTags = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Big: true, atom.Cite: true, atom.Code: true, atom.Data: true, atom.Del: true,
	atom.Dfn: true, atom.Em: true, atom.Font: true, atom.I: true, atom.Ins: true,
	atom.Kbd: true, atom.Mark: true, atom.Nobr: true, atom.Q: true, atom.S: true,
	atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strike: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.Tt: true,
	atom.U: true, atom.Var: true, atom.Wbr: true, atom.Br: true, atom.Img: true,
	atom.Label: true,
}

// countNodes counts the nodes under root, root included, so that the
// mirror is allocated once.
func countNodes(root *html.Node) int {
	count := 0
	n := root
	for {
		count++
		if n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == root {
			return count
		}
		n = n.NextSibling
	}
}

// buildMirror flattens the tree under root in document order.
func buildMirror(root *html.Node) []mnode {
	m := make([]mnode, 0, countNodes(root))
	var stack []int32
	n := root
	for {
		idx := int32(len(m))
		parent := int32(-1)
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		f, descend := classify(n)
		if parent >= 0 {
			pf := m[parent].flags
			if pf&fInLink != 0 {
				f |= fInLink
			}
		}
		blk := idx
		if f&fInline != 0 && parent >= 0 || f&fText != 0 && parent >= 0 {
			blk = m[parent].block
		}
		m = append(m, mnode{n: n, parent: parent, block: blk, flags: f})
		if descend && n.FirstChild != nil {
			stack = append(stack, idx)
			n = n.FirstChild
			continue
		}
		m[idx].end = idx + 1
		for {
			if n == root {
				return m
			}
			if n.NextSibling != nil {
				n = n.NextSibling
				break
			}
			n = n.Parent
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			m[top].end = int32(len(m))
		}
	}
}

// classify gives a node's own flags and whether its children are looked at.
func classify(n *html.Node) (uint32, bool) {
	switch n.Type {
	case html.TextNode:
		return fText, false
	case html.DocumentNode:
		return fElem, true
	case html.ElementNode:
	default:
		return fSkip, false
	}
	if n.Namespace != "" || skipTags[n.DataAtom] {
		return fElem | fSkip, false
	}
	f := fElem
	if inlineTags[n.DataAtom] {
		f |= fInline
	}
	switch n.DataAtom {
	case atom.A:
		if _, ok := attrOK(n, "href"); ok {
			f |= fInLink
		}
	case atom.Header:
		f |= fHeader
	case atom.Article, atom.Main:
		f |= fWeak
	case atom.Html, atom.Body:
		return f, true
	}
	if junkTags[n.DataAtom] {
		f |= fJunk
	}
	return attrFlags(n, f)
}

// attrFlags adds to an element's flags what its attributes say; the bool is
// false for a hidden element, which is not descended into.
func attrFlags(n *html.Node, f uint32) (uint32, bool) {
	var class, id, role, itemprop string
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		case "role":
			role = a.Val
		case "itemprop":
			itemprop = a.Val
		case "hidden":
			return f | fSkip, false
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return f | fSkip, false
			}
		case "style":
			if hiddenStyle(a.Val) {
				return f | fSkip, false
			}
		case "itemtype":
			if strings.HasSuffix(a.Val, "/Comment") {
				f |= fJunk | fComment
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(role)) {
	case "navigation", "banner", "contentinfo", "complementary", "menu", "menubar",
		"toolbar", "search", "dialog", "alertdialog", "tablist":
		f |= fJunk
	case "main", "article":
		f |= fWeak
	}
	switch strings.TrimSpace(itemprop) {
	case "articleBody", "text", "reviewBody", "description":
		f |= fMarker
	case "comment":
		f |= fJunk | fComment
	case "author", "datePublished", "dateModified":
		f |= fJunk | fByline
	}
	if n.DataAtom == 0 && strings.IndexByte(n.Data, '-') > 0 {
		// A custom element's name says what it is: <site-navigation>,
		// <cookie-consent>, <article-body>.
		class += " " + n.Data
	}
	if class != "" || id != "" {
		f |= classFlags(class, id)
	}
	return f, true
}

// hiddenStyle tells whether an inline style hides the element.
func hiddenStyle(s string) bool {
	if len(s) > 512 {
		s = s[:512]
	}
	s = strings.ToLower(s)
	if !strings.Contains(s, "none") && !strings.Contains(s, "hidden") {
		return false
	}
	s = strings.ReplaceAll(s, " ", "")
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}
