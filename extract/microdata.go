package extract

import (
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// appendMicrodata appends the microdata value (a JSON array) for the
// document: its top-level items (itemscope without itemprop) in tree order,
// each written by the HTML standard's "get the object" algorithm
// (https://html.spec.whatwg.org/multipage/microdata.html#json):
// {"type":[...],"id":...,"properties":{name:[values]}} with type only when
// itemtype has tokens and id only when itemid resolves. The properties of
// an item are found by the standard's algorithm: its descendants and the
// elements its itemref names (the first element of each ID), not entering
// nested items, each element once (so an itemref loop ends), in tree
// order; names in order of first appearance. Values follow the standard:
// a nested item as an object ("ERROR" for an item inside itself), the
// content of <meta>, the URL of src, href or data of the media, link and
// object elements (resolved against base; "" when absent or when it cannot
// be made absolute, as the standard writes for a failed parse), value of
// <data> and <meter>, datetime of <time> (else its own text), else the
// element's textContent, white space and all, script and style text
// included. Decisions where the standard does not apply:
//   - Only HTML elements are items or properties; <template> contents are
//     not part of the document.
//   - The output is bounded: itemref lets a page repeat one subtree in many
//     items, and nested properties repeat their text, so a page could ask
//     for output quadratic (through itemref chains, exponential) in its
//     size. Once the work done exceeds 8 times the page's size (plus 64 KiB)
//     the remaining property values are left out.
func appendMicrodata(dst []byte, root *html.Node, base *url.URL) []byte {
	m := microdata{base: base, start: len(dst)}
	var tops []*html.Node
	size := 0
	needIDs := false
	forEachElement(root, func(n *html.Node) {
		size += 16
		for _, a := range n.Attr {
			size += len(a.Key) + len(a.Val)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				size += len(c.Data)
			}
		}
		if !isHTML(n) {
			return
		}
		_, scope := attrOK(n, "itemscope")
		_, prop := attrOK(n, "itemprop")
		if scope && !prop {
			tops = append(tops, n)
		}
		if _, ok := attrOK(n, "itemref"); ok && scope {
			needIDs = true
		}
		if prop {
			if m.order == nil {
				m.order = make(map[*html.Node]int)
			}
			m.order[n] = len(m.order)
		}
	})
	m.limit = 8*size + 64<<10
	if needIDs {
		m.ids = make(map[string]*html.Node)
		forEachElement(root, func(n *html.Node) {
			if id, ok := attrOK(n, "id"); ok && id != "" {
				if _, seen := m.ids[id]; !seen {
					m.ids[id] = n
				}
			}
		})
	}
	m.path = make(map[*html.Node]bool)
	dst = append(dst, '[')
	for i, item := range tops {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = m.object(dst, item)
	}
	return append(dst, ']')
}

type microdata struct {
	base  *url.URL
	ids   map[string]*html.Node // first element of each ID, when an itemref needs it
	order map[*html.Node]int    // tree order of the elements with itemprop
	path  map[*html.Node]bool   // the items being written: the standard's memory

	start, limit int // where the output starts in dst; the work allowed
	visits       int // elements crawled
}

// spent reports whether the work done (output written, elements crawled)
// is over the limit.
func (m *microdata) spent(dst []byte) bool {
	return len(dst)-m.start+16*m.visits > m.limit
}

// namedProp is one name of one property element of an item.
type namedProp struct {
	name string
	el   *html.Node
}

// object writes the item of element item.
func (m *microdata) object(dst []byte, item *html.Node) []byte {
	m.path[item] = true
	defer delete(m.path, item)
	dst = append(dst, '{')
	if t, _ := attrOK(item, "itemtype"); strings.TrimLeft(t, asciiSpace) != "" {
		dst = append(dst, `"type":[`...)
		for i, tok := range strings.FieldsFunc(t, isASCIISpaceRune) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, tok)
		}
		dst = append(dst, "],"...)
	}
	if v, ok := attrOK(item, "itemid"); ok {
		if id, ok := absURL(m.base, v); ok {
			dst = append(dst, `"id":`...)
			dst = appendJSONString(dst, id)
			dst = append(dst, ',')
		}
	}
	dst = append(dst, `"properties":{`...)
	props := m.properties(item, dst)
	// Group by name, names in order of first appearance, each name's
	// values in tree order.
	rank := make(map[string]int, len(props))
	for _, p := range props {
		if _, ok := rank[p.name]; !ok {
			rank[p.name] = len(rank)
		}
	}
	slices.SortStableFunc(props, func(a, b namedProp) int { return rank[a.name] - rank[b.name] })
	for i, p := range props {
		if i == 0 || p.name != props[i-1].name {
			if i > 0 {
				dst = append(dst, "],"...)
			}
			dst = appendJSONString(dst, p.name)
			dst = append(dst, ':', '[')
		} else {
			dst = append(dst, ',')
		}
		dst = m.value(dst, p.el)
	}
	if len(props) > 0 {
		dst = append(dst, ']')
	}
	return append(dst, '}', '}')
}

