package charset

import "bytes"

// prescanLimit is how many bytes the prescan looks at. The standard lets the
// user agent pick its end condition and encourages 1024 bytes, which is what
// browsers use.
const prescanLimit = 1024

// prescan is the HTML standard's "prescan a byte stream to determine its
// encoding" over b, which the caller has cut to the end condition. It works
// on bytes, not tokens: it skips comments and the attributes of every tag,
// but it has no notion of raw text, so a <meta charset> written inside
// <script> or <style> counts, as the standard intends. It returns nil when
// nothing is found.
//
// Running off the end of b anywhere inside the loop — an unterminated comment,
// tag or attribute value — is the end condition: the loop stops there, and
// only the XML declaration fallback is tried.
func prescan(b []byte) *codec {
	// Prescan for UTF-16 XML declarations: `<?x` in UTF-16LE or UTF-16BE.
	// These are returned as they are: only labels read from the document are
	// turned from UTF-16 into UTF-8.
	if bytes.HasPrefix(b, []byte("<\x00?\x00x\x00")) {
		return codecNamed("utf-16le")
	}
	if bytes.HasPrefix(b, []byte("\x00<\x00?\x00x")) {
		return codecNamed("utf-16be")
	}
	if c := prescanMeta(b); c != nil {
		return c
	}
	// A <meta> takes precedence over an XML declaration, which is looked
	// at over the same bytes only when the loop found nothing.
	return xmlEncoding(b)
}

// scanner is the state of the prescan loop: the bytes and the position.
// The name and value of an attribute are built in buffers that the caller
// passes in and gets back, rather than fields, so that buffers declared on
// the caller's stack stay there and the prescan rarely allocates.
type scanner struct {
	b   []byte
	pos int
}

// prescanMeta is the loop of the prescan.
func prescanMeta(b []byte) *codec {
	var nameBuf [16]byte
	var valueBuf [64]byte
	name, value := nameBuf[:0], valueBuf[:0]
	s := &scanner{b: b}
	for ; s.pos < len(b); s.pos++ {
		// Every case below starts with '<'; any other byte is passed over,
		// so go straight to the next '<'.
		if b[s.pos] != '<' {
			i := bytes.IndexByte(b[s.pos:], '<')
			if i < 0 {
				return nil
			}
			s.pos += i
		}
		rest := b[s.pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			// Go to the first '>' preceded by "--" after the '<'; the two
			// dashes may be those of "<!--", so "<!-->" is a whole comment.
			i := bytes.Index(rest[2:], []byte("-->"))
			if i < 0 {
				return nil
			}
			s.pos += 2 + i + 2

		case isMetaStart(rest):
			// Point at the space or slash after "<meta".
			s.pos += 5
			c, ok := s.metaAttrs(name, value)
			if !ok {
				return nil
			}
			if c != nil {
				return c
			}

		case len(rest) >= 2 && rest[0] == '<' && (isASCIIAlpha(rest[1]) ||
			len(rest) >= 3 && rest[1] == '/' && isASCIIAlpha(rest[2])):
			// Any other start or end tag: skip its name, then its
			// attributes, so that a '>' or "<meta" inside a quoted value
			// is not taken for markup.
			i := bytes.IndexAny(rest, "\t\n\f\r >")
			if i < 0 {
				return nil
			}
			s.pos += i
			for {
				var found, ok bool
				name, value, found, ok = s.getAttribute(name, value)
				if !ok {
					return nil
				}
				if !found {
					break
				}
			}

		case len(rest) >= 2 && rest[0] == '<' && (rest[1] == '!' || rest[1] == '/' || rest[1] == '?'):
			// Markup declarations, bogus end tags and processing
			// instructions end at the first '>'.
			i := bytes.IndexByte(rest[1:], '>')
			if i < 0 {
				return nil
			}
			s.pos += 1 + i
		}
		// Next byte: the loop's s.pos++.
	}
	return nil
}

