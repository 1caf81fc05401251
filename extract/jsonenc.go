package extract

import (
	"unicode/utf8"

	"github.com/trawl-dev/trawl/output"
)

// The JSON encoding of extracted text. Every string the structured-data
// extractors write goes through appendJSONString (or appendJSONRune), so
// the output rules of SPEC's "Trust" section live here once: valid UTF-8
// (an invalid byte becomes U+FFFD) and no C0 control character but tab and
// newline (the others are dropped). Escaping is encoding/json's with
// SetEscapeHTML(false): <, > and & are written as they are.

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string literal (output.AppendText).
func appendJSONString(dst []byte, s string) []byte { return output.AppendText(dst, s) }

// appendJSONStr is appendJSONString, by the name the main-text extractor
// knows it.
func appendJSONStr(dst []byte, s string) []byte { return output.AppendText(dst, s) }

// appendJSONStringBody appends s encoded as inside a JSON string literal,
// without the quotes, so that a value can be written in pieces.
func appendJSONStringBody(dst []byte, s string) []byte { return output.AppendTextBody(dst, s) }

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
