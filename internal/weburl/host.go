package weburl

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// profile is the standard's "domain to ASCII" with beStrict false:
// UTS #46 ToASCII with CheckHyphens false, CheckBidi and CheckJoiners true,
// UseSTD3ASCIIRules false, non-transitional, VerifyDnsLength false. Later
// options override what MapForLookup sets.
var profile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.VerifyDNSLength(false),
)

// parseHost is the standard's host parser for a special URL: an IPv6
// address in brackets, else a domain (percent-decoded, IDNA-encoded) that is
// an IPv4 address when its last label is a number.
func parseHost(s string) (string, error) {
	if s[0] == '[' {
		if s[len(s)-1] != ']' {
			return "", errorf("host", s, "unclosed IPv6 address")
		}
		a, ok := parseIPv6(s[1 : len(s)-1])
		if !ok {
			return "", errorf("host", s, "invalid IPv6 address")
		}
		return "[" + a + "]", nil
	}
	domain := unescapeLenient(s)
	ascii, err := domainToASCII(domain)
	if err != nil {
		return "", err
	}
	for i := 0; i < len(ascii); i++ {
		if c := ascii[i]; forbiddenDomain(c) {
			return "", errorf("host", s, "forbidden character "+strconv.QuoteRune(rune(c)))
		}
	}
	if endsInNumber(ascii) {
		a, ok := parseIPv4(ascii)
		if !ok {
			return "", errorf("host", s, "invalid IPv4 address")
		}
		return a, nil
	}
	return ascii, nil
}

// domainToASCII lower-cases an ASCII domain with no "xn--" label (the
// standard says this is what UTS #46 would give), and runs UTS #46 on the
// rest.
func domainToASCII(d string) (string, error) {
	ascii := true
	for i := 0; i < len(d); i++ {
		if d[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		l := strings.ToLower(d)
		if !strings.HasPrefix(l, "xn--") && !strings.Contains(l, ".xn--") {
			return l, nil
		}
	} else if !utf8.ValidString(d) {
		// UTF-8 decode without BOM turns bad bytes into U+FFFD, which
		// UTS #46 disallows.
		return "", errorf("host", d, "invalid UTF-8")
	}
	a, err := profile.ToASCII(d)
	if err != nil {
		return "", errorf("host", d, "invalid international domain name")
	}
	if a == "" {
		return "", errorf("host", d, "empty")
	}
	return a, nil
}

// forbiddenDomain reports the standard's forbidden domain code points, and
// the three that net/url refuses in a host although the standard allows
// them: '`', '{' and '}'.
func forbiddenDomain(c byte) bool {
	if c <= 0x20 || c == 0x7f || c >= 0x80 {
		return true
	}
	switch c {
	case '#', '%', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	case '`', '{', '}':
		return true
	}
	return false
}

// endsInNumber is the standard's "ends in a number" checker.
func endsInNumber(s string) bool {
	if strings.HasSuffix(s, ".") {
		if len(s) == 1 {
			return false
		}
		s = s[:len(s)-1]
	}
	last := s[strings.LastIndexByte(s, '.')+1:]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number reads a decimal, 0x hex or 0 octal number; values above
// 2^32 are clamped there, which is enough to refuse them.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	radix := uint64(10)
	switch {
	case len(s) >= 2 && s[0] == '0' && s[1]|0x20 == 'x':
		s, radix = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, radix = s[1:], 8
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case radix == 16 && 'a' <= c|0x20 && c|0x20 <= 'f':
			d = uint64(c|0x20-'a') + 10
		default:
			return 0, false
		}
		if d >= radix {
			return 0, false
		}
		if n = n*radix + d; n > 1<<32 {
			n = 1 << 32
		}
	}
	return n, true
}

// parseIPv4 is the standard's IPv4 parser: one to four parts, the last one
// filling the bytes the others leave.
func parseIPv4(s string) (string, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", false
	}
	var nums [4]uint64
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return "", false
		}
		if i < len(parts)-1 && n > 255 {
			return "", false
		}
		nums[i] = n
	}
	last := nums[len(parts)-1]
	if last >= 1<<(8*(5-len(parts))) {
		return "", false
	}
	addr := last
	for i := 0; i < len(parts)-1; i++ {
		addr += nums[i] << (8 * (3 - i))
	}
	var b strings.Builder
	for i := 3; i >= 0; i-- {
		b.WriteString(strconv.FormatUint(addr>>(8*i)&0xff, 10))
		if i > 0 {
			b.WriteByte('.')
		}
	}
	return b.String(), true
}

// parseIPv6 is the standard's IPv6 parser (with an IPv4 tail), and returns
// the address serialized: lower-case hex, the first longest run of two or
// more zero pieces compressed to "::".
func parseIPv6(s string) (string, bool) {
	var addr [8]uint16
	piece, compress := 0, -1
	i := 0
	if i < len(s) && s[i] == ':' {
		if !strings.HasPrefix(s, "::") {
			return "", false
		}
		i += 2
		piece++
		compress = piece
	}
	for i < len(s) {
		if piece == 8 {
			return "", false
		}
		if s[i] == ':' {
			if compress != -1 {
				return "", false
			}
			i++
			piece++
			compress = piece
			continue
		}
		value, length := 0, 0
		for length < 4 && i < len(s) && isHex(s[i]) {
			value = value*16 + int(unhex(s[i]))
			i++
			length++
		}
		if i < len(s) && s[i] == '.' {
			if length == 0 || piece > 6 {
				return "", false
			}
			i -= length
			if !parseIPv6Tail(s[i:], &addr, &piece) {
				return "", false
			}
			i = len(s)
			break
		}
		if i < len(s) {
			if s[i] != ':' {
				return "", false
			}
			i++
			if i == len(s) {
				return "", false
			}
		}
		addr[piece] = uint16(value)
		piece++
	}
	if compress != -1 {
		swaps := piece - compress
		for p := 7; p != 0 && swaps > 0; p, swaps = p-1, swaps-1 {
			addr[p], addr[compress+swaps-1] = addr[compress+swaps-1], addr[p]
		}
	} else if piece != 8 {
		return "", false
	}
	return formatIPv6(&addr), true
}

// parseIPv6Tail reads the dotted IPv4 end of an IPv6 address into two
// pieces.
func parseIPv6Tail(s string, addr *[8]uint16, piece *int) bool {
	seen := 0
	i := 0
	for i < len(s) {
		if seen > 0 {
			if s[i] != '.' || seen >= 4 {
				return false
			}
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		v := -1
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			d := int(s[i] - '0')
			switch v {
			case -1:
				v = d
			case 0:
				return false
			default:
				v = v*10 + d
			}
			if v > 255 {
				return false
			}
			i++
		}
		addr[*piece] = addr[*piece]<<8 | uint16(v)
		seen++
		if seen == 2 || seen == 4 {
			*piece++
		}
	}
	return seen == 4
}

func formatIPv6(addr *[8]uint16) string {
	// The first longest run of zero pieces, if longer than one.
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if addr[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && addr[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == best {
			if i == 0 {
				b.WriteString("::")
			} else {
				b.WriteByte(':')
			}
			i += bestLen - 1
			continue
		}
		b.WriteString(strconv.FormatUint(uint64(addr[i]), 16))
		if i != 7 {
			b.WriteByte(':')
		}
	}
	return b.String()
}
