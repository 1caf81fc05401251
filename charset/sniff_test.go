package charset

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// fixtureDir holds the pages written by testdata/charset/gen.go.
const fixtureDir = "../testdata/charset"

// The titles of the fixtures, as testdata/charset/gen.go writes them.
const (
	titleLatin1   = "Café «Noël» – 5 €"
	titlePolish   = "Zażółć gęślą jaźń"
	titleRussian  = "Съешь ещё этих мягких французских булок"
	titleGreek    = "Καλημέρα κόσμε"
	titleJapanese = "日本語のページ"
	titleKana     = "こんにちは、世界"
	titleKorean   = "안녕하세요, 세계"
	titleChinese  = "你好，世界"
	titleGB18030  = "汉字𠮷与€"
	titleBig5     = "繁體中文網頁"
	titleUnicode  = "Grüße, 世界 ✓ 😀"
)

type fixtureCase struct {
	file        string
	contentType string
	want        Result
	title       string
}

// fixtureCases are the fixture pages, each with the Content-Type it is
// served with and what Decode must make of it.
var fixtureCases = []fixtureCase{
	// Each encoding by header, then by <meta> alone.
	{"windows-1252.header.html", "text/html; charset=windows-1252", Result{"windows-1252", "header"}, titleLatin1},
	{"windows-1252.meta.html", "", Result{"windows-1252", "meta"}, titleLatin1},
	{"iso-8859-2.header.html", "text/html; charset=iso-8859-2", Result{"iso-8859-2", "header"}, titlePolish},
	{"iso-8859-2.meta.html", "", Result{"iso-8859-2", "meta"}, titlePolish},
	{"iso-8859-5.header.html", "text/html; charset=ISO-8859-5", Result{"iso-8859-5", "header"}, titleRussian},
	{"iso-8859-5.meta.html", "", Result{"iso-8859-5", "meta"}, titleRussian},
	{"iso-8859-7.header.html", "text/html; charset=iso-8859-7", Result{"iso-8859-7", "header"}, titleGreek},
	{"iso-8859-7.meta.html", "", Result{"iso-8859-7", "meta"}, titleGreek},
	{"koi8-r.header.html", "text/html; charset=koi8-r", Result{"koi8-r", "header"}, titleRussian},
	{"koi8-r.meta.html", "", Result{"koi8-r", "meta"}, titleRussian},
	{"shift_jis.header.html", "text/html; charset=Shift_JIS", Result{"shift_jis", "header"}, titleJapanese},
	{"shift_jis.meta.html", "", Result{"shift_jis", "meta"}, titleJapanese},
	{"euc-jp.header.html", "text/html; charset=euc-jp", Result{"euc-jp", "header"}, titleKana},
	{"euc-jp.meta.html", "", Result{"euc-jp", "meta"}, titleKana},
	{"euc-kr.header.html", "text/html; charset=euc-kr", Result{"euc-kr", "header"}, titleKorean},
	{"euc-kr.meta.html", "", Result{"euc-kr", "meta"}, titleKorean},
	{"gbk.header.html", "text/html; charset=gbk", Result{"gbk", "header"}, titleChinese},
	{"gbk.meta.html", "", Result{"gbk", "meta"}, titleChinese},
	{"gb18030.header.html", "text/html; charset=gb18030", Result{"gb18030", "header"}, titleGB18030},
	{"gb18030.meta.html", "", Result{"gb18030", "meta"}, titleGB18030},
	{"big5.header.html", "text/html; charset=big5", Result{"big5", "header"}, titleBig5},
	{"big5.meta.html", "", Result{"big5", "meta"}, titleBig5},
	{"utf-8.header.html", "text/html; charset=utf-8", Result{"utf-8", "header"}, titleUnicode},
	{"utf-8.meta.html", "", Result{"utf-8", "meta"}, titleUnicode},

	// Byte order marks, and UTF-16 by header or by XML declaration.
	{"utf-8.bom.html", "", Result{"utf-8", "bom"}, titleUnicode},
	{"utf-16le.bom.html", "", Result{"utf-16le", "bom"}, titleUnicode},
	{"utf-16be.bom.html", "", Result{"utf-16be", "bom"}, titleUnicode},
	{"utf-16le.header.html", "text/html; charset=utf-16le", Result{"utf-16le", "header"}, titleUnicode},
	{"utf-16le.header.html", "text/html; charset=utf-16", Result{"utf-16le", "header"}, titleUnicode},
	{"utf-16be.header.html", "text/html; charset=utf-16be", Result{"utf-16be", "header"}, titleUnicode},
	{"utf-16le.xmldecl.html", "", Result{"utf-16le", "meta"}, titleUnicode},
	{"utf-16be.xmldecl.html", "", Result{"utf-16be", "meta"}, titleUnicode},
	{"xmldecl.iso-8859-2.html", "", Result{"iso-8859-2", "meta"}, titlePolish},

	// Precedence.
	{"header-beats-meta.html", "text/html; charset=iso-8859-2", Result{"iso-8859-2", "header"}, titlePolish},
	{"utf-8.bom.html", "text/html; charset=windows-1252", Result{"utf-8", "bom"}, titleUnicode},
	{"utf-16le.bom.html", "text/html; charset=koi8-r", Result{"utf-16le", "bom"}, titleUnicode},
	{"euc-jp.meta.html", "text/html; charset=x-no-such-charset", Result{"euc-jp", "meta"}, titleKana},
	{"default.html", "text/html", Result{"windows-1252", "default"}, titleLatin1},
	{"default.html", "", Result{"windows-1252", "default"}, titleLatin1},

	// The prescan's particular cases and changing the encoding.
	{"meta-in-script.html", "", Result{"koi8-r", "meta"}, titleRussian},
	{"meta-in-script-reparse.html", "", Result{"windows-1251", "meta-reparse"}, titleRussian},
	{"meta-in-comment.html", "", Result{"iso-8859-5", "meta"}, titleRussian},
	{"meta-in-comment-only.html", "", Result{"windows-1252", "default"}, titleLatin1},
	{"meta-after-1024.html", "", Result{"shift_jis", "meta-reparse"}, titleJapanese},
	{"http-equiv.html", "", Result{"koi8-r", "meta"}, titleRussian},

	// Labels that mean windows-1252 or UTF-8.
	{"latin1-label.html", "text/html; charset=iso-8859-1", Result{"windows-1252", "header"}, titleLatin1},
	{"latin1-label.html", "text/html; charset=latin1", Result{"windows-1252", "header"}, titleLatin1},
	{"latin1-label.html", "text/html; charset=us-ascii", Result{"windows-1252", "header"}, titleLatin1},
	{"us-ascii-meta.html", "", Result{"windows-1252", "meta"}, "“Smart” quotes"},
	{"utf-16-label-meta.html", "", Result{"utf-8", "meta"}, titleUnicode},

	// Invalid UTF-8: each maximal subpart is one U+FFFD.
	{"invalid-utf-8.html", "", Result{"utf-8", "meta"}, "ok \uFFFD \uFFFD! \uFFFD\uFFFD\uFFFD end"},
	{"invalid-utf-8.html", "text/html; charset=utf-8", Result{"utf-8", "header"}, "ok \uFFFD \uFFFD! \uFFFD\uFFFD\uFFFD end"},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// titleOf parses decoded HTML and returns the text of its <title>.
func titleOf(t *testing.T, doc []byte) string {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("parse decoded page: %v", err)
	}
	var find func(*html.Node) (string, bool)
	find = func(n *html.Node) (string, bool) {
		if n.Type == html.ElementNode && n.Data == "title" {
			var sb strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				sb.WriteString(c.Data)
			}
			return sb.String(), true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if s, ok := find(c); ok {
				return s, true
			}
		}
		return "", false
	}
	s, ok := find(root)
	if !ok {
		t.Fatalf("no <title> in decoded page %q", doc)
	}
	return s
}

