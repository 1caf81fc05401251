package htmlparse

import (
	"hash/maphash"
	"slices"

	a "golang.org/x/net/html/atom"
)

// trawl: the list of active formatting elements (p.afe) has no bound in the
// HTML standard but the Noah's Ark clause, which a page defeats by giving
// each element different attributes. Three of upstream's uses of it are then
// quadratic, and afeIndex keeps them linear without changing their results:
//
//   - p.afe.index(n) walks the whole list, which markers of cells and objects
//     closed by </table> (never cleared) can grow without limit. afeIndex
//     knows which nodes are in a long list, so a node that is not costs
//     nothing.
//   - addFormattingElement compares the new element with each element after
//     the last marker, attribute by attribute, O(k²) for k attributes.
//     afeIndex keeps a signature of each entry's tag and attributes beside
//     the list, so entries that differ are passed over in one comparison.
//   - reconstructActiveFormattingElements makes a clone of every entry after
//     the last open one, on every text after a block closes them: a page of
//     500 formatting elements and "<div>x</div>" repeated makes 500 nodes
//     every 12 bytes. That is no longer a matter of speed but of output
//     size, which html.Parse shares; the parser caps it with a budget (see
//     spend), the one place where it parses such a page differently.
//
// Every change to p.afe goes through afePush, afePop, afeRemove, afeInsert
// and afeSet, which keep p.fx in step.

// afeInfo describes an entry of the list of active formatting elements.
type afeInfo struct {
	// class is the entry's tag and number of attributes, or afeMarker.
	class uint64
	// sig is the sum of the hashes of the entry's attributes.
	sig uint64
	// html says the entry is an HTML element; dup says two of its
	// attributes hash alike (usually a repeated attribute).
	html, dup bool
}

const afeMarker = ^uint64(0)

func classOf(tagAtom a.Atom, nattr int) uint64 {
	return uint64(tagAtom)<<32 | uint64(uint32(nattr))
}

// afeIndex indexes the list of active formatting elements.
type afeIndex struct {
	info []afeInfo
	// While the list is short, walking it is cheaper than the maps below;
	// they are kept only from afeLong entries until it is down to afeShort.
	//
	// in counts each node's entries; same counts the entries without
	// repeats by class and signature, dups those with by class.
	indexed bool
	in      map[*Node]int32
	same    map[[2]uint64]int32
	dups    map[uint64]int32
}

const (
	afeLong  = 48
	afeShort = 16
)

// resize builds or drops the maps as the list, of n entries, grows long or
// becomes short.
func (x *afeIndex) resize(afe nodeStack) {
	switch {
	case !x.indexed && len(afe) >= afeLong:
		x.indexed = true
		x.in, x.same, x.dups = map[*Node]int32{}, map[[2]uint64]int32{}, map[uint64]int32{}
		for i, n := range afe {
			x.add(n, x.info[i])
		}
	case x.indexed && len(afe) <= afeShort:
		*x = afeIndex{info: x.info}
	}
}

var attrSeed = maphash.MakeSeed()

// attrSig returns the signature of attrs and whether two of their hashes
// are equal.
func attrSig(attrs []Attribute) (sig uint64, dup bool) {
	var small [8]uint64
	hs := small[:0]
	for _, at := range attrs {
		// Any function of the attribute would be correct (see identical);
		// this one rarely makes two attributes alike.
		s := maphash.String(attrSeed, at.Key)*0x9e3779b97f4a7c15 ^
			maphash.String(attrSeed, at.Val) ^
			maphash.String(attrSeed, at.Namespace)*0xc2b2ae3d27d4eb4f
		sig += s
		hs = append(hs, s)
	}
	slices.Sort(hs)
	for i := 1; i < len(hs); i++ {
		if hs[i] == hs[i-1] {
			dup = true
		}
	}
	return sig, dup
}

func infoOf(n *Node) afeInfo {
	if n.Type == scopeMarkerNode {
		return afeInfo{class: afeMarker}
	}
	sig, dup := attrSig(n.Attr)
	return afeInfo{class: classOf(n.DataAtom, len(n.Attr)), sig: sig, html: n.Type == ElementNode && n.Namespace == "", dup: dup}
}

func (x *afeIndex) add(n *Node, in afeInfo) {
	if !x.indexed || in.class == afeMarker {
		return
	}
	x.in[n]++
	if in.dup {
		x.dups[in.class]++
	} else {
		x.same[[2]uint64{in.class, in.sig}]++
	}
}

func (x *afeIndex) drop(n *Node, in afeInfo) {
	if !x.indexed || in.class == afeMarker {
		return
	}
	dec(x.in, n)
	if in.dup {
		dec(x.dups, in.class)
	} else {
		dec(x.same, [2]uint64{in.class, in.sig})
	}
}

func dec[K comparable](m map[K]int32, k K) {
	if c := m[k]; c > 1 {
		m[k] = c - 1
	} else {
		delete(m, k)
	}
}

