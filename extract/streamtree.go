package extract

// The streaming matcher's model of the tree builder: the insertion modes a
// page of ordinary markup goes through, and the stack of open elements, as
// internal/htmlparse (x/net/html's parser) keeps them. Each function follows
// the parser's function of the same mode (initialIM, inBodyIM...) token for
// token where the model reproduces it, and calls bail where it does not; see
// stream.go for the list.

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

// streamMode is an insertion mode of the HTML standard's tree construction.
type streamMode uint8

const (
	modeInitial streamMode = iota
	modeBeforeHTML
	modeBeforeHead
	modeInHead
	modeAfterHead
	modeInBody
	modeText
	modeAfterBody
	modeAfterAfterBody
	modeInSelect
	modeInTable
	modeInTableBody
	modeInRow
	modeInCell
	modeInCaption
	modeInColumnGroup
)

// streamTok is the current token as the model reads it.
type streamTok struct {
	tt      html.TokenType // a self-closing tag is a StartTagToken
	self    bool           // the tag is self-closing
	a       atom.Atom
	name    []byte    // lower-case tag name, valid until the next token
	svg     bool      // the tag makes an SVG element
	data    string    // the SVG element's name, when SVG changes it
	hasAttr bool      // the tag has attributes, wanted or not
	attrs   []tokAttr // the wanted attributes, in order
	mask    uint64    // the selector keys among attrs
	text    []byte    // a text token's text (see streamer.needText)
	noText  bool      // text was not read: nothing needs it
}

// tokAttr is a wanted attribute of the current tag: an index into
// streamer.want and its value, valid until the next token.
type tokAttr struct {
	key int
	val []byte
	// For an SVG element (see readSVGAttr): camel says SVG writes the
	// name in camel case; ns is the namespace of a foreign attribute and
	// local the index in streamer.want of its local name, or -1.
	camel bool
	ns    string
	local int
}

// elemKind are the properties of an element's tag the model asks about.
type elemKind uint16

const (
	kindSpecial     elemKind = 1 << iota // the standard's "special" category
	kindFormatting                       // a, b, big, code, em, font, i, nobr, s, small, strike, strong, tt, u
	kindMarker                           // applet, marquee, object, td, th, caption: a marker in the active formatting elements
	kindStopDefault                      // ends the default scope
	kindStopList                         // also ends the list item scope: ol, ul
	kindStopButton                       // also ends the button scope: button
	kindNoText                           // script, style, template, noscript: no text for its ancestors
	kindImplied                          // closed by "generate implied end tags"
)

// kindOf returns the properties of an HTML element with atom a (0 for a
// custom element, which has none of them).
func kindOf(a atom.Atom) elemKind {
	switch a {
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S,
		atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		return kindFormatting
	case atom.Applet, atom.Marquee, atom.Object:
		return kindSpecial | kindMarker | kindStopDefault
	case atom.Caption, atom.Td, atom.Th:
		return kindSpecial | kindMarker | kindStopDefault
	case atom.Html, atom.Table:
		return kindSpecial | kindStopDefault
	case atom.Template:
		return kindSpecial | kindStopDefault | kindNoText
	case atom.Ol, atom.Ul:
		return kindSpecial | kindStopList
	case atom.Button:
		return kindSpecial | kindStopButton
	case atom.Script, atom.Style, atom.Noscript:
		return kindSpecial | kindNoText
	case atom.Dd, atom.Dt, atom.Li, atom.P:
		return kindSpecial | kindImplied
	case atom.Optgroup, atom.Option, atom.Rb, atom.Rp, atom.Rt, atom.Rtc:
		return kindImplied
	case atom.Address, atom.Area, atom.Article, atom.Aside, atom.Base, atom.Basefont,
		atom.Bgsound, atom.Blockquote, atom.Body, atom.Br, atom.Center, atom.Col,
		atom.Colgroup, atom.Details, atom.Dir, atom.Div, atom.Dl, atom.Embed, atom.Fieldset,
		atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.Frame, atom.Frameset,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Head, atom.Header,
		atom.Hgroup, atom.Hr, atom.Iframe, atom.Img, atom.Input, atom.Keygen, atom.Link,
		atom.Listing, atom.Main, atom.Menu, atom.Meta, atom.Nav, atom.Noembed, atom.Noframes,
		atom.Param, atom.Plaintext, atom.Pre, atom.Section, atom.Select, atom.Source,
		atom.Summary, atom.Tbody, atom.Textarea, atom.Tfoot, atom.Thead, atom.Title, atom.Tr,
		atom.Track, atom.Wbr, atom.Xmp:
		return kindSpecial
	}
	return 0
}