// properties returns the named properties of the item of root, in tree
// order, by the standard's algorithm for finding an item's properties.
// When the work limit is reached it returns what it has found.
func (m *microdata) properties(root *html.Node, dst []byte) []namedProp {
	var found []*html.Node
	var pending []*html.Node
	pushChildren := func(n *html.Node) {
		if n.DataAtom == atom.Template && n.Namespace == "" {
			return // a template's contents are not its children
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			if c.Type == html.ElementNode {
				pending = append(pending, c)
			}
		}
	}
	pushChildren(root)
	var memory map[*html.Node]bool
	if refs, ok := attrOK(root, "itemref"); ok && m.ids != nil {
		memory = map[*html.Node]bool{root: true}
		for _, id := range strings.FieldsFunc(refs, isASCIISpaceRune) {
			if el := m.ids[id]; el != nil {
				pending = append(pending, el)
			}
		}
	}
	for len(pending) > 0 {
		if m.spent(dst) {
			break
		}
		m.visits++
		cur := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if memory != nil {
			if memory[cur] {
				continue
			}
			memory[cur] = true
		}
		_, scope := attrOK(cur, "itemscope")
		if !scope {
			pushChildren(cur)
		}
		if isHTML(cur) {
			if _, ok := attrOK(cur, "itemprop"); ok {
				found = append(found, cur)
			}
		}
	}
	if memory != nil {
		// Elements named by itemref come from anywhere: back to tree order.
		slices.SortFunc(found, func(a, b *html.Node) int { return m.order[a] - m.order[b] })
	}
	var props []namedProp
	for _, el := range found {
		v, _ := attrOK(el, "itemprop")
		names := strings.FieldsFunc(v, isASCIISpaceRune)
		var seen map[string]bool // for long lists: each name once, in linear time
		if len(names) > 16 {
			seen = make(map[string]bool, len(names))
		}
		for i, name := range names {
			if seen != nil {
				if seen[name] {
					continue
				}
				seen[name] = true
			} else if slices.Contains(names[:i], name) {
				continue
			}
			props = append(props, namedProp{name, el})
		}
	}
	return props
}

// value writes the property value of el.
func (m *microdata) value(dst []byte, el *html.Node) []byte {
	if _, ok := attrOK(el, "itemscope"); ok {
		if m.path[el] {
			return appendJSONString(dst, "ERROR")
		}
		return m.object(dst, el)
	}
	if m.spent(dst) {
		return append(dst, `""`...)
	}
	switch el.DataAtom {
	case atom.Meta:
		return appendJSONString(dst, attr(el, "content"))
	case atom.Audio, atom.Embed, atom.Iframe, atom.Img, atom.Source, atom.Track, atom.Video:
		return m.urlValue(dst, el, "src")
	case atom.A, atom.Area, atom.Link:
		return m.urlValue(dst, el, "href")
	case atom.Object:
		return m.urlValue(dst, el, "data")
	case atom.Data, atom.Meter:
		return appendJSONString(dst, attr(el, "value"))
	case atom.Time:
		if v, ok := attrOK(el, "datetime"); ok {
			return appendJSONString(dst, v)
		}
		dst = append(dst, '"')
		for c := el.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				dst = appendJSONStringBody(dst, c.Data)
			}
		}
		return append(dst, '"')
	}
	return m.textContent(dst, el)
}

func (m *microdata) urlValue(dst []byte, el *html.Node, key string) []byte {
	v, ok := attrOK(el, key)
	if ok {
		v, ok = absURL(m.base, v)
	}
	if !ok {
		v = ""
	}
	return appendJSONString(dst, v)
}

// textContent writes the DOM's textContent of n (its descendant text, a
// template's contents left out), stopping at the work limit.
func (m *microdata) textContent(dst []byte, n *html.Node) []byte {
	dst = append(dst, '"')
	c := n.FirstChild
	for c != nil && !m.spent(dst) {
		m.visits++
		if c.Type == html.TextNode {
			dst = appendJSONStringBody(dst, c.Data)
		}
		if c.FirstChild != nil && c.Type == html.ElementNode && !(c.DataAtom == atom.Template && c.Namespace == "") {
			c = c.FirstChild
			continue
		}
		for c != nil && c.NextSibling == nil {
			c = c.Parent
			if c == n {
				c = nil
			}
		}
		if c != nil {
			c = c.NextSibling
		}
	}
	return append(dst, '"')
}

func isASCIISpaceRune(r rune) bool { return r < 0x80 && isASCIISpace(byte(r)) }
