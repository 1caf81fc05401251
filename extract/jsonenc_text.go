package extract

import (
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendJSONStr appends s as a JSON string value. It escapes like
// encoding/json but keeps <, > and & literal (the output is data, not HTML),
// turns invalid UTF-8 into U+FFFD, and drops C0 control characters other
// than tab and newline (SPEC "Trust": text values carry none). U+2028 and
// U+2029 are escaped, as encoding/json does, so the value is also valid
// JavaScript.
func appendJSONStr(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\t':
				dst = append(dst, '\\', 't')
			case '\n':
				dst = append(dst, '\\', 'n')
			}
			// Any other C0 control is dropped.
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
