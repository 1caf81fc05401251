package extract

import (
	"bytes"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/trawl-dev/trawl/output"
)

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestPageMalformed(t *testing.T) {
	body, err := os.ReadFile("../testdata/html/malformed.html")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Compile([]string{
		"first_link=a@href", "links[]=.item a@href", "prices[]=.price", "price=.price",
		"imgs[]=img@src", "cells[]=td", "missing=.nope", "missing_list[]=.nope",
		"item=.item", "lang=html@lang", "bad[]=a@href",
	})
	if err != nil {
		t.Fatal(err)
	}
	res := rs.Page(body, mustURL(t, "https://shop.example/cat/page.html"))
	if str(res.Title) != "Broken page" {
		t.Errorf("title = %q", str(res.Title))
	}
	if str(res.Description) != "unclosed things" {
		t.Errorf("description = %q", str(res.Description))
	}
	get := func(name string) output.Value {
		for i, r := range rs {
			if r.Name == name {
				return res.Values[i]
			}
		}
		t.Fatalf("no rule %s", name)
		return output.Value{}
	}
	// <base href="/sub/dir/"> resolves against the page URL, links against it.
	if v := get("first_link"); str(v.Str) != "https://shop.example/sub/dir/a.html" {
		t.Errorf("first_link = %q", str(v.Str))
	}
	if v := get("links"); !slices.Equal(v.List, []string{"https://shop.example/sub/dir/a.html", "https://shop.example/sub/up.html"}) {
		t.Errorf("links = %q", v.List)
	}
	if v := get("prices"); !slices.Equal(v.List, []string{"€ 12,50", "€ 3,00"}) {
		t.Errorf("prices = %q", v.List)
	}
	if v := get("price"); str(v.Str) != "€ 12,50" || v.IsList {
		t.Errorf("price = %q", str(v.Str))
	}
	if v := get("imgs"); !slices.Equal(v.List, []string{"https://cdn.example/img.png", "https://shop.example/sub/dir/spaced.png"}) {
		t.Errorf("imgs = %q", v.List)
	}
	if v := get("cells"); !slices.Equal(v.List, []string{"cell 1", "cell 2"}) {
		t.Errorf("cells = %q", v.List)
	}
	if v := get("missing"); v.Str != nil || v.IsList {
		t.Errorf("missing = %+v", v)
	}
	if v := get("missing_list"); v.List == nil || len(v.List) != 0 || !v.IsList {
		t.Errorf("missing_list = %#v, want an empty non-nil list", v.List)
	}
	if v := get("item"); str(v.Str) != "Abold tail" {
		t.Errorf("item text = %q", str(v.Str))
	}
	if v := get("lang"); v.Str != nil {
		t.Errorf("absent attribute = %q, want nil", str(v.Str))
	}
	// javascript: is an absolute URL; http://[::1 does not parse and is left out.
	if v := get("bad"); len(v.List) != 3 || v.List[2] != "javascript:void(0)" {
		t.Errorf("all links = %q", v.List)
	}
}

func TestPageNoTitleNoDescription(t *testing.T) {
	res := Rules(nil).Page([]byte("<p>hello"), nil)
	if res.Title != nil || res.Description != nil || len(res.Values) != 0 {
		t.Errorf("got %+v", res)
	}
	res = Rules(nil).Page([]byte("<title></title>"), nil)
	if res.Title == nil || *res.Title != "" {
		t.Errorf("empty title = %v", res.Title)
	}
}

func TestParseRule(t *testing.T) {
	for _, tc := range []struct {
		spec, name, sel, attr string
		list                  bool
	}{
		{"price=.price", "price", ".price", "", false},
		{"links[]=a@href", "links", "a", "href", true},
		{" n = div > p @ data-id", "n", "div > p", "data-id", false},
		{`mail=a[href="mailto:x@y.z"]`, "mail", `a[href="mailto:x@y.z"]`, "", false},
		{"both[]=h1, h2", "both", "h1, h2", "", true},
		{"eq=a[title=\"=\"]", "eq", "a[title=\"=\"]", "", false},
	} {
		r, err := ParseRule(tc.spec)
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if r.Name != tc.name || r.Selector != tc.sel || r.Attr != tc.attr || r.List != tc.list {
			t.Errorf("%q = {%q %q %q %v}", tc.spec, r.Name, r.Selector, r.Attr, r.List)
		}
	}
	for spec, want := range map[string]string{
		"noequals": "want NAME=SELECTOR",
		"=h1":      "empty name",
		"[]=h1":    "empty name",
		"x=":       "empty selector",
		"x=@href":  "empty selector",
		"x=[[":     `x: selector "[["`,
		"a[b]c=p":  "may not contain",
		"x=div >":  `x: selector "div >"`,
	} {
		_, err := ParseRule(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRule(%q) error = %v, want it to contain %q", spec, err, want)
		}
	}
	if _, err := Compile([]string{"a=p", "a[]=div"}); err == nil || !strings.Contains(err.Error(), `duplicate name "a"`) {
		t.Errorf("duplicate: %v", err)
	}
}