// metaAttrs runs the steps of the prescan for a <meta> tag whose attributes
// start at s.pos, reading them into the name and value buffers. It returns
// the declared encoding, or nil to go on with the next byte; ok is false
// when the bytes ended first.
func (s *scanner) metaAttrs(name, value []byte) (c *codec, ok bool) {
	// The attribute list only matters for the three names acted upon: an
	// attribute seen again is skipped, so a flag each is enough.
	var seenHTTPEquiv, seenContent, seenCharset bool
	gotPragma := false
	needPragma := 0 // 0 null, 1 true, 2 false
	charsetSet := false
	var charset *codec // nil while charsetSet is failure
	for {
		var found, ok bool
		name, value, found, ok = s.getAttribute(name, value)
		if !ok {
			return nil, false
		}
		if !found {
			break
		}
		switch string(name) {
		case "http-equiv":
			if seenHTTPEquiv {
				continue
			}
			seenHTTPEquiv = true
			if string(value) == "content-type" {
				gotPragma = true
			}
		case "content":
			if seenContent {
				continue
			}
			seenContent = true
			if !charsetSet {
				if e := extractMetaCharset(value); e != nil {
					charset, charsetSet, needPragma = e, true, 1
				}
			}
		case "charset":
			if seenCharset {
				continue
			}
			seenCharset = true
			charset, charsetSet, needPragma = getEncoding(value), true, 2
		}
	}
	// Processing.
	if needPragma == 0 || needPragma == 1 && !gotPragma || charset == nil {
		return nil, true
	}
	return labelFromDocument(charset), true
}

// labelFromDocument applies the special cases the standard has for an
// encoding declared inside the document (by the prescan or by a <meta> seen
// while parsing): a document readable as ASCII cannot be UTF-16, so
// UTF-16BE/LE means UTF-8, and x-user-defined, which is not meant for
// documents, means windows-1252.
func labelFromDocument(c *codec) *codec {
	switch {
	case c.isUTF16():
		return codecNamed("utf-8")
	case c.name == "x-user-defined":
		return codecNamed("windows-1252")
	}
	return c
}

// getAttribute is the standard's "get an attribute" at s.pos. It returns
// the attribute's name and value, built by appending to name[:0] and
// value[:0] with ASCII upper case lowered, as the standard does. found is
// false when there is no further attribute (the byte at s.pos is '>'); ok is
// false when the bytes ended before the algorithm did.
func (s *scanner) getAttribute(name, value []byte) (n, v []byte, found, ok bool) {
	b, p := s.b, s.pos
	name, value = name[:0], value[:0]
	done := func(found, ok bool) ([]byte, []byte, bool, bool) {
		s.pos = p
		return name, value, found, ok
	}

	// Skip whitespace and slashes.
	for p < len(b) && (isASCIIWhitespace(b[p]) || b[p] == '/') {
		p++
	}
	if p >= len(b) {
		return done(false, false)
	}
	if b[p] == '>' {
		return done(false, true)
	}

	// The name runs to '=' (once it is not empty), whitespace, '/' or '>'.
	sawEquals := false
	for !sawEquals {
		if p >= len(b) {
			return done(false, false)
		}
		c := b[p]
		switch {
		case c == '=' && len(name) > 0:
			sawEquals = true
		case isASCIIWhitespace(c):
			// Spaces: more whitespace, then '=' or the attribute is over.
			for p < len(b) && isASCIIWhitespace(b[p]) {
				p++
			}
			if p >= len(b) {
				return done(false, false)
			}
			if b[p] != '=' {
				return done(true, true)
			}
			sawEquals = true
		case c == '/' || c == '>':
			return done(true, true)
		default:
			name = append(name, toLowerASCII(c))
			p++
		}
	}
	p++ // past '='

	// Value.
	for p < len(b) && isASCIIWhitespace(b[p]) {
		p++
	}
	if p >= len(b) {
		return done(false, false)
	}
	switch q := b[p]; q {
	case '"', '\'':
		for p++; p < len(b); p++ {
			if b[p] == q {
				p++
				return done(true, true)
			}
			value = append(value, toLowerASCII(b[p]))
		}
		return done(false, false)
	case '>':
		return done(true, true)
	}
	// An unquoted value runs to whitespace or '>'.
	for ; p < len(b); p++ {
		c := b[p]
		if isASCIIWhitespace(c) || c == '>' {
			return done(true, true)
		}
		value = append(value, toLowerASCII(c))
	}
	return done(false, false)
}

