package extract

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

// render runs both extractors on a page and returns their values decoded.
func render(t testing.TB, body []byte, base string) (text, md string) {
	t.Helper()
	root, err := htmlparse.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var u *url.URL
	if base != "" {
		u, _ = url.Parse(base)
	}
	a := mainContent(root, u)
	if err := json.Unmarshal(a.appendText(nil), &text); err != nil {
		t.Fatalf("text is not a JSON string: %v", err)
	}
	if err := json.Unmarshal(a.appendMarkdown(nil), &md); err != nil {
		t.Fatalf("markdown is not a JSON string: %v", err)
	}
	return text, md
}

func goldenFile(t *testing.T, path string, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./extract -run TestMainTextGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestMainTextGolden renders each construct (testdata/maintext/NAME.html, a
// small page with navigation, cookie banner, sidebar and footer around the
// article) as text and Markdown, checked against NAME.txt and NAME.md.
func TestMainTextGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/maintext/*.html")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, f := range files {
		name := strings.TrimSuffix(f, ".html")
		t.Run(filepath.Base(name), func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text, md := render(t, body, "https://example.org/blog/post.html")
			for _, s := range []string{"Home", "cookies", "Popular posts", "All rights reserved", "not text"} {
				if strings.Contains(text, s) || strings.Contains(md, s) {
					t.Errorf("boilerplate %q extracted", s)
				}
			}
			goldenFile(t, name+".txt", text+"\n")
			goldenFile(t, name+".md", md+"\n")
		})
	}
}

// TestMainTextParagraphs checks the text rules of SPEC: paragraphs
// separated by one blank line, white space collapsed inside them.
func TestMainTextParagraphs(t *testing.T) {
	page := `<html><body><nav><a href="/">Home</a></nav><main>
<p>First   paragraph,
	spread over lines, long enough to be the content of the page.</p>


<p>  Second paragraph after blank lines in the source, also long enough.  </p>
<div><div><p>Third, nested deeper, still a paragraph of the article body.</p></div></div>
</main><footer>Footer text that is not content at all.</footer></body></html>`
	text, _ := render(t, []byte(page), "")
	want := "First paragraph, spread over lines, long enough to be the content of the page.\n\n" +
		"Second paragraph after blank lines in the source, also long enough.\n\n" +
		"Third, nested deeper, still a paragraph of the article body."
	if text != want {
		t.Errorf("got\n%q\nwant\n%q", text, want)
	}
}

// TestMainTextEmpty: a page without main text gives "" (SPEC), not an error.
func TestMainTextEmpty(t *testing.T) {
	for _, page := range []string{
		"",
		"<html><head><title>t</title></head><body></body></html>",
		`<html><body><nav><a href="/a">A</a> <a href="/b">B</a></nav><script>var a = "long script text that is not content at all";</script></body></html>`,
		`<img src="x.png"><input value="a form field with a long value that is not text">`,
	} {
		text, md := render(t, []byte(page), "https://example.org/")
		if text != "" || md != "" {
			t.Errorf("%q: got text %q, markdown %q; want both empty", page, text, md)
		}
	}
	var a *article = mainContent(nil, nil)
	if a == nil || string(a.appendText(nil)) != `""` || string(a.appendMarkdown(nil)) != `""` {
		t.Errorf("nil root: want an empty article")
	}
}

// TestMainTextDoesNotMutate: the tree is shared with other extractors.
func TestMainTextDoesNotMutate(t *testing.T) {
	pages, bodies := loadArticles(t)
	for i := range pages {
		root, _ := htmlparse.Parse(bytes.NewReader(bodies[i]))
		var before, after bytes.Buffer
		html.Render(&before, root)
		a := mainContent(root, nil)
		a.appendText(nil)
		a.appendMarkdown(nil)
		html.Render(&after, root)
		if !bytes.Equal(before.Bytes(), after.Bytes()) {
			t.Errorf("%s: tree changed", pages[i].File)
		}
	}
}
