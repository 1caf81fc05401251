package htmlparse

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parseCapped parses src and returns the tree and the number of dropped
// elements.
func parseCapped(t *testing.T, src string) (*html.Node, int) {
	t.Helper()
	doc, lim, err := parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return doc, lim.dropped
}

// deepest returns the first element at the greatest depth and that depth.
func deepest(doc *html.Node) (*html.Node, int) {
	var best *html.Node
	bestDepth := 0
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		if n.Type == html.ElementNode {
			d++
			if d > bestDepth {
				best, bestDepth = n, d
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, d)
		}
	}
	walk(doc, 0)
	return best, bestDepth
}

// count returns how many nodes of doc satisfy f.
func count(doc *html.Node, f func(*html.Node) bool) int {
	n := 0
	for d := range doc.Descendants() {
		if f(d) {
			n++
		}
	}
	return n
}

func isElem(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == a }
}

func isText(s string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.TextNode && n.Data == s }
}

// TestCapNestedDivs: html and body are the first two open elements, so 1000
// nested divs keep 510; the text at the bottom goes to the deepest one.
func TestCapNestedDivs(t *testing.T) {
	doc, dropped := parseCapped(t, strings.Repeat("<div>", 1000)+"x")
	el, depth := deepest(doc)
	if depth != 512 {
		t.Fatalf("depth %d, want 512", depth)
	}
	if el.DataAtom != atom.Div || el.FirstChild == nil || el.FirstChild != el.LastChild || !isText("x")(el.FirstChild) {
		t.Fatalf("deepest element <%s> holds %v, want a div holding only the text x", el.Data, el.FirstChild)
	}
	if n := count(doc, isElem(atom.Div)); n != MaxDepth-2 {
		t.Errorf("%d divs, want %d", n, MaxDepth-2)
	}
	if n := count(doc, isText("x")); n != 1 {
		t.Errorf("%d text nodes x, want 1", n)
	}
	if dropped != 1000-(MaxDepth-2) {
		t.Errorf("dropped %d, want %d", dropped, 1000-(MaxDepth-2))
	}
}

// TestCapEndTags: the end tags of dropped divs close the kept ones, so the
// first 510 </div> close every div and the text after them goes to body.
func TestCapEndTags(t *testing.T) {
	src := strings.Repeat("<div>", 1000) + "x" + strings.Repeat("</div>", 1000) + "y"
	doc, _ := parseCapped(t, src)
	body := findFirst(doc, atom.Body)
	if body.LastChild == nil || !isText("y")(body.LastChild) {
		t.Fatalf("body's last child is %+v, want the text y", body.LastChild)
	}
	src = strings.Repeat("<div>", 1000) + "x" + strings.Repeat("</div>", 500) + "y"
	doc, _ = parseCapped(t, src)
	// 500 end tags close the 500 deepest of the 510 divs: y goes to the 10th div.
	n := findFirst(doc, atom.Div)
	for i := 1; i < 10; i++ {
		n = n.FirstChild
	}
	if n.DataAtom != atom.Div || n.LastChild == nil || !isText("y")(n.LastChild) {
		t.Fatalf("10th div's last child is %+v, want the text y", n.LastChild)
	}
}

func findFirst(doc *html.Node, a atom.Atom) *html.Node {
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == a {
			return n
		}
	}
	return nil
}

// TestCapBoundary: 510 nested divs fill the stack exactly and parse as
// html.Parse does; the 511th is the first dropped.
func TestCapBoundary(t *testing.T) {
	for _, tc := range []struct {
		divs, dropped int
	}{{509, 0}, {510, 0}, {511, 1}, {512, 2}} {
		src := strings.Repeat("<div>", tc.divs) + "x"
		doc, dropped := parseCapped(t, src)
		if dropped != tc.dropped {
			t.Errorf("%d divs: dropped %d, want %d", tc.divs, dropped, tc.dropped)
		}
		if _, d := deepest(doc); d != min(tc.divs+2, MaxDepth) {
			t.Errorf("%d divs: depth %d, want %d", tc.divs, d, min(tc.divs+2, MaxDepth))
		}
		if tc.dropped == 0 {
			got, want, _ := parseBoth(t, []byte(src))
			if got != want {
				t.Errorf("%d divs: differs from html.Parse at %s", tc.divs, firstDiff(got, want))
			}
		}
	}
}