// scope is a scope of the stack of open elements: the kinds that end it.
type scope elemKind

const (
	defaultScope  = scope(kindStopDefault)
	listItemScope = scope(kindStopDefault | kindStopList)
	buttonScope   = scope(kindStopDefault | kindStopButton)
)

// process runs the current token through the insertion modes until one
// consumes it, as the parser's parseCurrentToken does.
func (s *streamer) process(t *streamTok) {
	for !s.bailed {
		var done bool
		if t.tt != html.ErrorToken && s.inSVG() {
			if s.inForeign(t) {
				return
			}
			continue
		}
		switch s.mode {
		case modeInitial:
			done = s.initial(t)
		case modeBeforeHTML:
			done = s.beforeHTML(t)
		case modeBeforeHead:
			done = s.beforeHead(t)
		case modeInHead:
			done = s.inHead(t)
		case modeAfterHead:
			done = s.afterHead(t)
		case modeInBody:
			done = s.inBody(t)
		case modeText:
			done = s.inText(t)
		case modeAfterBody:
			done = s.afterBody(t)
		case modeAfterAfterBody:
			done = s.afterAfterBody(t)
		case modeInSelect:
			done = s.inSelect(t)
		case modeInTable:
			done = s.inTable(t)
		case modeInTableBody:
			done = s.inTableBody(t)
		case modeInRow:
			done = s.inRow(t)
		case modeInCell:
			done = s.inCell(t)
		case modeInCaption:
			done = s.inCaption(t)
		case modeInColumnGroup:
			done = s.inColumnGroup(t)
		}
		if done {
			return
		}
	}
}

const whitespace = " \t\r\n\f"

// trimWS is text without its leading HTML white space.
func trimWS(text []byte) []byte {
	return bytes.TrimLeft(text, whitespace)
}

func (s *streamer) initial(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		if t.text = trimWS(t.text); len(t.text) == 0 {
			return true
		}
	case html.CommentToken:
		return true
	case html.DoctypeToken:
		s.mode = modeBeforeHTML
		return true
	}
	s.mode = modeBeforeHTML
	return false
}

func (s *streamer) beforeHTML(t *streamTok) bool {
	switch t.tt {
	case html.DoctypeToken, html.CommentToken:
		return true
	case html.TextToken:
		if t.text = trimWS(t.text); len(t.text) == 0 {
			return true
		}
	case html.StartTagToken:
		if t.a == atom.Html {
			s.html = fixed(s.open(t, &s.doc))
			s.mode = modeBeforeHead
			return true
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Head, atom.Body, atom.Html, atom.Br:
		default:
			return true
		}
	}
	s.html = fixed(s.openImplied(atom.Html, &s.doc))
	s.mode = modeBeforeHead
	return false
}

func (s *streamer) beforeHead(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		if t.text = trimWS(t.text); len(t.text) == 0 {
			return true
		}
	case html.StartTagToken:
		switch t.a {
		case atom.Head:
			s.head = fixed(s.open(t, s.html))
			s.mode = modeInHead
			return true
		case atom.Html:
			return s.htmlAgain(t)
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Head, atom.Body, atom.Html, atom.Br:
		default:
			return true
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	}
	s.head = fixed(s.openImplied(atom.Head, s.html))
	s.mode = modeInHead
	return false
}

// leadingSpace moves the white space that starts t's text to the current
// node, as the parser does in the modes that keep it there and read the
// rest again elsewhere, and reports whether there was any.
func (s *streamer) leadingSpace(t *streamTok) bool {
	rest := trimWS(t.text)
	if len(rest) == len(t.text) {
		return false
	}
	s.addText(s.top(), t.text[:len(t.text)-len(rest)])
	t.text = rest
	return true
}

func (s *streamer) inHead(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		if s.leadingSpace(t) && len(t.text) == 0 {
			return true
		}
	case html.StartTagToken:
		switch t.a {
		case atom.Html:
			return s.htmlAgain(t)
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta:
			s.void(t, s.top())
			return true
		case atom.Noscript, atom.Script, atom.Title, atom.Noframes, atom.Style:
			// Scripting is on: <noscript> holds raw text, like the others.
			s.rawText(t, s.top())
			return true
		case atom.Head:
			return true
		case atom.Template:
			return s.bail("<template>")
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Head:
			s.pop()
			s.mode = modeAfterHead
			return true
		case atom.Body, atom.Html, atom.Br:
		default:
			// </template> too: no template is ever open.
			return true
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	}
	s.pop() // the head
	s.mode = modeAfterHead
	return false
}

