// The streaming matcher: --select (and --follow) rules matched while the
// page is tokenized, without building its tree.
//
// The tree path (Rules.node) parses every page with internal/htmlparse and
// runs cascadia on the tree; building the tree is most of its cost. Like
// Cloudflare's lol-html, the streaming matcher keeps only the stack of open
// elements, with the tree builder's rules for closing them (streamtree.go),
// and matches each element when its start tag is read, against its
// ancestors and earlier siblings. That is enough for the selectors
// streamSelector accepts: type, class, id and attribute selectors,
// descendant and child combinators, :first-child, :first-of-type,
// :nth-child, :nth-of-type, :root, :link and :not of those. Matching is
// cascadia's own Match, on a small *html.Node for each open element whose
// Parent chain mirrors the stack (the html, head and body elements
// included, implied or not) and whose siblings (dummies, only when a
// selector counts them) stand for the elements already closed: the
// semantics are cascadia's by construction.
//
// Values come out as the tree path gives them: an element's text is
// collected, white space collapsed on the fly, from the text the tree
// builder would put under it (no script, style, template or noscript text;
// NUL dropped, a <pre>'s opening newline too); attribute values are kept
// raw and resolved at the end, against the <base href> that may come after
// the element. Title, description, base and robots <meta>s are found as
// headWalk finds them.
//
// The links extractor (--extract links) streams too: every HTML <a> with
// an href is noted when its start tag is read (streamer.noteLink), href
// and rel as written, and its text collected as linkText reads it from the
// tree: the text of the elements under it, but not that of script, style,
// template or noscript, nor of an HTML <a> nested in it. The value is
// written at the end, resolved against the page's base, by appendLink, as
// appendLinks writes it from the tree. Of the other extractors, the head
// ones (jsonld, opengraph, meta) are a tokenizer pass (see Extractor);
// microdata, text and markdown need the tree.
//
// The model follows the tree builder for ordinary markup: implied html,
// head and body; head elements before the body, and those the parser moves
// back into the head after </head>; void elements; raw text elements; a p
// closed by the start tags that close it, and the empty p of a lone </p>;
// li, dd, dt, option, headings, ruby; end tags that close the elements
// above theirs, and are ignored past a special element; </br> as <br>;
// content after </body> and </html>; a nested <form>, ignored; <select>
// with its options (other tags inside dropped); tables (streamtable.go);
// inline SVG (streamsvg.go). It gives up (the caller then builds the tree)
// on what it does not reproduce:
//
//   - <template>, <frameset>, <plaintext>, <image>, MathML;
//   - in tables, what the parser moves out of them (foster parenting: text
//     other than white space, or a tag other than a table's, right in a
//     table, row group or row), <input> and <select>, and a <table> opened
//     while a p is in button scope (quirks mode decides);
//   - in SVG, HTML (at <title>, <desc>, <foreignObject>), <font>, and an
//     end tag that closes no SVG element;
//   - a formatting element (a, b, big, code, em, font, i, nobr, s, small,
//     strike, strong, tt, u) closed by anything but its own end tag or the
//     end of the marker (applet, marquee, object, td, th, caption) it was
//     opened in, or a marker closed by anything but its own end tag: the
//     parser would reopen it (reconstruct the active formatting elements)
//     or run the adoption agency;
//   - the end tag of a formatting element (and an <a> in an <a>, a <nobr>
//     in a <nobr>) with a special or formatting element above it: the
//     adoption agency moves elements there (it closes them otherwise,
//     which the model does);
//   - a </form> whose form is not the current node once p, li and the like
//     are closed (the parser takes it out of the middle of the stack);
//   - a second <html> or <body> start tag with an attribute a selector or
//     a rule reads (the parser adds it to the element already matched);
//   - head elements after </head> once <html> has had text after the head,
//     when a rule takes <html>'s text (their text would come first in the
//     tree);
//   - nesting the parser caps (htmlparse.MaxDepth);
//   - a body that is not valid UTF-8, when a rule takes text or links are
//     extracted (the tree decodes each text node whole).
//
// A differential fuzz test (FuzzStream) and a test on 945 real pages
// (TestStreamCorpus) hold the two paths to the same results.

package extract

