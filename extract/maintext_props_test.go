package extract

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

// checkValue fails unless v is one JSON string whose text is valid UTF-8
// with no C0 control character but tab and newline.
func checkValue(t *testing.T, what string, v []byte) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		t.Fatalf("%s: not a JSON string: %v: %q", what, err, v)
	}
	if !utf8.ValidString(s) {
		t.Fatalf("%s: invalid UTF-8: %q", what, s)
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' {
			t.Fatalf("%s: control character %U in %q", what, r, s)
		}
	}
	return s
}

func fuzzMain(f *testing.F, markdown bool) {
	for _, s := range []string{
		"<p>a</p>",
		"<article><h1>T</h1><p>Some text, long enough to be a paragraph of content.</p><pre><code class=language-go>x := 1</code></pre></article>",
		"<ul><li>a<ul><li>b</li></ul></li></ul><table><tr><th>h</th></tr><tr><td>c|d</td></tr></table>",
		"<blockquote><p>q <em>e <a href='/x'>l</a></em></p></blockquote><br><br>t\x01\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		root, err := htmlparse.Parse(bytes.NewReader(body))
		if err != nil {
			return
		}
		a := mainContent(root, mustURL(t, "https://fuzz.example/dir/page"))
		if markdown {
			checkValue(t, "markdown", a.appendMarkdown(nil))
			// Every link destination is absolute.
			for _, tok := range a.toks {
				if tok.kind != tLinkOn {
					continue
				}
				u, err := url.Parse(string(a.buf[tok.a:tok.b]))
				if err != nil || !u.IsAbs() {
					t.Fatalf("link %q is not absolute", a.buf[tok.a:tok.b])
				}
			}
		} else {
			checkValue(t, "text", a.appendText(nil))
		}
	})
}

// FuzzMainText: any HTML gives a valid JSON string of UTF-8 text without
// C0 controls, and never panics. Seeds: testdata/fuzz/FuzzMainText.
func FuzzMainText(f *testing.F) { fuzzMain(f, false) }

// FuzzMarkdown: the same for Markdown, whose links are absolute. Seeds:
// testdata/fuzz/FuzzMarkdown.
func FuzzMarkdown(f *testing.F) { fuzzMain(f, true) }

func TestAppendJSONStr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"<a & b>", `"<a & b>"`},
		{"q\"b\\s", `"q\"b\\s"`},
		{"tab\tnl\ncr\rnul\x00bell\x07del\x7f", `"tab\tnl\ncrnulbelldel` + "\x7f" + `"`},
		{"bad\xff\xfeutf8", "\"bad\ufffd\ufffdutf8\""},
		{"ls\u2028ps\u2029", `"ls\u2028ps\u2029"`},
		{"é😀", `"é😀"`},
	} {
		got := string(appendJSONStr(nil, c.in))
		if got != c.want {
			t.Errorf("appendJSONStr(%q) = %s, want %s", c.in, got, c.want)
		}
		var s string
		if err := json.Unmarshal([]byte(got), &s); err != nil {
			t.Errorf("%s: %v", got, err)
		}
	}
}

func benchMain(b *testing.B, path string, markdown bool) {
	body, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	root, err := htmlparse.Parse(bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	u := mustURL(b, "https://bench.example/p/1")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var dst []byte
	for b.Loop() {
		a := mainContent(root, u)
		if markdown {
			dst = a.appendMarkdown(dst[:0])
		} else {
			dst = a.appendText(dst[:0])
		}
		if len(dst) <= 2 {
			b.Fatal("nothing extracted")
		}
	}
}

// BenchmarkMainText measures text and markdown on a parsed page (the parse
// is shared with the other extractors; BenchmarkParse measures it): the
// 16 KiB and 500 KiB bench pages, a WordPress article and a long docs page.
func BenchmarkMainText(b *testing.B) {
	pages := []struct{ name, path string }{
		{"16K", "../testdata/html/page16k.html"},
		{"500K", "../testdata/html/page500k.html"},
		{"article", "testdata/articles/01-wordpress-chain.html"},
		{"docs", "testdata/articles/32-docs-asm.html"},
	}
	for _, p := range pages {
		b.Run(p.name+"/text", func(b *testing.B) { benchMain(b, p.path, false) })
		b.Run(p.name+"/markdown", func(b *testing.B) { benchMain(b, p.path, true) })
	}
}
