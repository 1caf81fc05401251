package weburl

import (
	"strings"
	"unicode/utf8"
)

// An encodeSet marks the ASCII bytes that are percent-encoded; every byte
// from 0x7F up is encoded whatever the set (the C0 control percent-encode set
// is in all of them).
type encodeSet [128]bool

func newSet(base *encodeSet, extra string) *encodeSet {
	var s encodeSet
	if base != nil {
		s = *base
	} else {
		for c := 0; c < 0x20; c++ {
			s[c] = true
		}
	}
	s[0x7f] = true
	for i := 0; i < len(extra); i++ {
		s[extra[i]] = true
	}
	return &s
}

// The standard's sets, with the additions the package documentation lists
// where net/url cannot carry the standard's raw form: "^|" in the path and
// "#\^{|}" in the fragment.
var (
	c0Set       = newSet(nil, "")
	fragmentSet = newSet(c0Set, " \"<>`"+"#\\^{|}")
	baseQuery   = newSet(c0Set, " \"#<>")
	querySet    = newSet(baseQuery, "'") // the special-query set
	pathSet     = newSet(baseQuery, "?`{}"+"^|")
	userinfoSet = newSet(baseQuery, "?`{}"+"/:;=@[\\]^|")
)

const upperhex = "0123456789ABCDEF"

// encode UTF-8 percent-encodes s with set. Existing escapes are kept; with
// strict, a '%' that does not start one is encoded as %25. An invalid UTF-8
// byte is read as U+FFFD.
func encode(s string, set *encodeSet, strict bool) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x80 || set[c] || strict && c == '%' && !isEscape(s, i) {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		switch {
		case c < 0x80:
			if set[c] || strict && c == '%' && !isEscape(s, i) {
				b.WriteByte('%')
				b.WriteByte(upperhex[c>>4])
				b.WriteByte(upperhex[c&15])
			} else {
				b.WriteByte(c)
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b.WriteString("%EF%BF%BD")
				i++
				continue
			}
			for k := i; k < i+n; k++ {
				b.WriteByte('%')
				b.WriteByte(upperhex[s[k]>>4])
				b.WriteByte(upperhex[s[k]&15])
			}
			i += n
		}
	}
	return b.String()
}

func isEscape(s string, i int) bool {
	return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	default:
		return (c | 0x20) - 'a' + 10
	}
}

// unescapeLenient is the standard's percent-decode: %XX becomes its byte and
// any other '%' stays as it is.
func unescapeLenient(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		if s[i] == '%' && isEscape(s, i) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}
