package htmlparse

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	a "golang.org/x/net/html/atom"
)

// trawl: the tree builder answers most of its questions ("is a p in button
// scope?", "which is the nearest table?", "is a template open?") by walking
// the stack of open elements from the top and testing each element's tag and
// namespace, often through a map. With up to MaxDepth elements open, that is
// hundreds of tests for each token of a deep page.
//
// stackIndex answers them in a few word operations instead. Each open element
// gets an elemMeta when pushed, holding the results of upstream's tests, and
// a bit at its stack position in one bitset per property (each elemFlags bit,
// and each tag: its slot). "The highest element with property X" is then the
// highest bit of a bitset; "X in scope" compares that with the highest
// element that ends the scope.
//
// Upstream pops by reslicing p.oe, so the index keeps entries past len(p.oe)
// until the stack grows again: meta[i] and the bits at i describe p.oe[i] for
// i < len(p.oe), and every query masks the rest. Every push and every removal
// or move in the middle of p.oe goes through pushOE, removeOE and moveOE,
// which keep the index in step.

// elemMeta describes one open element.
type elemMeta struct {
	// key is the element's DataAtom, or for an element without one (a
	// custom element) nameKey of its name.
	key uint32
	// fold is foldKey of a foreign element's name, so that
	// parseForeignContent calls strings.EqualFold only where keys match.
	fold  uint32
	flags elemFlags
	// slot and foldSlot are the bitsets of key and fold, -1 for none.
	slot, foldSlot int16
	// extra counts the elements removed from the stack below this one
	// while they stayed its ancestors (see full).
	extra int16
}

type elemFlags uint32

const (
	fHTML            elemFlags = 1 << iota // Namespace == ""
	fForeign                               // Namespace != ""
	fSpecial                               // isSpecialElement
	fStopDefault                           // ends defaultScope (and the list item and button scopes)
	fStopList                              // also ends listItemScope: HTML ol, ul
	fStopButton                            // also ends buttonScope: HTML button
	fStopTable                             // ends tableScope: HTML html, table, template
	fStopSelect                            // ends selectScope: HTML, neither optgroup nor option
	fMode                                  // resetInsertionMode decides on it
	fTableOrTemplate                       // DataAtom table or template, any namespace
	fHTMLTemplate                          // HTML template
	fLiBlock                               // ends the <li> start tag's walk: special, not address, div, p, li
	fDdBlock                               // ends the <dd>/<dt> walk: special, not address, div, p, dd, dt
	nFlags           = iota
)

// scopeStops are the flags that end each scope of indexOfElementInScope.
var scopeStops = [...]elemFlags{
	defaultScope:   fStopDefault,
	listItemScope:  fStopDefault | fStopList,
	buttonScope:    fStopDefault | fStopButton,
	tableScope:     fStopTable,
	tableRowScope:  0,
	tableBodyScope: 0,
	selectScope:    fStopSelect,
}

// maxSlots bounds the tags (and foreign names) with a bitset of their own.
// Past it a page's further tags are found by walking p.meta.
const maxSlots = 128

// bitset has a bit for each position of the stack of open elements, which
// never holds more than MaxDepth elements.
type bitset [MaxDepth/64 + 1]uint64

func (b *bitset) set(i int)   { b[i>>6] |= 1 << (i & 63) }
func (b *bitset) clear(i int) { b[i>>6] &^= 1 << (i & 63) }

// highest returns the highest set bit below n, or -1.
func (b *bitset) highest(n int) int {
	if n <= 0 {
		return -1
	}
	w := (n - 1) >> 6
	x := b[w] & (^uint64(0) >> (63 - (n-1)&63))
	for {
		if x != 0 {
			return w<<6 + 63 - bits.LeadingZeros64(x)
		}
		if w == 0 {
			return -1
		}
		w--
		x = b[w]
	}
}