import (
	"bytes"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// openElem is an element the model has opened: the node cascadia matches,
// and what the model needs of it.
type openElem struct {
	node html.Node
	a    atom.Atom
	kind elemKind
	// seq numbers the elements of a page, from 1: the form element pointer.
	seq int
	// text are the collectors of the text inserted into this element (its
	// own and its ancestors', unless an element between keeps text from
	// them): a list through collector.next.
	text *collector
	// link collects the text of the innermost HTML <a> this element is in,
	// for the links extractor: nil outside one, in one without href, and
	// where text is no link text (script, style, template, noscript).
	link *collector
	// child: the element has a child node (the parser strips the newline
	// that opens a <pre>, <listing> or <textarea> only then).
	child bool
	// mask has bit i for the selector keys (streamer.want[i]) it has.
	mask uint64
	// fixed: html, head and body, never reused; head is a parent still
	// after it is closed.
	fixed bool
	// svg: an SVG element; integration: SVG's title or desc, where text
	// is HTML's.
	svg, integration bool
	// attrs holds node.Attr.
	attrs []html.Attribute
}

// collector collects an element's text as collapse does: runs of white
// space as one space, none at either end.
type collector struct {
	b     []byte
	space bool
	next  *collector
}

func (c *collector) add(text []byte) {
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(text[i:])
		}
		i += size
		if isSpace(r) {
			c.space = len(c.b) > 0
			continue
		}
		if c.space {
			c.b = append(c.b, ' ')
			c.space = false
		}
		c.b = utf8.AppendRune(c.b, r)
	}
}

// streamRule is a rule (or a --follow rule) as the streamer matches it.
type streamRule struct {
	rule *Rule
	// attr is the index in streamer.want of the rule's attribute, -1 for
	// the text.
	attr int
	// subjects are rule.stream.subjects, their keys as masks of want.
	subjects []maskSubject
	// done: a first-match rule has its element.
	done bool
}

type maskSubject struct {
	tag  string
	need uint64
}

// may reports whether e may match the rule: cheaper than cascadia's Match.
func (r *streamRule) may(e *openElem) bool {
	for _, sub := range r.subjects {
		if (sub.tag == "" || sub.tag == e.node.Data) && e.mask&sub.need == sub.need {
			return true
		}
	}
	return false
}

// streamMatch is an element a rule matched.
type streamMatch struct {
	// off and end delimit the attribute's value as written in
	// streamer.vals, or the text in results' string of texts.
	off, end int
	ok       bool // the element has the attribute
	text     *collector
}

// linkMatch is an HTML <a> with an href, for the links extractor: href
// and rel as written (rel.ok: it has one) and the collector of its text.
type linkMatch struct {
	href, rel streamMatch
	text      *collector
}

// streamer is the state of one streaming pass. Streamers are pooled: their
// elements, collectors and buffers serve page after page.
type streamer struct {
	z      *html.Tokenizer
	bailed bool
	why    string // why the streamer gave up
	agent  string

	rules []streamRule
	// want are the attributes read from tags: the selectors' keys first
	// (nsel of them, copied onto the nodes), then the rules' attributes,
	// then name, content and href for <meta> and <base> (headWant).
	want []string
	nsel int
	// nres: want[:nres] are the selectors' keys and the rules' attributes.
	nres     int
	headWant [3]int
	siblings bool
	// links: the links extractor's <a href>s are wanted; relKey is the
	// index of rel in want.
	links  bool
	relKey int

	mode, orig streamMode
	attrs      []tokAttr // the token's attributes, kept for the next page
	implied    streamTok
	doc        openElem
	stack      []*openElem
	// html, head and body are kept for their children; head is a parent
	// still once closed.
	html, head, body *openElem
	seq              int
	form             int // seq of the form element pointer; 0 for none
	openA, openNobr  int
	openP            int  // open HTML p elements
	openFmt          int  // open HTML formatting elements
	htmlText         bool // <html> had text after </head>
	topSVG           bool // the current node is an SVG element (see open, pop)
	// openTags counts the open elements by a hash of their atom
	// (tagSlot): a zero says no element of a tag is open, so that a stray
	// end tag or a scope question under hundreds of open elements costs
	// no walk of the stack.
	openTags [64]int32

	matches   [][]streamMatch // by rule, in document order
	linkMs    []linkMatch     // the links extractor's, in document order
	vals      []byte          // the attribute values matched, end to end
	title     *collector
	titleSeen bool
	desc      *string
	baseHref  string
	baseFound bool
	robots    []string

	// Pools: free elements, dummy siblings, collectors (the first ncoll
	// of colls are this page's).
	free    []*openElem
	dummies []*html.Node
	colls   []*collector
	ncoll   int
	// strs interns the values of the nodes' attributes (class names
	// repeat), page after page, up to maxInterned.
	strs map[string]string
}