func TestCollapse(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"plain":         "plain",
		"  a  b\n\tc  ": "a b c",
		"a\u00a0b":      "a b",
		"one two":       "one two",
		"\n":            "",
		"x\u3000y":      "x y",
	} {
		if got := Collapse(in); got != want {
			t.Errorf("Collapse(%q) = %q, want %q", in, got, want)
		}
	}
}

var urlAttrNames = []string{"href", "src", "action", "cite", "data", "poster"}

// FuzzPage runs extraction on arbitrary bytes with arbitrary rules: no
// panic, valid UTF-8 out (for valid UTF-8 in), every URL attribute absolute.
func FuzzPage(f *testing.F) {
	for _, name := range []string{"malformed.html", "page16k.html"} {
		b, err := os.ReadFile("../testdata/html/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "a@href", "p")
	}
	f.Add([]byte(`<base href="//x"><a href="?q">`), "a@href", "*")
	f.Add([]byte(`<base href="http://[::1"><img src="a b">`), "img@src", "img")
	f.Fuzz(func(t *testing.T, body []byte, sel1, sel2 string) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		var specs []string
		for i, s := range []string{sel1, sel2} {
			if _, err := ParseRule("x=" + s); err == nil {
				specs = append(specs, string(rune('a'+i))+"[]="+s)
			}
		}
		for _, a := range urlAttrNames[:3] {
			specs = append(specs, a+"[]=*@"+a)
		}
		rs, err := Compile(specs)
		if err != nil {
			t.Fatalf("compile %q: %v", specs, err)
		}
		res := rs.Page(body, &url.URL{Scheme: "https", Host: "h.example", Path: "/d/p"})
		check := func(s string) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 out: %q", s)
			}
		}
		if res.Title != nil {
			check(*res.Title)
		}
		for i, r := range rs {
			for _, s := range res.Values[i].List {
				check(s)
				if urlAttrs[r.Attr] {
					u, err := url.Parse(s)
					if err != nil || !u.IsAbs() {
						t.Fatalf("rule %s gave non-absolute %q", r.Name, s)
					}
				}
			}
		}
	})
}

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{"a=p", "l[]=a@href", "x=[[", "=", "a=b@", `m=a[href="x@y"]@title`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		r, err := ParseRule(spec)
		if err != nil {
			return
		}
		if r.Name == "" || r.Selector == "" || strings.Contains(r.Name, "[") {
			t.Fatalf("accepted %q as %+v", spec, r)
		}
		r.Page([]byte("<p>x</p>"), nil)
	})
}

func (r Rule) Page(b []byte, u *url.URL) Result { return Rules{r}.Page(b, u) }

func benchPage(b *testing.B, name string, rules []string) {
	body, err := os.ReadFile("../testdata/html/" + name)
	if err != nil {
		b.Fatal(err)
	}
	rs, err := Compile(rules)
	if err != nil {
		b.Fatal(err)
	}
	u := mustURL(b, "https://bench.example/p/1")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		res := rs.Page(body, u)
		if res.Title == nil {
			b.Fatal("no title")
		}
	}
}

func benchParse(b *testing.B, name string) {
	body, err := os.ReadFile("../testdata/html/" + name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

var selectRules = []string{"price[]=.price", "links[]=a@href", "h1=h1"}

func BenchmarkExtract(b *testing.B) {
	b.Run("16K/default", func(b *testing.B) { benchPage(b, "page16k.html", nil) })
	b.Run("16K/select", func(b *testing.B) { benchPage(b, "page16k.html", selectRules) })
	b.Run("500K/default", func(b *testing.B) { benchPage(b, "page500k.html", nil) })
	b.Run("500K/select", func(b *testing.B) { benchPage(b, "page500k.html", selectRules) })
}

func BenchmarkParse(b *testing.B) {
	b.Run("16K", func(b *testing.B) { benchParse(b, "page16k.html") })
	b.Run("500K", func(b *testing.B) { benchParse(b, "page500k.html") })
}

// FuzzAttrValue holds attrResolver's fast path for plain path references
// to net/url's parse, resolve and write, on any reference and a few bases.
func FuzzAttrValue(f *testing.F) {
	for _, s := range []string{"/p/1?ref=nav", "/", "/a//b", "/a/./b", "/a/../b", "/..", "/.", "/p?", "/p?a=%zz&b=/c?d",
		"//h/p", "/p#f", "/%41", "/a b", "/p/ü", "/a:b", " /p", "/p\t"} {
		f.Add(s)
	}
	bases := []string{"https://h.example/d/p", "http://u:p@H.example:8080/x?q#f", "https://[::1]:443/", "mailto:a@b", "/rel/base", "https://xn--bcher-kva.example"}
	f.Fuzz(func(t *testing.T, v string) {
		for _, b := range bases {
			base, err := url.Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			got, gotOK := newAttrResolver(base).value(v, "href")
			want, wantOK := absURL(base, v)
			if got != want || gotOK != wantOK {
				t.Fatalf("%q against %q: %q %v, want %q %v", v, b, got, gotOK, want, wantOK)
			}
		}
	})
}
