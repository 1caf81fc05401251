package htmlparse

import (
	"bytes"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// TestGoquery: goquery (and so cascadia) selects in Parse's tree what it
// selects in html.Parse's, and on a capped page finds the text kept at the
// bottom; html.Render writes the capped tree.
func TestGoquery(t *testing.T) {
	selectors := []string{"title", "a[href]", "div p", "table td", "meta[name=description]", "svg title", "li:nth-child(2)", "body > *"}
	for name, src := range corpus(t) {
		theirs, err := html.Parse(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		ours, err := Parse(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		a, b := goquery.NewDocumentFromNode(ours), goquery.NewDocumentFromNode(theirs)
		for _, sel := range selectors {
			got, want := a.Find(sel), b.Find(sel)
			if got.Length() != want.Length() || got.Text() != want.Text() {
				t.Errorf("%s: %q selects %d (%.40q), want %d (%.40q)", name, sel, got.Length(), got.Text(), want.Length(), want.Text())
			}
		}
	}

	src := strings.Repeat("<div>", 100_000) + `<a href="/deep">deep</a>` + strings.Repeat("</div>", 100_000)
	doc, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	d := goquery.NewDocumentFromNode(doc)
	if n := d.Find("div").Length(); n != MaxDepth-2 {
		t.Errorf("%d divs, want %d", n, MaxDepth-2)
	}
	// The a was dropped; its text stays, in the deepest div.
	if n := d.Find("a").Length(); n != 0 {
		t.Errorf("%d links, want 0", n)
	}
	if got := d.Find("div").Last().Text(); got != "deep" {
		t.Errorf("deepest div's text is %q, want %q", got, "deep")
	}
	var b bytes.Buffer
	if err := html.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	want := "<html><head></head><body>" + strings.Repeat("<div>", MaxDepth-2) + "deep" + strings.Repeat("</div>", MaxDepth-2) + "</body></html>"
	if b.String() != want {
		t.Errorf("rendered %d bytes, want %d", b.Len(), len(want))
	}
}
