package extract

// The streaming matcher's model of SVG in HTML (foreign content), as the
// parser's parseForeignContent reads it: inline icons and drawings, where
// every tag is an SVG element until </svg> or a tag that breaks out. The
// model gives up on HTML inside SVG (at <title>, <desc>, <foreignObject>),
// on an end tag that closes no SVG element, on <font> (which breaks out
// only with some attributes), and on MathML.

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inSVG reports whether the current node is an SVG element.
func (s *streamer) inSVG() bool { return s.topSVG }

// inForeign reads a token in foreign content (the current node is an SVG
// element), as parseForeignContent does; false means read it again in the
// insertion mode.
func (s *streamer) inForeign(t *streamTok) bool {
	top := s.top()
	if top.integration {
		// An HTML integration point: start tags and text are HTML.
		switch t.tt {
		case html.TextToken:
			s.bodyText(t)
			return true
		case html.StartTagToken:
			return s.bail("HTML in SVG")
		}
	}
	switch t.tt {
	case html.TextToken:
		if t.noText {
			return true
		}
		d := t.text
		if bytes.IndexByte(d, 0) >= 0 {
			d = bytes.ReplaceAll(d, []byte{0}, []byte("\uFFFD"))
		}
		if len(d) > 0 {
			s.addText(top, d)
		}
	case html.CommentToken:
		top.child = true
	case html.StartTagToken:
		if t.a == atom.Font {
			// It breaks out with color, face or size only.
			return s.bail("<font> in SVG")
		}
		if foreignBreakout[string(t.name)] {
			// The SVG elements are closed; the tag is HTML.
			for s.top().svg {
				if s.top().integration {
					return s.bail("HTML in SVG")
				}
				s.pop()
			}
			return false
		}
		s.openSVG(t, s.top())
	case html.EndTagToken:
		for i := len(s.stack) - 1; i >= 0 && s.stack[i].svg; i-- {
			if bytes.EqualFold([]byte(s.stack[i].node.Data), t.name) {
				for len(s.stack) > i {
					s.pop()
				}
				return true
			}
		}
		return s.bail("</" + string(t.name) + "> in SVG")
	}
	return true
}

// openSVG opens an SVG element for tag t (<svg> in HTML, or any tag in
// SVG), closed at once when the tag is self-closing.
func (s *streamer) openSVG(t *streamTok, parent *openElem) {
	t.svg = true
	if adj, ok := svgTagNames[string(t.name)]; ok {
		t.data, t.a = adj, atom.Lookup([]byte(adj))
	}
	e := s.open(t, parent)
	if e == nil {
		return
	}
	switch e.node.Data {
	case "foreignObject":
		s.bail("<foreignObject>")
		return
	case "desc", "title":
		e.integration = true
	}
	if t.a != atom.Svg || parent.svg {
		// The tokenizer reads no raw text inside SVG (an SVG <style> or
		// <title> holds markup). The parser says so after each tag in SVG.
		s.z.NextIsNotRawText()
	}
	if t.self {
		s.pop()
	}
}

// svgAttrs sets e's attributes, and their mask, from t's as the parser
// adjusts them in SVG: names it writes in camel case (viewBox), which no
// selector or rule can name, are left out; xlink:href and the like have a
// namespace and a local name.
func (s *streamer) svgAttrs(e *openElem, t *streamTok) {
	e.mask = 0
	for _, at := range t.attrs {
		switch {
		case at.camel:
		case at.ns != "":
			if at.local >= 0 {
				e.attrs = append(e.attrs, html.Attribute{Namespace: at.ns, Key: s.want[at.local], Val: s.intern(at.val)})
				e.mask |= 1 << at.local
			}
		case at.key >= 0 && at.key < s.nsel:
			e.attrs = append(e.attrs, html.Attribute{Key: s.want[at.key], Val: s.intern(at.val)})
			e.mask |= 1 << at.key
		}
	}
}