// down returns the highest set bit in [from, n) for which f is true,
// trying them from the top, or -1.
func (b *bitset) down(from, n int, f func(int) bool) int {
	if n <= from {
		return -1
	}
	for w := (n - 1) >> 6; w >= from>>6; w-- {
		x := b[w]
		if w == (n-1)>>6 {
			x &= ^uint64(0) >> (63 - (n-1)&63)
		}
		for x != 0 {
			hi := 63 - bits.LeadingZeros64(x)
			i := w<<6 + hi
			if i < from {
				return -1
			}
			if f(i) {
				return i
			}
			x &^= 1 << hi
		}
	}
	return -1
}

// lowest returns the lowest set bit in [from, n), or -1.
func (b *bitset) lowest(from, n int) int {
	if from >= n {
		return -1
	}
	w := from >> 6
	x := b[w] &^ (1<<(from&63) - 1)
	for {
		if x != 0 {
			if i := w<<6 + bits.TrailingZeros64(x); i < n {
				return i
			}
			return -1
		}
		w++
		if w<<6 >= n {
			return -1
		}
		x = b[w]
	}
}

// any reports whether a bit at or above i is set.
func (b *bitset) any(i int) bool {
	w := i >> 6
	if b[w]>>(i&63) != 0 {
		return true
	}
	for w++; w < len(b); w++ {
		if b[w] != 0 {
			return true
		}
	}
	return false
}

// removeAt moves the bits above i down by one; bit i is lost.
func (b *bitset) removeAt(i int) {
	w := i >> 6
	low := b[w] & (1<<(i&63) - 1)
	b[w] = low | (b[w]>>1)&^(1<<(i&63)-1)
	for ; w+1 < len(b); w++ {
		b[w] |= b[w+1] << 63
		b[w+1] >>= 1
	}
}

// insertAt moves the bits at and above i up by one; bit i becomes clear.
func (b *bitset) insertAt(i int) {
	w := i >> 6
	for v := len(b) - 1; v > w; v-- {
		b[v] = b[v]<<1 | b[v-1]>>63
	}
	low := b[w] & (1<<(i&63) - 1)
	b[w] = low | (b[w]&^(1<<(i&63)-1))<<1
}

// stackIndex is the index of the stack of open elements.
type stackIndex struct {
	meta  []elemMeta
	flags [nFlags]bitset
	// slots has a bitset for each tag key (keySlot maps keys to slots),
	// folds one for each foreign name's fold key.
	slots, folds         []bitset
	keySlot, foldSlot    map[uint32]int16
	slotsFull, foldsFull bool
	// cache holds metaOf's recent results for elements with an atom, and
	// keys the recent answers of keySlot (slot -1: none yet).
	cache [64]struct {
		atom a.Atom
		ns   string
		m    elemMeta
	}
	keys [64]struct {
		key  uint32
		slot int16
	}
}

// lookupSlot returns key's slot in x.slots and whether it has one.
func (x *stackIndex) lookupSlot(key uint32) (int16, bool) {
	c := &x.keys[key*2654435761>>26]
	if c.key != key || key == 0 {
		s, ok := x.keySlot[key]
		if !ok {
			s = -1
		}
		c.key, c.slot = key, s
	}
	return c.slot, c.slot >= 0
}

// slotOf returns the slot of key in slots, making one if there is room.
func slotOf(m *map[uint32]int16, slots *[]bitset, full *bool, key uint32) int16 {
	if s, ok := (*m)[key]; ok {
		return s
	}
	if len(*slots) == maxSlots {
		*full = true
		return -1
	}
	if *m == nil {
		*m = map[uint32]int16{}
	}
	s := int16(len(*slots))
	*slots = append(*slots, bitset{})
	(*m)[key] = s
	return s
}

// keySlotOf returns the slot of an element key, making one if there is room.
func (x *stackIndex) keySlotOf(key uint32) int16 {
	s := slotOf(&x.keySlot, &x.slots, &x.slotsFull, key)
	if s >= 0 {
		c := &x.keys[key*2654435761>>26]
		c.key, c.slot = key, s
	}
	return s
}

