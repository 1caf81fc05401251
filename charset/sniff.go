// Package charset decodes HTML bodies to UTF-8 the way the HTML standard's encoding sniffing does.
//
// It owns the whole road from the bytes of a response body and its
// Content-Type header to UTF-8 text: the HTML standard's "determining the
// character encoding" (BOM, then the header's charset, then the prescan of
// the first 1024 bytes, then windows-1252), its "changing the encoding while
// parsing" (a later <meta> naming another encoding makes the body be decoded
// again), the label table and decoders of the Encoding Standard, and the
// Fetch standard's reading of a charset out of a Content-Type value. Nothing
// outside this package should decide an HTML body's encoding.
//
// Deviations from the standards, each chosen because this package decodes a
// complete body offline instead of feeding a streaming parser:
//
//   - The default is windows-1252, the standard's choice for an unknown
//     locale; there is no frequency-analysis guess and no parent document.
//   - The declaration that may change a tentative encoding is looked for
//     with the x/net/html tokenizer, not a tree builder, so a <meta> that
//     the tree builder would drop (inside <select> or a frameset) still
//     counts, and one inside an <svg> <style> or <title> does not.
package charset

import (
	"bytes"

	"golang.org/x/net/html"
)

// Result describes how a body was decoded.
type Result struct {
	Encoding string // canonical WHATWG name, lower case, e.g. "utf-8", "windows-1252", "shift_jis", "utf-16le"
	Source   string // "bom", "header", "meta" (prescan), "meta-reparse" (change the encoding), "default"
}

// The values of Result.Source.
const (
	SourceBOM         = "bom"          // a byte order mark; certain
	SourceHeader      = "header"       // the Content-Type charset; certain
	SourceMeta        = "meta"         // the prescan: a <meta>, or an XML declaration; tentative
	SourceMetaReparse = "meta-reparse" // a <meta> found while parsing named another encoding
	SourceDefault     = "default"      // nothing declared: windows-1252; tentative
)

// Decode returns body decoded to valid UTF-8 (invalid sequences become U+FFFD, never invalid UTF-8 bytes)
// and how. contentType is the raw Content-Type header value (may be empty).
// The returned slice may alias body when body is already valid UTF-8 decoded as utf-8 (no copy needed),
// and likewise when body is all ASCII and the encoding maps ASCII to itself,
// so a caller that keeps the result must not modify body afterwards.
func Decode(body []byte, contentType string) ([]byte, Result) {
	// BOM sniffing comes first and is certain; the BOM is not content.
	if c, n := bomSniff(body); c != nil {
		return c.decode(body[n:]), Result{c.name, SourceBOM}
	}
	// The transport layer's encoding is certain when it names a known one.
	if c := headerEncoding(contentType); c != nil {
		return c.decode(body), Result{c.name, SourceHeader}
	}
	// Otherwise the encoding is only tentative: the prescan's, or the
	// default.
	c, source := prescan(body[:min(len(body), prescanLimit)]), SourceMeta
	if c == nil {
		c, source = codecNamed("windows-1252"), SourceDefault
	}
	out := c.decode(body)

	// Changing the encoding while parsing. A document decoded as UTF-16
	// keeps it: a declaration read from it could only be wrong. Otherwise
	// the first declaration the parser meets decides: if it names the
	// encoding in use, the confidence becomes certain and later ones are
	// ignored; if not, the body is decoded again with it, for certain.
	if c.isUTF16() {
		return out, Result{c.name, source}
	}
	if d := parserDeclaration(out); d != nil {
		if d = labelFromDocument(d); d != c {
			return d.decode(body), Result{d.name, SourceMetaReparse}
		}
	}
	return out, Result{c.name, source}
}

// bomSniff is the Encoding Standard's "BOM sniff": the encoding a byte order
// mark at the start of b names, and the length of that mark.
func bomSniff(b []byte) (*codec, int) {
	switch {
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return codecNamed("utf-8"), 3
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return codecNamed("utf-16be"), 2
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return codecNamed("utf-16le"), 2
	}
	return nil, 0
}