// extractMetaCharset is the standard's "algorithm for extracting a character
// encoding from a meta element", given the content attribute's value. It is
// used by the prescan (on a lower-cased value) and by the tokenizer pass (on
// the value as written), so the word "charset" is matched ignoring ASCII case.
func extractMetaCharset(s []byte) *codec {
	pos := 0
	for {
		i := indexFoldASCII(s[pos:], "charset")
		if i < 0 {
			return nil
		}
		pos += i + len("charset")
		for pos < len(s) && isASCIIWhitespace(s[pos]) {
			pos++
		}
		if pos < len(s) && s[pos] == '=' {
			pos++
			break
		}
		// Not "charset=": look for the next "charset" from here.
	}
	for pos < len(s) && isASCIIWhitespace(s[pos]) {
		pos++
	}
	if pos >= len(s) {
		return nil
	}
	if q := s[pos]; q == '"' || q == '\'' {
		end := bytes.IndexByte(s[pos+1:], q)
		if end < 0 {
			// An unmatched quote is nothing, not the rest of the string.
			return nil
		}
		return getEncoding(s[pos+1 : pos+1+end])
	}
	end := pos
	for end < len(s) && !isASCIIWhitespace(s[end]) && s[end] != ';' {
		end++
	}
	return getEncoding(s[pos:end])
}

// xmlEncoding is the standard's "get an XML encoding": the encoding named by
// an XML declaration at the very start of b. The search for "encoding" stops
// at the declaration's '>', which is the intent of the standard (whatwg/html
// issue 6939). Only UTF-16 is special-cased here, as the standard says.
func xmlEncoding(b []byte) *codec {
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return nil
	}
	end := bytes.IndexByte(b, '>')
	if end < 0 {
		return nil
	}
	d := b[:end]
	i := bytes.Index(d, []byte("encoding"))
	if i < 0 {
		return nil
	}
	p := i + len("encoding")
	for p < len(d) && d[p] <= 0x20 {
		p++
	}
	if p >= len(d) || d[p] != '=' {
		return nil
	}
	p++
	for p < len(d) && d[p] <= 0x20 {
		p++
	}
	if p >= len(d) || d[p] != '"' && d[p] != '\'' {
		return nil
	}
	q := d[p]
	p++
	n := bytes.IndexByte(d[p:], q)
	if n < 0 {
		return nil
	}
	label := d[p : p+n]
	for _, c := range label {
		if c <= 0x20 {
			return nil
		}
	}
	c := getEncoding(label)
	if c != nil && c.isUTF16() {
		c = codecNamed("utf-8")
	}
	return c
}

// isMetaStart reports whether s starts with "<meta" in any ASCII case
// followed by whitespace or '/', the prescan's test for a meta tag.
func isMetaStart(s []byte) bool {
	if len(s) < 6 || s[0] != '<' || !hasPrefixFoldASCII(s[1:], "meta") {
		return false
	}
	c := s[5]
	return isASCIIWhitespace(c) || c == '/'
}

func isASCIIAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFoldASCII reports whether s starts with lower, a lower-case ASCII
// string, ignoring ASCII case in s.
func hasPrefixFoldASCII(s []byte, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		if toLowerASCII(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

// indexFoldASCII returns the index of the first match of lower, a non-empty
// lower-case ASCII string, in s ignoring ASCII case, or -1.
func indexFoldASCII(s []byte, lower string) int {
	first := lower[0]
	for i := 0; i+len(lower) <= len(s); i++ {
		if toLowerASCII(s[i]) == first && hasPrefixFoldASCII(s[i:], lower) {
			return i
		}
	}
	return -1
}
