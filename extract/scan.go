package extract

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// scanStructured reads body (UTF-8 HTML) with the x/net/html tokenizer only,
// no tree, and returns the JSON values of the extractors asked for (nil for
// those not asked), identical to the tree path's (appendJSONLD,
// appendOpenGraph, appendMeta on html.Parse's tree, with the base URL that
// documentBase finds). It finds the base URL itself: the first <base href>,
// resolved against pageURL.
//
// The elements these extractors read (<html>, <meta>, <link>, <time>,
// <base>, <script>) are inserted by the tree builder where their tags stand,
// but where the tree builder reads tags in other ways, and scanStructured
// follows it there:
//   - <template> contents are not part of the document: skipped.
//   - SVG and MathML: tags inside are foreign elements, not HTML (and the
//     tokenizer reads no raw text there), until an HTML tag breaks out or
//     the root's end tag closes them; as the tree builder does.
//
// It gives up (ok false: parse, and use the tree path) where it cannot tell
// what the tree builder does: an HTML tag inside SVG or MathML (at their
// integration points: foreignObject, desc, title, mi, annotation-xml...), an
// end tag there that closes no foreign element, a <base href> inside a
// template (documentBase reads template contents, where the tree builder
// drops tags in some modes), <select> and <frameset>
// (which ignore most tags), and an element that matters met while a table
// may be open (foster parenting moves it, or an element it goes into, in
// front of the table). A differential fuzz test (FuzzScanStructured) holds
// the two paths together.
func scanStructured(body []byte, pageURL *url.URL, jsonld, opengraph, meta bool) (jl, og, mt []byte, ok bool) {
	if !jsonld && !opengraph && !meta {
		return nil, nil, nil, true
	}
	s := scanner{
		z:      html.NewTokenizer(bytes.NewReader(body)),
		h:      newHeadCollector(jsonld, opengraph, meta),
		tables: []int{0},
	}
	for {
		s.z.AllowCDATA(len(s.foreign) > 0) // as the parser allows it: in foreign content
		tt := s.z.Next()
		if s.inScript && tt != html.TextToken {
			// The script's text is complete: the parser ends a script at
			// its end tag or at EOF, and no tag can stand inside it.
			s.h.script(string(s.script))
			s.inScript = false
		}
		switch tt {
		case html.ErrorToken:
			// A bytes.Reader ends only in io.EOF.
			jl, og, mt = s.h.results(resolveBase(pageURL, s.baseHref, s.baseFound))
			return jl, og, mt, true
		case html.TextToken:
			if s.inScript {
				s.script = append(s.script, s.z.Text()...)
			} else if s.atIntegrationPoint() && bytes.HasPrefix(s.z.Raw(), []byte("<![CDATA[")) {
				// Text at an integration point may reopen HTML formatting
				// elements, after which the parser reads no CDATA.
				return nil, nil, nil, false
			}
		case html.EndTagToken:
			if !s.endTag() {
				return nil, nil, nil, false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if !s.startTag(tt == html.SelfClosingTagToken) {
				return nil, nil, nil, false
			}
		}
	}
}

// scanner is scanStructured's state.
type scanner struct {
	z     *html.Tokenizer
	h     *headCollector
	depth depthGuard

	attrs     []html.Attribute
	attrsRead bool // attrs holds the current tag's attributes

	baseHref  string
	baseFound bool
	// tables counts the tables that may be open, per template level (a
	// table inside a template is closed with it).
	tables   []int
	foreign  []foreignElem // open SVG and MathML elements, the root first
	inScript bool          // reading a JSON-LD script's text
	script   []byte
}

// foreignElem is an open SVG or MathML element.
type foreignElem struct {
	name string // as the tokenizer gives it: lower case
	math bool   // MathML, else SVG
	// Integration points: where the parser reads tags as HTML again.
	htmlIP, textIP, annotationXML bool
}

// atIntegrationPoint reports whether the current node is an SVG or MathML
// integration point.
func (s *scanner) atIntegrationPoint() bool {
	if len(s.foreign) == 0 {
		return false
	}
	top := s.foreign[len(s.foreign)-1]
	return top.htmlIP || top.textIP
}

// readAttrs makes s.attrs the current tag's attributes.
func (s *scanner) readAttrs(hasAttr bool) {
	if !s.attrsRead {
		s.attrs = tagAttrs(s.z, s.attrs[:0], hasAttr)
		s.attrsRead = true
	}
}

// startTag reads a start tag; false means give up.
func (s *scanner) startTag(selfClosing bool) bool {
	name, hasAttr := s.z.TagName()
	tt := html.StartTagToken
	if selfClosing {
		tt = html.SelfClosingTagToken
	}
	if !s.depth.token(tt, name) {
		return false
	}
	a := atom.Lookup(name)
	s.attrsRead = false
	if len(s.foreign) > 0 {
		done, ok := s.foreignStart(a, string(name), selfClosing, hasAttr)
		if !ok || done {
			return ok
		}
		// An HTML tag broke out of foreign content: read it as HTML.
	}
	switch a {
	case atom.Select, atom.Frameset:
		return false
	case atom.Svg, atom.Math:
		if !selfClosing {
			s.foreign = append(s.foreign, foreignElem{name: string(name), math: a == atom.Math})
		}
		return true
	case atom.Template:
		s.tables = append(s.tables, 0)
		return true
	case atom.Table:
		s.tables[len(s.tables)-1]++
		return true
	case atom.Html, atom.Meta, atom.Link, atom.Time, atom.Base, atom.Script:
	default:
		return true
	}
	s.readAttrs(hasAttr)
	tableOpen := false
	for _, n := range s.tables {
		tableOpen = tableOpen || n > 0
	}
	_, href := attrIn(s.attrs, "href")
	newBase := a == atom.Base && href && !s.baseFound
	inTemplate := len(s.tables) > 1
	if newBase && inTemplate || tableOpen && (newBase || s.h.cares(a.String(), s.attrs)) {
		// documentBase reads a template's contents, where the parser drops
		// tags in some modes (after a <col>, say).
		return false
	}
	if newBase {
		s.baseHref, s.baseFound = attrIn(s.attrs, "href")
	}
	if inTemplate {
		return true // template contents are not the document's
	}
	switch a {
	case atom.Html:
		s.h.html(s.attrs)
	case atom.Meta:
		s.h.meta(s.attrs)
	case atom.Link:
		s.h.link(s.attrs)
	case atom.Time:
		s.h.time(s.attrs)
	case atom.Script:
		if s.h.wantScript(s.attrs) {
			s.inScript = true
			s.script = s.script[:0]
		}
	}
	return true
}

// foreignStart reads a start tag met in foreign content, as the tree
// builder does: done when it is a foreign element (open until its end tag
// unless self-closing); not done when it is one of the HTML tags that
// break out of foreign content (all foreign elements are closed, and the
// tag is HTML). ok is false at an integration point, where the tag is
// HTML inside the foreign content.
func (s *scanner) foreignStart(a atom.Atom, name string, selfClosing, hasAttr bool) (done, ok bool) {
	top := s.foreign[len(s.foreign)-1]
	if top.htmlIP || top.textIP && a != atom.Mglyph && a != atom.Malignmark || top.annotationXML && a == atom.Svg {
		return false, false
	}
	breakout := foreignBreakout[name]
	if a == atom.Font {
		s.readAttrs(hasAttr)
		for _, at := range s.attrs {
			breakout = breakout || at.Key == "color" || at.Key == "face" || at.Key == "size"
		}
	}
	if breakout {
		// The parser closes foreign elements down to the nearest HTML
		// element or integration point, and reads the tag there.
		for _, e := range s.foreign {
			if e.htmlIP || e.textIP {
				return false, false // HTML inside foreign content
			}
		}
		s.foreign = s.foreign[:0]
		return false, true
	}
	if !selfClosing {
		e := foreignElem{name: name, math: top.math}
		if e.math {
			switch name {
			case "mi", "mo", "mn", "ms", "mtext":
				e.textIP = true
			case "annotation-xml":
				e.annotationXML = true
				s.readAttrs(hasAttr)
				for _, at := range s.attrs {
					if at.Key == "encoding" && (strings.EqualFold(at.Val, "text/html") || strings.EqualFold(at.Val, "application/xhtml+xml")) {
						e.htmlIP = true
					}
				}
			}
		} else {
			e.htmlIP = name == "desc" || name == "foreignobject" || name == "title"
		}
		s.foreign = append(s.foreign, e)
	}
	// The parser keeps the tokenizer out of raw text in foreign content
	// (an SVG <style> or <title> holds markup).
	s.z.NextIsNotRawText()
	return true, true
}

// foreignBreakout are the HTML tags that end foreign content (and <font>
// with color, face or size).
var foreignBreakout = map[string]bool{
	"b": true, "big": true, "blockquote": true, "body": true, "br": true, "center": true,
	"code": true, "dd": true, "div": true, "dl": true, "dt": true, "em": true, "embed": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "head": true,
	"hr": true, "i": true, "img": true, "li": true, "listing": true, "menu": true, "meta": true,
	"nobr": true, "ol": true, "p": true, "pre": true, "ruby": true, "s": true, "small": true,
	"span": true, "strong": true, "strike": true, "sub": true, "sup": true, "table": true,
	"tt": true, "u": true, "ul": true, "var": true,
}

// endTag reads an end tag; false means give up.
func (s *scanner) endTag() bool {
	name, _ := s.z.TagName()
	s.depth.token(html.EndTagToken, name)
	if len(s.foreign) > 0 {
		// The parser closes the nearest open foreign element of that name;
		// with none, the end tag is HTML and its insertion mode decides.
		for i := len(s.foreign) - 1; i >= 0; i-- {
			if s.foreign[i].name == string(name) {
				s.foreign = s.foreign[:i]
				return true
			}
		}
		return false
	}
	switch atom.Lookup(name) {
	case atom.Table:
		if n := &s.tables[len(s.tables)-1]; *n > 0 {
			*n--
		}
	case atom.Template:
		if len(s.tables) > 1 {
			s.tables = s.tables[:len(s.tables)-1]
		}
	}
	return true
}

// tagAttrs appends the current tag's attributes to attrs, as the parser
// reads them.
func tagAttrs(z *html.Tokenizer, attrs []html.Attribute, more bool) []html.Attribute {
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		attrs = append(attrs, html.Attribute{Key: string(k), Val: string(v)})
	}
	return attrs
}
