package extract

import (
	"bytes"
	"net/url"

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
// with two exceptions, and the tokenizer cannot tell either: tags the tree
// builder handles in other ways (foreign content, <template>, <select>,
// <frameset>: ok is false as soon as one starts), and a table's foster
// parenting, which moves an element met while a table is open out in front
// of the table, or into an element so moved (ok is false when an element
// that matters comes while a table may be open). A differential fuzz test (FuzzScanStructured) holds
// the two paths together. ok false means: parse and use the tree path.
func scanStructured(body []byte, pageURL *url.URL, jsonld, opengraph, meta bool) (jl, og, mt []byte, ok bool) {
	h := newHeadCollector(jsonld, opengraph, meta)
	z := html.NewTokenizer(bytes.NewReader(body))
	var (
		attrs     []html.Attribute
		baseHref  string
		baseFound bool
		tables    int // open tables, an upper bound
		inScript  bool
		script    []byte
	)
	for {
		tt := z.Next()
		if inScript && tt != html.TextToken {
			// The script's text is complete: the parser ends a script at
			// its end tag or at EOF, and no tag can stand inside it.
			h.script(string(script))
			inScript = false
		}
		switch tt {
		case html.ErrorToken:
			// A bytes.Reader ends only in io.EOF.
			jl, og, mt = h.results(resolveBase(pageURL, baseHref, baseFound))
			return jl, og, mt, true
		case html.TextToken:
			if inScript {
				script = append(script, z.Text()...)
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); tables > 0 && atom.Lookup(name) == atom.Table {
				tables--
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Svg, atom.Math, atom.Template, atom.Select, atom.Frameset:
				return nil, nil, nil, false
			case atom.Table:
				tables++
				continue
			case atom.Html, atom.Meta, atom.Link, atom.Time, atom.Base, atom.Script:
			default:
				continue
			}
			attrs = tagAttrs(z, attrs[:0], hasAttr)
			if tables > 0 {
				_, href := attrIn(attrs, "href")
				if a == atom.Base && href && !baseFound || h.cares(a.String(), attrs) {
					return nil, nil, nil, false
				}
			}
			switch a {
			case atom.Html:
				h.html(attrs)
			case atom.Meta:
				h.meta(attrs)
			case atom.Link:
				h.link(attrs)
			case atom.Time:
				h.time(attrs)
			case atom.Base:
				if !baseFound {
					baseHref, baseFound = attrIn(attrs, "href")
				}
			case atom.Script:
				if h.wantScript(attrs) {
					inScript = true
					script = script[:0]
				}
			}
		}
	}
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
