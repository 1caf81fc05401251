package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// appendJSONLD appends the jsonld value (a JSON array) for the document:
// the JSON value of every <script type="application/ld+json"> block, in
// document order. Decisions where SPEC is silent (extruct's where it has
// one):
//   - The type is matched ASCII case-insensitively, surrounding white space
//     and parameters ignored ("application/ld+json; charset=utf-8" counts).
//     extruct matches the exact string.
//   - Each block's value is kept whole and as written: key order and
//     duplicate keys kept, numbers as written, @graph not flattened (as
//     extruct), a top-level array kept as one array and null kept as null
//     (extruct splices a top-level array into its list and drops null, {},
//     [] and other scalars; SPEC asks for each block's value).
//   - Around the value, white space, a byte order mark, HTML comment and
//     CDATA markers (<!--, -->, <![CDATA[, ]]>), whole HTML comments and
//     JavaScript comments (the //<![CDATA[ and /*<![CDATA[*/ forms, or any
//     other // line or /* */ block) are skipped.
//   - A raw control character inside a string is accepted (Python's
//     json.loads(strict=False), which extruct uses, accepts it too), and
//     written as the output rules say: tab and newline escaped, the rest
//     dropped.
//   - Anything else that is not JSON leaves the block out: JavaScript
//     comments inside the value, trailing commas, single quotes, NaN. (extruct
//     retries such a block with jstyleson, which drops comments and trailing
//     commas.) So does nesting deeper than 10,000 levels.
func appendJSONLD(dst []byte, root *html.Node) []byte {
	h := newHeadCollector(true, false, false)
	headTree(h, root)
	jl, _, _ := h.results(nil)
	return append(dst, jl...)
}

// isJSONLDType reports whether a script's type attribute names JSON-LD.
func isJSONLDType(t string) bool {
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return strings.EqualFold(trimASCIISpace(t), "application/ld+json")
}

// appendJSONLDBlock appends the compact JSON value of one block's text; ok
// is false (and dst unchanged) when the block holds no JSON value.
func appendJSONLDBlock(dst []byte, text string, dates func(jsonDateKey, string)) ([]byte, bool) {
	text = skipJSONLDPrefix(text)
	out, rest, ok := appendCompactJSON(dst, text, dates)
	if !ok || !jsonldTrailerOK(rest) {
		return dst, false
	}
	return out, true
}

// skipJSONLDPrefix skips what may stand before a block's JSON value: white
// space, a byte order mark, comment and CDATA markers, whole HTML comments
// and JavaScript comments. After "<!--" the rest of a comment is skipped
// unless a JSON object or array starts right away (the marker form).
func skipJSONLDPrefix(s string) string {
	for {
		s = strings.TrimLeft(s, asciiSpace+"\uFEFF")
		switch {
		case strings.HasPrefix(s, "<!--"):
			s = s[4:]
			t := strings.TrimLeft(s, asciiSpace)
			if t != "" && (t[0] == '{' || t[0] == '[') {
				s = t
				continue
			}
			end := strings.Index(s, "-->")
			if end < 0 {
				return s
			}
			s = s[end+3:]
		case strings.HasPrefix(s, "<![CDATA["):
			s = s[9:]
		case strings.HasPrefix(s, "-->"), strings.HasPrefix(s, "]]>"):
			s = s[3:]
		case strings.HasPrefix(s, "//"):
			end := strings.IndexByte(s, '\n')
			if end < 0 {
				return ""
			}
			s = s[end+1:]
		case strings.HasPrefix(s, "/*"):
			end := strings.Index(s[2:], "*/")
			if end < 0 {
				return s
			}
			s = s[2+end+2:]
		default:
			return s
		}
	}
}

// jsonldTrailerOK reports whether what follows a block's JSON value is
// only white space, markers and comments.
func jsonldTrailerOK(s string) bool {
	for {
		s = strings.TrimLeft(s, asciiSpace)
		switch {
		case s == "":
			return true
		case strings.HasPrefix(s, "-->"), strings.HasPrefix(s, "]]>"):
			s = s[3:]
		case strings.HasPrefix(s, "<!--"):
			end := strings.Index(s[4:], "-->")
			if end < 0 {
				return true
			}
			s = s[4+end+3:]
		case strings.HasPrefix(s, "//"):
			end := strings.IndexByte(s, '\n')
			if end < 0 {
				return true
			}
			s = s[end+1:]
		case strings.HasPrefix(s, "/*"):
			end := strings.Index(s[2:], "*/")
			if end < 0 {
				return false
			}
			s = s[2+end+2:]
		default:
			return false
		}
	}
}
