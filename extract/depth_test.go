package extract

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trawl-dev/trawl/output"
)

// TestDeepPagesSeenOnce: past htmlparse.MaxDepth the tree builder drops
// start tags; the tokenizer passes leave such pages to the tree, so every
// extraction path gives the same answer.
func TestDeepPagesSeenOnce(t *testing.T) {
	deep := func(inner string) []byte {
		return []byte("<html><head><title>T</title></head><body>" + strings.Repeat("<div>", 700) + inner +
			strings.Repeat("</div>", 700) + "</body></html>")
	}
	u, _ := url.Parse("https://deep.example/p")
	tokens := NewExtractor(Config{Extract: []string{"jsonld", "meta"}, Follow: mustFollow(t)})
	rules, _ := Compile([]string{"x=p"})
	tree := NewExtractor(Config{Rules: rules, Extract: []string{"jsonld", "meta"}, Follow: mustFollow(t)})
	for _, inner := range []string{
		`<script type="application/ld+json">{"@type":"Deep"}</script>`,
		`<a href="/deep-link">deep</a><meta name="author" content="Deep">`,
		`<title>Not the title</title>`,
	} {
		body := deep(inner)
		var a, b output.Record
		tokens.Extract(body, u, http.Header{}, &a)
		tree.Extract(body, u, http.Header{}, &b)
		if str(a.Title) != str(b.Title) || string(a.Extracted[0].JSON) != string(b.Extracted[0].JSON) ||
			string(a.Extracted[1].JSON) != string(b.Extracted[1].JSON) || strings.Join(a.Links, " ") != strings.Join(b.Links, " ") {
			t.Errorf("%s: token path %q %s %s %q, tree path %q %s %s %q", inner, str(a.Title), a.Extracted[0].JSON, a.Extracted[1].JSON, a.Links,
				str(b.Title), b.Extracted[0].JSON, b.Extracted[1].JSON, b.Links)
		}
	}
	// Below the limit the token path answers, as the tree does.
	body := []byte(strings.Repeat("<div>", 300) + `<script type="application/ld+json">{"@type":"Shallow"}</script>`)
	if _, _, _, ok := scanStructured(body, u, true, false, false); !ok {
		t.Error("scanStructured gave up on 300 levels")
	}
	if _, _, _, ok := scanStructured(deep(""), u, true, false, false); ok {
		t.Error("scanStructured kept going past the tree builder's depth")
	}
}

func mustFollow(t *testing.T) []FollowRule {
	t.Helper()
	f, err := ParseFollow(nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
