package output

import (
	"unicode/utf8"
)

// Every string a record carries is written as valid UTF-8, whatever bytes a
// server or a list sent: an invalid byte becomes U+FFFD, one for each byte,
// as encoding/json and a []rune conversion do. Text values (title,
// description, fields, the strings inside extracted) also lose every C0
// control character but tab and newline. Other strings (url, final_url,
// content_type, error, referrer, names, input cells) keep their other bytes,
// controls included: the url is the one that was read.
//
// Each writer does this once per value, as it encodes it: JSON in the same
// loop that escapes the string (so clean text costs nothing more), CSV in
// one scan that returns clean text as it is, without a copy.

// safeJSON[c] says an ASCII byte c goes into a JSON string as it is.
var safeJSON = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// textControl reports whether c is a C0 control character that a text
// value drops: every one but tab and newline.
func textControl(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' }

const hex = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD and
// U+2028/U+2029 are escaped, as encoding/json does; <, > and & are kept
// as they are, since the output is data for jq and loaders, not HTML.
func appendString(b []byte, s string) []byte { return appendJSONString(b, s, false) }

// appendText appends the text value s as a JSON string: as appendString,
// with the C0 controls that text drops left out.
func appendText(b []byte, s string) []byte { return appendJSONString(b, s, true) }

// AppendText appends s as a JSON string of text, as every text value of a
// record is written: valid UTF-8 (an invalid byte becomes U+FFFD), no C0
// control character but tab and newline, <, > and & as they are. Extractors
// write their strings with it, so the rule lives in one place.
func AppendText(b []byte, s string) []byte { return appendText(b, s) }

// AppendTextBody is AppendText without the quotes, for a string written in
// pieces.
func AppendTextBody(b []byte, s string) []byte { return appendJSONBody(b, s, true) }

func appendJSONString(b []byte, s string, text bool) []byte {
	b = append(b, '"')
	b = appendJSONBody(b, s, text)
	return append(b, '"')
}

func appendJSONBody(b []byte, s string, text bool) []byte {
	start := 0
	for i := 0; i < len(s); {
		for ; i+8 <= len(s) && jsonSafe8(load64(s, i)); i += 8 {
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if safeJSON[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case text:
				// dropped
			case c == '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// jsonSafe8 reports whether the eight bytes of x all go into a JSON string
// as they are: ASCII, no control, no quote, no backslash. A byte below 0x20,
// or equal to '"' or '\\' once xored, borrows and sets its top bit.
func jsonSafe8(x uint64) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	m := x | (x - 0x20*ones) | ((x ^ '"'*ones) - ones) | ((x ^ '\\'*ones) - ones)
	return m&tops == 0
}

// cleanText returns the text value s as CSV writes it: invalid UTF-8 as
// U+FFFD, C0 controls but tab and newline dropped. Clean text comes back
// as it is, with no copy.
func cleanText(s string) string {
	if i := dirtyAt(s, true); i < len(s) {
		return string(appendClean(make([]byte, 0, len(s)+2), s, i, true))
	}
	return s
}

// cleanUTF8 returns s with invalid UTF-8 as U+FFFD, and s itself when it
// is valid.
func cleanUTF8(s string) string {
	if i := dirtyAt(s, false); i < len(s) {
		return string(appendClean(make([]byte, 0, len(s)+2), s, i, false))
	}
	return s
}

// dirtyAt returns the index of the first byte of s that cleaning changes
// (an invalid UTF-8 byte, or for text a dropped control), or len(s). It
// skips clean ASCII eight bytes at a time.
func dirtyAt(s string, text bool) int {
	for i := 0; i < len(s); {
		for ; i+8 <= len(s); i += 8 {
			x := load64(s, i)
			m := x
			if text {
				// x - 0x20 in each byte borrows from a byte below 0x20.
				m |= x - 0x2020202020202020
			}
			if m&0x8080808080808080 != 0 {
				break
			}
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if text && textControl(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(s)
}

// load64 reads s[i:i+8] as a little-endian word (the compiler makes it one
// load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// appendClean appends s cleaned, knowing s[:from] is clean.
func appendClean(b []byte, s string, from int, text bool) []byte {
	b = append(b, s[:from]...)
	for i := from; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !text || !textControl(c) {
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// appendValidJSON appends raw, a JSON value from elsewhere (input's pass-
// through fields), with invalid UTF-8 as U+FFFD. Valid JSON has non-ASCII
// bytes only inside strings, where U+FFFD is a character like any other.
func appendValidJSON(b []byte, raw []byte) []byte {
	if utf8.Valid(raw) {
		return append(b, raw...)
	}
	return appendClean(b, string(raw), 0, false)
}

// appendCleanJSON appends raw, an extractor's JSON value, with every string
// in it (keys too) cleaned as text: invalid UTF-8 as U+FFFD, and control
// characters but tab and newline left out, whether raw or escaped. It also
// drops white space between tokens, so a value always fits on one line of
// JSON Lines. The value is trusted to be JSON otherwise (extraction makes it
// with encoding/json); a value that is plain ASCII, with no escape and no
// white space, is appended as it is.
func appendCleanJSON(b []byte, raw []byte) []byte {
	i := 0
	for ; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c >= utf8.RuneSelf || c == '\\' {
			break
		}
	}
	b = append(b, raw[:i]...)
	if i == len(raw) {
		return b
	}
	// Is raw[i] inside a string? Count the quotes before it: none is
	// escaped, since no backslash came before i.
	in := false
	for _, c := range raw[:i] {
		if c == '"' {
			in = !in
		}
	}
	for i < len(raw) {
		c := raw[i]
		switch {
		case !in:
			if c == '"' {
				in = true
			}
			if c > ' ' {
				b = append(b, c)
			}
			i++
		case c == '"':
			in = false
			b = append(b, c)
			i++
		case c == '\\':
			i += appendEscape(&b, raw[i:])
		case c < ' ':
			// A raw control character is not JSON; tab and newline are
			// kept, escaped.
			switch c {
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			}
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, "\uFFFD"...)
			case r == '\u2028' || r == '\u2029':
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			default:
				b = append(b, raw[i:i+size]...)
			}
			i += size
		}
	}
	return b
}

// appendEscape appends the escape sequence that esc starts with, unless it
// stands for a control character that text drops, and returns its length.
func appendEscape(b *[]byte, esc []byte) int {
	if len(esc) < 2 {
		return len(esc) // a lone backslash at the end: not JSON, dropped
	}
	switch esc[1] {
	case 'b', 'f', 'r':
		return 2
	case 'u':
		if len(esc) >= 6 {
			if v, ok := hex4(esc[2:6]); ok {
				if v < 0x20 && textControl(byte(v)) {
					return 6
				}
				*b = append(*b, esc[:6]...)
				return 6
			}
		}
		return 2 // a broken \u escape: not JSON, dropped
	}
	*b = append(*b, esc[:2]...)
	return 2
}

func hex4(h []byte) (rune, bool) {
	var v rune
	for _, c := range h {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	return v, true
}
