package htmlparse

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBitset runs random operations on a bitset and on a slice of bools and
// wants the same answers.
func TestBitset(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = MaxDepth
	for round := 0; round < 200; round++ {
		var b bitset
		model := make([]bool, n)
		for op := 0; op < 400; op++ {
			i := r.IntN(n)
			switch r.IntN(4) {
			case 0:
				b.set(i)
				model[i] = true
			case 1:
				b.clear(i)
				model[i] = false
			case 2:
				b.removeAt(i)
				copy(model[i:], model[i+1:])
				model[n-1] = false
			case 3:
				b.insertAt(i)
				copy(model[i+1:], model[i:n-1])
				model[i] = false
			}
			// The stack never reaches the last bits; keep them clear as
			// the parser does.
			for j := n; j < len(b)*64; j++ {
				b.clear(j)
			}
			from, to := r.IntN(n+1), r.IntN(n+1)
			if got, want := b.highest(to), modelHighest(model, to); got != want {
				t.Fatalf("round %d op %d: highest(%d) = %d, want %d", round, op, to, got, want)
			}
			if got, want := b.lowest(from, to), modelLowest(model, from, to); got != want {
				t.Fatalf("round %d op %d: lowest(%d, %d) = %d, want %d", round, op, from, to, got, want)
			}
			if got, want := b.down(from, to, func(i int) bool { return i%3 != 0 }), modelDown(model, from, to); got != want {
				t.Fatalf("round %d op %d: down(%d, %d) = %d, want %d", round, op, from, to, got, want)
			}
			if from < n {
				if got, want := b.any(from), modelLowest(model, from, n) >= 0; got != want {
					t.Fatalf("round %d op %d: any(%d) = %v, want %v", round, op, from, got, want)
				}
			}
		}
	}
}

func modelHighest(m []bool, to int) int {
	for i := to - 1; i >= 0; i-- {
		if m[i] {
			return i
		}
	}
	return -1
}

func modelDown(m []bool, from, to int) int {
	for i := to - 1; i >= from; i-- {
		if m[i] && i%3 != 0 {
			return i
		}
	}
	return -1
}

func modelLowest(m []bool, from, to int) int {
	for i := from; i < to; i++ {
		if m[i] {
			return i
		}
	}
	return -1
}

// TestFoldKey wants equal keys for names strings.EqualFold finds equal.
func TestFoldKey(t *testing.T) {
	for _, pair := range [][2]string{
		{"foreignobject", "foreignObject"},
		{"k", "\u212a"}, // KELVIN SIGN
		{"s", "\u017f"}, // LATIN SMALL LETTER LONG S
		{"straße", "STRAßE"},
		{"\xff", "\xfe"}, // both decode to U+FFFD
		{"ǅ", "ǆ"},
	} {
		if !strings.EqualFold(pair[0], pair[1]) {
			t.Fatalf("bad test: %q and %q differ under EqualFold", pair[0], pair[1])
		}
		if foldKey(pair[0]) != foldKey(pair[1]) {
			t.Errorf("foldKey(%q) != foldKey(%q)", pair[0], pair[1])
		}
	}
	if foldKey("a") == foldKey("b") {
		t.Error("foldKey(a) == foldKey(b)")
	}
	// Random names over runes with unusual folds.
	runes := []rune("aAkKsSKſßẞǄǅǆΣσςİıi�")
	r := rand.New(rand.NewPCG(3, 4))
	name := func() string {
		s := make([]rune, r.IntN(3))
		for i := range s {
			s[i] = runes[r.IntN(len(runes))]
		}
		if r.IntN(8) == 0 {
			return string(s) + "\xff"
		}
		return string(s)
	}
	for i := 0; i < 20000; i++ {
		x, y := name(), name()
		if strings.EqualFold(x, y) && foldKey(x) != foldKey(y) {
			t.Fatalf("EqualFold(%q, %q) but their keys differ", x, y)
		}
	}
}
