package extract

import (
	"net/url"

	"golang.org/x/net/html"
)

// appendMeta appends the meta value (a JSON object) for the document: the
// keys canonical, lang, robots, author, keywords, published, modified,
// site_name, feeds, hreflang and icons, in that order, each null when the
// page has nothing for it. Decisions where SPEC is silent:
//   - canonical: the first <link rel=canonical> (rel a token list, matched
//     ASCII case-insensitively) whose href makes an absolute URL.
//   - lang: the lang attribute of <html> as written.
//   - robots, author, keywords: the content of the first <meta name=…>
//     (name matched case-insensitively, surrounding white space ignored),
//     as written.
//   - published, modified: the first value that normalizeDate can read, of
//     these sources in turn: JSON-LD datePublished / dateModified (string
//     values of that key at any depth, @graph included, in document order;
//     blocks that are not JSON are left out as jsonld leaves them out);
//     <meta property> article:published_time / article:modified_time or
//     og:updated_time; <meta name> from metaPublishedNames /
//     metaModifiedNames; for published, the first <time datetime> (only
//     the first: the first time on a page is the likeliest to be its date).
//   - site_name: og:site_name, else <meta name=application-name>.
//   - feeds: the href of every <link rel=alternate> whose type is
//     application/rss+xml or application/atom+xml (ASCII case-insensitive,
//     parameters ignored), absolute, each URL once, in document order.
//   - hreflang: <link rel=alternate hreflang=L href=U> as L → U, L as
//     written (white space trimmed), the first U of a language that makes an
//     absolute URL kept, keys in document order.
//   - icons: the href of every <link> whose rel tokens include icon (icon,
//     shortcut icon; not apple-touch-icon), absolute, each URL once.
func appendMeta(dst []byte, root *html.Node, base *url.URL) []byte {
	h := newHeadCollector(false, false, true)
	headTree(h, root)
	_, _, mt := h.results(base)
	return append(dst, mt...)
}

// metaPublishedNames and metaModifiedNames are the <meta name> values
// (lower case) read as a page's dates: Dublin Core, the news and citation
// conventions, and names sites use for Open Graph's properties.
var (
	metaPublishedNames = map[string]bool{
		"date": true, "dc.date": true, "dc.date.issued": true, "dc.date.created": true,
		"dcterms.date": true, "dcterms.issued": true, "dcterms.created": true,
		"article.published": true, "article:published_time": true, "published_time": true,
		"pubdate": true, "publishdate": true, "publish-date": true, "publish_date": true,
		"publication_date": true, "citation_publication_date": true, "citation_date": true,
		"parsely-pub-date": true, "sailthru.date": true,
	}
	metaModifiedNames = map[string]bool{
		"dc.date.modified": true, "dcterms.modified": true, "article.updated": true,
		"article.modified": true, "article:modified_time": true, "modified_time": true,
		"og:updated_time": true, "last-modified": true, "lastmod": true,
	}
)

// The sources of a date, in the order they are tried.
const (
	srcJSONLD = iota
	srcOpenGraph
	srcMetaName
	srcTime
	nSources
)

type optString struct {
	s  string
	ok bool
}

func (o *optString) set(s string, ok bool) {
	if !o.ok && ok {
		o.s, o.ok = s, true
	}
}

// setDate keeps the first candidate that normalizeDate reads.
func (o *optString) setDate(s string) {
	if !o.ok {
		o.set(normalizeDate(s))
	}
}

type jsonDate struct {
	key jsonDateKey
	val string
}

// metaFields are meta's findings so far; URLs are kept as written until
// the base is known (the tokenizer meets <base> anywhere).
type metaFields struct {
	lang, robots, author, keywords, siteName, appName optString
	pub, mod                                          [nSources]optString
	timeSeen                                          bool
	canonical, feeds, icons                           []string
	hreflang                                          []keyValue
}

// metaKeyUsed reports whether a <meta> with these lower-cased property and
// name keys feeds a meta field.
func metaKeyUsed(propKey, nameKey string) bool {
	switch propKey {
	case "og:site_name", "article:published_time", "article:modified_time", "og:updated_time":
		return true
	}
	switch nameKey {
	case "robots", "author", "keywords", "application-name":
		return true
	}
	return metaPublishedNames[nameKey] || metaModifiedNames[nameKey]
}

func (m *metaFields) meta(propKey, nameKey, content string) {
	switch propKey {
	case "og:site_name":
		m.siteName.set(content, true)
	case "article:published_time":
		m.pub[srcOpenGraph].setDate(content)
	case "article:modified_time", "og:updated_time":
		m.mod[srcOpenGraph].setDate(content)
	}
	switch nameKey {
	case "robots":
		m.robots.set(content, true)
	case "author":
		m.author.set(content, true)
	case "keywords":
		m.keywords.set(content, true)
	case "application-name":
		m.appName.set(content, true)
	}
	if metaPublishedNames[nameKey] {
		m.pub[srcMetaName].setDate(content)
	}
	if metaModifiedNames[nameKey] {
		m.mod[srcMetaName].setDate(content)
	}
}