const maxInterned = 4096

var streamers = sync.Pool{New: func() any { return new(streamer) }}

// streamable reports whether the streamer can match every rule.
func streamable(rules []Rule) bool {
	for i := range rules {
		if rules[i].stream == nil {
			return false
		}
	}
	return true
}

// followStreamable reports whether the streamer can match every --follow
// rule.
func followStreamable(follow []FollowRule) bool {
	for i := range follow {
		if follow[i].stream == nil {
			return false
		}
	}
	return true
}

// streamPage extracts from body what rules.node(root, pageURL, agent)
// extracts from its tree, and the links followTree takes by follow; with
// links, linked is the links extractor's value, appendLinks' on the tree.
// ok is false when the page has what the streamer does not model (the
// caller then parses it). Every rule must be streamable.
func streamPage(body []byte, pageURL *url.URL, rules Rules, follow []FollowRule, agent string, links bool) (res Result, followed []string, linked []byte, ok bool) {
	res, followed, linked, why := runStream(body, pageURL, rules, follow, agent, links)
	return res, followed, linked, why == ""
}

// runStream is streamPage, which says why it gave up ("" when it did not).
func runStream(body []byte, pageURL *url.URL, rules Rules, follow []FollowRule, agent string, links bool) (res Result, followed []string, linked []byte, why string) {
	s := streamers.Get().(*streamer)
	defer streamers.Put(s)
	defer s.clear()
	s.reset(body, rules, follow, agent, links)
	// The token is local: writing its fields costs no write barrier.
	t := streamTok{attrs: s.attrs[:0]}
	for !s.bailed {
		// As the parser: CDATA sections only in foreign content.
		s.z.AllowCDATA(s.inSVG())
		tt := s.z.Next()
		s.read(&t, tt)
		s.process(&t)
		if tt == html.ErrorToken {
			break
		}
	}
	// The attributes' values are the tokenizer's: keep none of them.
	s.attrs = t.attrs[:0]
	if clear(s.attrs[:cap(s.attrs)]); cap(s.attrs) > 1024 {
		s.attrs = nil
	}
	if s.bailed {
		return Result{}, nil, nil, s.why
	}
	res, followed, linked = s.results(pageURL, rules, follow)
	return res, followed, linked, ""
}

// reset readies s for a page.
func (s *streamer) reset(body []byte, rules Rules, follow []FollowRule, agent string, links bool) {
	s.bailed, s.why, s.agent, s.links = false, "", agent, links
	s.rules, s.want, s.siblings = s.rules[:0], s.want[:0], false
	// Link text is text: the tree decodes each text node whole.
	text := links
	for i := range rules {
		s.addRule(&rules[i])
		text = text || rules[i].Attr == ""
	}
	for i := range follow {
		s.addRule(&follow[i].Rule)
	}
	// The selectors' keys first: they are the nodes' attributes.
	for i := range s.rules {
		for _, k := range s.rules[i].rule.stream.keys {
			s.wantKey(k)
		}
	}
	s.nsel = len(s.want)
	switch {
	case s.nsel > 64:
		s.bail("more than 64 attributes in the selectors")
	case text && !utf8.Valid(body):
		s.bail("not UTF-8")
	}
	for i := range s.rules {
		r := &s.rules[i]
		if r.rule.Attr != "" {
			r.attr = s.wantKey(r.rule.Attr)
		}
		for _, sub := range r.rule.stream.subjects {
			m := maskSubject{tag: sub.tag}
			for _, k := range sub.need {
				m.need |= 1 << s.wantKey(k)
			}
			r.subjects = append(r.subjects, m)
		}
	}
	s.nres = len(s.want)
	s.headWant = [3]int{s.wantKey("name"), s.wantKey("content"), s.wantKey("href")}
	s.relKey = -1
	if links {
		s.relKey = s.wantKey("rel")
	}
	s.linkMs = s.linkMs[:0]
	s.matches = s.matches[:0]
	for range s.rules {
		if len(s.matches) < cap(s.matches) {
			s.matches = s.matches[:len(s.matches)+1]
			s.matches[len(s.matches)-1] = s.matches[len(s.matches)-1][:0]
		} else {
			s.matches = append(s.matches, nil)
		}
	}
	s.mode, s.orig = modeInitial, modeInitial
	s.doc.node = html.Node{Type: html.DocumentNode}
	s.doc.text, s.doc.link = nil, nil
	s.stack = s.stack[:0]
	s.openTags = [len(s.openTags)]int32{}
	s.html, s.head, s.body = nil, nil, nil
	s.seq, s.form, s.openA, s.openNobr, s.openP, s.openFmt = 0, 0, 0, 0, 0, 0
	s.htmlText, s.topSVG = false, false
	s.title, s.titleSeen, s.desc = nil, false, nil
	s.baseHref, s.baseFound, s.robots = "", false, s.robots[:0]
	s.ncoll = 0
	s.vals = s.vals[:0]
	s.z = html.NewTokenizer(bytes.NewReader(body))
}