// metaOf returns n's elemMeta.
func (x *stackIndex) metaOf(n *Node) elemMeta {
	if n.DataAtom == 0 {
		return x.computeMeta(n)
	}
	// The meta of an element with an atom depends only on the atom and
	// namespace: its Data is the atom's name.
	c := &x.cache[(uint32(n.DataAtom)+uint32(len(n.Namespace))<<24)*2654435761>>26]
	if c.atom != n.DataAtom || c.ns != n.Namespace {
		c.atom, c.ns, c.m = n.DataAtom, n.Namespace, x.computeMeta(n)
	}
	return c.m
}

// computeMeta computes n's elemMeta, with the same tests as upstream's
// walks.
func (x *stackIndex) computeMeta(n *Node) elemMeta {
	m := elemMeta{key: uint32(n.DataAtom), foldSlot: -1}
	if n.DataAtom == 0 {
		m.key = nameKey(n.Data)
	}
	m.slot = x.keySlotOf(m.key)
	special := isSpecialElement(n)
	if special {
		m.flags |= fSpecial
	}
	switch n.DataAtom {
	case a.Select, a.Td, a.Th, a.Tr, a.Tbody, a.Thead, a.Tfoot, a.Caption, a.Colgroup,
		a.Table, a.Head, a.Body, a.Frameset, a.Html:
		m.flags |= fMode
	}
	switch n.DataAtom {
	case a.Table, a.Template:
		m.flags |= fTableOrTemplate
	}
	if special {
		switch n.DataAtom {
		case a.Address, a.Div, a.P, a.Li:
		default:
			m.flags |= fLiBlock
		}
		switch n.DataAtom {
		case a.Address, a.Div, a.P, a.Dd, a.Dt:
		default:
			m.flags |= fDdBlock
		}
	}
	if n.Namespace == "" {
		m.flags |= fHTML
		switch n.DataAtom {
		case a.Applet, a.Caption, a.Html, a.Table, a.Td, a.Th, a.Marquee, a.Object, a.Template:
			m.flags |= fStopDefault
		}
		switch n.DataAtom {
		case a.Ol, a.Ul:
			m.flags |= fStopList
		case a.Button:
			m.flags |= fStopButton
		}
		switch n.DataAtom {
		case a.Html, a.Table, a.Template:
			m.flags |= fStopTable
		}
		switch n.DataAtom {
		case a.Optgroup, a.Option:
		default:
			m.flags |= fStopSelect
		}
		if n.DataAtom == a.Template {
			m.flags |= fHTMLTemplate | fMode
		}
		return m
	}
	m.flags |= fForeign
	m.fold = foldKey(n.Data)
	m.foldSlot = slotOf(&x.foldSlot, &x.folds, &x.foldsFull, m.fold)
	for _, t := range defaultScopeStopTags[n.Namespace] {
		if t == n.DataAtom {
			m.flags |= fStopDefault
		}
	}
	return m
}

// nameKey is the key of an element with no atom: a hash of its name with the
// top bit set, which no atom has.
func nameKey(name string) uint32 {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return h | 1<<31
}

// foldKey hashes s so that strings equal under strings.EqualFold have equal
// keys: each rune (utf8.RuneError for an invalid byte, as EqualFold decodes
// it) stands for the smallest rune of its case-folding orbit, which for an
// ASCII letter is its upper case (k and s also fold with U+212A and U+017F,
// which are larger).
func foldKey(s string) uint32 {
	h := uint32(2166136261)
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			h = (h ^ uint32(r)) * 16777619
			continue
		}
		lo := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			lo = min(lo, f)
		}
		for _, c := range buf[:utf8.EncodeRune(buf[:], lo)] {
			h = (h ^ uint32(c)) * 16777619
		}
	}
	return h
}

