package charset

import "strings"

// headerEncoding returns the encoding named by the charset parameter of a
// Content-Type header value, or nil. It follows the Fetch standard rather
// than mime.ParseMediaType, which rejects whole headers over one bad
// parameter: "extract a MIME type" (the header may hold several
// comma-separated types; the last valid one wins and inherits a charset from
// earlier ones of the same essence), then "legacy extract an encoding" (an
// unknown label is ignored, so the sniffing goes on to the prescan).
func headerEncoding(contentType string) *codec {
	if contentType == "" {
		return nil
	}
	charset, ok := extractCharset(contentType)
	if !ok {
		return nil
	}
	return getEncodingString(charset)
}

// extractCharset is the part of the Fetch standard's "extract a MIME type"
// that decides the charset parameter of the MIME type it returns: that of
// the last valid type, which, when it has none, inherits the charset of the
// first type of a run of types with the same essence.
func extractCharset(header string) (charset string, ok bool) {
	if strings.IndexByte(header, ',') < 0 {
		// One value, the usual case: no splitting and no allocation.
		typ, sub, c, has, valid := parseMIMEType(header)
		if !valid || typ == "*" && sub == "*" {
			return "", false
		}
		return c, has
	}
	var typ, sub, inherited string
	haveEssence, haveInherited := false, false
	for _, value := range splitHeaderValues(header) {
		t, s, own, hasOwn, valid := parseMIMEType(value)
		if !valid || t == "*" && s == "*" {
			continue
		}
		if !haveEssence || !equalFoldASCII(t, typ) || !equalFoldASCII(s, sub) {
			typ, sub, haveEssence = t, s, true
			inherited, haveInherited = own, hasOwn
			charset, ok = own, hasOwn
		} else if hasOwn {
			charset, ok = own, true
		} else {
			charset, ok = inherited, haveInherited
		}
	}
	return charset, ok
}

// splitHeaderValues is the Fetch standard's "getting, decoding, and
// splitting": split on commas that are not inside quoted strings, and trim
// tabs and spaces.
func splitHeaderValues(s string) []string {
	var values []string
	pos := 0
	var tmp strings.Builder
	for {
		i := strings.IndexAny(s[pos:], "\",")
		if i < 0 {
			i = len(s) - pos
		}
		tmp.WriteString(s[pos : pos+i])
		pos += i
		if pos < len(s) && s[pos] == '"' {
			q, n := collectQuotedString(s[pos:], false)
			tmp.WriteString(q)
			pos += n
			if pos < len(s) {
				continue
			}
		}
		values = append(values, strings.Trim(tmp.String(), "\t "))
		tmp.Reset()
		if pos >= len(s) {
			return values
		}
		pos++ // past ','
	}
}

// collectQuotedString is the Fetch standard's "collect an HTTP quoted
// string" at the start of s, which is '"'. It returns the value (unquoted
// and unescaped when extract is true, the raw span otherwise) and how many
// bytes it consumed. An unterminated string runs to the end.
func collectQuotedString(s string, extract bool) (string, int) {
	var v strings.Builder
	pos := 1
	for {
		i := strings.IndexAny(s[pos:], "\"\\")
		if i < 0 {
			v.WriteString(s[pos:])
			pos = len(s)
			break
		}
		v.WriteString(s[pos : pos+i])
		pos += i
		c := s[pos]
		pos++
		if c == '\\' {
			if pos >= len(s) {
				v.WriteByte('\\')
				break
			}
			v.WriteByte(s[pos])
			pos++
			continue
		}
		break // the closing quote
	}
	if !extract {
		return s[:pos], pos
	}
	return v.String(), pos
}

// parseMIMEType is the Fetch standard's "parse a MIME type", reduced to what
// decoding needs: the type and subtype as written (the essence is them
// lower-cased, so compare them with equalFoldASCII) and the charset
// parameter, the first valid one, as its value is written.
func parseMIMEType(s string) (typ, sub, charset string, hasCharset, ok bool) {
	s = strings.Trim(s, "\t\n\r ")
	slash := strings.IndexByte(s, '/')
	if slash < 0 {
		return "", "", "", false, false
	}
	typ = s[:slash]
	if typ == "" || !isHTTPToken(typ) {
		return "", "", "", false, false
	}
	pos := slash + 1
	end := strings.IndexByte(s[pos:], ';')
	if end < 0 {
		end = len(s) - pos
	}
	sub = strings.TrimRight(s[pos:pos+end], "\t\n\r ")
	pos += end
	if sub == "" || !isHTTPToken(sub) {
		return "", "", "", false, false
	}
	for pos < len(s) {
		pos++ // past ';'
		for pos < len(s) && strings.IndexByte("\t\n\r ", s[pos]) >= 0 {
			pos++
		}
		n := strings.IndexAny(s[pos:], ";=")
		if n < 0 {
			n = len(s) - pos
		}
		name := s[pos : pos+n]
		pos += n
		if pos < len(s) {
			if s[pos] == ';' {
				continue
			}
			pos++ // past '='
		}
		if pos >= len(s) {
			break
		}
		var value string
		if s[pos] == '"' {
			var n int
			value, n = collectQuotedString(s[pos:], true)
			pos += n
			if i := strings.IndexByte(s[pos:], ';'); i >= 0 {
				pos += i
			} else {
				pos = len(s)
			}
		} else {
			n := strings.IndexByte(s[pos:], ';')
			if n < 0 {
				n = len(s) - pos
			}
			value = strings.TrimRight(s[pos:pos+n], "\t\n\r ")
			pos += n
			if value == "" {
				continue
			}
		}
		// A parameter is kept if its name is a token and its value is made of
		// quoted-string code points, and only the first of a name is kept;
		// the name "charset" is a token, so only the value needs checking.
		if !hasCharset && equalFoldASCII(name, "charset") && isQuotedStringTokens(value) {
			charset, hasCharset = value, true
		}
	}
	return typ, sub, charset, hasCharset, true
}

// isHTTPToken reports whether s is made of HTTP token code points only.
func isHTTPToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c <= 0x20 || strings.IndexByte("\"(),/:;<=>?@[\\]{}\x7f", c) >= 0 {
			return false
		}
	}
	return true
}

// isQuotedStringTokens reports whether s is made of HTTP quoted-string token
// code points only: tab, 0x20-0x7E and 0x80-0xFF (header bytes are read as
// Latin-1 code points).
func isQuotedStringTokens(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\t' && (c < 0x20 || c == 0x7f) {
			return false
		}
	}
	return true
}

// equalFoldASCII reports whether a and b are equal ignoring ASCII case only;
// strings.EqualFold would also match "ſ" (U+017F) with "s".
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if toLowerASCII(a[i]) != toLowerASCII(b[i]) {
			return false
		}
	}
	return true
}
