package extract

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/trawl-dev/trawl/internal/htmlparse"
	"github.com/trawl-dev/trawl/output"
)

func TestStreamSelector(t *testing.T) {
	for _, tc := range []struct {
		sel string
		// want is "" for a selector the streamer refuses, else its keys,
		// siblings flag and subjects as streamSel's String writes them.
		want string
	}{
		{"h1", "keys[] subjects[h1]"},
		{"*", "keys[] subjects[*]"},
		{".price", "keys[class] subjects[*{class}]"},
		{"#main > article h2", "keys[id] subjects[h2]"},
		{"div.content p", "keys[class] subjects[p]"},
		{"a[href]", "keys[href] subjects[a{href}]"},
		{"A[HREF]", "keys[href] subjects[a{href}]"},
		{"meta[name=description]", "keys[name] subjects[meta{name}]"},
		{`link[rel="canonical"]`, "keys[rel] subjects[link{rel}]"},
		{"[itemprop='name' i]", "keys[itemprop] subjects[*{itemprop}]"},
		{"[a~=b][c|=d][e^=f][g$=h][i*=j]", "keys[a c e g i] subjects[*{a c e g i}]"},
		{"[lang!=en]", "keys[lang] subjects[*]"},
		{"ul > li > a, h1 , .x", "keys[class] subjects[a h1 *{class}]"},
		{"li:first-child", "keys[] siblings subjects[li]"},
		{"p:nth-of-type(2n+1)", "keys[] siblings subjects[p]"},
		{"tr:NTH-CHILD( odd )", "keys[] siblings subjects[tr]"},
		{":first-of-type", "keys[] siblings subjects[*]"},
		{"div:not(.nav, #top)", "keys[class id] subjects[div]"},
		{":not(p):not(:first-child)", "keys[] siblings subjects[*]"},
		{":root", "keys[] subjects[*]"},
		{"a:link", "keys[href] subjects[a{href}]"},
		{"body>div>p", "keys[] subjects[p]"},
		{"my-el", "keys[] subjects[my-el]"},
		{"-x", "keys[] subjects[-x]"},
		{"svg|a", ""},
		{"h1 + p", ""},
		{"h1 ~ p", ""},
		{"li:last-child", ""},
		{"li:only-child", ""},
		{"li:nth-last-child(2)", ""},
		{"li:last-of-type", ""},
		{"div:has(p)", ""},
		{"div:haschild(p)", ""},
		{"p:contains(x)", ""},
		{"p:containsOwn(x)", ""},
		{"p:matches(x)", ""},
		{"p:empty", ""},
		{"p:lang(en)", ""},
		{"input:checked", ""},
		{"input:disabled", ""},
		{":input", ""},
		{"a:hover", ""},
		{"p::before", ""},
		{"[href#=(x)]", ""},
		{`[title="a\"b"]`, ""},
		{`.a\:b`, ""},
		{"div /* c */ p", ""},
		{"*|*", ""},
		{":not(div p)", ""},
		{":not(div > p)", ""},
	} {
		got := ""
		if s, ok := streamSelector(tc.sel); ok {
			got = s.String()
		}
		if got != tc.want {
			t.Errorf("streamSelector(%q) = %q, want %q", tc.sel, got, tc.want)
		}
	}
}

// String writes a streamSel for TestStreamSelector.
func (s *streamSel) String() string {
	var subj []string
	for _, sub := range s.subjects {
		tag := sub.tag
		if tag == "" {
			tag = "*"
		}
		if len(sub.need) > 0 {
			tag += "{" + strings.Join(sub.need, " ") + "}"
		}
		subj = append(subj, tag)
	}
	sib := ""
	if s.siblings {
		sib = " siblings"
	}
	return fmt.Sprintf("keys[%s]%s subjects[%s]", strings.Join(s.keys, " "), sib, strings.Join(subj, " "))
}