// setBits sets or clears m's bits at position i.
func (x *stackIndex) setBits(m elemMeta, i int, on bool) {
	f := func(b *bitset) {
		if on {
			b.set(i)
		} else {
			b.clear(i)
		}
	}
	for fl := m.flags; fl != 0; fl &= fl - 1 {
		f(&x.flags[bits.TrailingZeros32(uint32(fl))])
	}
	if m.slot >= 0 {
		f(&x.slots[m.slot])
	}
	if m.foldSlot >= 0 {
		f(&x.folds[m.foldSlot])
	}
}

// changeBits replaces old's bits at position i with m's.
func (x *stackIndex) changeBits(old, m elemMeta, i int) {
	for fl := old.flags ^ m.flags; fl != 0; fl &= fl - 1 {
		b := &x.flags[bits.TrailingZeros32(uint32(fl))]
		if m.flags&(fl&-fl) != 0 {
			b.set(i)
		} else {
			b.clear(i)
		}
	}
	if old.slot != m.slot {
		if old.slot >= 0 {
			x.slots[old.slot].clear(i)
		}
		if m.slot >= 0 {
			x.slots[m.slot].set(i)
		}
	}
	if old.foldSlot != m.foldSlot {
		if old.foldSlot >= 0 {
			x.folds[old.foldSlot].clear(i)
		}
		if m.foldSlot >= 0 {
			x.folds[m.foldSlot].set(i)
		}
	}
}

// trim drops the entries past n, the length of the stack.
func (x *stackIndex) trim(n int) {
	for i := len(x.meta) - 1; i >= n; i-- {
		x.setBits(x.meta[i], i, false)
	}
	x.meta = x.meta[:n]
}

// forAll calls f on every bitset with a bit set at or above i.
func (x *stackIndex) forAll(i int, f func(*bitset)) {
	for _, bs := range [][]bitset{x.flags[:], x.slots, x.folds} {
		for j := range bs {
			if bs[j].any(i) {
				f(&bs[j])
			}
		}
	}
}

// full reports whether a new element would be deeper than MaxDepth.
//
// An element's depth in the tree (html's is 1) is at most its position in
// the stack of open elements plus one, plus extra, which never decreases up
// the stack. </form> and an <a> that closes an earlier one remove an
// element from the middle of the stack and leave it in the tree, an
// ancestor of the elements above it, which are then that much deeper than
// their positions; so do the adoption agency's removals for the elements it
// leaves in place (see settleKept). A new element goes under the top of the
// stack, or beside or under an element in it, so this bounds its depth.
func (p *parser) full() bool {
	n := len(p.oe)
	if n == 0 {
		return false
	}
	return n+int(p.ix.meta[n-1].extra) >= MaxDepth
}

// pushOE pushes n onto the stack of open elements.
func (p *parser) pushOE(n *Node) {
	x, i := &p.ix, len(p.oe)
	m := x.metaOf(n)
	if i > 0 {
		m.extra = x.meta[i-1].extra
	}
	if len(x.meta) > i {
		// Most pushes follow a pop; change only the bits that differ
		// from the stale entry's at this position.
		x.trim(i + 1)
		x.changeBits(x.meta[i], m, i)
		x.meta[i] = m
	} else {
		x.setBits(m, i, true)
		x.meta = append(x.meta, m)
	}
	p.oe = append(p.oe, n)
}

// indexOE returns p.oe.index(n), looking only at the open elements with n's
// tag.
func (p *parser) indexOE(n *Node) int {
	x := &p.ix
	key := uint32(n.DataAtom)
	if n.DataAtom == 0 {
		key = nameKey(n.Data)
	}
	s, ok := x.lookupSlot(key)
	if !ok {
		if x.slotsFull {
			return p.oe.index(n)
		}
		return -1
	}
	return x.slots[s].down(0, len(p.oe), func(i int) bool { return p.oe[i] == n })
}

