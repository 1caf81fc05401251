package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	fPos    uint32 = 1 << (iota + 20) // class or id has a content word ("post", "article"…)
	fBlocky                           // has a descendant that only layout tables put in cells
	fLayout                           // a table (or a cell of one) used for layout, not data
)

// Class and id words (lower case, split at anything but letters and digits)
// that mark boilerplate. One word is enough: "comment-list", "site-footer",
// "share_buttons", "widget_text".
var junkWords = map[string]uint32{
	"sidebar": fJunk, "sidebars": fJunk, "widgettitle": fJunk,
	"share": fJunk, "shares": fJunk, "sharing": fJunk, "sharedaddy": fJunk, "sharethis": fJunk,
	"addthis": fJunk, "social": fJunk, "socials": fJunk, "socialmedia": fJunk, "shariff": fJunk,
	"related": fJunk, "relatedposts": fJunk, "yarpp": fJunk, "recommended": fJunk,
	"recommendations": fJunk, "trending": fJunk, "popular": fJunk, "outbrain": fJunk, "taboola": fJunk,
	"newsletter": fJunk, "subscribe": fJunk, "subscription": fJunk, "signup": fJunk, "optin": fJunk,
	"cookie": fJunk, "cookies": fJunk, "consent": fJunk, "gdpr": fJunk, "cookiebar": fJunk,
	"ad": fJunk, "ads": fJunk, "advert": fJunk, "adverts": fJunk, "advertisement": fJunk,
	"advertising": fJunk, "adsense": fJunk, "adsbygoogle": fJunk, "adslot": fJunk, "anzeige": fJunk,
	"sponsor": fJunk, "sponsored": fJunk, "promo": fJunk, "promotion": fJunk, "paywall": fJunk,
	"breadcrumb": fJunk, "breadcrumbs": fJunk, "nav": fJunk, "navbar": fJunk, "navigation": fJunk,
	"menu": fJunk, "submenu": fJunk, "megamenu": fJunk, "toolbar": fJunk, "masthead": fJunk,
	"footer": fJunk, "pagination": fJunk, "pager": fJunk, "popup": fJunk, "modal": fJunk,
	"overlay": fJunk, "banner": fJunk, "login": fJunk, "signin": fJunk, "search": fJunk,
	"tags": fJunk, "tagcloud": fJunk, "tagged": fJunk, "categories": fJunk, "rating": fJunk,
	"ratings": fJunk, "toc": fJunk, "skip": fJunk, "caption": fJunk, "credit": fJunk,
	"credits": fJunk, "copyright": fJunk, "disclaimer": fJunk, "ticker": fJunk,
	"tweet": fJunk, "embed": fJunk, "embedded": fJunk, "infobox": fJunk, "factbox": fJunk,
	"comment": fJunk | fComment, "comments": fJunk | fComment, "commentlist": fJunk | fComment,
	"respond": fJunk | fComment, "reply": fJunk | fComment, "replies": fJunk | fComment,
	"disqus": fJunk | fComment, "discussion": fJunk | fComment,
	"byline": fJunk | fByline, "author": fJunk | fByline, "authors": fJunk | fByline,
	"meta": fJunk | fByline, "postmeta": fJunk | fByline, "entrymeta": fJunk | fByline,
	"date": fJunk | fByline, "dateline": fJunk | fByline, "timestamp": fJunk | fByline,
	"posted": fJunk | fByline, "postedon": fJunk | fByline, "bio": fJunk | fByline,
	"feedback": fJunk,
	"article":  fPos, "body": fPos, "content": fPos, "entry": fPos, "hentry": fPos, "main": fPos,
	"page": fPos, "post": fPos, "text": fPos, "blog": fPos, "story": fPos, "prose": fPos,
}

// Whole class names that hide an element from sighted readers.
var hiddenClasses = map[string]bool{
	"hidden": true, "hide": true, "invisible": true, "sr-only": true, "visually-hidden": true,
	"visuallyhidden": true, "screen-reader-text": true, "screenreader": true, "offscreen": true,
	"element-invisible": true, "u-hidden": true, "is-hidden": true, "d-none": true,
}

// Class or id fragments, with '-' and '_' removed, that mark the article's
// body.
var markerFragments = []string{
	"articlebody", "articlecontent", "articletext", "entrycontent", "entrybody", "entrytext",
	"postcontent", "postbody", "posttext", "postentry", "storybody", "storycontent", "storytext",
	"itemfulltext", "bodytext", "contentbody", "fieldnamebody", "markdownbody", "blogcontent",
	"blogpostbody", "newscontent", "newsbody", "singlecontent", "articleinner", "textcontent",
	"richtext", "postinner", "entryinner",
}