func (s *streamer) afterHead(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		if s.leadingSpace(t) {
			s.htmlText = true
			if len(t.text) == 0 {
				return true
			}
		}
	case html.StartTagToken:
		switch t.a {
		case atom.Html:
			return s.htmlAgain(t)
		case atom.Body:
			s.body = fixed(s.open(t, s.html))
			s.mode = modeInBody
			return true
		case atom.Frameset, atom.Template:
			return s.bail("<" + t.a.String() + "> after the head")
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes,
			atom.Script, atom.Style, atom.Title:
			// The parser puts them in the head, closed already. Text
			// given to <html> after </head> would come before them in the
			// tree, though after them in the stream.
			if s.htmlText && s.html.text != nil {
				return s.bail("head element after <html> text")
			}
			switch t.a {
			case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta:
				s.void(t, s.head)
			default:
				s.rawText(t, s.head)
			}
			return true
		case atom.Head:
			return true
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Body, atom.Html, atom.Br:
		default:
			return true
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	}
	s.body = fixed(s.openImplied(atom.Body, s.html))
	s.mode = modeInBody
	return t.tt == html.ErrorToken
}

func (s *streamer) inBody(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		s.bodyText(t)
	case html.StartTagToken:
		s.bodyStart(t)
	case html.EndTagToken:
		s.bodyEnd(t)
	case html.CommentToken:
		s.top().child = true
	}
	return true
}

// bodyText inserts a text token in body: the parser drops NUL and a
// newline that opens a <pre> or <listing>.
func (s *streamer) bodyText(t *streamTok) {
	top := s.top()
	if t.noText {
		return // see streamer.needText
	}
	d := t.text
	if (top.a == atom.Pre || top.a == atom.Listing) && !top.child {
		d = bytes.TrimPrefix(d, []byte("\r"))
		d = bytes.TrimPrefix(d, []byte("\n"))
	}
	if bytes.IndexByte(d, 0) >= 0 {
		d = bytes.ReplaceAll(d, []byte{0}, nil)
	}
	if len(d) > 0 {
		s.addText(top, d)
	}
}

// bodyStart reads a start tag in body.
func (s *streamer) bodyStart(t *streamTok) {
	if s.bodyStartClosing(t) {
		return
	}
	switch t.a {
	case atom.Html:
		s.htmlAgain(t)
	case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes,
		atom.Script, atom.Style, atom.Template, atom.Title:
		s.inHead(t)
	case atom.Body:
		s.reopen(t, "<body>")
	case atom.Area, atom.Br, atom.Embed, atom.Img, atom.Input, atom.Keygen, atom.Wbr,
		atom.Param, atom.Source, atom.Track:
		s.void(t, s.top())
	case atom.Textarea, atom.Iframe, atom.Noembed, atom.Noscript:
		s.rawText(t, s.top())
	case atom.Svg:
		s.openSVG(t, s.top())
	case atom.Select:
		if s.open(t, s.top()) != nil {
			s.mode = modeInSelect
		}
	case atom.Table:
		s.tableStart(t)
	case atom.Frameset, atom.Plaintext, atom.Image, atom.Math:
		s.bail("<" + t.a.String() + ">")
	case atom.Caption, atom.Col, atom.Colgroup, atom.Frame, atom.Head, atom.Tbody, atom.Td,
		atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
		// ignored
	default:
		// Formatting elements (b, em...), applet, marquee, object, and
		// every other element.
		s.open(t, s.top())
	}
}

// bodyStartClosing reads the start tags in body that close open elements
// before they open theirs; false for the others.
func (s *streamer) bodyStartClosing(t *streamTok) bool {
	switch t.a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Header, atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P,
		atom.Section, atom.Summary, atom.Ul, atom.Pre, atom.Listing:
		s.closeP()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		s.closeP()
		if isHeading(s.top().a) {
			s.pop()
		}
	case atom.Form:
		if s.form != 0 {
			return true // ignored: a form is already the form element
		}
		s.closeP()
		if e := s.open(t, s.top()); e != nil {
			s.form = e.seq
		}
		return true
	case atom.Li, atom.Dd, atom.Dt:
		s.listItem(t.a)
		s.closeP()
	case atom.Button:
		if i := s.inScope(defaultScope, atom.Button); i >= 0 {
			s.popTo(i, false)
		}
	case atom.A, atom.Nobr:
		// The adoption agency closes an open <a> (<nobr>) first.
		if t.a == atom.A && s.openA > 0 || t.a == atom.Nobr && s.openNobr > 0 {
			s.endFormatting(t.a)
		}
	case atom.Hr:
		s.closeP()
		s.void(t, s.top())
		return true
	case atom.Xmp:
		s.closeP()
		s.rawText(t, s.top())
		return true
	case atom.Optgroup, atom.Option:
		if s.top().a == atom.Option {
			s.pop()
		}
	case atom.Rb, atom.Rtc, atom.Rp, atom.Rt:
		if s.inScope(defaultScope, atom.Ruby) >= 0 {
			s.impliedEndTags(t.a == atom.Rp || t.a == atom.Rt)
		}
	default:
		return false
	}
	s.open(t, s.top())
	return true
}