// removeOE removes n from the stack of open elements, as p.oe.remove does.
// If n stays in the tree an ancestor of the elements above it (kept), they
// are one more element deeper than their positions say.
func (p *parser) removeOE(n *Node, kept bool) {
	i := p.indexOE(n)
	if i == -1 {
		return
	}
	x := &p.ix
	x.trim(len(p.oe))
	x.forAll(i, func(b *bitset) { b.removeAt(i) })
	x.meta = append(x.meta[:i], x.meta[i+1:]...)
	if kept {
		for j := i; j < len(x.meta); j++ {
			x.meta[j].extra++
		}
	}
	copy(p.oe[i:], p.oe[i+1:])
	p.oe[len(p.oe)-1] = nil
	p.oe = p.oe[:len(p.oe)-1]
}

// redoTop recomputes the top element's entry after its namespace was set.
func (p *parser) redoTop() {
	x, i := &p.ix, len(p.oe)-1
	x.trim(len(p.oe))
	x.setBits(x.meta[i], i, false)
	extra := x.meta[i].extra
	x.meta[i] = x.metaOf(p.oe[i])
	x.meta[i].extra = extra
	x.setBits(x.meta[i], i, true)
}

// highest returns the index of the highest open element with any of flags
// below n, or -1.
func (p *parser) highest(flags elemFlags, n int) int {
	n = min(n, len(p.oe))
	best := -1
	for fl := flags; fl != 0; fl &= fl - 1 {
		best = max(best, p.ix.flags[bits.TrailingZeros32(uint32(fl))].highest(n))
	}
	return best
}

// highestKey returns the index of the highest open element at or above
// floor whose elemMeta key is key and that has all of flags, or -1. For a
// custom element's key it also wants the element's name to be name.
func (p *parser) highestKey(key uint32, flags elemFlags, floor int, name string) int {
	x := &p.ix
	ok := func(i int) bool {
		m := x.meta[i]
		return m.key == key && m.flags&flags == flags && (key < 1<<31 || p.oe[i].Data == name)
	}
	s, found := x.lookupSlot(key)
	if !found {
		if !x.slotsFull {
			return -1 // never opened
		}
		for i := len(p.oe) - 1; i >= floor; i-- {
			if ok(i) {
				return i
			}
		}
		return -1
	}
	return x.slots[s].down(max(floor, 0), len(p.oe), ok)
}

// highestFold returns the index of the highest open foreign element above
// floor whose name is name under strings.EqualFold, or -1.
func (p *parser) highestFold(name string, floor int) int {
	x := &p.ix
	fold := foldKey(name)
	ok := func(i int) bool {
		return x.meta[i].fold == fold && x.meta[i].flags&fForeign != 0 && strings.EqualFold(p.oe[i].Data, name)
	}
	s, found := x.foldSlot[fold]
	if !found {
		if !x.foldsFull {
			return -1
		}
		for i := len(p.oe) - 1; i > floor; i-- {
			if ok(i) {
				return i
			}
		}
		return -1
	}
	return x.folds[s].down(floor+1, len(p.oe), ok)
}

// hasTemplate reports whether an HTML template is open, as
// p.oe.contains(a.Template) does.
func (p *parser) hasTemplate() bool {
	return p.highest(fHTMLTemplate, len(p.oe)) >= 0
}

// debugStack makes parseCurrentToken check the index against p.oe after
// every token; the tests set it.
var debugStack = false

