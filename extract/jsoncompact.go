package extract

import (
	"strings"
	"unicode/utf8"
)

// maxJSONDepth is encoding/json's nesting limit: a JSON-LD block nested
// deeper is left out, so that every value trawl writes can be read back by
// Go's decoder.
const maxJSONDepth = 10000

// jsonDateKey tells which date a JSON-LD key names, for meta.
type jsonDateKey uint8

const (
	noDateKey jsonDateKey = iota
	datePublishedKey
	dateModifiedKey
)

// appendCompactJSON appends the JSON value at the start of src (after JSON
// white space) to dst in compact form and returns the rest of src after it.
// Keys keep their order, duplicates included; numbers are copied as
// written; strings are re-encoded by appendJSONRune's rules. A raw control
// character inside a string is accepted (as Python's json.loads(strict=False)
// and so extruct accept it; real pages are full of raw newlines in JSON-LD
// strings) and written as appendJSONRune writes it. It works without
// recursion, in time linear in len(src). When dates is not nil it is called
// with every string value of a datePublished or dateModified key, decoded.
// On a syntax error ok is false and dst is returned as it was.
func appendCompactJSON(dst []byte, src string, dates func(jsonDateKey, string)) (_ []byte, rest string, ok bool) {
	orig := len(dst)
	var stack []byte // '{' or '[' per open container
	i := 0
	dateKey := noDateKey
value:
	i = skipJSONSpace(src, i)
	if i >= len(src) {
		return dst[:orig], src, false
	}
	key := dateKey
	dateKey = noDateKey
	if c := src[i]; c == '{' || c == '[' {
		if len(stack) >= maxJSONDepth {
			return dst[:orig], src, false
		}
		dst = append(dst, c)
		closer := c + 2 // '{'+2 is '}', '['+2 is ']'
		if i = skipJSONSpace(src, i+1); i < len(src) && src[i] == closer {
			dst = append(dst, closer)
			i++
			goto after
		}
		stack = append(stack, c)
		if c == '{' {
			goto key
		}
		goto value
	}
	{
		start := i
		if dst, i, ok = appendJSONScalar(dst, src, i); !ok {
			return dst[:orig], src, false
		}
		if key != noDateKey && dates != nil && src[start] == '"' {
			dates(key, decodeJSONString(src[start+1:i-1]))
		}
	}
after:
	if len(stack) == 0 {
		return dst, src[i:], true
	}
	if i = skipJSONSpace(src, i); i >= len(src) {
		return dst[:orig], src, false
	}
	switch top := stack[len(stack)-1]; src[i] {
	case ',':
		dst = append(dst, ',')
		i++
		if top == '{' {
			goto key
		}
		goto value
	case top + 2:
		dst = append(dst, src[i])
		i++
		stack = stack[:len(stack)-1]
		goto after
	}
	return dst[:orig], src, false
key:
	if i = skipJSONSpace(src, i); i >= len(src) || src[i] != '"' {
		return dst[:orig], src, false
	}
	{
		start := i
		if dst, i, ok = appendJSONStringLit(dst, src, i); !ok {
			return dst[:orig], src, false
		}
		dateKey = dateKeyOf(src[start+1 : i-1])
	}
	if i = skipJSONSpace(src, i); i >= len(src) || src[i] != ':' {
		return dst[:orig], src, false
	}
	dst = append(dst, ':')
	i++
	goto value
}

// appendJSONScalar appends the string, number, true, false or null at
// src[i] and returns the index after it.
func appendJSONScalar(dst []byte, src string, i int) ([]byte, int, bool) {
	switch c := src[i]; {
	case c == '"':
		return appendJSONStringLit(dst, src, i)
	case c == '-' || c >= '0' && c <= '9':
		end := scanJSONNumber(src, i)
		if end < 0 {
			return dst, i, false
		}
		return append(dst, src[i:end]...), end, true
	}
	for _, lit := range []string{"true", "false", "null"} {
		if strings.HasPrefix(src[i:], lit) {
			return append(dst, lit...), i + len(lit), true
		}
	}
	return dst, i, false
}

func skipJSONSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// dateKeyOf tells the date key the raw (still escaped) key k names.
func dateKeyOf(k string) jsonDateKey {
	if strings.IndexByte(k, '\\') >= 0 {
		k = decodeJSONString(k)
	}
	switch k {
	case "datePublished":
		return datePublishedKey
	case "dateModified":
		return dateModifiedKey
	}
	return noDateKey
}

// scanJSONNumber returns the end of the JSON number at s[i:], or -1.
func scanJSONNumber(s string, i int) int {
	if s[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return -1
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return -1
		}
	}
	return i
}

// appendJSONStringLit re-encodes the JSON string literal at s[i] (a quote)
// and returns the index after its closing quote. A string with nothing to
// change (the usual case) is copied in one piece.
func appendJSONStringLit(dst []byte, s string, i int) ([]byte, int, bool) {
	j := i + 1
	plain := true
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			goto end
		case c == '\\':
			plain = false
			j += 2
			continue
		case c < 0x20:
			plain = false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[j:])
			if size == 1 || r == '\u2028' || r == '\u2029' {
				plain = false
			}
			j += size
			continue
		}
		j++
	}
end:
	if j >= len(s) {
		return dst, i, false
	}
	if plain {
		return append(dst, s[i:j+1]...), j + 1, true
	}
	dst = append(dst, '"')
	var ok bool
	dst, ok = walkJSONString(dst, s[i+1:j], false)
	if !ok {
		return dst, i, false
	}
	return append(dst, '"'), j + 1, true
}

// decodeJSONString decodes the body of a JSON string literal (already
// checked by appendJSONStringLit) to UTF-8.
func decodeJSONString(body string) string {
	b, _ := walkJSONString(make([]byte, 0, len(body)), body, true)
	return string(b)
}

// walkJSONString appends the characters of the string literal body,
// escapes decoded (a lone surrogate becomes U+FFFD, as encoding/json
// decodes it): as UTF-8 when decode is true, else JSON-encoded by
// appendJSONRune (a byte that is not UTF-8 as invalidUTF8). ok is false on
// a bad escape.
func walkJSONString(dst []byte, body string, decode bool) ([]byte, bool) {
	emit := appendJSONRune
	if decode {
		emit = utf8.AppendRune
	}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\':
			r, n := jsonEscape(body, i)
			if n == 0 {
				return dst, false
			}
			dst = emit(dst, r)
			i += n
		case c < utf8.RuneSelf:
			dst = emit(dst, rune(c))
			i++
		default:
			r, size := utf8.DecodeRuneInString(body[i:])
			if size == 1 && !decode {
				dst = append(dst, invalidUTF8...)
			} else {
				dst = emit(dst, r)
			}
			i += size
		}
	}
	return dst, true
}

// jsonEscape decodes the escape at s[i] (a backslash) and returns the rune
// and the escape's length, 0 when it is not a JSON escape. A surrogate pair
// is one escape; a lone surrogate decodes to U+FFFD.
func jsonEscape(s string, i int) (rune, int) {
	if i+1 >= len(s) {
		return 0, 0
	}
	switch s[i+1] {
	case '"', '\\', '/':
		return rune(s[i+1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		u, ok := hex4(s, i+2)
		if !ok {
			return 0, 0
		}
		r := rune(u)
		switch {
		case r >= 0xD800 && r < 0xDC00:
			if i+7 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
				if lo, ok := hex4(s, i+8); ok && lo >= 0xDC00 && lo < 0xE000 {
					return (r-0xD800)<<10 + (rune(lo) - 0xDC00) + 0x10000, 12
				}
			}
			return utf8.RuneError, 6
		case r >= 0xDC00 && r < 0xE000:
			return utf8.RuneError, 6
		}
		return r, 6
	}
	return 0, 0
}

func hex4(s string, i int) (uint16, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var v uint16
	for j := i; j < i+4; j++ {
		c := s[j]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint16(c)
	}
	return v, true
}