// bodyEnd reads an end tag in body.
func (s *streamer) bodyEnd(t *streamTok) {
	switch t.a {
	case atom.Body, atom.Html:
		// With body in scope, the parser goes to "after body", where
		// everything but comments and </html> goes back to body.
		if s.inScope(defaultScope, atom.Body) >= 0 {
			s.mode = modeAfterBody
			if t.a == atom.Html {
				s.mode = modeAfterAfterBody
			}
		}
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Button, atom.Center,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Header, atom.Hgroup, atom.Listing, atom.Main, atom.Menu,
		atom.Nav, atom.Ol, atom.Pre, atom.Section, atom.Summary, atom.Ul, atom.Dd, atom.Dt:
		if i := s.inScope(defaultScope, t.a); i >= 0 {
			s.popTo(i, false)
		}
	case atom.Form:
		s.endForm()
	case atom.P:
		if s.pInButtonScope() < 0 {
			// An empty <p> is made for it.
			s.openImplied(atom.P, s.top())
		}
		if i := s.pInButtonScope(); i >= 0 {
			s.popTo(i, false)
		}
	case atom.Li:
		if i := s.inScope(listItemScope, atom.Li); i >= 0 {
			s.popTo(i, false)
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if i := s.inScope(defaultScope, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6); i >= 0 {
			s.popTo(i, false)
		}
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S,
		atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		s.endFormatting(t.a)
	case atom.Applet, atom.Marquee, atom.Object:
		if i := s.inScope(defaultScope, t.a); i >= 0 {
			s.popTo(i, true)
		}
	case atom.Br:
		// </br> is read as <br>.
		s.implied = streamTok{tt: html.StartTagToken, a: atom.Br, attrs: s.implied.attrs[:0]}
		s.void(&s.implied, s.top())
	case atom.Template:
		// ignored: no template is ever open
	default:
		s.endOther(t)
	}
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// inText reads the text of a raw text or RCDATA element (script, style,
// title, textarea...), up to its end tag or the end of the page.
func (s *streamer) inText(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		d := t.text
		if top := s.top(); top.a == atom.Textarea && !top.child {
			d = bytes.TrimPrefix(d, []byte("\r"))
			d = bytes.TrimPrefix(d, []byte("\n"))
		}
		if len(d) > 0 {
			s.addText(s.top(), d)
		}
		return true
	case html.EndTagToken:
		s.pop()
		s.mode = s.orig
		return true
	case html.ErrorToken:
		s.pop()
		s.mode = s.orig
		return false
	}
	// The tokenizer gives nothing else inside raw text.
	return s.bail("tag in raw text")
}

func (s *streamer) afterBody(t *streamTok) bool {
	switch t.tt {
	case html.ErrorToken, html.CommentToken:
		// A comment goes to <html>: no child of the current node.
		return true
	case html.TextToken:
		if len(trimWS(t.text)) == 0 {
			return s.inBody(t)
		}
	case html.StartTagToken:
		if t.a == atom.Html {
			return s.htmlAgain(t)
		}
	case html.EndTagToken:
		if t.a == atom.Html {
			s.mode = modeAfterAfterBody
			return true
		}
	}
	s.mode = modeInBody
	return false
}

func (s *streamer) afterAfterBody(t *streamTok) bool {
	switch t.tt {
	case html.ErrorToken, html.CommentToken, html.DoctypeToken:
		return true
	case html.TextToken:
		if len(trimWS(t.text)) == 0 {
			return s.inBody(t)
		}
	case html.StartTagToken:
		if t.a == atom.Html {
			return s.htmlAgain(t)
		}
	}
	s.mode = modeInBody
	return false
}

// inSelect reads a token inside a <select> (not in a table), as the
// parser's inSelectIM does: only option, optgroup and script make
// elements; other tags are dropped.
func (s *streamer) inSelect(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		if !t.noText {
			if d := bytes.ReplaceAll(t.text, []byte{0}, nil); len(d) > 0 {
				s.addText(s.top(), d)
			}
		}
	case html.CommentToken:
		s.top().child = true
	case html.StartTagToken:
		switch t.a {
		case atom.Html:
			return s.htmlAgain(t)
		case atom.Option, atom.Optgroup:
			if s.top().a == atom.Option {
				s.pop()
			}
			if t.a == atom.Optgroup && s.top().a == atom.Optgroup {
				s.pop()
			}
			s.open(t, s.top())
		case atom.Select:
			// It closes the select, and makes none.
			s.endSelect()
		case atom.Input, atom.Keygen, atom.Textarea:
			// They close the select, and are read in body.
			s.endSelect()
			return false
		case atom.Script:
			s.rawText(t, s.top())
		case atom.Template:
			return s.bail("<template>")
		case atom.Iframe, atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext, atom.Style,
			atom.Title, atom.Xmp:
			// Dropped, and their contents read as markup.
			s.z.NextIsNotRawText()
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Option:
			if s.top().a == atom.Option {
				s.pop()
			}
		case atom.Optgroup:
			i := len(s.stack) - 1
			if s.stack[i].a == atom.Option {
				i--
			}
			if s.stack[i].a == atom.Optgroup {
				for len(s.stack) > i {
					s.pop()
				}
			}
		case atom.Select:
			s.endSelect()
		}
	case html.ErrorToken:
		return s.inBody(t)
	}
	return true
}

