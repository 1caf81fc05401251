package extract

import (
	"net/url"

	"golang.org/x/net/html"
)

// headCollector gathers what jsonld, opengraph and meta read, from the
// elements it is handed in document order, by the tree walk (headTree) or
// the tokenizer (scanStructured). All decisions are taken here, so that the
// two paths can differ only in which elements they see.
type headCollector struct {
	wantJSONLD, wantOG, wantMeta bool

	jl  []byte // the jsonld array so far, without its closing bracket
	og  []keyValue
	mt  metaFields
	buf []byte // scratch for JSON-LD blocks meta reads but jsonld does not keep
}

type keyValue struct{ key, val string }

func newHeadCollector(jsonld, og, meta bool) *headCollector {
	h := &headCollector{wantJSONLD: jsonld, wantOG: og, wantMeta: meta}
	if jsonld {
		h.jl = append(h.jl, '[')
	}
	return h
}

// html takes an <html> start tag's attributes; with several tags (which
// the parser merges, first value kept) the first lang counts.
func (h *headCollector) html(attrs []html.Attribute) {
	if h.wantMeta && !h.mt.lang.ok {
		h.mt.lang.set(attrIn(attrs, "lang"))
	}
}

// meta takes a <meta> element.
func (h *headCollector) meta(attrs []html.Attribute) {
	content, ok := attrIn(attrs, "content")
	if !ok {
		return
	}
	prop, hasProp := attrIn(attrs, "property")
	name, hasName := attrIn(attrs, "name")
	var propKey, nameKey string
	if hasProp {
		propKey = lowerTrim(prop)
	}
	if hasName {
		nameKey = lowerTrim(name)
	}
	if h.wantOG {
		h.ogMeta(propKey, nameKey, content)
	}
	if h.wantMeta {
		h.mt.meta(propKey, nameKey, content)
	}
}

// link takes a <link> element.
func (h *headCollector) link(attrs []html.Attribute) {
	if h.wantMeta {
		h.mt.link(attrs)
	}
}

// time takes a <time> element.
func (h *headCollector) time(attrs []html.Attribute) {
	if h.wantMeta {
		h.mt.time(attrs)
	}
}

// wantScript reports whether a <script> with these attributes is read:
// a JSON-LD block, when jsonld or meta is asked for.
func (h *headCollector) wantScript(attrs []html.Attribute) bool {
	if !h.wantJSONLD && !h.wantMeta {
		return false
	}
	t, ok := attrIn(attrs, "type")
	return ok && isJSONLDType(t)
}

// script takes a JSON-LD block's text.
func (h *headCollector) script(text string) {
	var dates []jsonDate
	var onDate func(jsonDateKey, string)
	if h.wantMeta && !h.mt.pub[srcJSONLD].ok || h.wantMeta && !h.mt.mod[srcJSONLD].ok {
		onDate = func(k jsonDateKey, s string) { dates = append(dates, jsonDate{k, s}) }
	}
	if h.wantJSONLD {
		mark := len(h.jl)
		if len(h.jl) > 1 {
			h.jl = append(h.jl, ',')
		}
		var ok bool
		if h.jl, ok = appendJSONLDBlock(h.jl, text, onDate); !ok {
			h.jl = h.jl[:mark]
			return
		}
	} else if onDate != nil {
		var ok bool
		if h.buf, ok = appendJSONLDBlock(h.buf[:0], text, onDate); !ok {
			return
		}
	}
	for _, d := range dates {
		h.mt.jsonldDate(d)
	}
}

// cares reports whether an element with this tag and these attributes
// could change a result asked for: the tokenizer path gives up on such an
// element where it cannot tell the element's place in the tree.
func (h *headCollector) cares(tag string, attrs []html.Attribute) bool {
	switch tag {
	case "meta":
		if _, ok := attrIn(attrs, "content"); !ok {
			return false
		}
		prop, _ := attrIn(attrs, "property")
		name, _ := attrIn(attrs, "name")
		prop, name = lowerTrim(prop), lowerTrim(name)
		return h.wantOG && (isOGKey(prop) || isTwitterKey(name)) || h.wantMeta && metaKeyUsed(prop, name)
	case "link":
		rel, _ := attrIn(attrs, "rel")
		return h.wantMeta && (hasToken(rel, "canonical") || hasToken(rel, "alternate") || hasToken(rel, "icon"))
	case "time":
		_, ok := attrIn(attrs, "datetime")
		return h.wantMeta && ok && !h.mt.timeSeen
	case "script":
		return h.wantScript(attrs)
	}
	return false
}

// results returns the JSON values asked for (nil for the others).
func (h *headCollector) results(base *url.URL) (jl, og, mt []byte) {
	if h.wantJSONLD {
		jl = append(h.jl, ']')
	}
	if h.wantOG {
		og = appendOGObject(nil, h.og)
	}
	if h.wantMeta {
		mt = h.mt.appendJSON(nil, base)
	}
	return jl, og, mt
}

// lowerTrim is s without surrounding ASCII white space, ASCII lower-cased.
func lowerTrim(s string) string {
	return lowerASCII(trimASCIISpace(s))
}

func trimASCIISpace(s string) string {
	for len(s) > 0 && isASCIISpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isASCIISpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