func (s *streamer) addRule(r *Rule) {
	if len(s.rules) < cap(s.rules) {
		s.rules = s.rules[:len(s.rules)+1]
	} else {
		s.rules = append(s.rules, streamRule{})
	}
	sr := &s.rules[len(s.rules)-1]
	*sr = streamRule{rule: r, attr: -1, subjects: sr.subjects[:0]}
	s.siblings = s.siblings || r.stream.siblings
}

// wantKey returns the index of attribute key in s.want, adding it.
func (s *streamer) wantKey(key string) int {
	for i, k := range s.want {
		if k == key {
			return i
		}
	}
	s.want = append(s.want, key)
	return len(s.want) - 1
}

// clear lets go of the page and keeps what serves the next.
func (s *streamer) clear() {
	s.z = nil
	for _, e := range s.stack {
		if !e.fixed {
			s.free = append(s.free, e)
		}
	}
	for _, e := range []*openElem{s.html, s.head, s.body} {
		if e != nil {
			e.fixed = false
			s.free = append(s.free, e)
		}
	}
	s.stack = s.stack[:0]
	s.html, s.head, s.body = nil, nil, nil
	// What a huge page needed is not kept for the next.
	for _, c := range s.colls[:s.ncoll] {
		c.next = nil
		if cap(c.b) > maxKept {
			c.b = nil
		}
	}
	s.colls = trim(s.colls, 1024)
	s.dummies = trim(s.dummies, 1024)
	for i := range s.matches {
		clear(s.matches[i])
		if cap(s.matches[i]) > 1024 {
			s.matches[i] = nil
		}
	}
	if clear(s.linkMs); cap(s.linkMs) > 1024 {
		s.linkMs = nil
	}
	if cap(s.vals) > maxKept {
		s.vals = nil
	}
	s.title, s.desc = nil, nil
}

// maxKept bounds the buffers a pooled streamer keeps from a page.
const maxKept = 64 << 10

// trim returns the first n of ps (all when fewer), letting go of the rest.
func trim[T any](ps []*T, n int) []*T {
	if len(ps) <= n {
		return ps
	}
	clear(ps[n:])
	return ps[:n:n]
}

// bail gives the page up to the tree path, for the reason why (the first
// one counts).
func (s *streamer) bail(why string) bool {
	if !s.bailed {
		s.bailed, s.why = true, why
	}
	return true
}

// read reads the current token into t: the tag's atom, name and the
// attributes s.want names; a text token's text when something needs it.
func (s *streamer) read(t *streamTok, tt html.TokenType) {
	t.tt = tt
	switch tt {
	case html.TextToken:
		t.text, t.noText = nil, !s.needText()
		if !t.noText {
			t.text = s.z.Text()
		}
	case html.StartTagToken, html.SelfClosingTagToken:
		// The parser ignores the self-closing flag of HTML elements.
		t.tt, t.self, t.attrs, t.mask = html.StartTagToken, tt == html.SelfClosingTagToken, t.attrs[:0], 0
		t.svg, t.data = false, ""
		name, more := s.z.TagName()
		t.name, t.a, t.hasAttr = name, atom.Lookup(name), more
		svg := t.a == atom.Svg || s.inSVG()
		for more {
			var k, v []byte
			k, v, more = s.z.TagAttr()
			if svg {
				s.readSVGAttr(t, k, v)
			} else if i := s.wantIndex(k); i >= 0 {
				t.attrs = append(t.attrs, tokAttr{key: i, val: v, local: -1})
				if i < s.nsel {
					t.mask |= 1 << i
				}
			}
		}
	case html.EndTagToken:
		t.name, _ = s.z.TagName()
		t.a, t.hasAttr, t.attrs, t.mask = atom.Lookup(t.name), false, t.attrs[:0], 0
	}
}

