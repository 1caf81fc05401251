package frontier

import (
	"math/bits"
	"runtime"
)

// Seen is the crawl's set of URLs fetched or admitted, kept as 64-bit
// hashes of their normalized form (weburl.Normalize), not as strings: an
// open-addressing table with linear probing, at most three quarters full,
// that doubles when it would be fuller. It costs 8 bytes a slot, so between
// about 10.7 and 21.3 bytes a URL (16.8 at one million).
//
// The hash is XXH64 with seed 0, stable across processes, machines and Go
// versions, because the set is rebuilt from the output file on --resume and
// hashes may be stored. Two distinct URLs share a hash with probability
// about n²/2⁶⁵ (3·10⁻⁸ for a million URLs): the one seen second would be
// taken as seen.
//
// The table lives outside the Go heap where the system allows it
// (slots_unix.go).
//
// A Seen is not safe for concurrent use.
type Seen struct {
	tab *table // a slot of 0 is empty
	n   int
}

const maxLoadNum, maxLoadDen = 3, 4

// NewSeen returns a set that holds hint URLs without growing.
func NewSeen(hint int) *Seen {
	size := 16
	for size*maxLoadNum/maxLoadDen < hint {
		size *= 2
	}
	return &Seen{tab: newTable(size)}
}

// Add adds the normalized URL and reports whether it was not there yet.
func (s *Seen) Add(normalized string) (added bool) {
	return s.AddHash(Hash(normalized))
}

// Has reports whether the normalized URL is in the set.
func (s *Seen) Has(normalized string) bool {
	return s.HasHash(Hash(normalized))
}

// AddHash adds a hash made by Hash and reports whether it was not there yet.
func (s *Seen) AddHash(h uint64) (added bool) {
	h = nonzero(h)
	if (s.n+1)*maxLoadDen > len(s.tab.slots)*maxLoadNum {
		s.grow()
	}
	if !insert(s.tab.slots, h) {
		return false
	}
	s.n++
	return true
}

// HasHash reports whether a hash made by Hash is in the set.
func (s *Seen) HasHash(h uint64) bool {
	h = nonzero(h)
	slots := s.tab.slots
	mask := uint64(len(slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch slots[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}

// Len is the number of URLs in the set.
func (s *Seen) Len() int { return s.n }

// Bytes is the memory the set holds: its table, 8 bytes a slot.
func (s *Seen) Bytes() int { return len(s.tab.slots) * 8 }

func (s *Seen) grow() {
	old, t := s.tab, newTable(len(s.tab.slots)*2)
	for _, h := range old.slots {
		if h != 0 {
			insert(t.slots, h)
		}
	}
	runtime.KeepAlive(old) // its mapping stays until the copy is done
	s.tab = t
}

// insert puts h in its probe sequence, and reports false when it is there.
func insert(slots []uint64, h uint64) bool {
	mask := uint64(len(slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch slots[i] {
		case h:
			return false
		case 0:
			slots[i] = h
			return true
		}
	}
}

// nonzero maps the hash 0, which marks an empty slot, to another value; it
// merges two hashes out of 2⁶⁴.
func nonzero(h uint64) uint64 {
	if h == 0 {
		return 1
	}
	return h
}

// Hash is the XXH64 (seed 0) of a normalized URL: the key of the seen set,
// the same on every machine.
func Hash(normalized string) uint64 { return xxh64(normalized) }

const (
	prime1 uint64 = 0x9E3779B185EBCA87
	prime2 uint64 = 0xC2B2AE3D27D4EB4F
	prime3 uint64 = 0x165667B19E3779F9
	prime4 uint64 = 0x85EBCA77C2B2AE63
	prime5 uint64 = 0x27D4EB2F165667C5
)

// xxh64 is XXH64 with seed 0, written from the algorithm's description
// (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md).
func xxh64(b string) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		p1 := prime1 // a variable: constant arithmetic may not wrap
		v1, v2, v3, v4 := p1+prime2, prime2, uint64(0), -p1
		for len(b) >= 32 {
			v1 = round(v1, u64(b))
			v2 = round(v2, u64(b[8:]))
			v3 = round(v3, u64(b[16:]))
			v4 = round(v4, u64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) +
			bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = merge(h, v1)
		h = merge(h, v2)
		h = merge(h, v3)
		h = merge(h, v4)
	} else {
		h = prime5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= round(0, u64(b))
		h = bits.RotateLeft64(h, 27)*prime1 + prime4
	}
	if len(b) >= 4 {
		h ^= u32(b) * prime1
		h = bits.RotateLeft64(h, 23)*prime2 + prime3
		b = b[4:]
	}
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i]) * prime5
		h = bits.RotateLeft64(h, 11) * prime1
	}
	h ^= h >> 33
	h *= prime2
	h ^= h >> 29
	h *= prime3
	h ^= h >> 32
	return h
}

// u64 and u32 read little-endian words from a string (the compiler makes
// them single loads).
func u64(b string) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func u32(b string) uint64 {
	_ = b[3]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
}

func round(acc, in uint64) uint64 {
	acc += in * prime2
	acc = bits.RotateLeft64(acc, 31)
	return acc * prime1
}

func merge(h, v uint64) uint64 {
	h ^= round(0, v)
	return h*prime1 + prime4
}
