package htmlparse

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestMain makes the parser check its stack bookkeeping after every token;
// benchmarks turn that off.
func TestMain(m *testing.M) {
	debugStack = true
	os.Exit(m.Run())
}

// dump writes n's tree in the html5lib test format, one node a line,
// indented by depth, with namespaces and attributes in order; two trees are
// the same if their dumps are.
func dump(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth >= 0 {
			b.WriteString("| ")
			b.WriteString(strings.Repeat("  ", depth))
			switch n.Type {
			case html.ElementNode:
				ns := ""
				if n.Namespace != "" {
					ns = n.Namespace + " "
				}
				fmt.Fprintf(&b, "<%s%s> atom=%d", ns, n.Data, n.DataAtom)
				for _, a := range n.Attr {
					ns := ""
					if a.Namespace != "" {
						ns = a.Namespace + " "
					}
					fmt.Fprintf(&b, " %s%s=%q", ns, a.Key, a.Val)
				}
			case html.TextNode:
				fmt.Fprintf(&b, "%q", n.Data)
			case html.CommentNode:
				fmt.Fprintf(&b, "<!-- %q -->", n.Data)
			case html.DoctypeNode:
				fmt.Fprintf(&b, "<!DOCTYPE %q", n.Data)
				for _, a := range n.Attr {
					fmt.Fprintf(&b, " %s=%q", a.Key, a.Val)
				}
				b.WriteString(">")
			default:
				fmt.Fprintf(&b, "type %d %q", n.Type, n.Data)
			}
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Parent != n {
				fmt.Fprintf(&b, "!! bad parent link under %q\n", n.Data)
			}
			walk(c, depth+1)
		}
	}
	walk(n, -1)
	return b.String()
}

// treeDepth returns the number of elements on the longest path from the
// document down, counting html itself: the depth of the deepest element.
func treeDepth(n *html.Node) int {
	max := 0
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		if n.Type == html.ElementNode {
			d++
			if d > max {
				max = d
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, d)
		}
	}
	walk(n, 0)
	return max
}

// firstDiff returns the line where two dumps first differ, with a little
// context, for a failure message that stays short on big pages.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			from := max(0, i-3)
			return fmt.Sprintf("line %d:\n  context: %q\n  got:  %q\n  want: %q",
				i+1, strings.Join(w[from:i], "\n"), gl, wl)
		}
	}
	return "no difference"
}

// parseBoth parses src with html.Parse and with Parse and returns both dumps
// and the depth of x/net's tree.
func parseBoth(t testing.TB, src []byte) (got, want string, depth int) {
	t.Helper()
	theirs, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("html.Parse: %v", err)
	}
	ours, err := Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return dump(ours), dump(theirs), treeDepth(theirs)
}
