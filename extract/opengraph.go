package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// appendOpenGraph appends the opengraph value (a JSON object) for the
// document: every <meta> with a content attribute whose property starts
// with og:, article:, product:, book:, profile:, music:, video: or fb:, or
// whose name (or property) starts with twitter:. A key's value is the
// content string as written, or an array of them, in document order, when
// the key occurs more than once; keys come in order of first appearance.
// Decisions where SPEC is silent:
//   - The property (or name) is matched and written ASCII lower-cased with
//     surrounding white space removed, so og:Title and og:title are one
//     key. Open Graph and Twitter names are lower case; extruct matches
//     the property exactly as written.
//   - A twitter: key is taken from the name attribute and, as Twitter's
//     own parser does, from property as well; a <meta> whose name and
//     property are different keys (name="twitter:title" property="og:title")
//     counts for both.
//   - <meta> elements anywhere in the document count, not only in <head>
//     (extruct reads only the <meta> children of <head>).
func appendOpenGraph(dst []byte, root *html.Node) []byte {
	h := newHeadCollector(false, true, false)
	headTree(h, root)
	_, og, _ := h.results(nil)
	return append(dst, og...)
}

// ogPrefixes are the prefixes of the properties opengraph keeps.
var ogPrefixes = []string{"og:", "article:", "product:", "book:", "profile:", "music:", "video:", "fb:"}

// isOGKey reports whether the lower-cased property key belongs to opengraph.
func isOGKey(key string) bool {
	for _, p := range ogPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return isTwitterKey(key)
}

func isTwitterKey(key string) bool { return strings.HasPrefix(key, "twitter:") }

// ogMeta takes a <meta>'s lower-cased property and name keys and content.
func (h *headCollector) ogMeta(propKey, nameKey, content string) {
	if isOGKey(propKey) {
		h.og = append(h.og, keyValue{propKey, content})
	}
	if isTwitterKey(nameKey) && nameKey != propKey {
		h.og = append(h.og, keyValue{nameKey, content})
	}
}

// appendOGObject appends pairs as a JSON object: keys in order of first
// appearance, a string for a key seen once, else an array.
func appendOGObject(dst []byte, pairs []keyValue) []byte {
	dst = append(dst, '{')
	if len(pairs) == 0 {
		return append(dst, '}')
	}
	// next links each pair to the next one of its key: linear however
	// many keys repeat.
	last := make(map[string]int, len(pairs))
	next := make([]int, len(pairs))
	firstOfKey := make([]bool, len(pairs))
	for i, p := range pairs {
		next[i] = -1
		if j, seen := last[p.key]; seen {
			next[j] = i
		} else {
			firstOfKey[i] = true
		}
		last[p.key] = i
	}
	n := 0
	for i, p := range pairs {
		if !firstOfKey[i] {
			continue
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		dst = appendJSONString(dst, p.key)
		dst = append(dst, ':')
		if next[i] < 0 {
			dst = appendJSONString(dst, p.val)
			continue
		}
		dst = append(dst, '[')
		for j := i; j >= 0; j = next[j] {
			if j != i {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, pairs[j].val)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}
