// Package htmlparse parses HTML into golang.org/x/net/html nodes, as
// html.Parse does, in time linear in the input whatever its shape.
//
// It owns a fork of the tree builder of golang.org/x/net/html v0.33.0
// (parse.go, foreign.go and helpers; see LICENSE-go). The tokenizer and the
// node types are x/net/html's, so the tree is made of *html.Node that goquery,
// cascadia and html.Render use unchanged. Each change to the forked files is
// marked with a "// trawl:" comment so that later x/net releases can be merged.
package htmlparse

import "io"

// Parse returns the parse tree for the HTML from r, as html.Parse does
// (scripting enabled, input assumed UTF-8).
func Parse(r io.Reader) (*Node, error) {
	p := &parser{
		tokenizer: NewTokenizer(r),
		doc: &Node{
			Type: DocumentNode,
		},
		scripting:  true,
		framesetOK: true,
		im:         initialIM,
	}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.doc, nil
}