func (m *metaFields) link(attrs []html.Attribute) {
	rel, _ := attrIn(attrs, "rel")
	href, ok := attrIn(attrs, "href")
	if !ok || rel == "" {
		return
	}
	if hasToken(rel, "canonical") {
		m.canonical = append(m.canonical, href)
	}
	if hasToken(rel, "icon") {
		m.icons = append(m.icons, href)
	}
	if !hasToken(rel, "alternate") {
		return
	}
	if lang, ok := attrIn(attrs, "hreflang"); ok {
		if lang = trimASCIISpace(lang); lang != "" {
			m.hreflang = append(m.hreflang, keyValue{lang, href})
		}
	}
	if t, ok := attrIn(attrs, "type"); ok && isFeedType(t) {
		m.feeds = append(m.feeds, href)
	}
}

// isFeedType reports whether a link's type names RSS or Atom.
func isFeedType(t string) bool {
	t = lowerTrim(t)
	for i := 0; i < len(t); i++ {
		if t[i] == ';' {
			t = trimASCIISpace(t[:i])
			break
		}
	}
	return t == "application/rss+xml" || t == "application/atom+xml"
}

func (m *metaFields) time(attrs []html.Attribute) {
	if m.timeSeen {
		return
	}
	if v, ok := attrIn(attrs, "datetime"); ok {
		m.timeSeen = true
		m.pub[srcTime].setDate(v)
	}
}

func (m *metaFields) jsonldDate(d jsonDate) {
	switch d.key {
	case datePublishedKey:
		m.pub[srcJSONLD].setDate(d.val)
	case dateModifiedKey:
		m.mod[srcJSONLD].setDate(d.val)
	}
}

// appendJSON writes the meta object, resolving URLs against base.
func (m *metaFields) appendJSON(dst []byte, base *url.URL) []byte {
	dst = append(dst, `{"canonical":`...)
	var canonical optString
	for _, href := range m.canonical {
		if canonical.set(absURL(base, href)); canonical.ok {
			break
		}
	}
	str := func(dst []byte, key string, o optString) []byte {
		dst = append(dst, ',', '"')
		dst = append(dst, key...)
		dst = append(dst, '"', ':')
		return appendJSONStringOrNull(dst, o.s, o.ok)
	}
	dst = appendJSONStringOrNull(dst, canonical.s, canonical.ok)
	dst = str(dst, "lang", m.lang)
	dst = str(dst, "robots", m.robots)
	dst = str(dst, "author", m.author)
	dst = str(dst, "keywords", m.keywords)
	dst = str(dst, "published", firstOf(m.pub[:]))
	dst = str(dst, "modified", firstOf(m.mod[:]))
	site := m.siteName
	site.set(m.appName.s, m.appName.ok)
	dst = str(dst, "site_name", site)
	dst = append(dst, `,"feeds":`...)
	dst = appendURLList(dst, m.feeds, base)
	dst = append(dst, `,"hreflang":`...)
	dst = appendHreflang(dst, m.hreflang, base)
	dst = append(dst, `,"icons":`...)
	dst = appendURLList(dst, m.icons, base)
	return append(dst, '}')
}

func firstOf(srcs []optString) optString {
	for _, o := range srcs {
		if o.ok {
			return o
		}
	}
	return optString{}
}

// appendURLList writes the absolute URLs of hrefs, each once, as an array;
// null when there is none.
func appendURLList(dst []byte, hrefs []string, base *url.URL) []byte {
	seen := make(map[string]bool, len(hrefs))
	n := 0
	for _, href := range hrefs {
		u, ok := absURL(base, href)
		if !ok || seen[u] {
			continue
		}
		seen[u] = true
		if n == 0 {
			dst = append(dst, '[')
		} else {
			dst = append(dst, ',')
		}
		n++
		dst = appendJSONString(dst, u)
	}
	if n == 0 {
		return append(dst, "null"...)
	}
	return append(dst, ']')
}

func appendHreflang(dst []byte, pairs []keyValue, base *url.URL) []byte {
	seen := make(map[string]bool, len(pairs))
	n := 0
	for _, p := range pairs {
		if seen[p.key] {
			continue
		}
		u, ok := absURL(base, p.val)
		if !ok {
			continue
		}
		seen[p.key] = true
		if n == 0 {
			dst = append(dst, '{')
		} else {
			dst = append(dst, ',')
		}
		n++
		dst = appendJSONString(dst, p.key)
		dst = append(dst, ':')
		dst = appendJSONString(dst, u)
	}
	if n == 0 {
		return append(dst, "null"...)
	}
	return append(dst, '}')
}