// TestCapDropped checks, for each kind of element the parser would push at
// the cap, what the tree holds instead. The page opens 510 divs, so the
// stack is full (html, body, 510 divs) and the tail's start tags are dropped.
func TestCapDropped(t *testing.T) {
	full := strings.Repeat("<div>", MaxDepth-2)
	for _, tc := range []struct {
		name, tail string
		// want is the rendering of the deepest div's children.
		want string
	}{
		// The dropped div's end tag closes the deepest kept div: b goes up.
		{name: "div", tail: "<div>a</div>b", want: "a"},
		{name: "void", tail: "<img src=x><br><input><hr>a", want: "a"},
		{name: "formatting", tail: "<b>a</b>b<i>c", want: "abc"},
		{name: "a", tail: `<a href="/x">a</a>b`, want: "ab"},
		{name: "script", tail: "<script>if (a<b) {}</script>c", want: "if (a&lt;b) {}c"},
		{name: "style", tail: "<style>p{}</style>c", want: "p{}c"},
		{name: "textarea", tail: "<textarea><b>t</b></textarea>c", want: "&lt;b&gt;t&lt;/b&gt;c"},
		{name: "title", tail: "<title>t</title>c", want: "tc"},
		{name: "svg", tail: "<svg><g><p>a</p></g></svg>b", want: "ab"},
		{name: "math", tail: "<math><mi>a</mi></math>b", want: "ab"},
		{name: "select", tail: "<select><option>a<option>b</select>c", want: "abc"},
		{name: "template", tail: "<template><td>a</template>b", want: "ab"},
		{name: "object", tail: "<object><b>a</b></object>b", want: "ab"},
		{name: "form", tail: "<form><input name=q></form>a<form>b</form>", want: "ab"},
		{name: "table", tail: "<table><tr><td>a</td></tr></table>b", want: "ab"},
		{name: "li", tail: "<ul><li>a<li>b</ul>c", want: "abc"},
		{name: "comment", tail: "<p><!--c-->a", want: "<!--c-->a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, dropped := parseCapped(t, full+tc.tail)
			if dropped == 0 {
				t.Fatal("nothing dropped")
			}
			el, depth := deepest(doc)
			if depth != MaxDepth {
				t.Fatalf("depth %d, want %d", depth, MaxDepth)
			}
			if el.DataAtom != atom.Div {
				t.Fatalf("deepest element is <%s>, want a div", el.Data)
			}
			if got := renderChildren(t, el); got != tc.want {
				t.Errorf("deepest div holds %q, want %q", got, tc.want)
			}
		})
	}
}

