// Package htmlparse parses HTML into golang.org/x/net/html nodes, as
// html.Parse does, in time linear in the input whatever its shape.
//
// It caps nesting as browsers do: at most MaxDepth elements are open at
// once. Below the cap the tree is html.Parse's, node for node.
//
// It owns a fork of the tree builder of golang.org/x/net/html v0.33.0
// (parse.go, foreign.go and helpers; see LICENSE-go). The tokenizer and the
// node types are x/net/html's, so the tree is made of *html.Node that goquery,
// cascadia and html.Render use unchanged. Each change to the forked files is
// marked with a "// trawl:" comment so that later x/net releases can be merged.
package htmlparse

import "io"

// MaxDepth is the most elements deep the tree gets: the deepest element has
// MaxDepth elements on its path from the document node, itself and html
// included. Depth is counted as in the HTML standard's stack of open
// elements, where html is the first and body (or frameset) the second, so a
// page of nested divs keeps 510 of them.
//
// A start tag whose element would be deeper is dropped: no element is made,
// and its text and descendants go to the element at the top of the stack,
// at depth MaxDepth. Its end tag then matches no open element of its own and
// is handled as any such end tag is: a </div> closes the nearest open div,
// a </b> with no open b is ignored. The same holds for the elements the
// parser implies (tbody, tr, colgroup) and the token that implied them, for
// formatting elements it would reopen, and for void elements such as img,
// which would be pushed and popped at once. A dropped script, style or
// textarea leaves its text, as text.
//
// The stack of open elements is usually the path to its top element; but
// </form> closes a form, and <a> an open a, that may have open elements
// inside, which stay in the tree under it. The parser counts those too, so
// no element is ever deeper than MaxDepth. Browsers cap nesting at the same
// depth (Chromium at 512), though they attach the element rather than drop
// it.
const MaxDepth = 512

// Parse returns the parse tree for the HTML from r, as html.Parse does
// (scripting enabled, input assumed UTF-8), with nesting capped at MaxDepth.
func Parse(r io.Reader) (*Node, error) {
	doc, _, err := parse(r)
	return doc, err
}

// limits counts where a parse departed from html.Parse's: elements dropped
// at MaxDepth, and times the formatting budget fell short (see spend).
type limits struct {
	dropped, limited int
}

// parse is Parse that also returns its limits.
func parse(r io.Reader) (*Node, limits, error) {
	p := &parser{
		tokenizer: NewTokenizer(r),
		doc: &Node{
			Type: DocumentNode,
		},
		scripting:  true,
		framesetOK: true,
		im:         initialIM,
	}
	err := p.parse()
	l := limits{dropped: p.dropped, limited: p.limited}
	if err != nil {
		return nil, l, err
	}
	return p.doc, l, nil
}