// endSelect closes the open select (only option and optgroup can be above
// it) and goes back to body.
func (s *streamer) endSelect() {
	for len(s.stack) > 0 && s.top().a != atom.Select {
		s.pop()
	}
	s.pop()
	s.mode = modeInBody
}

// htmlAgain reads a second <html> start tag.
func (s *streamer) htmlAgain(t *streamTok) bool {
	s.reopen(t, "<html>")
	return true
}

// reopen reads a second <html> or <body> start tag: the parser adds its
// attributes to the element, which was matched without them. That changes
// nothing unless a selector or a rule reads one of them.
func (s *streamer) reopen(t *streamTok, tag string) {
	for _, at := range t.attrs {
		if at.key < s.nres {
			s.bail(tag + " again with attributes")
			return
		}
	}
}

// top is the current node.
func (s *streamer) top() *openElem { return s.stack[len(s.stack)-1] }

// inScope returns the index of the highest open element with one of tags
// in scope sc, or -1.
func (s *streamer) inScope(sc scope, tags ...atom.Atom) int {
	if !s.anyOpen(tags...) {
		return -1
	}
	for i := len(s.stack) - 1; i >= 0; i-- {
		e := s.stack[i]
		for _, a := range tags {
			if e.a == a {
				return i
			}
		}
		if e.kind&elemKind(sc) != 0 {
			return -1
		}
	}
	return -1
}

// tagSlot is the slot of streamer.openTags for elements of atom a (0 for
// tags without one, all together).
func tagSlot(a atom.Atom) int { return int(uint32(a) * 0x9e3779b1 >> 26) }

// anyOpen reports whether an element of one of tags may be open: false
// when none is.
func (s *streamer) anyOpen(tags ...atom.Atom) bool {
	for _, a := range tags {
		if s.openTags[tagSlot(a)] != 0 {
			return true
		}
	}
	return false
}

// closeP closes a p element in button scope, as many start tags do.
func (s *streamer) closeP() {
	if i := s.pInButtonScope(); i >= 0 {
		s.popTo(i, false)
	}
}

// pInButtonScope returns the index of the p element in button scope, or
// -1; at once when no p is open, as on most block start tags.
func (s *streamer) pInButtonScope() int {
	if s.openP == 0 {
		return -1
	}
	return s.inScope(buttonScope, atom.P)
}

// listItem closes an open li (for <li>) or dd or dt (for <dd>, <dt>) down
// to the first special element other than address, div and p.
func (s *streamer) listItem(a atom.Atom) {
	if a == atom.Li && !s.anyOpen(atom.Li) || a != atom.Li && !s.anyOpen(atom.Dd, atom.Dt) {
		return
	}
	for i := len(s.stack) - 1; i >= 0; i-- {
		e := s.stack[i]
		if e.a == a || a != atom.Li && (e.a == atom.Dd || e.a == atom.Dt) {
			s.popTo(i, false)
			return
		}
		switch e.a {
		case atom.Address, atom.Div, atom.P:
			continue
		}
		if e.kind&kindSpecial != 0 {
			return
		}
	}
}