func renderChildren(t *testing.T, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// TestCapTables: at the cap, the parts the table modes imply (tbody, tr,
// colgroup) are dropped, and so is the token that implied them, instead of
// implying them again forever. The table takes the last slot.
func TestCapTables(t *testing.T) {
	full := strings.Repeat("<div>", MaxDepth-3)
	for _, tc := range []struct {
		name, tail, want string
	}{
		// The cell's text is foster-parented out of the table, before it.
		{name: "td", tail: "<table><td>a</table>b", want: "a<table></table>b"},
		{name: "tr", tail: "<table><tr><td>a</table>b", want: "a<table></table>b"},
		{name: "col", tail: "<table><col><tr><td>a</table>b", want: "a<table></table>b"},
		{name: "tbody", tail: "<table><tbody><tr>a</table>b", want: "a<table></table>b"},
		{name: "caption", tail: "<table><caption>a</caption></table>b", want: "a<table></table>b"},
		{name: "select-in-table", tail: "<table><select><option>a</select></table>b", want: "a<table></table>b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, dropped := parseCapped(t, full+tc.tail)
			if dropped == 0 {
				t.Fatal("nothing dropped")
			}
			if _, depth := deepest(doc); depth != MaxDepth {
				t.Fatalf("depth %d, want %d", depth, MaxDepth)
			}
			n := findFirst(doc, atom.Div)
			for i := 1; i < MaxDepth-3; i++ {
				n = n.FirstChild
			}
			if got := renderChildren(t, n); got != tc.want {
				t.Errorf("deepest div holds %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCapTreeDepth: </form> and a nested <a> take an element off the stack
// and leave it in the tree above the open ones; the cap still holds for the
// tree, not only the stack.
func TestCapTreeDepth(t *testing.T) {
	for _, tc := range []struct{ name, unit string }{
		{"form", "<form><div></form>"},
		{"a-in-table", "<a><table><a><td>"},
		{"form-span", "<object></i></form><span><form></i><form><div></form>"},
		{"head-template", "<html><head></head><template><div>"},
	} {
		doc, dropped := parseCapped(t, strings.Repeat(tc.unit, 2000))
		if _, d := deepest(doc); d != MaxDepth {
			t.Errorf("%s: depth %d, want %d", tc.name, d, MaxDepth)
		}
		if dropped == 0 {
			t.Errorf("%s: nothing dropped", tc.name)
		}
	}
	// Below the cap, the same pages are html.Parse's.
	for _, tc := range []struct {
		unit string
		n    int
	}{{"<form><div></form>", 250}, {"<a><table><a><td>", 100}} {
		unit := tc.unit
		src := []byte(strings.Repeat(unit, tc.n))
		got, want, depth := parseBoth(t, src)
		if depth >= MaxDepth {
			t.Fatalf("%s: depth %d, not under the cap", unit, depth)
		}
		if got != want {
			t.Errorf("%s: differs from html.Parse at %s", unit, firstDiff(got, want))
		}
	}
}

// TestCapShapes: no hostile shape yields an element deeper than MaxDepth.
func TestCapShapes(t *testing.T) {
	for _, s := range shapes {
		doc, _, err := parse(bytes.NewReader(s.buildSize(16 << 10)))
		if err != nil {
			t.Fatal(err)
		}
		if _, d := deepest(doc); d > MaxDepth {
			t.Errorf("%s: depth %d, more than %d", s.name, d, MaxDepth)
		}
	}
}

// TestCapRandom repeats random cycles of tags that nest, misnest, close
// out of order and imply elements, and wants no element deeper than
// MaxDepth. (It found </form>'s ancestors, see TestCapTreeDepth.)
func TestCapRandom(t *testing.T) {
	vocab := strings.Fields(`<form> </form> <div> </div> <a> </a> <table> </table> <td> <tr>
		<b> </b> <p> </p> <object> </object> <span> <select> <svg> </svg> <template> </template>
		<li> <ul> <i> </i> <caption> <nobr> <button> x <head> <script></script> <html> <body>
		<math> <mi> <desc> <foreignObject> <h1> <dd> <marquee> <frameset> <option> <col>`)
	r := rand.New(rand.NewPCG(7, 8))
	rounds := 300
	if testing.Short() {
		rounds = 30
	}
	defer func() { debugStack = true }()
	for round := 0; round < rounds; round++ {
		// The stack checks are slow; the first rounds make them.
		debugStack = round < 20
		var cycle strings.Builder
		for n := 2 + r.IntN(9); n > 0; n-- {
			cycle.WriteString(vocab[r.IntN(len(vocab))])
		}
		src := strings.Repeat(cycle.String(), 1200)
		doc, _, err := parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if _, d := deepest(doc); d > MaxDepth {
			t.Errorf("depth %d, more than %d: %s repeated", d, MaxDepth, cycle.String())
		}
	}
}

// TestCloneBudgetWeighsAttributes: a formatting element reconstructed in
// paragraph after paragraph costs its attributes' size. With a short href
// every paragraph gets its clone, as in html.Parse; with a 10 KB href the
// clones stop when their attributes reach the budget, where html.Parse
// holds a copy in every paragraph (quadratic output for --select a@href).
func TestCloneBudgetWeighsAttributes(t *testing.T) {
	const paras = 20000
	for _, c := range []struct {
		href string
		all  bool // every paragraph has its clone
	}{
		{"/short", true},
		{"/" + strings.Repeat("x", 10000), false},
	} {
		src := `<p><a href="` + c.href + `">` + strings.Repeat("<p>a", paras)
		doc, lim, err := parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		links := count(doc, isElem(atom.A))
		ref, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if n := count(ref, isElem(atom.A)); n != paras+1 {
			t.Fatalf("html.Parse: %d links, want %d", n, paras+1)
		}
		if c.all {
			if links != paras+1 || lim.limited != 0 {
				t.Errorf("href %d bytes: %d links (limited %d), want %d", len(c.href), links, lim.limited, paras+1)
			}
			continue
		}
		// The budget is 1<<14 units and one per 4 bytes read; a clone
		// costs 1 + 10,007/64 = 157 units.
		hrefBytes := links * len(c.href)
		bound := budgetAttrBytes * (budgetStart + len(src)/budgetBytes)
		if links < 2 || links > paras/10 || hrefBytes > bound || lim.limited == 0 {
			t.Errorf("href %d bytes: %d links (%d bytes of href, bound %d; limited %d), want 2 to %d", len(c.href), links, hrefBytes, bound, lim.limited, paras/10)
		}
		t.Logf("href %d bytes, %d bytes of page: %d links", len(c.href), len(src), links)
	}
}
