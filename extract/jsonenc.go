package extract

import (
	"unicode/utf8"
)

// The JSON encoding of extracted text. Every string the structured-data
// extractors write goes through appendJSONString (or appendJSONRune), so
// the output rules of SPEC's "Trust" section live here once: valid UTF-8
// (an invalid byte becomes U+FFFD) and no C0 control character but tab and
// newline (the others are dropped). Escaping is encoding/json's with
// SetEscapeHTML(false): <, > and & are written as they are.

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string literal.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendJSONStringBody(dst, s)
	return append(dst, '"')
}

// appendJSONStringBody appends s encoded as inside a JSON string literal,
// without the quotes, so that a value can be written in pieces.
func appendJSONStringBody(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendJSONRune(dst, rune(c))
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			if size == 1 {
				dst = append(dst, invalidUTF8...)
			} else {
				dst = appendJSONRune(dst, r)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// invalidUTF8 is what encoding/json writes for a byte that is not UTF-8:
// U+FFFD.
const invalidUTF8 = "\uFFFD"

// appendJSONRune appends the encoding of r inside a JSON string literal:
// nothing for a C0 control other than tab and newline, an escape where
// encoding/json writes one, else r's UTF-8 bytes. A caller that meets an
// invalid byte appends invalidUTF8 instead.
func appendJSONRune(dst []byte, r rune) []byte {
	switch {
	case r == '"':
		return append(dst, '\\', '"')
	case r == '\\':
		return append(dst, '\\', '\\')
	case r == '\n':
		return append(dst, '\\', 'n')
	case r == '\t':
		return append(dst, '\\', 't')
	case r < 0x20:
		return dst
	case r < utf8.RuneSelf:
		return append(dst, byte(r))
	case r == '\u2028' || r == '\u2029':
		return append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
	}
	return utf8.AppendRune(dst, r)
}

// appendJSONStringOrNull appends s as a JSON string, or null when ok is false.
func appendJSONStringOrNull(dst []byte, s string, ok bool) []byte {
	if !ok {
		return append(dst, "null"...)
	}
	return appendJSONString(dst, s)
}