// mayHaveThree reports whether the list may hold three elements identical
// to a new one of class with signature sig (dup if its attributes repeat).
// Identical entries have the new one's signature, or repeats; and if the new
// one repeats, only entries that repeat can be identical, since an entry's
// distinct attributes must all be among the new one's, as many as theirs.
func (x *afeIndex) mayHaveThree(class, sig uint64, dup bool) bool {
	if !x.indexed {
		return true // the list is short: walk it
	}
	n := x.dups[class]
	if !dup {
		n += x.same[[2]uint64{class, sig}]
	}
	return n >= 3
}

// afePush appends n (an element or the scope marker) to the list.
func (p *parser) afePush(n *Node) {
	in := infoOf(n)
	p.fx.info = append(p.fx.info, in)
	p.fx.add(n, in)
	p.afe = append(p.afe, n)
	p.fx.resize(p.afe)
}

// afePop pops the list, as p.afe.pop does.
func (p *parser) afePop() *Node {
	n := p.afe.pop()
	p.fx.drop(n, p.fx.info[len(p.afe)])
	p.fx.info = p.fx.info[:len(p.afe)]
	p.fx.resize(p.afe)
	return n
}

// afeRemove removes n from the list, as p.afe.remove does.
func (p *parser) afeRemove(n *Node) {
	i := p.afeIndex(n)
	if i == -1 {
		return
	}
	p.fx.drop(n, p.fx.info[i])
	p.fx.info = slices.Delete(p.fx.info, i, i+1)
	p.afe.remove(n)
	p.fx.resize(p.afe)
}

// afeInsert inserts n at i, as p.afe.insert does.
func (p *parser) afeInsert(i int, n *Node) {
	in := infoOf(n)
	p.fx.info = slices.Insert(p.fx.info, i, in)
	p.fx.add(n, in)
	p.afe.insert(i, n)
	p.fx.resize(p.afe)
}

// afeSet replaces entry i with n, a clone of it (so p.fx.info[i] holds).
func (p *parser) afeSet(i int, n *Node) {
	p.fx.drop(p.afe[i], p.fx.info[i])
	p.fx.add(n, p.fx.info[i])
	p.afe[i] = n
}

// afeIndex returns p.afe.index(n), at once if n is not in a long list.
func (p *parser) afeIndex(n *Node) int {
	if p.fx.indexed && p.fx.in[n] == 0 {
		return -1
	}
	return p.afe.index(n)
}

// identical reports whether entry i of the list, an HTML element of class,
// is identical to a new element with attrs (signature sig, dup), as
// upstream's Noah's Ark loop decides: same tag, as many attributes, and each
// of the entry's attributes among the new one's.
func (p *parser) identical(i int, attrs []Attribute, sig uint64, dup bool) bool {
	in := p.fx.info[i]
	if !in.dup && !dup && in.sig != sig {
		// Without repeats, each attribute set is included in the other
		// only if they are equal, and then so are their signatures.
		return false
	}
	if in.dup || dup {
		// A repeat lets a smaller set pass; compare, within the budget.
		if !p.spend(int64(len(attrs))) {
			return false
		}
	}
	return attrsIn(p.afe[i].Attr, attrs)
}

// attrsIn reports whether each attribute of sub is in set.
func attrsIn(sub, set []Attribute) bool {
	if len(set) <= 16 {
	next:
		for _, t0 := range sub {
			for _, t1 := range set {
				if t0.Key == t1.Key && t0.Namespace == t1.Namespace && t0.Val == t1.Val {
					continue next
				}
			}
			return false
		}
		return true
	}
	m := make(map[Attribute]bool, len(set))
	for _, t := range set {
		m[t] = true
	}
	for _, t := range sub {
		if !m[t] {
			return false
		}
	}
	return true
}

// The budget: the parser may spend a unit for each reconstructed element
// and each budgetAttrBytes of its attributes (cloneCost), and for each
// attribute compared where a repeated attribute defeats the signatures, up
// to budgetStart plus one unit per budgetBytes of input read. No page
// html.Parse builds at less than that cost comes near it; past it the
// parser stops reconstructing formatting elements (and treats the elements
// it could not compare as different), and counts it in p.limited.
//
// Weighing a clone by its attributes bounds what the tree holds, not only
// its nodes: "<p><a href=10KB>" and then "<p>a" over and over (1.2 MB) has
// html.Parse clone the link into each of 300,000 paragraphs, 3 GB of hrefs
// for a --select or --extract links to write; within the budget, the
// clones' attributes come to at most 16 bytes for each byte read.
const (
	budgetStart     = 1 << 14
	budgetBytes     = 4
	budgetAttrBytes = 64
)

// cloneCost is the budget units of reconstructing n: one, and one more for
// each budgetAttrBytes of its attributes.
func cloneCost(n *Node) int64 {
	size := 0
	for _, a := range n.Attr {
		size += len(a.Namespace) + len(a.Key) + len(a.Val)
	}
	return 1 + int64(size/budgetAttrBytes)
}

// spend takes n units from the budget, or reports that it has not got them.
func (p *parser) spend(n int64) bool {
	if p.spent+n > budgetStart+p.consumed/budgetBytes {
		p.limited++
		return false
	}
	p.spent += n
	return true
}
