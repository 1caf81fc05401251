package extract

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Block kinds.
const (
	bPara    uint8 = iota
	bHeading       // level 1–6
	bItem          // a list item's first block
	bCode          // preformatted, text kept as is
	bRow           // a table row; cells split by tCell
)

// mblock is one block of the article.
type mblock struct {
	kind   uint8
	level  uint8  // heading level; for a row, 1 when it is a header row
	list   uint16 // list nesting depth (items and the blocks inside them)
	quote  uint16 // blockquote depth
	num    int32  // an ordered item's number; 0 for a bullet
	table  int32  // rows of one table share it
	lang   string // a code block's language
	elem   int32  // a heading's element in the mirror
	lo, hi int32  // its tokens
}

// Inline token kinds.
const (
	tText uint8 = iota
	tBr
	tEmOn
	tEmOff
	tStrongOn
	tStrongOff
	tCodeOn
	tCodeOff
	tLinkOn // a, b: the absolute URL in buf
	tLinkOff
	tCell // between two cells of a row
)

// mtok is an inline token; a text's or URL's bytes are buf[a:b].
type mtok struct {
	kind uint8
	a, b int32
}

type listCtx struct {
	ordered bool
	next    int32
}

// builder turns the chosen subtrees into an article.
type builder struct {
	m    []mnode
	a    *article
	base *url.URL

	cur      int32 // open block, -1 when none
	space    bool  // white space seen since the last text
	lists    []listCtx
	item     bool // an <li> was entered and its first block not yet opened
	itemNum  int32
	quote    uint16
	pre      int // <pre> depth
	code     int // inline <code> depth
	heading  int
	header   int // depth of unkept <header>s: only their headings and paragraphs count
	hpara    int // <p> depth inside such a header
	row      bool
	cells    int
	tables   int32
	stack    []int32
	root     int32
	linkElem int32 // the <a> whose link token is open, -1 when none
	// zone is the parent of a boilerplate heading ("Related posts"):
	// what follows the heading in it is dropped, up to a heading of the
	// same level or higher (-1 when none).
	zone      int32
	zoneLevel uint8
	heads     []int32 // open heading elements, to find a heading's parent
}

