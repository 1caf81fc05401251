package extract

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

// depthGuard tells a tokenizer pass when a page may nest deeper than the
// tree builder keeps (htmlparse.MaxDepth: start tags past it are dropped,
// their contents kept), so that the pass leaves such a page to the tree and
// every extraction path sees it the same way. It overestimates the depth,
// never underestimates it: an end tag closes the nearest open element of
// its name and nothing when there is none (the tree builder ignores it
// too), and elements the tree builder closes by itself (an unclosed <p> or
// <li>) stay counted. Its stack is bounded by the limit, so the pass stays
// linear.
type depthGuard struct {
	open []atom.Atom // 0 for an element trawl has no atom for
}

// guardLimit leaves room for html, head and body, which the tree builder
// adds without tags.
const guardLimit = htmlparse.MaxDepth - 3

// token follows one token; false when the page may nest too deep.
func (g *depthGuard) token(tt html.TokenType, name []byte) bool {
	switch tt {
	case html.StartTagToken, html.SelfClosingTagToken:
		a := atom.Lookup(name)
		if voidElement(a) {
			return true
		}
		if len(g.open) >= guardLimit {
			return false
		}
		g.open = append(g.open, a)
	case html.EndTagToken:
		a := atom.Lookup(name)
		for i := len(g.open) - 1; i >= 0; i-- {
			if g.open[i] == a {
				g.open = g.open[:i]
				break
			}
		}
	}
	return true
}

// voidElement is an element that never has children: its start tag opens
// nothing.
func voidElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}
