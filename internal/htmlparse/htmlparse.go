// Package htmlparse parses HTML into golang.org/x/net/html nodes, as
// html.Parse does, in time linear in the input whatever its shape.
//
// The tree is html.Parse's, node for node, except on two kinds of hostile
// page. It is never deeper than MaxDepth: a page that nests deeper loses
// the elements below (see MaxDepth). And its size stays in proportion to the
// page's: the HTML standard reopens the formatting elements (a, b, font ...)
// that a block closed at the next text, and a page can keep hundreds open
// and close them every few bytes, so that html.Parse builds a hundred nodes
// a byte. This parser reopens at most 16,384 elements plus one for each 4
// bytes read; past that it leaves the text unformatted. (Comparing elements
// with repeated attributes for the HTML standard's Noah's Ark clause draws on
// the same allowance, one unit an attribute; past it they count as unlike.)
//
// It owns a fork of the tree builder of golang.org/x/net/html v0.33.0
// (parse.go, foreign.go and helpers; see LICENSE-go). The tokenizer and the
// node types are x/net/html's, so the tree is made of *html.Node that goquery,
// cascadia and html.Render use unchanged. Each change to the forked files is
// marked with a "// trawl:" comment so that later x/net releases can be merged;
// stack.go, afe.go and text.go hold the new code they call.
package htmlparse

import (
	"io"

	"golang.org/x/net/html"
)

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
// Like html.Parse, it fails only if r does.
func Parse(r io.Reader) (*html.Node, error) {
	doc, _, err := parse(r)
	return doc, err
}

// limits counts where a parse departed from html.Parse's: elements dropped
// at MaxDepth, and times the formatting budget fell short (see spend). Tests
// compare with html.Parse when both are zero.
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