func (b *builder) build(r int32) {
	m := b.m
	if b.a.blocks == nil {
		b.cur = -1
		b.linkElem = -1
		b.zone = -1
	}
	b.root = r
	stack := b.stack[:0]
	for i := r; i < m[r].end; {
		for len(stack) > 0 && m[stack[len(stack)-1]].end <= i {
			b.exit(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		}
		nd := &m[i]
		if nd.flags&fText != 0 {
			b.text(nd.n.Data)
			i++
			continue
		}
		if !b.enter(i, i == r) {
			i = nd.end
			continue
		}
		stack = append(stack, i)
		i++
	}
	for len(stack) > 0 {
		b.exit(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
	}
	b.stack = stack
	b.boundary()
}

// wanted tells whether an element inside the content is rendered.
func (b *builder) wanted(i int32, root bool) bool {
	nd := &b.m[i]
	f := nd.flags
	if f&fSkip != 0 || f&fElem == 0 {
		return false
	}
	if root || nd.n.Type != html.ElementNode {
		return true
	}
	if f&fJunk != 0 && f&fKeep == 0 {
		return false
	}
	switch nd.n.DataAtom {
	case atom.Ul, atom.Ol, atom.Div, atom.Section, atom.Table, atom.Dl, atom.Form, atom.Nav:
		// Link lists: related articles, tags, share links.
		if nd.text > 0 && nd.link*2 > nd.text {
			return false
		}
	case atom.P:
		if nd.text == 0 && nd.raw > 0 {
			return false
		}
	}
	return true
}

func (b *builder) enter(i int32, root bool) bool {
	if !b.wanted(i, root) {
		return false
	}
	nd := &b.m[i]
	n := nd.n
	if n.Type != html.ElementNode {
		return true
	}
	if b.headerOnly(i) {
		b.boundary()
		b.header++
		return true
	}
	if b.inCode() {
		b.enterCode(n)
		return true
	}
	if n.DataAtom == atom.P && b.header > 0 {
		b.hpara++
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.enterHeading(i)
	case atom.Br:
		b.lineBreak()
	case atom.Pre:
		b.enterPre(i)
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt, atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Var,
		atom.Strong, atom.B, atom.A:
		b.enterInline(i)
	case atom.Ul, atom.Ol, atom.Li:
		b.enterList(n)
	case atom.Blockquote:
		b.boundary()
		b.quote++
	case atom.Table, atom.Tr, atom.Td, atom.Th:
		b.enterTable(i)
	default:
		if nd.flags&fInline == 0 {
			b.boundary()
		}
	}
	return true
}

// enterCode handles an element inside a code block: only line breaks and
// the language count.
func (b *builder) enterCode(n *html.Node) {
	switch n.DataAtom {
	case atom.Br:
		b.raw("\n")
	case atom.Pre:
		b.pre++
	case atom.Code:
		if b.cur >= 0 && b.a.blocks[b.cur].lang == "" {
			b.a.blocks[b.cur].lang = codeLang(n)
		}
	}
}

func (b *builder) enterHeading(i int32) {
	if b.heading == 0 && !b.row {
		b.boundary()
		level := uint8(b.m[i].n.DataAtom.String()[1] - '0')
		if b.zone >= 0 && level <= b.zoneLevel {
			b.zone = -1
		}
		b.open(bHeading)
		b.a.blocks[b.cur].level = level
		b.a.blocks[b.cur].elem = i
	}
	b.heading++
}

func (b *builder) enterPre(i int32) {
	b.pre++
	if b.row || b.heading > 0 {
		return // a <pre> in a table cell or heading is only text
	}
	b.boundary()
	b.open(bCode)
	nd := &b.m[i]
	lang := codeLang(nd.n)
	if lang == "" && nd.parent >= 0 && b.m[nd.parent].n.Type == html.ElementNode {
		lang = codeLang(b.m[nd.parent].n)
	}
	b.a.blocks[b.cur].lang = lang
}

// enterInline opens code spans, emphasis and links.
func (b *builder) enterInline(i int32) {
	n := b.m[i].n
	switch n.DataAtom {
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		if b.code == 0 {
			b.mark(tCodeOn)
		}
		b.code++
	case atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Var:
		b.mark(tEmOn)
	case atom.Strong, atom.B:
		b.mark(tStrongOn)
	case atom.A:
		href, ok := attrOK(n, "href")
		if !ok || b.linkElem >= 0 || b.code > 0 || b.muted() {
			return
		}
		if u := b.resolve(href); u != "" {
			b.mark(tLinkOn)
			t := &b.a.toks[len(b.a.toks)-1]
			t.a = int32(len(b.a.buf))
			b.a.buf = append(b.a.buf, u...)
			t.b = int32(len(b.a.buf))
			b.linkElem = i
		}
	}
}

// enterList opens a list (its start number) or an item (its number).
func (b *builder) enterList(n *html.Node) {
	b.boundary()
	if n.DataAtom != atom.Li {
		l := listCtx{ordered: n.DataAtom == atom.Ol, next: 1}
		if v, ok := number(n, "start"); ok {
			l.next = v
		}
		b.lists = append(b.lists, l)
		return
	}
	b.item = true
	b.itemNum = 0
	if k := len(b.lists); k > 0 && b.lists[k-1].ordered {
		if v, ok := number(n, "value"); ok {
			b.lists[k-1].next = v
		}
		b.itemNum = b.lists[k-1].next
		b.lists[k-1].next++
	}
}

// number reads a list's start or an item's value.
func number(n *html.Node, key string) (int32, bool) {
	s, ok := attrOK(n, key)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < 0 || v >= 1e9 {
		return 0, false
	}
	return int32(v), true
}

// enterTable opens a data table's rows and cells; a layout table's parts
// are plain blocks.
func (b *builder) enterTable(i int32) {
	nd := &b.m[i]
	switch nd.n.DataAtom {
	case atom.Table:
		b.boundary()
		if nd.flags&fLayout == 0 {
			b.tables++
		}
	case atom.Tr:
		b.boundary()
		if b.inDataTable(i) {
			b.open(bRow)
			b.row, b.cells = true, 0
		}
	default: // td, th
		if !b.row || !b.inDataTable(i) {
			b.boundary()
			return
		}
		if b.cells > 0 {
			b.space = false
			b.a.toks = append(b.a.toks, mtok{kind: tCell})
		}
		if nd.n.DataAtom == atom.Th && b.cells == 0 {
			b.a.blocks[b.cur].level = 1
		} else if nd.n.DataAtom == atom.Td {
			b.a.blocks[b.cur].level = 0
		}
		b.cells++
	}
}

func (b *builder) exit(i int32) {
	nd := &b.m[i]
	n := nd.n
	if n.Type != html.ElementNode {
		return
	}
	if i == b.zone {
		b.boundary()
		b.zone = -1
	}
	if b.headerOnly(i) {
		b.boundary()
		b.header--
		return
	}
	if n.DataAtom == atom.Pre && b.pre > 0 {
		b.pre--
		if b.pre == 0 && !b.row && b.heading == 0 {
			b.boundary()
		}
		return
	}
	if b.inCode() {
		switch n.DataAtom {
		case atom.Div, atom.P, atom.Li, atom.Tr:
			b.raw("\n")
		}
		return
	}
	if n.DataAtom == atom.P && b.hpara > 0 {
		b.hpara--
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.heading--
		if b.heading == 0 && !b.row {
			b.boundary()
		}
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt, atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Var,
		atom.Strong, atom.B, atom.A:
		b.exitInline(i)
	case atom.Ul, atom.Ol:
		b.boundary()
		if len(b.lists) > 0 {
			b.lists = b.lists[:len(b.lists)-1]
		}
	case atom.Li:
		b.boundary()
		b.item = false
	case atom.Blockquote:
		b.boundary()
		if b.quote > 0 {
			b.quote--
		}
	case atom.Table:
		b.boundary()
	case atom.Tr:
		if b.row && b.inDataTable(i) {
			b.row = false
		}
		b.boundary()
	case atom.Td, atom.Th:
		if !b.row {
			b.boundary()
		}
	default:
		if nd.flags&fInline == 0 {
			b.boundary()
		}
	}
}

// exitInline closes code spans, emphasis and links.
func (b *builder) exitInline(i int32) {
	switch b.m[i].n.DataAtom {
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		b.code--
		if b.code == 0 {
			b.mark(tCodeOff)
		}
	case atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Var:
		b.mark(tEmOff)
	case atom.Strong, atom.B:
		b.mark(tStrongOff)
	case atom.A:
		if b.linkElem == i {
			b.mark(tLinkOff)
			b.linkElem = -1
		}
	}
}

// headerOnly tells whether element i is a header (page or article header)
// of which only the headings are kept.
func (b *builder) headerOnly(i int32) bool {
	return b.m[i].flags&(fHeader|fKeep) == fHeader && i != b.root
}

// muted tells whether text is dropped: in a header, outside its headings
// and paragraphs.
func (b *builder) muted() bool { return b.header > 0 && b.heading == 0 && b.hpara == 0 }

// inCode tells whether text goes to a code block as it is.
func (b *builder) inCode() bool { return b.pre > 0 && !b.row && b.heading == 0 }

// inDataTable tells whether table part i (tr, td, th) belongs to a table
// of data: its nearest <table> ancestor (at most 3 steps up: tbody, tr).
func (b *builder) inDataTable(i int32) bool {
	p := b.m[i].parent
	for k := 0; p >= 0 && k < 3; k++ {
		if b.m[p].n.DataAtom == atom.Table {
			return b.m[p].flags&fLayout == 0
		}
		p = b.m[p].parent
	}
	return false
}

func (b *builder) resolve(href string) string {
	u, err := url.Parse(cleanURL(href))
	if err != nil {
		return ""
	}
	if b.base != nil {
		u = b.base.ResolveReference(u)
	}
	if !u.IsAbs() {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "javascript", "data", "vbscript":
		return ""
	}
	return u.String()
}

// codeLang reads a code block's language from its class: language-go,
// lang-go, highlight-source-go, brush: go.
func codeLang(n *html.Node) string {
	class, _ := attrOK(n, "class")
	if len(class) > 256 {
		class = class[:256]
	}
	f := strings.Fields(strings.ToLower(class))
	for k, c := range f {
		for _, p := range []string{"language-", "lang-", "highlight-source-", "highlight-", "brush:"} {
			if strings.HasPrefix(c, p) {
				l := c[len(p):]
				if l == "" && p == "brush:" && k+1 < len(f) {
					l = f[k+1]
				}
				l = strings.TrimRight(l, ";")
				if isLangName(l) {
					return l
				}
			}
		}
	}
	if l, ok := attrOK(n, "data-lang"); ok && isLangName(strings.ToLower(l)) {
		return strings.ToLower(l)
	}
	return ""
}

func isLangName(s string) bool {
	if s == "" || len(s) > 32 || s == "none" || s == "text" || s == "plaintext" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '#' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// open starts a block of the kind asked, or, for a paragraph, an item when
// an <li> is waiting for its first block.
func (b *builder) open(kind uint8) {
	blk := mblock{kind: kind, quote: b.quote, lo: int32(len(b.a.toks))}
	blk.list = uint16(min(len(b.lists), 0xffff))
	if kind == bPara && b.item {
		blk.kind = bItem
		blk.num = b.itemNum
		b.item = false
	}
	if kind == bRow {
		blk.table = b.tables
	}
	b.a.blocks = append(b.a.blocks, blk)
	b.cur = int32(len(b.a.blocks) - 1)
	b.space = false
}

// boundary ends the open block (dropping it when it holds no text).
func (b *builder) boundary() {
	if b.row || b.heading > 0 {
		b.space = true
		return
	}
	b.flush()
}

func (b *builder) flush() {
	b.space = false
	if b.cur < 0 {
		return
	}
	a := b.a
	blk := &a.blocks[b.cur]
	b.linkElem = -1
	// Trim trailing breaks and a code block's trailing new lines.
	for len(a.toks) > int(blk.lo) && a.toks[len(a.toks)-1].kind == tBr {
		a.toks = a.toks[:len(a.toks)-1]
	}
	has := false
	for _, t := range a.toks[blk.lo:] {
		if t.kind == tText && t.b > t.a {
			has = true
			break
		}
	}
	if has && b.zone >= 0 {
		has = false
	} else if k := b.boilerplate(blk); has && blk.kind != bCode && blk.kind != bRow && k != 0 {
		has = false
		if blk.kind == bHeading && blk.elem > 0 && k == pRelated {
			b.zone = b.m[blk.elem].parent
			b.zoneLevel = blk.level
		}
	}
	if !has {
		a.toks = a.toks[:blk.lo]
		a.blocks = a.blocks[:b.cur]
	} else {
		blk.hi = int32(len(a.toks))
	}
	b.cur = -1
}

// boilerplate tells whether the block being closed is a boilerplate line
// ("Share this", "Related posts") or starts with one and goes on with
// links only ("Read also: <a>…</a>").
func (b *builder) boilerplate(blk *mblock) uint8 {
	var first []byte
	firstDone := false
	var total, linked, firstLen int
	inLink := false
	for _, t := range b.a.toks[blk.lo:] {
		switch t.kind {
		case tText:
			n := int(t.b - t.a)
			total += n
			if inLink {
				linked += n
			}
			if !firstDone {
				firstLen += n
				if len(first) < 100 {
					first = append(first, b.a.buf[t.a:min(t.b, t.a+100)]...)
				}
			}
		case tBr:
			firstDone = true
		case tLinkOn:
			inLink = true
		case tLinkOff:
			inLink = false
		}
	}
	if total <= 80 {
		return boilerplateLine(string(first))
	}
	rest := total - firstLen
	if firstLen <= 80 && rest > 0 && linked*2 >= rest {
		return boilerplateLine(string(first)) // a boilerplate line, then links on the next lines
	}
	if len(first) > 0 && linked*2 >= total {
		// "Read also: <a>…</a>" on one line.
		f := string(first)
		if i := strings.IndexByte(f, ':'); i > 0 && i < 40 {
			return boilerplateLine(f[:i])
		}
	}
	return 0
}

// ensure opens a paragraph when no block is open.
func (b *builder) ensure() {
	if b.cur < 0 {
		b.open(bPara)
	}
}

// mark appends an inline marker; a closing marker right after its opening
// one removes both.
func (b *builder) mark(k uint8) {
	if b.muted() {
		return
	}
	if k == tEmOn || k == tStrongOn || k == tCodeOn || k == tLinkOn {
		if b.cur < 0 {
			b.ensure()
		} else if b.space && b.hasText() {
			b.writeText(" ")
		}
		b.space = false
		b.a.toks = append(b.a.toks, mtok{kind: k})
		return
	}
	if b.cur < 0 {
		return
	}
	toks := b.a.toks
	if n := len(toks); n > int(b.a.blocks[b.cur].lo) && toks[n-1].kind == k-1 {
		// An empty pair: gone, and so is the space written for it.
		b.a.toks = toks[:n-1]
		if k == tLinkOff {
			b.a.buf = b.a.buf[:toks[n-1].a]
		}
		if n-1 > int(b.a.blocks[b.cur].lo) {
			if t := &b.a.toks[n-2]; t.kind == tText && t.b > t.a && b.a.buf[t.b-1] == ' ' {
				t.b--
				b.space = true
			}
		}
		return
	}
	// A closing marker whose opening one is in an earlier block is
	// ignored by the renderers, which balance markers per block.
	b.a.toks = append(toks, mtok{kind: k})
}

func (b *builder) lineBreak() {
	if b.muted() || b.cur < 0 {
		return
	}
	if b.row || b.heading > 0 {
		b.space = true
		return
	}
	toks := b.a.toks
	if n := len(toks); n > int(b.a.blocks[b.cur].lo) && toks[n-1].kind == tBr {
		// Two breaks in a row end a paragraph.
		b.flush()
		return
	}
	b.space = false
	b.a.toks = append(b.a.toks, mtok{kind: tBr})
}

// text adds a text node's text, white space collapsed (kept as is in <pre>).
func (b *builder) text(s string) {
	if b.muted() {
		return
	}
	if b.inCode() {
		b.raw(s)
		return
	}
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			sp = isSpace(r)
		}
		if sp {
			if start >= 0 {
				b.writeText(s[start:i])
				start = -1
			}
			b.space = true
		} else if start < 0 {
			if b.cur < 0 {
				b.ensure()
			} else if b.space && b.hasText() {
				b.writeText(" ")
			} else if b.space {
				b.spaceBeforeMarks()
			}
			b.space = false
			start = i
		}
		i += size
	}
	if start >= 0 {
		b.writeText(s[start:])
	}
}

// spaceBeforeMarks puts a space that opens an emphasis or a link ("a<em>
// b</em>") before its markers, where Markdown needs it.
func (b *builder) spaceBeforeMarks() {
	toks := b.a.toks
	lo := int(b.a.blocks[b.cur].lo)
	j := len(toks)
	for j > lo && (toks[j-1].kind == tEmOn || toks[j-1].kind == tStrongOn || toks[j-1].kind == tCodeOn || toks[j-1].kind == tLinkOn) {
		j--
	}
	if j == len(toks) || j == lo || toks[j-1].kind == tBr || toks[j-1].kind == tCell {
		return
	}
	off := int32(len(b.a.buf))
	b.a.buf = append(b.a.buf, ' ')
	b.a.toks = append(toks, mtok{})
	copy(b.a.toks[j+1:], b.a.toks[j:])
	b.a.toks[j] = mtok{kind: tText, a: off, b: off + 1}
}

// hasText tells whether the open block has a token after which a space
// means something.
func (b *builder) hasText() bool {
	n := len(b.a.toks)
	if n <= int(b.a.blocks[b.cur].lo) {
		return false
	}
	switch b.a.toks[n-1].kind {
	case tText, tEmOff, tStrongOff, tCodeOff, tLinkOff:
		return true
	}
	return false
}

// raw adds preformatted text.
func (b *builder) raw(s string) {
	if b.cur < 0 {
		if strings.TrimSpace(s) == "" {
			return
		}
		b.open(bCode)
	}
	b.writeText(s)
}

// writeText appends s to the last text token when it is the last token,
// else starts one.
func (b *builder) writeText(s string) {
	a := b.a
	if n := len(a.toks); n > 0 && a.toks[n-1].kind == tText && int(a.toks[n-1].b) == len(a.buf) && n > int(a.blocks[b.cur].lo) {
		a.buf = append(a.buf, s...)
		a.toks[n-1].b = int32(len(a.buf))
		return
	}
	a.toks = append(a.toks, mtok{kind: tText, a: int32(len(a.buf))})
	a.buf = append(a.buf, s...)
	a.toks[len(a.toks)-1].b = int32(len(a.buf))
}
