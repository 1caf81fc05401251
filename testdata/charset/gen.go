//go:build ignore

// Command gen writes the HTML fixtures that fetch/sniff's tests decode. The
// fixtures are committed; run this only to change them, from this folder:
//
//	go run gen.go
//
// Every page is written in Go as UTF-8 and encoded here with the
// golang.org/x/text encoders, so the bytes in the files are what a server
// using that encoding would send. The expected titles live in
// fetch/sniff/sniff_test.go and must be kept in step with the titles below.
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// The titles, one per language, each with characters outside ASCII.
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

type fixture struct {
	file string
	enc  string // encoder, an htmlindex name
	bom  bool   // write the encoding's byte order mark first
	page string // the page, in UTF-8
}

// page builds a small document: decl goes at the top of <head>, before the
// title, and so does any filler.
func page(decl, title string) string {
	return "<!DOCTYPE html>\n<html><head>" + decl + "<title>" + title +
		"</title></head>\n<body><p>" + title + "</p></body></html>\n"
}

func meta(label string) string { return `<meta charset="` + label + `">` }

func main() {
	var fx []fixture
	// Each encoding declared by the header only (no declaration in the page)
	// and by a <meta charset> only.
	for _, l := range []struct{ enc, title string }{
		{"windows-1252", titleLatin1},
		{"iso-8859-2", titlePolish},
		{"iso-8859-5", titleRussian},
		{"iso-8859-7", titleGreek},
		{"koi8-r", titleRussian},
		{"shift_jis", titleJapanese},
		{"euc-jp", titleKana},
		{"euc-kr", titleKorean},
		{"gbk", titleChinese},
		{"gb18030", titleGB18030},
		{"big5", titleBig5},
		{"utf-8", titleUnicode},
	} {
		fx = append(fx,
			fixture{l.enc + ".header.html", l.enc, false, page("", l.title)},
			fixture{l.enc + ".meta.html", l.enc, false, page(meta(l.enc), l.title)},
		)
	}
	// Byte order marks, and UTF-16 by header (no BOM).
	fx = append(fx,
		fixture{"utf-8.bom.html", "utf-8", true, page("", titleUnicode)},
		fixture{"utf-16le.bom.html", "utf-16le", true, page("", titleUnicode)},
		fixture{"utf-16be.bom.html", "utf-16be", true, page("", titleUnicode)},
		fixture{"utf-16le.header.html", "utf-16le", false, page("", titleUnicode)},
		fixture{"utf-16be.header.html", "utf-16be", false, page("", titleUnicode)},
	)
	// UTF-16 without a BOM announced by an XML declaration: the prescan's
	// "<?x" in UTF-16 test.
	xmlDecl := `<?xml version="1.0" encoding="UTF-16"?>` + "\n"
	fx = append(fx,
		fixture{"utf-16le.xmldecl.html", "utf-16le", false, xmlDecl + page("", titleUnicode)},
		fixture{"utf-16be.xmldecl.html", "utf-16be", false, xmlDecl + page("", titleUnicode)},
	)
	// An ASCII XML declaration, used when no <meta> is found.
	fx = append(fx, fixture{"xmldecl.iso-8859-2.html", "iso-8859-2", false,
		`<?xml version="1.0" encoding="ISO-8859-2"?>` + "\n" + page("", titlePolish)})

	// Precedence and the prescan's particular cases.
	fx = append(fx,
		// The header says iso-8859-2, which is right; the meta is wrong.
		fixture{"header-beats-meta.html", "iso-8859-2", false, page(meta("koi8-r"), titlePolish)},
		// The prescan has no notion of <script>, so this declaration counts.
		fixture{"meta-in-script.html", "koi8-r", false,
			page(`<script>var tag = '<meta charset="koi8-r">';</script>`, titleRussian)},
		// The prescan takes the one in the script; the parser then meets the
		// real one, which differs, and the page is decoded again.
		fixture{"meta-in-script-reparse.html", "windows-1251", false,
			page(`<script>document.write('<meta charset="koi8-r">');</script>`+meta("windows-1251"), titleRussian)},
		// Comments are skipped by the prescan and by the parser.
		fixture{"meta-in-comment.html", "iso-8859-5", false,
			page(`<!-- <meta charset="koi8-r"> -->`+meta("iso-8859-5"), titleRussian)},
		fixture{"meta-in-comment-only.html", "windows-1252", false,
			page(`<!-- <meta charset="koi8-r"> -->`, titleLatin1)},
		// A declaration past the first 1024 bytes: the prescan misses it,
		// the parser finds it and the page is decoded again.
		fixture{"meta-after-1024.html", "shift_jis", false,
			page("<!-- "+strings.Repeat("filler ", 160)+"-->"+meta("shift_jis"), titleJapanese)},
		fixture{"http-equiv.html", "koi8-r", false,
			page(`<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">`, titleRussian)},
		// Labels that mean windows-1252.
		fixture{"latin1-label.html", "windows-1252", false, page("", titleLatin1)},
		fixture{"us-ascii-meta.html", "windows-1252", false, page(meta("us-ascii"), "“Smart” quotes")},
		// A UTF-16 label in a page that can be prescanned means UTF-8.
		fixture{"utf-16-label-meta.html", "utf-8", false, page(meta("utf-16"), titleUnicode)},
		// No declaration at all.
		fixture{"default.html", "windows-1252", false, page("", titleLatin1)},
	)

	for _, f := range fx {
		b, err := encode(f.enc, f.page)
		if err != nil {
			log.Fatalf("%s: %v", f.file, err)
		}
		if f.bom {
			b = append(bom(f.enc), b...)
		}
		if err := os.WriteFile(f.file, b, 0o644); err != nil {
			log.Fatal(err)
		}
	}

	// Invalid UTF-8 cannot come out of an encoder, so these bytes are
	// written by hand: a lone 0xFF, a truncated three-byte sequence, and an
	// encoded surrogate.
	invalid := page(meta("utf-8"), "ok \xFF \xE2\x82! \xED\xA0\x80 end")
	if err := os.WriteFile("invalid-utf-8.html", []byte(invalid), 0o644); err != nil {
		log.Fatal(err)
	}
}

func encode(name, s string) ([]byte, error) {
	var e encoding.Encoding
	switch name {
	case "utf-16le":
		e = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case "utf-16be":
		e = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	default:
		var err error
		if e, err = htmlindex.Get(name); err != nil {
			return nil, err
		}
	}
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("encode as %s: %w", name, err)
	}
	// An encoder that met a character it cannot encode fails above, but
	// make sure nothing was silently replaced either.
	if bytes.Contains(b, []byte("\x1a")) {
		return nil, fmt.Errorf("encode as %s: substitution byte in output", name)
	}
	return b, nil
}

func bom(name string) []byte {
	switch name {
	case "utf-8":
		return []byte{0xEF, 0xBB, 0xBF}
	case "utf-16le":
		return []byte{0xFF, 0xFE}
	case "utf-16be":
		return []byte{0xFE, 0xFF}
	}
	log.Fatalf("no BOM for %s", name)
	return nil
}
