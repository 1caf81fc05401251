package htmlparse

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// randomTags are the tokens TestSameRandom draws from: tags with special
// rules in every insertion mode, formatting elements with attributes that
// make them alike or not, foreign content and its breakouts, text.
var randomTags = strings.Fields(`
	<div> </div> <p> </p> <span> </span> <a> </a> <a~> <b> </b> <b~> <i> </i> <u> </u>
	<s> <em> <strong> <font~> </font> <nobr> </nobr> <code> <big> <small> <tt> <strike>
	<table> </table> <caption> </caption> <colgroup> <col> <tbody> </tbody> <thead> <tfoot>
	<tr> </tr> <td> </td> <th> <select> </select> <option> <optgroup> <input~> <textarea>t</textarea>
	<ul> <ol> <li> </li> <dl> <dd> <dt> <h1> </h1> <h2> <form> </form> <button> </button>
	<object> </object> <applet> <marquee> </marquee> <template> </template> <svg> </svg>
	<g> </g> <desc> <foreignObject> <title> <math> </math> <mi> <mtext> <annotation-xml~>
	<ruby> <rt> <rp> <rb> <rtc> <br> </br> <img> <hr> <pre> <listing> <xmp>x</xmp> <script>x</script>
	<style>x</style> <noscript> <iframe> <frameset> <frame> <head> </head> <body> </body> <html>
	</html> <x-y> </x-y> <!--c--> x y &amp; <![CDATA[c]]> <plaintext>
`)

// randomDoc returns a document of n tokens from randomTags; "~" stands for
// an attribute drawn from a few, so that some elements are identical.
func randomDoc(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		tok := randomTags[r.IntN(len(randomTags))]
		if tok == "<plaintext>" && r.IntN(20) != 0 {
			continue // it swallows the rest
		}
		if strings.HasSuffix(tok, "~>") {
			tok = fmt.Sprintf("%s x=%d>", strings.TrimSuffix(tok, "~>"), r.IntN(4))
			if strings.HasPrefix(tok, "<annotation-xml") && r.IntN(2) == 0 {
				tok = `<annotation-xml encoding="text/html">`
			}
		}
		b.WriteString(tok)
	}
	return b.String()
}

// TestSameRandom compares Parse with html.Parse on random documents, some
// opening nearly MaxDepth elements first. Parse must build html.Parse's
// tree unless it reports a departure; and it may report one only when the
// stack of open elements reached MaxDepth (here the formatting budget is
// never short), which happens below a tree depth of MaxDepth too: beside a
// table, foster-parented elements are shallower than their place in the
// stack, and a <frameset> can discard the whole body after the fact.
func TestSameRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	docs := 3000
	if testing.Short() {
		docs = 300
	}
	departed := 0
	for i := 0; i < docs; i++ {
		src := randomDoc(r, 10+r.IntN(400))
		if i%4 == 0 {
			src = strings.Repeat("<div>", 480+r.IntN(40)) + src
		}
		ours, lim, err := parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if lim.limited > 0 {
			t.Fatalf("doc %d: formatting budget short: %s", i, src)
		}
		if lim.dropped > 0 {
			departed++
			continue
		}
		theirs, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dump(ours), dump(theirs); got != want {
			t.Fatalf("doc %d differs from html.Parse at %s\n%s", i, firstDiff(got, want), src)
		}
	}
	t.Logf("%d of %d documents dropped elements at the cap", departed, docs)
	if departed > docs/4 {
		t.Fatalf("%d of %d documents dropped elements", departed, docs)
	}
}