func TestDecodeFixtures(t *testing.T) {
	for _, tc := range fixtureCases {
		t.Run(tc.file+"|"+tc.contentType, func(t *testing.T) {
			body := readFixture(t, tc.file)
			out, got := Decode(body, tc.contentType)
			if !utf8.Valid(out) {
				t.Fatalf("output is not valid UTF-8: %q", out)
			}
			if got != tc.want {
				t.Errorf("Result = %+v, want %+v", got, tc.want)
			}
			if title := titleOf(t, out); title != tc.title {
				t.Errorf("title = %q, want %q", title, tc.title)
			}
			if bytes.HasPrefix(out, []byte("\uFEFF")) {
				t.Errorf("output starts with a BOM")
			}
		})
	}
}

// TestFixturesCovered makes sure no fixture file is left out of the table.
func TestFixturesCovered(t *testing.T) {
	used := map[string]bool{}
	for _, tc := range fixtureCases {
		used[tc.file] = true
	}
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(used) {
		t.Errorf("%d fixture files, %d used by the tests", len(files), len(used))
	}
	for _, f := range files {
		if !used[filepath.Base(f)] {
			t.Errorf("fixture %s is not tested", filepath.Base(f))
		}
	}
}

func TestDecode(t *testing.T) {
	filler := "<!-- " + strings.Repeat("x", prescanLimit) + " -->"
	utf16le := func(s string) string {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name        string
		body        string
		contentType string
		want        string
		result      Result
	}{
		{"empty body", "", "", "", Result{"windows-1252", "default"}},
		{"BOM only", "\xEF\xBB\xBF", "", "", Result{"utf-8", "bom"}},
		{"UTF-16LE BOM only", "\xFF\xFE", "", "", Result{"utf-16le", "bom"}},
		{"iso-8859-1 header, 0x80 is the euro sign", "\x80", "text/html; charset=iso-8859-1", "€", Result{"windows-1252", "header"}},
		{"us-ascii header, 0x93 0x94 are quotes", "\x93hi\x94", "text/html; charset=us-ascii", "“hi”", Result{"windows-1252", "header"}},
		{"windows-1252 C1 bytes map to C1 controls", "\x81\x8D\x8F\x90\x9D", "text/html; charset=windows-1252", "\u0081\u008D\u008F\u0090\u009D", Result{"windows-1252", "header"}},
		{"iso-8859-2 0x80 is U+0080", "\x80\x9F", "text/html; charset=iso-8859-2", "\u0080\u009F", Result{"iso-8859-2", "header"}},
		{"iso-8859-3 hole is an error", "a\xA5b", "text/html; charset=iso-8859-3", "a\uFFFDb", Result{"iso-8859-3", "header"}},
		{"iso-8859-8-i", "\xE0", "text/html; charset=iso-8859-8-i", "א", Result{"iso-8859-8-i", "header"}},
		{"x-user-defined header is honoured", "a\x80", "text/html; charset=x-user-defined", "a\uF780", Result{"x-user-defined", "header"}},
		{"x-user-defined meta means windows-1252", `<meta charset="x-user-defined">` + "\x80", "", `<meta charset="x-user-defined">€`, Result{"windows-1252", "meta"}},
		{"replacement header", "<p>hi</p>", "text/html; charset=iso-2022-kr", "\uFFFD", Result{"replacement", "header"}},
		{"replacement header, empty body", "", "text/html; charset=iso-2022-kr", "", Result{"replacement", "header"}},
		{"replacement meta", `<meta charset="hz-gb-2312"><p>x`, "", "\uFFFD", Result{"replacement", "meta"}},
		{"utf-16 header is not turned into utf-8", "h\x00i\x00", "text/html; charset=utf-16", "hi", Result{"utf-16le", "header"}},
		{"header beats UTF-16 XML sniffing", "<\x00?\x00x\x00", "text/html; charset=windows-1252", "<\x00?\x00x\x00", Result{"windows-1252", "header"}},

		// Changing the encoding while parsing.
		{"meta in body changes the encoding", filler + "<body><p>\xC1</p><meta charset=\"koi8-r\">", "", filler + "<body><p>а</p><meta charset=\"koi8-r\">", Result{"koi8-r", "meta-reparse"}},
		{"meta after </html> changes the encoding", filler + "<p>\xC1</p></body></html><meta charset=\"koi8-r\">", "", filler + "<p>а</p></body></html><meta charset=\"koi8-r\">", Result{"koi8-r", "meta-reparse"}},
		{"character reference the prescan cannot read", "<meta charset=\"&#107;oi8-r\">\xC1", "", "<meta charset=\"&#107;oi8-r\">а", Result{"koi8-r", "meta-reparse"}},
		{"late meta naming the default keeps it", filler + `<meta charset="windows-1252">` + "\xE9", "", filler + `<meta charset="windows-1252">é`, Result{"windows-1252", "default"}},
		{"late iso-8859-1 is windows-1252", filler + `<meta charset="iso-8859-1">` + "\xE9", "", filler + `<meta charset="iso-8859-1">é`, Result{"windows-1252", "default"}},
		{"late x-user-defined is windows-1252", filler + `<meta charset="x-user-defined">` + "\xE9", "", filler + `<meta charset="x-user-defined">é`, Result{"windows-1252", "default"}},
		{"late utf-16 is utf-8", filler + `<meta charset="utf-16">` + "\xC3\xA9", "", filler + `<meta charset="utf-16">é`, Result{"utf-8", "meta-reparse"}},
		{"late http-equiv", filler + `<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">` + "\xC1", "", filler + `<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">а`, Result{"koi8-r", "meta-reparse"}},
		{"late http-equiv other than content-type", filler + `<meta http-equiv="refresh" content="0; charset=koi8-r">`, "", filler + `<meta http-equiv="refresh" content="0; charset=koi8-r">`, Result{"windows-1252", "default"}},
		{"late bad charset falls back to http-equiv", filler + `<meta charset="bogus" http-equiv="content-type" content="charset=koi8-r">` + "\xC1", "", filler + `<meta charset="bogus" http-equiv="content-type" content="charset=koi8-r">а`, Result{"koi8-r", "meta-reparse"}},
		{"late unknown label does not stop the search", filler + `<meta charset="bogus"><meta charset="koi8-r">` + "\xC1", "", filler + `<meta charset="bogus"><meta charset="koi8-r">а`, Result{"koi8-r", "meta-reparse"}},
		{"late meta in textarea is text", filler + `<textarea><meta charset="koi8-r"></textarea>`, "", filler + `<textarea><meta charset="koi8-r"></textarea>`, Result{"windows-1252", "default"}},
		{"late meta in script is text", filler + `<script><meta charset="koi8-r"></script>`, "", filler + `<script><meta charset="koi8-r"></script>`, Result{"windows-1252", "default"}},
		{"first declaration makes the encoding certain", `<meta charset="koi8-r"><meta charset="iso-8859-5">` + "\xC1", "", `<meta charset="koi8-r"><meta charset="iso-8859-5">а`, Result{"koi8-r", "meta"}},
		{"only the first declaration counts", filler + `<meta charset="koi8-r"><meta charset="iso-8859-5">` + "\xC1", "", filler + `<meta charset="koi8-r"><meta charset="iso-8859-5">а`, Result{"koi8-r", "meta-reparse"}},
		{"UTF-16 ignores later declarations", utf16le(`<?xml version="1.0"?><meta charset="koi8-r">`), "", `<?xml version="1.0"?><meta charset="koi8-r">`, Result{"utf-16le", "meta"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, got := Decode([]byte(tc.body), tc.contentType)
			if string(out) != tc.want {
				t.Errorf("output = %q, want %q", out, tc.want)
			}
			if got != tc.result {
				t.Errorf("Result = %+v, want %+v", got, tc.result)
			}
			if !utf8.Valid(out) {
				t.Errorf("output is not valid UTF-8")
			}
		})
	}
}