func (s *streamer) wantIndex(k []byte) int {
	for i, w := range s.want {
		if string(k) == w {
			return i
		}
	}
	return -1
}

// needText reports whether a text token's text matters: everywhere but in
// body and raw text without a collector (and without a <pre> or <listing>
// that may drop a newline).
func (s *streamer) needText() bool {
	switch s.mode {
	case modeInBody, modeText, modeInSelect, modeInCell, modeInCaption:
		top := s.top()
		return top.text != nil || top.link != nil || s.mode != modeText && (top.a == atom.Pre || top.a == atom.Listing) && !top.child
	}
	return true
}

// open makes an element for tag t, as the last child of parent, and pushes
// it on the stack; nil when the model gives up (too deep).
func (s *streamer) open(t *streamTok, parent *openElem) *openElem {
	if s.bailed || len(s.stack) >= maxOpen {
		s.bail("too deep")
		return nil
	}
	e := s.alloc()
	s.seq++
	e.seq, e.a, e.child, e.mask, e.fixed = s.seq, t.a, false, t.mask, false
	e.svg, e.integration = t.svg, false
	data, ns := t.data, ""
	if data == "" {
		data = t.a.String()
		if t.a == 0 {
			data = string(t.name)
		}
	}
	e.attrs = e.attrs[:0]
	if t.svg {
		// Only collapse's exclusions apply to SVG elements, by atom.
		e.kind, ns = kindOf(t.a)&kindNoText, "svg"
		s.svgAttrs(e, t)
	} else {
		e.kind = kindOf(t.a)
		for _, at := range t.attrs {
			// key is -1 for an attribute noted only for its local name in
			// SVG (see readSVGAttr), when the tag broke out of SVG.
			if at.key >= 0 && at.key < s.nsel {
				e.attrs = append(e.attrs, html.Attribute{Key: s.want[at.key], Val: s.intern(at.val)})
			}
		}
	}
	// Field by field: a whole html.Node written costs a bulk write
	// barrier. The sibling links are read only by :nth-child and the like.
	n := &e.node
	n.Type, n.DataAtom, n.Data, n.Namespace, n.Attr, n.Parent = html.ElementNode, t.a, data, ns, e.attrs, &parent.node
	parent.child = true
	if s.siblings {
		n.FirstChild, n.LastChild = nil, nil
		link(&parent.node, n)
	}
	e.text, e.link = parent.text, parent.link
	if e.kind&kindNoText != 0 {
		e.text, e.link = nil, nil
	}
	s.match(e, t)
	if e.kind&kindFormatting != 0 {
		s.openFmt++
	}
	s.openTags[tagSlot(e.a)]++
	if t.svg {
		// No document title, meta or base in SVG.
		s.stack = append(s.stack, e)
		s.topSVG = true
		return e
	}
	switch t.a {
	case atom.Title:
		if !s.titleSeen {
			s.titleSeen = true
			s.title = s.collect(e)
		}
	case atom.Meta:
		s.meta(t)
	case atom.Base:
		if v, ok := s.attr(t, s.headWant[2]); ok && !s.baseFound {
			s.baseHref, s.baseFound = string(v), true
		}
	case atom.A:
		s.openA++
		s.noteLink(e, t)
	case atom.Nobr:
		s.openNobr++
	case atom.P:
		s.openP++
	}
	s.stack = append(s.stack, e)
	s.topSVG = false
	return e
}

// intern returns b as a string, the same string for the same short bytes.
func (s *streamer) intern(b []byte) string {
	if len(b) > 64 {
		return string(b)
	}
	if v, ok := s.strs[string(b)]; ok {
		return v
	}
	v := string(b)
	if s.strs == nil || len(s.strs) >= maxInterned {
		s.strs = make(map[string]string)
	}
	s.strs[v] = v
	return v
}