// checkIndex panics if p.ix does not describe p.oe.
func (p *parser) checkIndex() {
	x := &p.ix
	if len(x.meta) < len(p.oe) {
		panic("htmlparse: index shorter than the stack")
	}
	for i, n := range p.oe {
		m := x.meta[i]
		m.extra = 0
		if m != x.computeMeta(n) {
			panic("htmlparse: index out of date at " + n.Data)
		}
	}
	var want stackIndex
	want.slots = make([]bitset, len(x.slots))
	want.folds = make([]bitset, len(x.folds))
	for i, m := range x.meta {
		want.setBits(m, i, true)
	}
	if want.flags != x.flags {
		panic("htmlparse: flag bits out of date")
	}
	for i := range x.slots {
		if want.slots[i] != x.slots[i] {
			panic("htmlparse: slot bits out of date")
		}
	}
	for i := range x.folds {
		if want.folds[i] != x.folds[i] {
			panic("htmlparse: fold bits out of date")
		}
	}
	if len(p.fx.info) != len(p.afe) {
		panic("htmlparse: formatting index length differs from the list's")
	}
	in := map[*Node]int32{}
	for i, n := range p.afe {
		if p.fx.info[i] != infoOf(n) {
			panic("htmlparse: formatting index out of date at " + n.Data)
		}
		if n.Type != scopeMarkerNode {
			in[n]++
		}
	}
	if p.fx.indexed != (p.fx.in != nil) || p.fx.indexed && len(in) != len(p.fx.in) {
		panic("htmlparse: formatting membership out of date")
	}
	for n, c := range in {
		if p.fx.indexed && p.fx.in[n] != c {
			panic("htmlparse: formatting membership out of date at " + n.Data)
		}
	}
}

// lowest returns the index of the lowest open element at or above from with
// flag, or -1.
func (p *parser) lowest(flag elemFlags, from int) int {
	return p.ix.flags[bits.TrailingZeros32(uint32(flag))].lowest(from, len(p.oe))
}

// moveOE removes the element at i and puts n at j > i, moving those between
// down; it is p.oe.remove(p.oe[i]) then p.oe.insert(j, n), without moving
// the elements above j.
func (p *parser) moveOE(i, j int, n *Node) {
	x := &p.ix
	x.trim(len(p.oe))
	x.forAll(i, func(b *bitset) {
		b.removeAt(i)
		b.insertAt(j)
	})
	copy(p.oe[i:j], p.oe[i+1:j+1])
	p.oe[j] = n
	copy(x.meta[i:j], x.meta[i+1:j+1])
	x.meta[j] = x.metaOf(n)
	x.meta[j].extra = x.meta[j-1].extra
	x.setBits(x.meta[j], j, true)
}

// checkDepth panics if n, just added, is deeper than MaxDepth, or if the
// top of the stack is deeper than full assumes.
func (p *parser) checkDepth(n *Node) {
	depth := func(n *Node) int {
		d := 0
		for ; n != nil; n = n.Parent {
			if n.Type == ElementNode {
				d++
			}
		}
		return d
	}
	if depth(n) > MaxDepth {
		panic("htmlparse: element deeper than MaxDepth")
	}
	top := len(p.oe) - 1
	if depth(p.oe[top]) > top+1+int(p.ix.meta[top].extra) {
		panic("htmlparse: top of the stack deeper than its position and extra")
	}
}

// keptElem is an element the adoption agency left in place, and its
// position in the stack of open elements then.
type keptElem struct {
	n   *Node
	pos int
}

// keep notes that the adoption agency's inner loop left n, at position pos
// of the stack, in place in the tree and the stack (step 14.5: upstream
// diverges from the HTML standard there, which takes it off the stack).
func (p *parser) keep(n *Node, pos int) {
	p.kept = append(p.kept, keptElem{n, pos})
}

// settleKept raises extra for the elements keep noted, once the agency has
// removed the elements below them that stay their ancestors in the tree
// (the formatting element, the others of its inner loop): they moved down
// the stack but not up the tree. The elements above get at least as much.
func (p *parser) settleKept() {
	x := &p.ix
	for _, k := range p.kept {
		i := p.indexOE(k.n)
		if i < 0 || i >= k.pos {
			continue
		}
		v := x.meta[i].extra + int16(k.pos-i)
		for j := i; j < len(p.oe); j++ {
			x.meta[j].extra = max(x.meta[j].extra, v)
		}
	}
	p.kept = p.kept[:0]
}