func TestPrescan(t *testing.T) {
	tests := []struct {
		in   string
		want string // canonical name, "" for nothing
	}{
		{`<meta charset="utf-8">`, "utf-8"},
		{`<META CHARSET=KOI8-R>`, "koi8-r"},
		{`<meta/charset=koi8-r>`, "koi8-r"},
		{"<meta\tcharset=koi8-r>", "koi8-r"},
		{"<meta\vcharset=koi8-r>", ""},
		{`<meta charset = "koi8-r" >`, "koi8-r"},
		{`<meta charset='koi8-r'>`, "koi8-r"},
		{`<meta name="x" charset="  koi8-r  ">`, "koi8-r"},
		{`<metacharset=koi8-r>`, ""},
		{`<meta><meta charset=koi8-r>`, "koi8-r"},
		{`<meta charset>`, ""},
		{`<meta charset="bogus"><meta charset="koi8-r">`, "koi8-r"},
		{`<meta charset="bogus" charset="koi8-r">`, ""},
		{`<meta charset="koi8-r" charset="bogus">`, "koi8-r"},
		{`<meta =charset=koi8-r>`, ""},
		{`<meta charset=koi8-r/>`, ""},
		{`<meta charset="\u212Aoi8-r">`, ""},
		{`<meta charset="utf-16">`, "utf-8"},
		{`<meta charset="UTF-16BE">`, "utf-8"},
		{`<meta charset="x-user-defined">`, "windows-1252"},
		{`<meta charset="iso-2022-kr">`, "replacement"},
		{`<meta charset="latin1">`, "windows-1252"},
		{`<meta charset="sjis">`, "shift_jis"},

		// http-equiv and content.
		{`<meta content="text/html; charset=koi8-r">`, ""},
		{`<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">`, "koi8-r"},
		{`<meta content="text/html; charset=koi8-r" http-equiv="content-type">`, "koi8-r"},
		{`<meta http-equiv="refresh" content="text/html; charset=koi8-r">`, ""},
		{`<meta http-equiv="content-type" http-equiv="refresh" content="charset=koi8-r">`, "koi8-r"},
		{`<meta http-equiv="refresh" http-equiv="content-type" content="charset=koi8-r">`, ""},
		{`<meta http-equiv="content-type" content="charset=koi8-r" charset="iso-8859-5">`, "iso-8859-5"},
		{`<meta charset="iso-8859-5" http-equiv="content-type" content="charset=koi8-r">`, "iso-8859-5"},
		{`<meta charset="bogus" http-equiv="content-type" content="charset=koi8-r">`, ""},
		{`<meta http-equiv="content-type" content="charset=bogus"><meta charset=koi8-r>`, "koi8-r"},
		{`<meta http-equiv=content-type content="text/html; charset='koi8-r'">`, "koi8-r"},
		{`<meta http-equiv=content-type content='text/html; charset="koi8-r'>`, ""},
		{`<meta http-equiv=content-type content="charset = koi8-r ;">`, "koi8-r"},
		{`<meta http-equiv=content-type content="charsetcharset=koi8-r">`, "koi8-r"},
		{`<meta http-equiv=content-type content="charset">`, ""},

		// Comments, other tags, and what the prescan does not know.
		{`<!-- <meta charset="koi8-r"> -->`, ""},
		{`<!--><meta charset="koi8-r">`, "koi8-r"},
		{`<!---><meta charset="koi8-r">`, "koi8-r"},
		{`<!-- --!><meta charset="koi8-r"> -->`, ""},
		{`<!-- unterminated <meta charset="koi8-r">`, ""},
		{`<div title="<meta charset=koi8-r>"><meta charset="iso-8859-5">`, "iso-8859-5"},
		{`<div title='>'><meta charset="koi8-r">`, "koi8-r"},
		{`</div title="<meta charset=koi8-r>"><meta charset="iso-8859-5">`, "iso-8859-5"},
		{`</meta charset=koi8-r>`, ""},
		{`<! bogus ><meta charset=koi8-r>`, "koi8-r"},
		{`<?php echo 1 ?><meta charset=koi8-r>`, "koi8-r"},
		{`</ ><meta charset=koi8-r>`, "koi8-r"},
		{`<script>'<meta charset="koi8-r">'</script>`, "koi8-r"},
		{`<style>/* <meta charset="koi8-r"> */</style>`, "koi8-r"},
		{`<title><meta charset="koi8-r"></title>`, "koi8-r"},

		// The end of the prescanned bytes.
		{`<meta charset="koi8-r`, ""},
		{`<meta charset=koi8-r`, ""},
		{`<meta charset=koi8-r `, ""},
		{`<meta charset`, ""},
		{`<div class="a`, ""},

		// XML declarations.
		{`<?xml version="1.0" encoding="koi8-r"?>`, "koi8-r"},
		{`<?xml version="1.0" encoding = 'koi8-r'?>`, "koi8-r"},
		{`<?xml version="1.0" encoding="koi8-r"?><meta charset="iso-8859-5">`, "iso-8859-5"},
		{`<?xml version="1.0" encoding="utf-16"?>`, "utf-8"},
		{`<?xml version="1.0" encoding="x-user-defined"?>`, "x-user-defined"},
		{`<?xml version="1.0"?> encoding="koi8-r"`, ""},
		{` <?xml version="1.0" encoding="koi8-r"?>`, ""},
		{`<?XML version="1.0" encoding="koi8-r"?>`, ""},
		{`<?xml version="1.0" encoding=koi8-r?>`, ""},
		{`<?xml version="1.0" encoding="koi8-r ?>`, ""},
		{`<?xml version="1.0" encoding=" koi8-r"?>`, ""},
		{"<\x00?\x00x\x00m\x00l\x00", "utf-16le"},
		{"\x00<\x00?\x00x\x00m\x00l", "utf-16be"},
		{"<\x00?\x00", ""},
	}
	for _, tc := range tests {
		got := ""
		if c := prescan([]byte(tc.in)); c != nil {
			got = c.name
		}
		if got != tc.want {
			t.Errorf("prescan(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPrescanLimit(t *testing.T) {
	// A declaration that ends at byte 1024 is found; one that ends a byte
	// later is not, and is left to the tokenizer pass.
	decl := `<meta charset="koi8-r">`
	at := func(n int) []byte {
		return []byte(strings.Repeat(" ", n-len(decl)) + decl + "\xC1")
	}
	if _, r := Decode(at(prescanLimit), ""); r != (Result{"koi8-r", "meta"}) {
		t.Errorf("declaration ending at %d: %+v", prescanLimit, r)
	}
	if _, r := Decode(at(prescanLimit+1), ""); r != (Result{"koi8-r", "meta-reparse"}) {
		t.Errorf("declaration ending at %d: %+v", prescanLimit+1, r)
	}
}

func TestHeaderEncoding(t *testing.T) {
	tests := []struct {
		header string
		want   string // canonical name, "" for nothing
	}{
		{"", ""},
		{"text/html", ""},
		{"text/html; charset=koi8-r", "koi8-r"},
		{"TEXT/HTML; CHARSET=KOI8-R", "koi8-r"},
		{`text/html;charset="koi8-r"`, "koi8-r"},
		{`text/html; charset="koi8\-r"`, "koi8-r"},
		{"text/html;\tcharset=utf-8", "utf-8"},
		{"text/html ; charset=koi8-r", "koi8-r"},
		{"text/html; charset= koi8-r", "koi8-r"},
		{"text/html; charset=koi8-r ", "koi8-r"},
		{"text/html; charset=bogus", ""},
		{"text/html; charset", ""},
		{"text/html; charset=", ""},
		{"text/html; charset=;charset=koi8-r", "koi8-r"},
		{"text/html; foo=bar; charset=iso-8859-2", "iso-8859-2"},
		{"text/html; charset=koi8-r; charset=iso-8859-2", "koi8-r"},
		{"charset=koi8-r", ""},
		{"text/; charset=koi8-r", ""},
		{"te xt/html; charset=koi8-r", ""},
		{"text/html; charset=iso-8859-1", "windows-1252"},
		{"text/html; charset=us-ascii", "windows-1252"},
		{"text/html; charset=utf-16", "utf-16le"},
		{"text/html; charset=x-user-defined", "x-user-defined"},
		// Several types in one header (Fetch's "extract a MIME type").
		{"text/html; charset=koi8-r, text/html", "koi8-r"},
		{"text/html; charset=koi8-r, text/plain", ""},
		{"text/plain; charset=koi8-r, text/html; charset=iso-8859-2", "iso-8859-2"},
		{"text/html; charset=koi8-r, */*", "koi8-r"},
		{"text/html; charset=koi8-r, nonsense", "koi8-r"},
		{"text/html; charset=koi8-r, text/html; charset=iso-8859-2, text/html", "koi8-r"},
		{`text/html; charset="koi8-r, x"`, ""},
		{`text/html; x="a,b", text/html; charset=koi8-r`, "koi8-r"},
		{"text/html; char\u017fet=koi8-r", ""},
		{"text/html; charset=\"koi8-r\x01\"; charset=iso-8859-2", "iso-8859-2"},
	}
	for _, tc := range tests {
		got := ""
		if c := headerEncoding(tc.header); c != nil {
			got = c.name
		}
		if got != tc.want {
			t.Errorf("headerEncoding(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestGetEncoding(t *testing.T) {
	for _, name := range canonicalNames {
		if c := getEncoding([]byte(name)); c == nil || c.name != name {
			t.Errorf("getEncoding(%q) = %v, want itself", name, c)
		}
	}
	tests := []struct{ label, want string }{
		{"  UTF-8\n", "utf-8"},
		{"\fkoi8-r\r", "koi8-r"},
		{"\vutf-8", ""},
		{"utf-8\x00", ""},
		{"utf-8\u00a0", ""},
		{"", ""},
		{"unicode-1-1-utf-8", "utf-8"},
		{"iso_8859-2:1987", "iso-8859-2"},
		{"x-sjis", "shift_jis"},
		{"cp1252", "windows-1252"},
		{"ascii", "windows-1252"},
		{"csiso2022kr", "replacement"},
		{"x-user-defined", "x-user-defined"},
		{"utf-16", "utf-16le"},
		{"this-label-is-far-too-long-to-be-one", ""},
		{"KOI8-R", "koi8-r"}, // again, from the cache
		{"koi8-\u212a", ""},
	}
	for _, tc := range tests {
		got := ""
		if c := getEncoding([]byte(tc.label)); c != nil {
			got = c.name
		}
		if got != tc.want {
			t.Errorf("getEncoding(%q) = %q, want %q", tc.label, got, tc.want)
		}
	}
}

func TestDecodeUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"\xE2\x82\xAC", "€"},
		{"a\uFFFDb", "a\uFFFDb"},
		{"\xFF", "\uFFFD"},
		{"\xE2\x82A", "\uFFFDA"},
		{"\xE2\x82", "\uFFFD"},
		{"\xF0\x9F\x98", "\uFFFD"},
		{"\xF0\x9F\x98\x80", "😀"},
		{"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xC0\xAF", "\uFFFD\uFFFD"},
		{"\xE0\x80\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"\xF0\x80", "\uFFFD\uFFFD"},
		{"\xF5\x80", "\uFFFD\uFFFD"},
		{"\xC2", "\uFFFD"},
		{"\xC2\xC2\xA9", "\uFFFD©"},
	}
	for _, tc := range tests {
		if got := decodeUTF8([]byte(tc.in)); string(got) != tc.want {
			t.Errorf("decodeUTF8(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDecodeUTF16(t *testing.T) {
	tests := []struct {
		in        string
		bigEndian bool
		want      string
	}{
		{"A\x00", false, "A"},
		{"\x00A", true, "A"},
		{"A", false, "\uFFFD"},
		{"A\x00B", false, "A\uFFFD"},
		{"\x3D\xD8\x00\xDE", false, "😀"},
		{"\xD8\x3D\xDE\x00", true, "😀"},
		{"\x3D\xD8A\x00", false, "\uFFFDA"},
		{"\x3D\xD8\x3D\xD8\x00\xDE", false, "\uFFFD😀"},
		{"\x00\xDE", false, "\uFFFD"},
		{"\x3D\xD8", false, "\uFFFD"},
		{"\x3D\xD8\x00", false, "\uFFFD"},
		{"\xFF\xFE", false, "\uFEFF"},
	}
	for _, tc := range tests {
		if got := decodeUTF16([]byte(tc.in), tc.bigEndian); string(got) != tc.want {
			t.Errorf("decodeUTF16(%q, %v) = %q, want %q", tc.in, tc.bigEndian, got, tc.want)
		}
	}
}

func TestSingleByteTables(t *testing.T) {
	// x/text's tables follow the WHATWG indexes except that C1 controls
	// become U+FFFD, so from 0xA0 up every byte must agree with them, and
	// below 0xA0 a byte is either what x/text says or itself.
	for _, name := range canonicalNames {
		c := codecNamed(name)
		if c.kind != kindSingleByte {
			continue
		}
		e, err := htmlindex.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		cm, ok := e.(*charmap.Charmap)
		if !ok {
			if name != "iso-8859-8-i" {
				t.Errorf("%s: not a charmap", name)
			}
			cm = charmap.ISO8859_8
		}
		for b := 0x80; b <= 0xFF; b++ {
			e := c.single.high[b-0x80]
			got, want := string(e[:e[3]]), string(cm.DecodeByte(byte(b)))
			if b < 0xA0 && want == "\uFFFD" {
				want = string(rune(b))
			}
			if got != want {
				t.Errorf("%s: byte %#x = %q, want %q", name, b, got, want)
			}
		}
	}
}

func TestAliasing(t *testing.T) {
	for _, tc := range []struct{ name, body, ct string }{
		{"ASCII, nothing declared", "<!DOCTYPE html><title>hi</title><p>hello</p>", ""},
		{"ASCII, windows-1252 header", "<p>hello</p>", "text/html; charset=windows-1252"},
		{"UTF-8 with meta", `<meta charset="utf-8"><title>Grüße</title>`, ""},
		{"UTF-8 header", "<title>Grüße</title>", "text/html; charset=utf-8"},
	} {
		body := []byte(tc.body)
		out, _ := Decode(body, tc.ct)
		if len(out) != len(body) || &out[0] != &body[0] {
			t.Errorf("%s: output is a copy, want body itself", tc.name)
		}
	}
	body := []byte("\xEF\xBB\xBF<p>hi</p>")
	if out, _ := Decode(body, ""); &out[0] != &body[3] {
		t.Errorf("UTF-8 with BOM: output is a copy, want body without the BOM")
	}
}

func TestDecodeAllocs(t *testing.T) {
	// The common cheap cases must not allocate at all.
	for _, tc := range []struct{ name, body, ct string }{
		{"ASCII, nothing declared", "<!DOCTYPE html><title>hi</title><meta name=viewport content=width=device-width><p>hello</p>", ""},
		{"UTF-8 header", "<title>Grüße</title>", "text/html; charset=utf-8"},
	} {
		body := []byte(tc.body)
		if n := testing.AllocsPerRun(100, func() { Decode(body, tc.ct) }); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tc.name, n)
		}
	}
}

func TestMayDeclare(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"<p>no meta here, charset=koi8-r</p>", false},
		{`<meta name="viewport" content="width=device-width">`, false},
		{`charset=koi8-r <meta name="x">`, false},
		{`<meta charset>`, false},
		{`<meta charset="koi8-r">`, true},
		{"<META\nCharSet\t\f=koi8-r>", true},
		{`<meta HTTP-EQUIV="content-type">`, true},
		{`<meta name=a><p>x</p><meta charset=koi8-r>`, true},
		{`<metax><p>charset = koi8-r</p>`, true}, // more than needed, never less
	}
	for _, tc := range tests {
		if got := mayDeclare([]byte(tc.in)); got != tc.want {
			t.Errorf("mayDeclare(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzDecode checks that Decode never panics, always returns valid UTF-8
// and always names an encoding and a known source.
func FuzzDecode(f *testing.F) {
	for _, tc := range fixtureCases {
		f.Add(readFixture(f, tc.file), tc.contentType)
	}
	f.Add([]byte(`<meta charset="koi8-r">`), "text/html; charset=iso-2022-jp")
	f.Add([]byte("\x1b$B$3$s\x1b(B"), "text/html; charset=iso-2022-jp")
	f.Add([]byte("\xFE\xFF\xD8\x00"), "")
	f.Add([]byte(`<?xml version="1.0" encoding="koi8-r"?>`), `text/html; charset="a\`)
	f.Add([]byte("<p>x</p><MeTa\fChArSeT\n=\"&#107;oi8-r\">"), "")
	f.Add([]byte(`<meta http-equiv="Content-Type" content="text/html; charset&equals;koi8-r">`), "")
	sources := map[string]bool{"bom": true, "header": true, "meta": true, "meta-reparse": true, "default": true}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		orig := bytes.Clone(body)
		out, r := Decode(body, contentType)
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 output %q for %q", out, body)
		}
		if r.Encoding == "" || codecs()[r.Encoding] == nil {
			t.Fatalf("Result.Encoding = %q", r.Encoding)
		}
		if !sources[r.Source] {
			t.Fatalf("Result.Source = %q", r.Source)
		}
		if !bytes.Equal(body, orig) {
			t.Fatalf("Decode modified its input")
		}
		// The quick test in front of the tokenizer never hides a
		// declaration.
		if !mayDeclare(out) && tokenizeDeclaration(out) != nil {
			t.Fatalf("mayDeclare missed the declaration in %q", out)
		}
		// Decoding the output again as UTF-8 changes nothing.
		if again, _ := Decode(out, "text/html; charset=utf-8"); !bytes.Equal(again, out) && !bytes.HasPrefix(out, []byte("\uFEFF")) {
			t.Fatalf("decoding the output as UTF-8 changed it")
		}
	})
}

// benchPage builds a page of about 16 KB once encoded with encode: decl in
// the head, then paragraphs of para until the size is reached.
func benchPage(decl, para string, encode func(string) string) []byte {
	var sb strings.Builder
	sb.WriteString("<!DOCTYPE html>\n<html><head>" + decl + "<title>Benchmark</title>\n")
	sb.WriteString(`<meta name="viewport" content="width=device-width">` + "\n</head><body>\n")
	line := "<p class=\"text\">" + para + "</p>\n"
	for size := len(encode(sb.String())); size < 16<<10; size += len(encode(line)) {
		sb.WriteString(line)
	}
	sb.WriteString("</body></html>\n")
	return []byte(encode(sb.String()))
}

func BenchmarkDecode(b *testing.B) {
	const utf8Para = "Grüße aus Köln — 日本語のテキスト, ελληνικά, русский текст and plain ASCII words."
	const latinPara = "Café crème, brûlée à la française — « voilà » 5 € et ça coûte très cher."
	asIs := func(s string) string { return s }
	win1252 := func(s string) string {
		out, err := charmap.Windows1252.NewEncoder().String(s)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	cases := []struct {
		name string
		body []byte
		ct   string
		want Result
	}{
		{"utf-8-meta", benchPage(`<meta charset="utf-8">`, utf8Para, asIs), "", Result{"utf-8", "meta"}},
		{"utf-8-header", benchPage("", utf8Para, asIs), "text/html; charset=utf-8", Result{"utf-8", "header"}},
		{"windows-1252-meta", benchPage(`<meta charset="windows-1252">`, latinPara, win1252), "", Result{"windows-1252", "meta"}},
		{"windows-1252-default", benchPage("", latinPara, win1252), "", Result{"windows-1252", "default"}},
	}
	for _, tc := range cases {
		if _, r := Decode(tc.body, tc.ct); r != tc.want {
			b.Fatalf("%s: Result = %+v, want %+v", tc.name, r, tc.want)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.body)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Decode(tc.body, tc.ct)
			}
		})
	}
}