// TestStreamKinds holds kindOf's special category to the HTML standard's
// list as x/net/html v0.33.0 (and so internal/htmlparse) writes it.
func TestStreamKinds(t *testing.T) {
	special := strings.Fields(`address applet area article aside base basefont bgsound blockquote
		body br button caption center col colgroup dd details dir div dl dt embed fieldset
		figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr
		html iframe img input keygen li link listing main marquee menu meta nav noembed
		noframes noscript object ol p param plaintext pre script section select source style
		summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp`)
	for _, name := range special {
		a := atom.Lookup([]byte(name))
		if a == 0 || kindOf(a)&kindSpecial == 0 {
			t.Errorf("%s: not special", name)
		}
	}
	for _, name := range []string{"span", "a", "b", "dialog", "search", "option", "rt", "svg", "math", "i"} {
		if kindOf(atom.Lookup([]byte(name)))&kindSpecial != 0 {
			t.Errorf("%s: special", name)
		}
	}
	var formatting []string
	for _, name := range strings.Fields("a b big code em font i nobr s small strike strong tt u span div p") {
		if kindOf(atom.Lookup([]byte(name)))&kindFormatting != 0 {
			formatting = append(formatting, name)
		}
	}
	if want := strings.Fields("a b big code em font i nobr s small strike strong tt u"); !slices.Equal(formatting, want) {
		t.Errorf("formatting %q, want %q", formatting, want)
	}
}