func (s *streamer) alloc() *openElem {
	if n := len(s.free); n > 0 {
		e := s.free[n-1]
		s.free = s.free[:n-1]
		return e
	}
	return new(openElem)
}

// pop closes the current node.
func (s *streamer) pop() {
	e := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.topSVG = len(s.stack) > 0 && s.stack[len(s.stack)-1].svg
	if e.kind&kindFormatting != 0 {
		s.openFmt--
	}
	s.openTags[tagSlot(e.a)]--
	switch {
	case e.svg:
	case e.a == atom.A:
		s.openA--
	case e.a == atom.Nobr:
		s.openNobr--
	case e.a == atom.P:
		s.openP--
	}
	if e.fixed {
		return
	}
	if s.siblings {
		s.unlink(e)
	}
	s.free = append(s.free, e)
}

// link makes n the last child of p: only elements are linked, which is
// all cascadia counts.
func link(p, n *html.Node) {
	n.PrevSibling, n.NextSibling = p.LastChild, nil
	if p.LastChild != nil {
		p.LastChild.NextSibling = n
	} else {
		p.FirstChild = n
	}
	p.LastChild = n
}

// unlink puts a dummy in the place of a closed element among its parent's
// children (it is the last of them), and lets go of its own children.
func (s *streamer) unlink(e *openElem) {
	for c := e.node.FirstChild; c != nil; {
		next := c.NextSibling
		s.dummies = append(s.dummies, c)
		c = next
	}
	var d *html.Node
	if n := len(s.dummies); n > 0 {
		d = s.dummies[n-1]
		s.dummies = s.dummies[:n-1]
	} else {
		d = new(html.Node)
	}
	p := e.node.Parent
	*d = html.Node{Type: html.ElementNode, DataAtom: e.node.DataAtom, Data: e.node.Data, Parent: p, PrevSibling: e.node.PrevSibling}
	if d.PrevSibling != nil {
		d.PrevSibling.NextSibling = d
	} else {
		p.FirstChild = d
	}
	p.LastChild = d
}

// match tests e against the rules and records the matches.
func (s *streamer) match(e *openElem, t *streamTok) {
	for i := range s.rules {
		r := &s.rules[i]
		if r.done || !r.may(e) || !r.rule.match(&e.node) {
			continue
		}
		var m streamMatch
		if r.attr >= 0 {
			m = s.keep(s.ruleAttr(e, t, r.attr))
		} else {
			m.text = s.collect(e)
		}
		s.matches[i] = append(s.matches[i], m)
		r.done = !r.rule.List
	}
}

// keep keeps attribute value v (ok: the element has the attribute) in
// s.vals: its match.
func (s *streamer) keep(v []byte, ok bool) streamMatch {
	m := streamMatch{ok: ok}
	if ok {
		m.off = len(s.vals)
		s.vals = append(s.vals, v...)
		m.end = len(s.vals)
	}
	return m
}

// noteLink notes HTML <a> element e, made for tag t, for the links
// extractor: with an href, a link whose text e and its descendants
// collect; without one, a link's text stops at e all the same (see
// skipText).
func (s *streamer) noteLink(e *openElem, t *streamTok) {
	e.link = nil
	if !s.links {
		return
	}
	href, ok := s.attr(t, s.headWant[2])
	if !ok {
		return
	}
	e.link = s.newCollector()
	s.linkMs = append(s.linkMs, linkMatch{href: s.keep(href, true), rel: s.keep(s.attr(t, s.relKey)), text: e.link})
}

// ruleAttr returns the first value of attribute want[key] of element e
// made for tag t, as attrOK finds it: in SVG, not by a name SVG writes in
// camel case.
func (s *streamer) ruleAttr(e *openElem, t *streamTok, key int) ([]byte, bool) {
	for _, at := range t.attrs {
		if at.key == key && !(e.svg && at.camel) {
			return at.val, true
		}
	}
	return nil, false
}

// attr returns the first value of attribute want[key] of tag t, as attrOK
// takes the first of repeated attributes.
func (s *streamer) attr(t *streamTok, key int) ([]byte, bool) {
	for _, at := range t.attrs {
		if at.key == key {
			return at.val, true
		}
	}
	return nil, false
}

// collect starts collecting e's text.
func (s *streamer) collect(e *openElem) *collector {
	c := s.newCollector()
	c.next, e.text = e.text, c
	return c
}

