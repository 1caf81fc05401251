package htmlparse

import (
	"bytes"
	"strconv"
	"strings"
)

// A shape is a hostile page: head, then unit(i) for the i-th repetition of
// its pattern, then tail(n) if set.
type shape struct {
	name string
	head string
	unit func(i int) string
	tail func(n int) string
}

func rep(s string) func(int) string { return func(int) string { return s } }

func numbered(format string) func(int) string {
	return func(i int) string { return strings.ReplaceAll(format, "N", strconv.Itoa(i)) }
}

// shapes covers each way the tree builder walks its stacks: nesting, the
// formatting elements it reopens, tables and their implied parts, select,
// lists, foreign content, templates and the end tags that search the stack.
var shapes = []shape{
	{name: "div", unit: rep("<div>")},
	{name: "div-text", unit: rep("<div>x")},
	{name: "div-closed", unit: rep("<div>"), tail: func(n int) string { return strings.Repeat("</div>", n) }},
	{name: "span", unit: rep("<span>")},
	{name: "custom", unit: rep("<x-y>")},
	{name: "a", unit: rep("<a>")},
	{name: "a-href", unit: numbered(`<a href=N>`)},
	{name: "a-div", unit: rep("<a><div>")},
	{name: "b", unit: rep("<b>")},
	{name: "b-text", unit: rep("<b>x")},
	{name: "b-id", unit: numbered("<b id=N>")},
	{name: "b-id-text", unit: numbered("<b id=N>x")},
	{name: "font-size", unit: numbered("<font size=N>x")},
	{name: "biu-mix", unit: rep("<b><i><u><s><em><strong><code><small><big><tt><strike><font><nobr>x")},
	{name: "b-id-p", unit: numbered("<p><b id=N></p>x")},
	{name: "b-id-div", unit: numbered("<div><b id=N></div>x")},
	{name: "b-div-endb", unit: rep("<b><div></b>x")},
	{name: "b-id-div-endb", unit: numbered("<b id=N><div>x")},
	{name: "b-div-close-all", unit: numbered("<b id=N><div>"), tail: func(n int) string { return strings.Repeat("</b>x", n) }},
	{name: "a-div-8", unit: rep("<a><div><div><div><div><div><div><div><div>x")},
	{name: "endb", unit: rep("</b>")},
	{name: "enda-deep", unit: rep("<div>"), tail: func(n int) string { return strings.Repeat("</a>", n) }},
	{name: "endp", unit: rep("</p>")},
	{name: "endp-deep", unit: rep("<div>"), tail: func(n int) string { return strings.Repeat("</p>", n) }},
	{name: "endx-deep", unit: rep("<div>"), tail: func(n int) string { return strings.Repeat("</x>", n) }},
	{name: "endbr", unit: rep("</br>")},
	{name: "nobr", unit: rep("<nobr>")},
	{name: "nobr-text", unit: rep("<nobr>x")},
	{name: "p", unit: rep("<p>")},
	{name: "p-div", unit: rep("<p><div>")},
	{name: "li", unit: rep("<li>")},
	{name: "ul-li", unit: rep("<ul><li>")},
	{name: "li-div", unit: rep("<li><div>")},
	{name: "dd", unit: rep("<dd>")},
	{name: "dl-dt-dd", unit: rep("<dl><dt><dd>")},
	{name: "button", unit: rep("<button>")},
	{name: "button-div", unit: rep("<button><div>")},
	{name: "h1", unit: rep("<h1>")},
	{name: "h1-div", unit: rep("<h1><div>")},
	{name: "h1-h2", unit: rep("<h1><h2>")},
	{name: "table", unit: rep("<table>")},
	{name: "table-td", unit: rep("<table><td>")},
	{name: "table-tr-td", unit: rep("<table><tr><td>")},
	{name: "table-td-text", unit: rep("<table><td>x")},
	{name: "table-text", unit: rep("<table>x")},
	{name: "table-div", unit: rep("<table><div>")},
	{name: "td", unit: rep("<td>")},
	{name: "tr", unit: rep("<tr>")},
	{name: "table-caption", unit: rep("<table><caption>")},
	{name: "table-col", unit: rep("<table><col>")},
	{name: "table-endtable", unit: rep("<div>"), tail: func(n int) string { return "<table>" + strings.Repeat("</table><td>", n) }},
	{name: "select", unit: rep("<select>")},
	{name: "select-option", unit: rep("<select><option>")},
	{name: "div-select", unit: rep("<div><select>")},
	{name: "option", unit: rep("<option>")},
	{name: "optgroup", unit: rep("<optgroup>")},
	{name: "table-select", unit: rep("<table><td><select>")},
	{name: "template", unit: rep("<template>")},
	{name: "template-div", unit: rep("<template><div>")},
	{name: "template-tr", unit: rep("<template><tr>")},
	{name: "template-td", unit: rep("<template><td>")},
	{name: "endtemplate-deep", unit: rep("<template><div>"), tail: func(n int) string { return strings.Repeat("</template>", n) }},
	{name: "svg", unit: rep("<svg>")},
	{name: "svg-g", unit: rep("<svg><g>")},
	{name: "g", unit: rep("<g>")},
	{name: "svg-desc", unit: rep("<svg><desc>")},
	{name: "svg-fo-div", unit: rep("<svg><foreignObject><div>")},
	{name: "math-mi", unit: rep("<math><mi>")},
	{name: "math-mrow", unit: rep("<math><mrow>")},
	{name: "svg-breakout", unit: rep("<svg><g><p>")},
	{name: "svg-font", unit: rep("<svg><font color=red>")},
	{name: "svg-end", unit: rep("<svg><g>"), tail: func(n int) string { return strings.Repeat("</x>", n) }},
	{name: "object", unit: rep("<object>")},
	{name: "object-b", unit: numbered("<object><b id=N>")},
	{name: "marquee-text", unit: rep("<marquee>x")},
	{name: "form-div", unit: rep("<form><div></form>")},
	{name: "a-table", unit: rep("<a><table><a><td>")},
	{name: "ruby-rt", unit: rep("<ruby><rt>")},
	{name: "rt", unit: rep("<rt>")},
	{name: "frameset", unit: rep("<frameset>")},
	{name: "textarea", unit: rep("<textarea>")},
	{name: "script", unit: rep("<div><script>x</script>")},
	{name: "style", unit: rep("<div><style>x</style>")},
	{name: "img", unit: rep("<div><img>")},
	{name: "comment", unit: rep("<div><!--x-->")},
	{name: "input-table", unit: rep(`<table><input type=hidden>`)},
	{name: "html", unit: rep("<div><html a=1>")},
	{name: "body", unit: rep("<div><body a=1>")},
	{name: "head", unit: rep("<div><head>")},
	{name: "meta", unit: rep("<div><meta>")},

	// The list of active formatting elements.
	// Markers of objects closed by </table> are never cleared; </b> on a
	// b that Noah's Ark took off the list looks it up in the whole list.
	{name: "dead-markers", unit: func(i int) string {
		if i%2 == 0 {
			return "<table><object></table>"
		}
		return "<b><b><b><b></b></b></b></b>"
	}},
	// Noah's Ark compares each new b with 500 open ones.
	{name: "noah-scan", head: seq(500, numbered("<b id=N>")), unit: rep("<b id=x></b>")},
	// ... attribute by attribute.
	{name: "noah-attrs", unit: rep("<b" + seq(20_000, numbered(" aN")) + ">")},
	// Each text reconstructs the 500 b's the </p> closed.
	{name: "reconstruct", head: "<p>" + seq(500, numbered("<b id=N>")) + "</p>", unit: rep("<div>x</div>")},
	// Each </b> moves the b 8 divs up (the adoption agency's outer loop).
	{name: "adoption-climb", unit: rep("<b>" + strings.Repeat("<div>", 500) + strings.Repeat("</b>", 64) + strings.Repeat("</div>", 500))},
	// Each <p> clones the a and its 10 KB href (shared, not copied).
	{name: "attr-clones", head: `<p><a href="` + strings.Repeat("A", 10_000) + `">`, unit: rep("<p>a")},
	{name: "misnested", unit: rep("<b><i><u><s></b></i></u></s>")},
	{name: "a-nested", unit: rep("<a><p><a><div><a><table><a>")},
	// One attribute as long as the page.
	{name: "long-attr", head: "<div a='", unit: rep(strings.Repeat("x", 1024)), tail: func(int) string { return "'>" }},
}

// seq returns unit(0) ... unit(n-1).
func seq(n int, unit func(int) string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(unit(i))
	}
	return b.String()
}

// build returns the page of n units of s.
func (s shape) build(n int) []byte {
	var b bytes.Buffer
	b.WriteString(s.head)
	for i := 0; i < n; i++ {
		b.WriteString(s.unit(i))
	}
	if s.tail != nil {
		b.WriteString(s.tail(n))
	}
	return b.Bytes()
}

// buildSize returns a page of s of about size bytes, at least one unit.
func (s shape) buildSize(size int) []byte {
	perUnit := max(1, (len(s.build(11))-len(s.build(1)))/10)
	return s.build(max(1, (size-len(s.head))/perUnit))
}