// impliedEndTags pops dd, dt, li, optgroup, option, p, rb, rp, rt and
// rtc elements off the top; exceptRtc leaves rtc.
func (s *streamer) impliedEndTags(exceptRtc bool) {
	for {
		top := s.top()
		if top.kind&kindImplied == 0 || exceptRtc && top.a == atom.Rtc {
			return
		}
		s.pop()
	}
}

// endForm reads </form>: the parser closes the form element, wherever it
// is on the stack; the model follows it when the form is the current node
// once implied end tags are generated.
func (s *streamer) endForm() {
	seq := s.form
	s.form = 0
	i := s.inScope(defaultScope, atom.Form)
	if seq == 0 || i < 0 || s.stack[i].seq != seq {
		return // ignored
	}
	s.impliedEndTags(false)
	if s.top().seq != seq {
		s.bail("</form> not the current node")
		return
	}
	s.pop()
}

// endFormatting reads the end tag of a formatting element (and an <a> or
// <nobr> start tag while one is open). The model follows the adoption
// agency where it simply closes the element and those above it: when none
// of them is special (no "furthest block") nor a formatting element (which
// the parser would reopen).
func (s *streamer) endFormatting(a atom.Atom) {
	if s.openFmt == 0 {
		return // not open: ignored
	}
	i := len(s.stack) - 1
	for i >= 0 && s.stack[i].a != a {
		i--
	}
	if i < 0 {
		return // not open: ignored
	}
	for _, e := range s.stack[i+1:] {
		if e.kind&(kindSpecial|kindFormatting|kindMarker) != 0 {
			s.bail("misnested </" + a.String() + ">")
			return
		}
	}
	for len(s.stack) > i+1 {
		s.pop()
	}
	s.pop()
}

// endOther reads "any other end tag": it closes the nearest open element
// of its name, unless a special element comes first.
func (s *streamer) endOther(t *streamTok) {
	if !s.anyOpen(t.a) {
		return // ignored
	}
	for i := len(s.stack) - 1; i >= 0; i-- {
		e := s.stack[i]
		if e.a == t.a && (t.a != 0 || e.node.Data == string(t.name)) {
			s.popTo(i, false)
			return
		}
		if e.kind&kindSpecial != 0 {
			return
		}
	}
}

// popTo pops the open elements down to index i, included. A formatting
// element or a marker among them would stay in the active formatting
// elements and be reopened later (or close others): the model gives up.
// own says the element at i is closed by its own end tag (or the tags that
// close a cell or caption): it may be a marker then, and closing a marker
// clears the formatting elements opened after it, which may be among
// those popped.
func (s *streamer) popTo(i int, own bool) {
	clears := own && s.stack[i].kind&kindMarker != 0
	for j := len(s.stack) - 1; j >= i; j-- {
		k := s.stack[j].kind
		switch {
		case own && j == i:
		case k&kindMarker != 0:
			s.bail("<" + s.stack[j].node.Data + "> closed by another tag")
			return
		case k&kindFormatting != 0 && !clears:
			s.bail("<" + s.stack[j].node.Data + "> closed by another tag")
			return
		}
	}
	for len(s.stack) > i {
		s.pop()
	}
}

// void opens and closes an element that has no contents.
func (s *streamer) void(t *streamTok, parent *openElem) {
	if s.open(t, parent) != nil {
		s.pop()
	}
}

// rawText opens an element whose contents the tokenizer reads as text.
func (s *streamer) rawText(t *streamTok, parent *openElem) {
	if s.open(t, parent) != nil {
		s.orig = s.mode
		s.mode = modeText
	}
}

// openImplied opens an element the parser implies, without attributes.
func (s *streamer) openImplied(a atom.Atom, parent *openElem) *openElem {
	s.implied = streamTok{tt: html.StartTagToken, a: a, attrs: s.implied.attrs[:0]}
	return s.open(&s.implied, parent)
}

// fixed marks html, head and body, which stay parents when closed.
func fixed(e *openElem) *openElem {
	if e != nil {
		e.fixed = true
	}
	return e
}

// maxOpen is the most elements the model keeps open: one below the
// parser's cap (htmlparse.MaxDepth), where it starts dropping elements.
const maxOpen = htmlparse.MaxDepth - 1