// newCollector returns an empty collector of the page's.
func (s *streamer) newCollector() *collector {
	var c *collector
	if s.ncoll < len(s.colls) {
		c = s.colls[s.ncoll]
		c.b, c.space, c.next = c.b[:0], false, nil
	} else {
		c = new(collector)
		s.colls = append(s.colls, c)
	}
	s.ncoll++
	return c
}

// meta reads a <meta> as headWalk.meta does.
func (s *streamer) meta(t *streamTok) {
	name, _ := s.attr(t, s.headWant[0])
	content, hasContent := s.attr(t, s.headWant[1])
	switch {
	case s.desc == nil && bytes.EqualFold(name, []byte("description")):
		if hasContent {
			d := Collapse(string(content))
			s.desc = &d
		}
	case s.agent != "" && (bytes.EqualFold(name, []byte("robots")) || bytes.EqualFold(name, []byte(s.agent))):
		s.robots = append(s.robots, string(content))
	}
}

// addText inserts text into e: its collectors take it.
func (s *streamer) addText(e *openElem, text []byte) {
	e.child = true
	for c := e.text; c != nil; c = c.next {
		c.add(text)
	}
	if e.link != nil {
		e.link.add(text)
	}
}

// results makes the page's Result, the links to follow and the links
// extractor's value from what the pass found. Values are substrings of two
// strings, one of the attribute values and one of the texts: two
// allocations, not one a value.
func (s *streamer) results(pageURL *url.URL, rules Rules, follow []FollowRule) (res Result, followed []string, linked []byte) {
	res = rules.Empty()
	if s.title != nil {
		t := string(s.title.b)
		res.Title = &t
	}
	res.Description = s.desc
	res.Base = resolveBase(pageURL, s.baseHref, s.baseFound)
	if len(s.robots) > 0 {
		res.Robots = append([]string(nil), s.robots...)
	}
	vals, texts := string(s.vals), s.texts(len(rules))
	ar := newAttrResolver(res.Base)
	for i := range rules {
		ms := s.matches[i]
		if !rules[i].List {
			if len(ms) > 0 {
				if v, ok := ms[0].value(rules[i].Attr, vals, texts, ar); ok {
					res.Values[i].Str = &v
				}
			}
			continue
		}
		if len(ms) > 0 {
			res.Values[i].List = make([]string, 0, len(ms))
		}
		for _, m := range ms {
			if v, ok := m.value(rules[i].Attr, vals, texts, ar); ok {
				res.Values[i].List = append(res.Values[i].List, v)
			}
		}
	}
	if s.links {
		linked = s.linksValue(res.Base, vals)
	}
	if len(follow) == 0 {
		return res, nil, linked
	}
	var set linkSet
	r := newResolver(res.Base)
	for _, ms := range s.matches[len(rules):] {
		for _, m := range ms {
			if m.ok {
				set.follow(r, vals[m.off:m.end])
			}
		}
	}
	return res, set.links, linked
}

// linksValue is the links extractor's value, as appendLinks writes it
// from the tree; vals is s.vals as a string.
func (s *streamer) linksValue(base *url.URL, vals string) []byte {
	dst := []byte{'['}
	for _, l := range s.linkMs {
		if u, ok := absURL(base, vals[l.href.off:l.href.end]); ok {
			dst = appendLink(dst, u, string(l.text.b), vals[l.rel.off:l.rel.end], l.rel.ok)
		}
	}
	return append(dst, ']')
}

// texts returns the texts of the first n rules' matches end to end, and
// sets each match's off and end in it.
func (s *streamer) texts(n int) string {
	size := 0
	for _, ms := range s.matches[:n] {
		for _, m := range ms {
			if m.text != nil {
				size += len(m.text.b)
			}
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, ms := range s.matches[:n] {
		for j := range ms {
			if m := &ms[j]; m.text != nil {
				m.off = b.Len()
				b.Write(m.text.b)
				m.end = b.Len()
			}
		}
	}
	return b.String()
}

// value is the rule's value of a match, as value gives it for the node;
// vals and texts are the strings of streamer.results.
func (m *streamMatch) value(attr, vals, texts string, ar attrResolver) (string, bool) {
	if attr == "" {
		return texts[m.off:m.end], true
	}
	if !m.ok {
		return "", false
	}
	return ar.value(vals[m.off:m.end], attr)
}
