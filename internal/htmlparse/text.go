package htmlparse

import "strings"

// trawl: textAppender replaces upstream's n.Data += s for text appended to
// an existing text node. That copies the node's whole text each time, so a
// page whose text keeps landing in one node (text between ignored or
// dropped tags, "x</y>" repeated, text under the deepest element at the
// cap) costs time quadratic in its size. Nothing reads a text node's Data
// while parsing, so the pieces are collected per node and joined once, when
// the parse ends.
type textAppender struct {
	// last and lastB are the node appended to last and its builder, which
	// saves the map lookup for a run of appends to one node.
	last  *Node
	lastB *strings.Builder
	b     map[*Node]*strings.Builder
}

// append adds s to the text of the text node n.
func (t *textAppender) append(n *Node, s string) {
	if n != t.last {
		b := t.b[n]
		if b == nil {
			if t.b == nil {
				t.b = map[*Node]*strings.Builder{}
			}
			b = &strings.Builder{}
			b.WriteString(n.Data)
			t.b[n] = b
		}
		t.last, t.lastB = n, b
	}
	t.lastB.WriteString(s)
}

// flush writes the collected text to the nodes.
func (t *textAppender) flush() {
	for n, b := range t.b {
		n.Data = b.String()
	}
	*t = textAppender{}
}