// TestStreamModel runs the streamer on pages that exercise each rule of
// its model of the tree builder, and each reason to give up: exact values
// where it answers (checked against the tree too), the exact reason where
// it does not.
func TestStreamModel(t *testing.T) {
	u := mustURL(t, "https://h.example/d/p")
	for _, tc := range []struct {
		name, page string
		rules      []string
		// want is the values as "name=value" joined by spaces, with
		// showValue's quoting; or the reason the streamer gives up.
		want string
	}{
		{"implied elements", "", []string{"html=html", "head=head", "body=body", "root=:root", "n[]=html > *"},
			`html="" head="" body="" root="" n=list["" ""]`},
		{"head then body", "<title>T</title><meta name=description content=D><p>x",
			[]string{"h[]=head > *", "b[]=body > *", "t=title"},
			`h=list["T" ""] b=list["x"] t="T"`},
		{"p closed by a block", "<p>a<div>b</div>c", []string{"p[]=p", "d[]=body > div", "b=body"},
			`p=list["a"] d=list["b"] b="abc"`},
		{"lone </p>", "<div></p>x</div>", []string{"p[]=p", "dp[]=div > p"}, `p=list[""] dp=list[""]`},
		{"li", "<ul><li>a<li>b</ul><li>c", []string{"l[]=ul > li", "b[]=body > li"}, `l=list["a" "b"] b=list["c"]`},
		{"li in div", "<li>a<div><li>b</div>", []string{"l[]=body > li", "d[]=div > li"}, `l=list["a" "b"] d=list[]`},
		{"dd and dt", "<dl><dt>a<dd>b<dt>c</dl>", []string{"d[]=dl > *"}, `d=list["a" "b" "c"]`},
		{"headings", "<h1>a<h2>b</h3>c", []string{"h[]=body > *", "b=body"}, `h=list["a" "b"] b="abc"`},
		{"option", "<option>a<option>b", []string{"o[]=body > option"}, `o=list["a" "b"]`},
		{"ruby", "<ruby>a<rb>b<rt>c<rp>d</ruby>", []string{"r[]=ruby > *"}, `r=list["b" "c" "d"]`},
		{"button", "<button>a<button>b", []string{"b[]=body > button"}, `b=list["a" "b"]`},
		{"pre newline", "<div>x<pre>\ny</pre>z<pre>\n\nw</pre></div>", []string{"d=div", "p[]=pre"}, `d="xyz w" p=list["y" "w"]`},
		{"pre newline after a comment", "<div>x<pre><!---->\ny</pre></div>", []string{"d=div"}, `d="x y"`},
		{"textarea newline", "<div>x<textarea>\ny</textarea></div>", []string{"d=div"}, `d="xy"`},
		{"listing newline", "<div>x<listing>\ny</listing></div>", []string{"d=div"}, `d="xy"`},
		{"raw text", "<div>a<script>b<p></script><style>c</style><noscript>d</noscript><iframe>e</iframe>f</div>",
			[]string{"d=div", "s=script", "n=noscript", "p[]=p"}, `d="aef" s="b<p>" n="d" p=list[]`},
		{"void", "<p>a<img src=/i>b<br>c", []string{"i=p > img@src", "p=p"}, `i="https://h.example/i" p="abc"`},
		{"</br>", "<p>a</br>b", []string{"b[]=p > br", "p=p"}, `b=list[""] p="ab"`},
		{"end tag closes spans", "<div><span>a</div>b", []string{"s[]=span", "d=body > div", "b=body"},
			`s=list["a"] d="a" b="ab"`},
		{"end tag stops at special", "<span><div>a</span>b</div>", []string{"d=span > div"}, `d="ab"`},
		{"formatting", "<p><b>a</b>c</p>", []string{"b=p > b", "p=p"}, `b="a" p="ac"`},
		{"formatting around a span", "<b><span>a</b>c", []string{"s=b > span", "b=body"}, `s="a" b="ac"`},
		{"nested a", "<a href=1>a<a href=2>b</a>", []string{"l[]=a@href", "n[]=a a"},
			`l=list["https://h.example/d/1" "https://h.example/d/2"] n=list[]`},
		{"misnested formatting", "<p><b>a</p>c", []string{"p=p"}, "<b> closed by another tag"},
		{"nested a around a div", "<a href=1><div>a<a href=2>", []string{"p=p"}, "misnested </a>"},
		{"misnested end tag", "<b><div>a</b>", []string{"p=p"}, "misnested </b>"},
		{"stray end tag", "<div>a</b></a></i>b</div>", []string{"d=div"}, `d="ab"`},
		{"nested form ignored", "<form><form><input name=x></form>y", []string{"f[]=form", "i=form > input@name", "b=body"},
			`f=list[""] i="x" b="y"`},
		{"form not current", "<form><div></form>x", []string{"p=p"}, "</form> not the current node"},
		{"content after body", "<p>a</body><p>b</html><p>c", []string{"p[]=p"}, `p=list["a" "b" "c"]`},
		{"custom elements", "<my-el>a<my-el>b</my-el></my-el>", []string{"m[]=my-el"}, `m=list["ab" "b"]`},
		{"NUL", "<p>a\x00b", []string{"p=p"}, `p="ab"`},
		{"entities", "<p title='a&amp;b'>&lt;x&gt;&nbsp;y", []string{"p=p", "t=p@title"}, `p="<x> y" t="a&b"`},
		{"base after the link", "<a href=x>a</a><base href=/e/>", []string{"l=a@href"}, `l="https://h.example/e/x"`},
		{"title in body", "<p><title>t</title><title>u</title>", []string{"t[]=title"}, `t=list["t" "u"]`},
		{"nth-child", "<ul><li>a<li>b<li>c</ul><p>x<p>y<div>z</div><p>w",
			[]string{"n[]=li:nth-child(2n+1)", "f[]=body > :first-child", "o[]=p:nth-of-type(2)", "t[]=:first-of-type"},
			`n=list["a" "c"] f=list["abc"] o=list["y"] t=list["abcxyzw" "" "abcxyzw" "abc" "a" "x" "z"]`},
		{"head elements after </head>", "<head></head> <link rel=x href=/s><title>t</title><body>",
			[]string{"h[]=head > *", "l=link@href"}, `h=list["" "t"] l="https://h.example/s"`},
		{"head elements after <html> text", "<head></head> <title>t</title>", []string{"h=html"}, "head element after <html> text"},
		{"html again", "<p>x<html lang=en>", []string{"p=p"}, `p="x"`},
		{"html again read", "<p>x<html lang=en>", []string{"l=:root@lang"}, "<html> again with attributes"},
		{"body again", "<p>x<body class=y>", []string{"p=p"}, `p="x"`},
		{"body again read", "<p>x<body class=y>", []string{"y=.y"}, "<body> again with attributes"},
		{"table", "<table><tr><td>a<td>b</tr><tr><td>c</table>", []string{"c[]=td", "r[]=tbody > tr", "t=table"},
			`c=list["a" "b" "c"] r=list["ab" "c"] t="abc"`},
		{"implied tbody", "<table><td>x</table>", []string{"c=tbody > tr > td"}, `c="x"`},
		{"caption and columns", "<table><caption>c<col><tr><td>x</table>", []string{"g[]=table > colgroup > col", "c=caption", "t=table"},
			`g=list[""] c="c" t="cx"`},
		{"row groups", "<table><thead><tr><th>h<tbody><tr><td>d<tfoot><tr><td>f</table>",
			[]string{"h=thead th", "d=tbody td", "f=tfoot td", "g[]=table > *"}, `h="h" d="d" f="f" g=list["h" "d" "f"]`},
		{"white space in a table", "<div>a<table> <tr> <td>x</td> </tr> </table>b</div>", []string{"d=div"}, `d="a x b"`},
		{"formatting closed with its cell", "<table><td><b>x<td>y</table>z", []string{"b[]=b", "c[]=td", "z=body"},
			`b=list["x"] c=list["x" "y"] z="xyz"`},
		{"formatting around a table", "<b><table><td>x</table>y</b>z", []string{"b=b"}, `b="xy"`},
		{"nested table", "<table><td><table><td>i</table>o</table>", []string{"in[]=td td", "c[]=td"}, `in=list["i"] c=list["io" "i"]`},
		{"table in table", "<table><table><td>x</table>", []string{"t[]=body > table"}, `t=list["" "x"]`},
		{"form in a table", "<table><form><tr><td>x</table>", []string{"f[]=table > form", "c=form td"}, `f=list[""] c=null`},
		{"script in a table", "<table><script>s</script><tr><td>x</table>", []string{"s=table > script", "t=table"}, `s="s" t="x"`},
		{"stray table end tags", "<table><tr></td></body></html><td>x</tbody></table>y", []string{"c=td", "b=body"}, `c="x" b="xy"`},
		{"row closed by a row group end", "<table><tr><td>a</tbody><tr><td>b</table>", []string{"r[]=tr", "g[]=tbody"}, `r=list["a" "b"] g=list["a" "b"]`},
		{"row in a cell", "<table><tr><td>a<tr><td>b</table>", []string{"r[]=tr"}, `r=list["a" "b"]`},
		{"column group", "<table><colgroup> <col><col></colgroup><td>x</table>", []string{"c[]=colgroup > col", "g=colgroup"},
			`c=list["" ""] g=""`},
		{"text in a table", "<table>x<tr><td>y</table>", []string{"p=p"}, "text in a table"},
		{"tag in a table", "<table><div>x</div></table>", []string{"p=p"}, "<div> in a table"},
		{"end tag in a table", "<table></div></table>", []string{"p=p"}, "</div> in a table"},
		{"input in a table", "<table><input type=hidden></table>", []string{"p=p"}, "<input> in a table"},
		{"select in a cell", "<table><td><select>", []string{"p=p"}, "<select> in a table"},
		{"table in a p", "<p><table>", []string{"p=p"}, "<table> in a <p>"},
		{"select", "<p>a<select><option>b<option>c<div>d</div><optgroup><option>e</select>f",
			[]string{"o[]=option", "g[]=optgroup > option", "d[]=div", "p=p", "s=p > select"},
			`o=list["b" "cd" "e"] g=list["e"] d=list[] p="abcdef" s="bcde"`},
		{"select closed by input", "<select><option>a<input name=i>b", []string{"i=body > input@name", "b=body", "o=option"},
			`i="i" b="ab" o="a"`},
		{"select with raw text tags", "<select><option>a<style>b</style><script>c</script></select><p>d",
			[]string{"o=option", "s=option > script", "st[]=style", "p=p"}, `o="ab" s="c" st=list[] p="d"`},
		{"select in select", "<select><option>a<select><option>b", []string{"o[]=body > option"}, `o=list["b"]`},
		{"select and textarea", "<select><textarea>\nx</textarea>", []string{"t=body > textarea", "s=select"}, `t="x" s=""`},
		{"select template", "<select><template>", []string{"p=p"}, "<template>"},
		{"template", "<template><p>x</template>", []string{"p=p"}, "<template>"},
		{"template after head", "<head></head><template>", []string{"p=p"}, "<template> after the head"},
		{"frameset", "<frameset>", []string{"p=p"}, "<frameset> after the head"},
		{"plaintext", "<p><plaintext>x", []string{"p=p"}, "<plaintext>"},
		{"image", "<image src=x>", []string{"p=p"}, "<image>"},
		{"math", "<math><mi>x</mi></math>", []string{"p=p"}, "<math>"},
		{"svg", "<p>a<svg viewBox='0 0 1 1' class=i><title>T</title><path class=x d=M0/><use xlink:href='#i'/></svg>b</p>",
			[]string{"p=p", "x[]=.x", "h[]=[href]@xlink:href", "t[]=title", "v[]=[viewbox]", "s=svg@class", "u=use@href"},
			`p="aTb" x=list[""] h=list["https://h.example/d/p#i"] t=list["T"] v=list[] s="i" u=null`},
		{"svg breakout", "<svg><g><p>x</g></svg>", []string{"p=body > p", "g=g"}, `p="x" g=""`},
		{"svg raw text", "<div>a<svg><style>b</style><lineargradient id=g /><title>c<!--d--></title></svg></div>",
			[]string{"d=div", "l[]=lineargradient", "g=#g", "s=svg style"}, `d="ac" l=list[] g="" s="b"`},
		{"svg self-closing", "<svg/><p>x", []string{"p=body > p", "s=svg"}, `p="x" s=""`},
		{"svg text", "<svg><text>a\x00b</text><text><![CDATA[c<d]]></text></svg><![CDATA[e]]>", []string{"t[]=text", "b=body"},
			"t=list[\"a\uFFFDb\" \"c<d\"] b=\"a\uFFFDbc<d\""},
		{"svg links", "<svg><a href=/x><text>t</text></a></svg><a href=/y>y</a>", []string{"l[]=:link@href"},
			`l=list["https://h.example/x" "https://h.example/y"]`},
		{"svg in svg", "<svg><svg><rect/></svg><circle/></svg>", []string{"c[]=svg > *"}, `c=list["" "" ""]`},
		{"svg end tag of HTML", "<svg><g></p>", []string{"p=p"}, "</p> in SVG"},
		{"svg foreignObject", "<svg><foreignObject><p>x</foreignObject></svg>", []string{"p=p"}, "<foreignObject>"},
		{"HTML in svg title", "<svg><title><b>x</b></title></svg>", []string{"p=p"}, "HTML in SVG"},
		{"svg font", "<svg><font color=red>x</font></svg>", []string{"p=p"}, "<font> in SVG"},
		{"too deep", strings.Repeat("<div>", 600), []string{"p=p"}, "too deep"},
		{"deep enough", strings.Repeat("<div>", maxOpen-3) + "x", []string{"p=p"}, `p=null`},
		{"not UTF-8", "<p>\xff", []string{"p=p"}, "not UTF-8"},
		{"not UTF-8, attributes only", "<p class=a>\xff", []string{"c=p@class"}, `c="a"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules := mustRules(t, tc.rules...)
			res, _, _, why := runStream([]byte(tc.page), u, rules, nil, streamAgent, false)
			got := why
			if why == "" {
				var vs []string
				for i, r := range rules {
					vs = append(vs, r.Name+"="+showValue(res.Values[i]))
				}
				got = strings.Join(vs, " ")
				checkStream(t, []byte(tc.page), u, rules, nil)
			}
			if got != tc.want {
				t.Errorf("%q with %q:\n got %s\nwant %s", tc.page, tc.rules, got, tc.want)
			}
		})
	}
}

// TestStreamHead checks title, description, base and robots, which every
// page gives.
func TestStreamHead(t *testing.T) {
	u := mustURL(t, "https://h.example/d/p")
	rules := mustRules(t, "p=p")
	for _, tc := range []struct {
		page              string
		title, desc, base string
		robots            []string
	}{
		{"", "<nil>", "<nil>", "https://h.example/d/p", nil},
		{"<title> a  b </title><title>c</title>", "a b", "<nil>", "https://h.example/d/p", nil},
		{"<title>unclosed", "unclosed", "<nil>", "https://h.example/d/p", nil},
		{"<meta name=description><meta name=DESCRIPTION content=' x '><meta name=description content=y>", "<nil>", "x", "https://h.example/d/p", nil},
		{"<base target=x><base href=/b/><base href=/c/>", "<nil>", "<nil>", "https://h.example/b/", nil},
		{"<base href='http://[::1'><base href=/c/>", "<nil>", "<nil>", "https://h.example/d/p", nil},
		{"<meta name=robots content=noindex><meta name=TRAWL content=nofollow><meta name=other content=none><meta name=robots>",
			"<nil>", "<nil>", "https://h.example/d/p", []string{"noindex", "nofollow", ""}},
	} {
		res, _, _, why := runStream([]byte(tc.page), u, rules, nil, streamAgent, false)
		if why != "" {
			t.Errorf("%q: gave up: %s", tc.page, why)
			continue
		}
		if str(res.Title) != tc.title || str(res.Description) != tc.desc || res.Base.String() != tc.base || !slices.Equal(res.Robots, tc.robots) {
			t.Errorf("%q: title %q, description %q, base %v, robots %q; want %q, %q, %s, %q",
				tc.page, str(res.Title), str(res.Description), res.Base, res.Robots, tc.title, tc.desc, tc.base, tc.robots)
		}
		checkStream(t, []byte(tc.page), u, rules, nil)
	}
}

// TestExtractorStream holds the Extractor's streaming path to its tree
// path, record for record, with --select, --follow (robots obeyed or not),
// the head extractors and links, on the test pages.
func TestExtractorStream(t *testing.T) {
	pages, _ := filepath.Glob("testdata/*/*.html")
	more, _ := filepath.Glob("../testdata/html/*.html")
	pages = append(pages, more...)
	if len(pages) < 50 {
		t.Fatalf("%d test pages", len(pages))
	}
	rules := mustRules(t, "h1=h1", "links[]=a@href", "p[]=article p", "img=img@src", "lang=:root@lang")
	follow, err := ParseFollow([]string{"a[href]@href", "link[rel=next]@href"})
	if err != nil {
		t.Fatal(err)
	}
	configs := map[string]Config{
		"select":         {Rules: rules},
		"select+follow":  {Rules: rules, Follow: mustFollow(t), Agent: "trawl"},
		"follow custom":  {Follow: follow, Agent: "trawl"},
		"ignore robots":  {Rules: rules, Follow: follow, Agent: "trawl", IgnoreRobots: true},
		"select+extract": {Rules: rules, Extract: []string{"meta", "jsonld", "opengraph"}},
		"links":          {Extract: []string{"links"}},
		"select+links":   {Rules: rules, Extract: []string{"links", "jsonld"}},
		"follow+links":   {Follow: mustFollow(t), Agent: "trawl", Extract: []string{"opengraph", "links", "meta"}},
	}
	u := mustURL(t, "https://h.example/d/p")
	bodies := [][]byte{
		[]byte(`<meta name=robots content=nofollow><a href=/x>x</a><link rel=next href=/2>`),
		[]byte(`<meta name=trawl content="noindex, nofollow"><a href=/x>x</a>`),
		[]byte(`<meta name=googlebot content=nofollow><h1>t</h1><a href=/x>x</a><base href=/b/>`),
	}
	for _, p := range pages {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	headers := []http.Header{{}, {"X-Robots-Tag": {"trawl: nofollow"}}, {"X-Robots-Tag": {"noarchive"}}}
	streamed := 0
	for name, cfg := range configs {
		x := NewExtractor(cfg)
		if !x.streams {
			t.Fatalf("%s: the extractor does not stream", name)
		}
		tree := NewExtractor(cfg)
		tree.streams = false
		n := 0
		for i, body := range bodies {
			h := headers[i%len(headers)]
			var got, want output.Record
			x.Extract(body, u, h, &got)
			tree.Extract(body, u, h, &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, page %d: stream %+v\ntree %+v", name, i, got, want)
			}
			if _, _, _, ok := streamPage(body, u, cfg.Rules, cfg.Follow, cfg.Agent, x.want.links); ok {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no page streamed", name)
		}
		streamed += n
	}
	t.Logf("%d of %d streamed", streamed, len(bodies)*len(configs))
}

// TestStreamSVGNames holds the SVG names the streamer adjusts to the
// parser's (internal/htmlparse keeps its tables unexported).
func TestStreamSVGNames(t *testing.T) {
	parse := func(page string) *html.Node {
		root, err := htmlparse.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		var svg *html.Node
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "svg" && svg == nil {
				svg = n
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(root)
		return svg
	}
	for raw, want := range svgTagNames {
		if got := parse("<svg><" + raw + ">").FirstChild.Data; got != want {
			t.Errorf("<%s> in SVG: %q, want %q", raw, got, want)
		}
	}
	for raw := range svgAttrNames {
		if a := parse("<svg " + raw + "=x>").Attr[0]; a.Key == raw || a.Namespace != "" {
			t.Errorf("%s in SVG: %+v, want it adjusted", raw, a)
		}
	}
	for raw := range foreignAttrs {
		ns, local, _ := strings.Cut(raw, ":")
		if a := parse("<svg " + raw + "=x>").Attr[0]; a.Namespace != ns || a.Key != local || foreignPrefix([]byte(ns)) != ns {
			t.Errorf("%s in SVG: %+v", raw, a)
		}
	}
	for _, raw := range []string{"xmlns", "xlink:other", "foo:bar"} {
		if a := parse("<svg " + raw + "=x>").Attr[0]; a.Namespace != "" || foreignAttrs[raw] {
			t.Errorf("%s in SVG: %+v", raw, a)
		}
	}
}
