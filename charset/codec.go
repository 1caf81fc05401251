package charset

import (
	"bytes"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// codecKind says which decoder a codec uses. UTF-8, UTF-16, the replacement
// encoding and the single-byte encodings are decoded here rather than by
// golang.org/x/text, because x/text differs from the Encoding Standard for
// them (see newSingleByte and decodeUTF8); the multi-byte legacy encodings are
// left to x/text, whose decoders follow the standard.
type codecKind uint8

const (
	kindUTF8 codecKind = iota
	kindUTF16LE
	kindUTF16BE
	kindSingleByte
	kindReplacement
	kindXText
)

// codec is one encoding of the Encoding Standard and how to decode it.
type codec struct {
	name string // canonical name, lower case
	kind codecKind
	// asciiIdentity is true when a body made only of ASCII bytes decodes to
	// itself, so Decode can hand such a body back without copying it. It is
	// false for UTF-16, ISO-2022-JP (escape sequences are ASCII bytes) and
	// the replacement encoding.
	asciiIdentity bool
	single        *singleByteTable // kindSingleByte
	enc           encoding.Encoding
}

// canonicalNames are the names of every encoding of the Encoding Standard,
// in the spelling Result.Encoding reports.
var canonicalNames = []string{
	"utf-8", "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5",
	"iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-8-i", "iso-8859-10",
	"iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16", "koi8-r",
	"koi8-u", "macintosh", "windows-874", "windows-1250", "windows-1251",
	"windows-1252", "windows-1253", "windows-1254", "windows-1255",
	"windows-1256", "windows-1257", "windows-1258", "x-mac-cyrillic", "gbk",
	"gb18030", "big5", "euc-jp", "iso-2022-jp", "shift_jis", "euc-kr",
	"replacement", "utf-16be", "utf-16le", "x-user-defined",
}

// codecs maps a canonical name to its codec. It is built on first use so
// that importing the package costs nothing.
var codecs = sync.OnceValue(func() map[string]*codec {
	m := make(map[string]*codec, len(canonicalNames))
	for _, name := range canonicalNames {
		c := &codec{name: name, asciiIdentity: true}
		switch name {
		case "utf-8":
			c.kind = kindUTF8
		case "utf-16le":
			c.kind, c.asciiIdentity = kindUTF16LE, false
		case "utf-16be":
			c.kind, c.asciiIdentity = kindUTF16BE, false
		case "replacement":
			c.kind, c.asciiIdentity = kindReplacement, false
		case "iso-8859-8-i":
			// Same bytes-to-code-points index as iso-8859-8; x/text wraps it
			// in a type that is not a *charmap.Charmap.
			c.kind, c.single = kindSingleByte, newSingleByte(charmap.ISO8859_8)
		default:
			e, err := htmlindex.Get(name)
			if err != nil {
				panic("sniff: x/text lacks encoding " + name)
			}
			if cm, ok := e.(*charmap.Charmap); ok {
				c.kind, c.single = kindSingleByte, newSingleByte(cm)
			} else {
				c.kind, c.enc = kindXText, e
				c.asciiIdentity = name != "iso-2022-jp"
			}
		}
		m[name] = c
	}
	return m
})

// codecNamed returns the codec of a canonical name. The names used in this
// package are constants, so a miss is a programming error.
func codecNamed(name string) *codec {
	c := codecs()[name]
	if c == nil {
		panic("sniff: unknown canonical encoding " + name)
	}
	return c
}

// singleByteTable is a single-byte encoding's index, ready for decoding.
type singleByteTable struct {
	// high holds the UTF-8 of bytes 0x80..0xFF (all in the BMP, so at most
	// three bytes), with the length in the fourth byte.
	high [128][4]byte
	// size is the UTF-8 length of every byte value.
	size [256]uint8
}

// newSingleByte builds the table of a single-byte encoding from x/text's.
// x/text deliberately maps index entries that are C1 controls (U+0080 to
// U+009F) to U+FFFD, while the Encoding Standard maps them: windows-1252's
// 0x81 is U+0081 and every ISO-8859-x maps 0x80..0x9F to U+0080..U+009F. In
// every WHATWG single-byte index such an entry maps the byte to the code point
// of the same value, so a U+FFFD below 0xA0 is put back to that; U+FFFD at
// 0xA0 and above is a real hole of the index and stays an error.
func newSingleByte(cm *charmap.Charmap) *singleByteTable {
	t := new(singleByteTable)
	for b := range 0x80 {
		t.size[b] = 1
	}
	for i := range t.high {
		b := byte(0x80 + i)
		r := cm.DecodeByte(b)
		if r == utf8.RuneError && b < 0xA0 {
			r = rune(b)
		}
		n := utf8.EncodeRune(t.high[i][:3], r)
		t.high[i][3] = byte(n)
		t.size[b] = uint8(n)
	}
	return t
}

// decode decodes src, which is not all ASCII. It sizes the output exactly
// first, so the result is one allocation, and copies ASCII eight bytes at a
// time where it can; text in these encodings mixes short ASCII runs with
// upper-half letters, so the loop avoids a call per run.
func (t *singleByteTable) decode(src []byte) []byte {
	start := asciiPrefixLen(src)
	n := start
	for _, b := range src[start:] {
		n += int(t.size[b])
	}
	// Three bytes of slack let every upper-half byte be written as four.
	out := make([]byte, n+3)
	j := copy(out, src[:start])
	for i := start; i < len(src); {
		if i+8 <= len(src) && binary.LittleEndian.Uint64(src[i:])&0x8080808080808080 == 0 {
			*(*[8]byte)(out[j:]) = *(*[8]byte)(src[i:])
			i, j = i+8, j+8
			continue
		}
		b := src[i]
		i++
		if b < 0x80 {
			out[j] = b
			j++
			continue
		}
		e := &t.high[b-0x80]
		*(*[4]byte)(out[j:]) = *e
		j += int(e[3])
	}
	return out[:n:n]
}

// getEncoding is the Encoding Standard's "get an encoding": it trims ASCII
// whitespace, matches the label ASCII case-insensitively against the label
// table and returns nil for failure. It is stricter than htmlindex.Get,
// which trims Unicode spaces and folds non-ASCII letters (the Kelvin sign
// would otherwise turn "\u212Aoi8-r" into koi8-r).
func getEncoding(label []byte) *codec { return lookupLabel(label) }

// getEncodingString is getEncoding for a label held in a string.
func getEncodingString(label string) *codec { return lookupLabel(label) }

func lookupLabel[L string | []byte](label L) *codec {
	start, end := 0, len(label)
	for start < end && isASCIIWhitespace(label[start]) {
		start++
	}
	for end > start && isASCIIWhitespace(label[end-1]) {
		end--
	}
	// The longest label of the table has 19 bytes.
	var buf [24]byte
	n := end - start
	if n == 0 || n > len(buf) {
		return nil
	}
	for i := 0; i < n; i++ {
		b := label[start+i]
		switch {
		case 'A' <= b && b <= 'Z':
			b += 'a' - 'A'
		case 'a' <= b && b <= 'z', '0' <= b && b <= '9', b == '-', b == '_', b == '.', b == ':':
		default:
			// Every label of the table is made of these bytes only.
			return nil
		}
		buf[i] = b
	}
	key := buf[:n]
	if m := labelCache.Load(); m != nil {
		if c, ok := (*m)[string(key)]; ok {
			return c
		}
	}
	e, err := htmlindex.Get(string(key))
	if err != nil {
		return nil
	}
	name, err := htmlindex.Name(e)
	if err != nil {
		return nil
	}
	c := codecs()[name]
	if c != nil {
		cacheLabel(string(key), c)
	}
	return c
}

// labelCache maps the labels met so far, normalized, to their codecs, so
// that looking a label up again costs a map read and no allocation (calling
// htmlindex.Get means making a string). Only known labels are added, so it
// holds a few hundred entries at most whatever the input. It is copied on
// write, which keeps reads free of locks.
var labelCache atomic.Pointer[map[string]*codec]

func cacheLabel(label string, c *codec) {
	for {
		old := labelCache.Load()
		var m map[string]*codec
		if old == nil {
			m = map[string]*codec{label: c}
		} else {
			if _, ok := (*old)[label]; ok {
				return
			}
			m = make(map[string]*codec, len(*old)+1)
			for k, v := range *old {
				m[k] = v
			}
			m[label] = c
		}
		if labelCache.CompareAndSwap(old, &m) {
			return
		}
	}
}

// isUTF16 reports whether c is UTF-16BE or UTF-16LE, which the standard
// names "UTF-16BE/LE" in its special cases.
func (c *codec) isUTF16() bool { return c.kind == kindUTF16LE || c.kind == kindUTF16BE }

// decode turns src into valid UTF-8 with the standard's decoder for c,
// errors becoming U+FFFD. It returns src itself when the decoding is the
// identity, which is what keeps the common UTF-8 and ASCII cases copy-free.
func (c *codec) decode(src []byte) []byte {
	if c.asciiIdentity && asciiPrefixLen(src) == len(src) {
		return src
	}
	switch c.kind {
	case kindUTF8:
		return decodeUTF8(src)
	case kindUTF16LE:
		return decodeUTF16(src, false)
	case kindUTF16BE:
		return decodeUTF16(src, true)
	case kindSingleByte:
		return c.single.decode(src)
	case kindReplacement:
		// The replacement decoder emits one error for a non-empty stream and
		// nothing for an empty one; it exists so that ISO-2022-KR and friends
		// can't smuggle markup past a sanitizer.
		if len(src) == 0 {
			return src
		}
		return []byte("\uFFFD")
	}
	out, _, err := transform.Bytes(c.enc.NewDecoder(), src)
	if err != nil {
		// The x/text decoders replace errors rather than report them, so
		// this is not expected; still, never hand back undecoded bytes.
		out = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	if !utf8.Valid(out) {
		// Belt and braces for the promise that the output is valid UTF-8.
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out
}

// asciiPrefixLen returns the length of the longest prefix of b made of ASCII
// bytes, eight bytes at a time.
func asciiPrefixLen(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return i
		}
	}
	return i
}

// decodeUTF8 is the Encoding Standard's UTF-8 decoder. Valid input is
// returned as is. Go's utf8 package accepts exactly the sequences the
// standard accepts, but it reports every invalid byte as its own error while
// the standard replaces each maximal subpart of a sequence with one U+FFFD
// ("\xE2\x82A" is "\uFFFDA", not "\uFFFD\uFFFDA"), so errors are sized here.
func decodeUTF8(src []byte) []byte {
	if utf8.Valid(src) {
		return src
	}
	out := make([]byte, 0, len(src)+len(src)/4+3)
	for i := 0; i < len(src); {
		if b := src[i]; b < utf8.RuneSelf {
			out = append(out, b)
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r != utf8.RuneError || size > 1 {
			out = append(out, src[i:i+size]...)
			i += size
			continue
		}
		i += invalidUTF8Len(src[i:])
		out = append(out, "\uFFFD"...)
	}
	return out
}

// invalidUTF8Len returns how many bytes the standard's UTF-8 decoder consumes
// for the error at the start of s, which is not a valid sequence: a byte that
// cannot start a sequence, or a lead byte and the continuation bytes that
// were in range before the byte that was not (that byte is decoded anew).
func invalidUTF8Len(s []byte) int {
	lead := s[0]
	need, lower, upper := 0, byte(0x80), byte(0xBF)
	switch {
	case 0xC2 <= lead && lead <= 0xDF:
		need = 1
	case 0xE0 <= lead && lead <= 0xEF:
		need = 2
		if lead == 0xE0 {
			lower = 0xA0
		} else if lead == 0xED {
			upper = 0x9F
		}
	case 0xF0 <= lead && lead <= 0xF4:
		need = 3
		if lead == 0xF0 {
			lower = 0x90
		} else if lead == 0xF4 {
			upper = 0x8F
		}
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lower || s[n] > upper {
			return n
		}
		lower, upper = 0x80, 0xBF
	}
	// All continuation bytes were in range: the input ended inside the
	// sequence, which is one error for the whole of it.
	return n
}

// decodeUTF16 is the Encoding Standard's shared UTF-16 decoder: a lone
// surrogate is U+FFFD, and so is an odd byte or a lead surrogate at the end.
func decodeUTF16(src []byte, bigEndian bool) []byte {
	out := make([]byte, 0, len(src)+len(src)/2)
	var lead rune = -1 // pending lead surrogate
	for i := 0; i+1 < len(src); i += 2 {
		var cu rune
		if bigEndian {
			cu = rune(src[i])<<8 | rune(src[i+1])
		} else {
			cu = rune(src[i+1])<<8 | rune(src[i])
		}
		if lead >= 0 {
			l := lead
			lead = -1
			if 0xDC00 <= cu && cu <= 0xDFFF {
				out = utf8.AppendRune(out, 0x10000+(l-0xD800)<<10+(cu-0xDC00))
				continue
			}
			// The lead surrogate is an error and cu is decoded anew.
			out = append(out, "\uFFFD"...)
		}
		switch {
		case 0xD800 <= cu && cu <= 0xDBFF:
			lead = cu
		case 0xDC00 <= cu && cu <= 0xDFFF:
			out = append(out, "\uFFFD"...)
		default:
			out = utf8.AppendRune(out, cu)
		}
	}
	if lead >= 0 || len(src)%2 == 1 {
		// One error at the end of the stream, however many units are pending.
		out = append(out, "\uFFFD"...)
	}
	return out
}

// isASCIIWhitespace is the Infra standard's ASCII whitespace.
func isASCIIWhitespace(b byte) bool {
	return b == '\t' || b == '\n' || b == '\f' || b == '\r' || b == ' '
}