// parserDeclaration returns the encoding of the first <meta> that the HTML
// parser would act on in text, the body decoded with the tentative encoding,
// or nil. Per the tree builder's rules for a meta start tag, that is a meta
// whose charset attribute is a known label, or else whose http-equiv is
// Content-Type and whose content attribute yields a known label; a meta with
// an unknown label does not end the search.
//
// The whole document is searched, not just the head: the tree builder handles
// a <meta> in <body> (or after </html>) with the "in head" rules, which
// change the encoding too, so stopping at <body> would miss declarations the
// standard acts on. What keeps this cheap is that the search stops at the
// first declaration — on the common path the prescan found it near the start
// and the tokenizer stops there — and that a document without a "<meta"
// followed somewhere by "charset" or "http-equiv" cannot hold one and is not
// tokenized at all.
func parserDeclaration(text []byte) *codec {
	if !mayDeclare(text) {
		return nil
	}
	return tokenizeDeclaration(text)
}

// tokenizeDeclaration is parserDeclaration without the quick test.
func tokenizeDeclaration(text []byte) *codec {
	z := html.NewTokenizer(bytes.NewReader(text))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !hasAttr || string(name) != "meta" {
				continue
			}
			if c := metaDeclaration(z); c != nil {
				return c
			}
		}
	}
}

// metaDeclaration returns the encoding a meta start tag, whose attributes z
// is about to return, declares to the tree builder, or nil. Only the first
// of attributes with the same name counts, as in the DOM.
func metaDeclaration(z *html.Tokenizer) *codec {
	var charset, httpEquiv, content []byte
	var hasCharset, hasHTTPEquiv, hasContent bool
	for more := true; more; {
		var key, val []byte
		key, val, more = z.TagAttr()
		switch string(key) {
		case "charset":
			if !hasCharset {
				charset, hasCharset = val, true
			}
		case "http-equiv":
			if !hasHTTPEquiv {
				httpEquiv, hasHTTPEquiv = val, true
			}
		case "content":
			if !hasContent {
				content, hasContent = val, true
			}
		}
	}
	if hasCharset {
		if c := getEncoding(charset); c != nil {
			return c
		}
	}
	if hasHTTPEquiv && hasContent && len(httpEquiv) == len("content-type") &&
		hasPrefixFoldASCII(httpEquiv, "content-type") {
		return extractMetaCharset(content)
	}
	return nil
}

// mayDeclare is a quick test that lets documents which cannot hold a
// declaration skip the tokenizer; it must never say no to one that does.
// A meta start tag needs a '<' followed by "meta" in any ASCII case (the
// tokenizer lowers only ASCII letters). After it, a declaration needs either
// a charset attribute with a value, which the tokenizer only reads from the
// literal name "charset", optional whitespace and a literal '=' (attribute
// names are not unescaped), or an attribute named "http-equiv", also
// literal. Both are looked for by hopping between '=' and '-' bytes with
// bytes.IndexByte, as a byte-by-byte search for the words cost as much as
// decoding the document.
func mayDeclare(text []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(text[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		if hasPrefixFoldASCII(text[i:], "meta") {
			rest := text[i:]
			return hasCharsetEquals(rest) || hasHTTPEquiv(rest)
		}
	}
}

// hasCharsetEquals reports whether s holds "charset" in any ASCII case,
// then optional whitespace, then '='.
func hasCharsetEquals(s []byte) bool {
	for i := 0; ; i++ {
		j := bytes.IndexByte(s[i:], '=')
		if j < 0 {
			return false
		}
		i += j
		k := i
		for k > 0 && isASCIIWhitespace(s[k-1]) {
			k--
		}
		if k >= len("charset") && hasPrefixFoldASCII(s[k-len("charset"):], "charset") {
			return true
		}
	}
}

// hasHTTPEquiv reports whether s holds "http-equiv" in any ASCII case.
func hasHTTPEquiv(s []byte) bool {
	for i := 0; ; i++ {
		j := bytes.IndexByte(s[i:], '-')
		if j < 0 {
			return false
		}
		i += j
		if i >= len("http") && hasPrefixFoldASCII(s[i-len("http"):], "http-equiv") {
			return true
		}
	}
}