// classFlags reads an element's class and id.
func classFlags(class, id string) uint32 {
	const max = 256 // a class list longer than this says nothing more
	if len(class) > max {
		class = class[:max]
	}
	if len(id) > max {
		id = id[:max]
	}
	var f uint32
	lc := strings.ToLower(class)
	for _, c := range strings.Fields(lc) {
		if hiddenClasses[c] {
			return fSkip
		}
	}
	s := lc + " " + strings.ToLower(id)
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9') {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			f |= junkWords[s[start:i]]
			start = -1
		}
	}
	if f&(fPos|fJunk) != 0 && isMarker(s) {
		f |= fMarker
	}
	if f&fMarker != 0 {
		// "entry-content" names the body even when another word
		// ("post-content-share") also names boilerplate: only a
		// clear boilerplate word on the same element wins.
		if f&fComment == 0 {
			f &^= fJunk | fByline | fHeader
		}
	}
	return f
}

// isMarker tells whether a class or id name (lower case) holds one of
// markerFragments starting at a word: "entry-content", "articleBody", but
// not "coventry__body".
func isMarker(s string) bool {
	var norm []byte
	var starts []bool
	for _, name := range strings.Fields(s) {
		norm, starts = norm[:0], starts[:0]
		word := true
		for i := 0; i < len(name); i++ {
			c := name[i]
			if c == '-' || c == '_' {
				word = true
				continue
			}
			norm = append(norm, c)
			starts = append(starts, word)
			word = false
		}
		for _, frag := range markerFragments {
			for from := 0; from < len(norm); {
				k := strings.Index(string(norm[from:]), frag)
				if k < 0 {
					break
				}
				if starts[from+k] {
					return true
				}
				from += k + 1
			}
		}
	}
	return false
}

// good is an element's text that is not link text.
func (m *mnode) good() int32 { return m.text - m.link }

// rawStats sums the text of every subtree, boilerplate included.
func rawStats(m []mnode) {
	for i := len(m) - 1; i >= 0; i-- {
		nd := &m[i]
		if nd.flags&fText != 0 {
			nd.raw = textLen(nd.n.Data)
		}
		if nd.parent >= 0 {
			m[nd.parent].raw += nd.raw
		}
	}
}

// textLen counts the bytes of s that are not ASCII white space.
func textLen(s string) int32 {
	var n int32
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\f':
		default:
			n++
		}
	}
	return n
}

// bestMarker is the strong content marker with the most text, preferring an
// inner marker that holds most of an outer one's text; -1 when none.
func bestMarker(m []mnode) int32 {
	rawStats(m)
	best := int32(-1)
	for i := range m {
		if m[i].flags&fMarker == 0 || m[i].raw < 100 {
			continue
		}
		switch {
		case best < 0 || m[i].raw > m[best].raw:
			if best >= 0 && int32(i) < m[best].end && m[i].raw*10 < m[best].raw*8 {
				continue // inside best but only a part of it
			}
			best = int32(i)
		case int32(i) < m[best].end && m[i].raw*10 >= m[best].raw*8:
			best = int32(i)
		}
	}
	return best
}

// protect keeps the best marker's ancestors, and boilerplate-flagged
// wrappers holding most of the page's text, from being dropped; then marks
// everything under the remaining boilerplate.
func protect(m []mnode, best int32) {
	if best >= 0 {
		for p := m[best].parent; p >= 0; p = m[p].parent {
			m[p].flags |= fKeep
		}
	}
	total := m[0].raw
	for i := range m {
		nd := &m[i]
		if nd.flags&(fJunk|fHeader) != 0 && nd.flags&fComment == 0 && nd.raw*10 >= total*6 && nd.raw > 0 {
			nd.flags |= fKeep
		}
		if nd.flags&fJunk != 0 && nd.flags&fKeep == 0 || nd.flags&fSkip != 0 {
			nd.flags |= fUnder
		}
		if nd.parent >= 0 && m[nd.parent].flags&fUnder != 0 {
			nd.flags |= fUnder
		}
	}
}

