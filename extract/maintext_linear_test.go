package extract

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Pathological shapes, built as trees (html.Parse itself is quadratic in
// nesting depth; SPEC has the integrator cap it at 512, so these trees are
// what this code could get at worst).
func elem(a atom.Atom, attrs ...html.Attribute) *html.Node {
	return &html.Node{Type: html.ElementNode, DataAtom: a, Data: a.String(), Attr: attrs}
}

func text(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }

// page wraps n in <html><body>.
func page(n *html.Node) *html.Node {
	doc := &html.Node{Type: html.DocumentNode}
	h, b := elem(atom.Html), elem(atom.Body)
	doc.AppendChild(h)
	h.AppendChild(b)
	b.AppendChild(n)
	return doc
}

// nest builds n levels of a (made by mk), each holding a text and the next.
func nest(n int, mk func() *html.Node, words string) *html.Node {
	top := mk()
	cur := top
	for i := 1; i < n; i++ {
		cur.AppendChild(text(words))
		c := mk()
		cur.AppendChild(c)
		cur = c
	}
	cur.AppendChild(text(words))
	return top
}

func wide(n int, mk func(i int) *html.Node) *html.Node {
	top := elem(atom.Div)
	for i := 0; i < n; i++ {
		top.AppendChild(mk(i))
	}
	return top
}

var shapes = map[string]func(n int) *html.Node{
	"nested divs": func(n int) *html.Node {
		return page(nest(n, func() *html.Node { return elem(atom.Div) }, "a few words of text, "))
	},
	"nested inline": func(n int) *html.Node {
		p := elem(atom.P)
		p.AppendChild(nest(n, func() *html.Node { return elem(atom.B) }, " word"))
		return page(p)
	},
	"nested emphasis marks": func(n int) *html.Node {
		p := elem(atom.P)
		p.AppendChild(nest(n, func() *html.Node { return elem(atom.Em) }, ""))
		return page(p)
	},
	"nested lists": func(n int) *html.Node {
		return page(nest(n, func() *html.Node {
			ul, li := elem(atom.Ul), elem(atom.Li)
			ul.AppendChild(li)
			return ul
		}, "an item with some words in it"))
	},
	"nested quotes": func(n int) *html.Node {
		return page(nest(n, func() *html.Node { return elem(atom.Blockquote) }, "quoted words, and more of them"))
	},
	"nested headers": func(n int) *html.Node {
		return page(nest(n, func() *html.Node { return elem(atom.Header) }, "header words that go on for a while"))
	},
	"nested links": func(n int) *html.Node {
		p := elem(atom.P)
		p.AppendChild(nest(n, func() *html.Node {
			return elem(atom.A, html.Attribute{Key: "href", Val: "/x"})
		}, "link"))
		return page(p)
	},
	"nested pre": func(n int) *html.Node {
		return page(nest(n, func() *html.Node { return elem(atom.Pre) }, "code line\n"))
	},
	"nested tables": func(n int) *html.Node {
		return page(nest(n, func() *html.Node {
			t, tr, td := elem(atom.Table), elem(atom.Tr), elem(atom.Td)
			t.AppendChild(tr)
			tr.AppendChild(td)
			return t
		}, "cell text of a table nested in a table"))
	},
	"wide paragraphs": func(n int) *html.Node {
		return page(wide(n, func(int) *html.Node {
			p := elem(atom.P)
			p.AppendChild(text("A paragraph of an article, with commas, and words."))
			return p
		}))
	},
	"links": func(n int) *html.Node {
		p := elem(atom.P)
		for i := 0; i < n; i++ {
			a := elem(atom.A, html.Attribute{Key: "href", Val: "/p/" + string(rune('a'+i%26))})
			a.AppendChild(text("link text"))
			p.AppendChild(a)
			p.AppendChild(text(" and "))
		}
		return page(p)
	},
	"one big text": func(n int) *html.Node {
		p := elem(atom.P)
		p.AppendChild(text(strings.Repeat("word, *more_ [words] ", n/2)))
		return page(p)
	},
	"big attribute": func(n int) *html.Node {
		p := elem(atom.P, html.Attribute{Key: "class", Val: strings.Repeat("entry-content ", n)},
			html.Attribute{Key: "style", Val: strings.Repeat("color: red; ", n)})
		p.AppendChild(text("Text of a paragraph with a very long class attribute."))
		return page(p)
	},
}

// timeOf is the best of two runs of both extractors on the tree, in CPU
// time.
func timeOf(root *html.Node) time.Duration {
	best := time.Duration(1 << 62)
	for k := 0; k < 2; k++ {
		runtime.GC()
		start := cpuTime()
		a := mainContent(root, nil)
		a.appendText(nil)
		a.appendMarkdown(nil)
		best = min(best, cpuTime()-start)
	}
	return best
}

// TestMainTextLinear: growing a pathological shape 8 times grows the time
// about 8 times (up to 3 times more from caches and the collector on a big
// heap); quadratic code would take 64 times, and seconds at this size. The
// bound (32, and only past 50ms) is generous so that it does not flake.
func TestMainTextLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const small, big = 12500, 100000
	for name, mk := range shapes {
		t1 := timeOf(mk(small))
		t2 := timeOf(mk(big))
		ratio := float64(t2) / float64(max(t1, time.Microsecond))
		t.Logf("%-22s %6d: %10v  %6d: %10v  ratio %.1f", name, small, t1, big, t2, ratio)
		if ratio > 32 && t2 > 50*time.Millisecond || t2 > raceSlowdown*2*time.Second {
			t.Errorf("%s: %v for %d, %v for %d: ratio %.1f, not linear", name, t1, small, t2, big, ratio)
		}
	}
}