// readSVGAttr notes an attribute of a tag that may make an SVG element:
// whether SVG writes its name in camel case, or gives it a namespace.
func (s *streamer) readSVGAttr(t *streamTok, k, v []byte) {
	at := tokAttr{key: s.wantIndex(k), val: v, local: -1}
	if _, ok := svgAttrNames[string(k)]; ok {
		at.camel = true
	} else if ns, local, ok := bytes.Cut(k, []byte(":")); ok && foreignAttrs[string(k)] {
		at.ns = foreignPrefix(ns)
		if i := s.wantIndex(local); i >= 0 && i < s.nsel {
			at.local = i
		}
	}
	if at.key >= 0 || at.local >= 0 {
		t.attrs = append(t.attrs, at)
		if at.key >= 0 && at.key < s.nsel {
			t.mask |= 1 << at.key
		}
	}
}

// foreignPrefix returns the namespace prefix of a foreign attribute.
func foreignPrefix(ns []byte) string {
	switch string(ns) {
	case "xlink":
		return "xlink"
	case "xml":
		return "xml"
	}
	return "xmlns"
}

// foreignAttrs are the attributes the parser splits into a namespace and a
// local name in foreign content.
var foreignAttrs = map[string]bool{
	"xlink:actuate": true, "xlink:arcrole": true, "xlink:href": true, "xlink:role": true,
	"xlink:show": true, "xlink:title": true, "xlink:type": true, "xml:base": true,
	"xml:lang": true, "xml:space": true, "xmlns:xlink": true,
}

// svgTagNames are the SVG element names the parser writes in camel case
// (the tokenizer lower-cases them).
var svgTagNames = map[string]string{
	"altglyph": "altGlyph", "altglyphdef": "altGlyphDef", "altglyphitem": "altGlyphItem",
	"animatecolor": "animateColor", "animatemotion": "animateMotion",
	"animatetransform": "animateTransform", "clippath": "clipPath", "feblend": "feBlend",
	"fecolormatrix": "feColorMatrix", "fecomponenttransfer": "feComponentTransfer",
	"fecomposite": "feComposite", "feconvolvematrix": "feConvolveMatrix",
	"fediffuselighting": "feDiffuseLighting", "fedisplacementmap": "feDisplacementMap",
	"fedistantlight": "feDistantLight", "feflood": "feFlood", "fefunca": "feFuncA",
	"fefuncb": "feFuncB", "fefuncg": "feFuncG", "fefuncr": "feFuncR",
	"fegaussianblur": "feGaussianBlur", "feimage": "feImage", "femerge": "feMerge",
	"femergenode": "feMergeNode", "femorphology": "feMorphology", "feoffset": "feOffset",
	"fepointlight": "fePointLight", "fespecularlighting": "feSpecularLighting",
	"fespotlight": "feSpotLight", "fetile": "feTile", "feturbulence": "feTurbulence",
	"foreignobject": "foreignObject", "glyphref": "glyphRef", "lineargradient": "linearGradient",
	"radialgradient": "radialGradient", "textpath": "textPath",
}

// svgAttrNames are the SVG attribute names the parser writes in camel case.
var svgAttrNames = map[string]bool{
	"attributename": true, "attributetype": true, "basefrequency": true, "baseprofile": true,
	"calcmode": true, "clippathunits": true, "diffuseconstant": true, "edgemode": true,
	"filterunits": true, "glyphref": true, "gradienttransform": true, "gradientunits": true,
	"kernelmatrix": true, "kernelunitlength": true, "keypoints": true, "keysplines": true,
	"keytimes": true, "lengthadjust": true, "limitingconeangle": true, "markerheight": true,
	"markerunits": true, "markerwidth": true, "maskcontentunits": true, "maskunits": true,
	"numoctaves": true, "pathlength": true, "patterncontentunits": true, "patterntransform": true,
	"patternunits": true, "pointsatx": true, "pointsaty": true, "pointsatz": true,
	"preservealpha": true, "preserveaspectratio": true, "primitiveunits": true, "refx": true,
	"refy": true, "repeatcount": true, "repeatdur": true, "requiredextensions": true,
	"requiredfeatures": true, "specularconstant": true, "specularexponent": true,
	"spreadmethod": true, "startoffset": true, "stddeviation": true, "stitchtiles": true,
	"surfacescale": true, "systemlanguage": true, "tablevalues": true, "targetx": true,
	"targety": true, "textlength": true, "viewbox": true, "viewtarget": true,
	"xchannelselector": true, "ychannelselector": true, "zoomandpan": true,
}