// measure sums text, link text and paragraph text bottom-up, boilerplate
// left out, and tells layout tables from data tables.
func measure(m []mnode) {
	for i := range m {
		nd := &m[i]
		if nd.flags&fText == 0 || nd.flags&fUnder != 0 {
			continue
		}
		l := textLen(nd.n.Data)
		nd.text = l
		b := &m[nd.block]
		b.own += l
		if nd.flags&fInLink != 0 {
			nd.link = l
			b.ownLink += l
		}
	}
	for i := len(m) - 1; i > 0; i-- {
		nd := &m[i]
		if nd.flags&fUnder != 0 {
			continue
		}
		p := &m[nd.parent]
		p.text += nd.text
		p.link += nd.link
		if nd.flags&fElem == 0 {
			continue
		}
		switch nd.n.DataAtom {
		case atom.Table, atom.Ul, atom.Ol, atom.Dl, atom.H1, atom.H2, atom.H3, atom.H4,
			atom.H5, atom.H6, atom.Blockquote, atom.Pre, atom.Form:
			nd.flags |= fBlocky
		case atom.Td, atom.Th:
			if nd.flags&fBlocky != 0 || nd.text > 400 {
				nd.flags |= fLayout
			}
		}
		p.flags |= nd.flags & fBlocky
		if nd.n.DataAtom != atom.Table {
			p.flags |= nd.flags & fLayout
		}
	}
	for i := range m {
		nd := &m[i]
		if nd.flags&(fElem|fUnder) != fElem || nd.own < 25 {
			continue
		}
		switch nd.n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			continue
		}
		if nd.ownLink*2 < nd.own {
			nd.mass = nd.own - nd.ownLink
		}
	}
	for i := len(m) - 1; i > 0; i-- {
		if m[i].flags&fUnder == 0 {
			m[m[i].parent].mass += m[i].mass
		}
	}
}

// chooseContent gives the roots of the main content, in document order.
func chooseContent(m []mnode, best int32) []int32 {
	roots := chooseRoot(m, best)
	if len(roots) == 1 {
		return expand(m, inArticle(m, roots[0]))
	}
	return roots
}

var articleShare int32 = 15

// inArticle is the <article> around r when r holds most of its paragraph
// text: the article's lead, standfirst and subheadings are outside the body
// that a marker names.
func inArticle(m []mnode, r int32) int32 {
	for p := m[r].parent; p >= 0; p = m[p].parent {
		if m[p].n.DataAtom == atom.Article && m[p].flags&fUnder == 0 {
			if m[p].mass*10 <= m[r].mass*articleShare {
				return p
			}
			return r
		}
	}
	return r
}

// expand adds to root those of its siblings that read like its own text:
// an article's lead or intro is often a sibling of its body.
func expand(m []mnode, r int32) []int32 {
	p := m[r].parent
	for {
		if p < 0 || m[p].n.DataAtom == atom.Body || m[p].n.Type != html.ElementNode {
			return []int32{r}
		}
		if m[p].mass > 2*m[r].mass {
			return []int32{r}
		}
		if p+1 != r || m[p].end != m[r].end {
			break
		}
		// An only child: look one level up.
		r, p = p, m[p].parent
	}
	var set []int32
	for c := p + 1; c < m[p].end; c = m[c].end {
		nd := &m[c]
		if c == r || c < r && nd.flags&(fElem|fUnder|fSkip) == fElem && nd.mass > 0 && nd.link*3 < nd.text {
			set = append(set, c)
		}
	}
	return set
}

func chooseRoot(m []mnode, best int32) []int32 {
	top := massCenter(m, massShare)
	if best >= 0 && m[best].flags&fUnder == 0 && m[best].good() > 0 {
		switch {
		case top < 0 || contains(m, best, top):
			return []int32{best}
		case contains(m, top, best) && m[best].mass*10 >= m[top].mass*markerShare:
			return []int32{best}
		case !contains(m, top, best) && m[best].mass*2 >= m[top].mass:
			return []int32{best}
		}
	}
	if top < 0 {
		return nil
	}
	set := []int32{top}
	var setGood int32
	for _, r := range set {
		setGood += m[r].good()
	}
	// A weak marker (<article>, <main>) around or inside the scored
	// content decides its bounds.
	weak := int32(-1)
	for i := range m {
		if m[i].flags&(fWeak|fUnder) == fWeak && (weak < 0 || m[i].good() > m[weak].good()) {
			weak = int32(i)
		}
	}
	if weak >= 0 {
		switch {
		case contains(m, weak, top) && m[weak].n.DataAtom == atom.Article:
			return []int32{weak}
		case contains(m, top, weak) && m[weak].good()*10 >= setGood*6:
			return []int32{weak}
		}
	}
	return set
}

// massShare is the share of the page's paragraph text that the content
// must hold (tuned on the evaluation set; MAINTEXT.md).
var massShare float32 = 0.7

// massCenter descends from the root to the deepest element that holds at
// least share of the page's paragraph text.
func massCenter(m []mnode, share float32) int32 {
	cur := int32(0)
	limit := int32(float32(m[0].mass) * share)
	if m[0].mass == 0 {
		return -1
	}
	for {
		next := int32(-1)
		for c := cur + 1; c < m[cur].end; c = m[c].end {
			if m[c].flags&(fElem|fUnder) == fElem && m[c].mass >= limit && (next < 0 || m[c].mass > m[next].mass) {
				next = c
			}
		}
		if next < 0 {
			return cur
		}
		cur = next
	}
}

var markerShare int32 = 5

// contains tells whether a is b or an ancestor of b.
func contains(m []mnode, a, b int32) bool { return a <= b && b < m[a].end }
