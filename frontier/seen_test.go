package frontier

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Reference values of XXH64 (seed 0), from the reference implementation.
func TestHash(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
	}{
		{"", 0xef46db3751d8e999},
		{"a", 0xd24ec4f1a98c6e5b},
		{"abc", 0x44bc2cf5ad770999},
		{"1234567", 0xd3a46e9108289359},
		{"12345678", 0xd2d02f08cf7cfd4a},
		{"123456789abc", 0xa5b5c36f99848384},
		{"https://example.com/", 0xa40dbfe31cfba1cf},
		{"https://www.example.com/a/b/c?d=e&f=g#h", 0x8af539439600e662},
		{strings.Repeat("0123456789", 10) + "x", 0x1813acdbcc62452f},
	}
	for _, tt := range tests {
		if got := Hash(tt.in); got != tt.want {
			t.Errorf("Hash(%q) = %#016x, want %#016x", tt.in, got, tt.want)
		}
	}
}

func TestSeen(t *testing.T) {
	s := NewSeen(0)
	if s.Len() != 0 || s.Has("http://a/") {
		t.Fatal("new set not empty")
	}
	if !s.Add("http://a/") {
		t.Error("first Add: not added")
	}
	if s.Add("http://a/") {
		t.Error("second Add: added again")
	}
	if !s.Has("http://a/") || s.Has("http://b/") || s.Has("") {
		t.Error("Has wrong")
	}
	if !s.Add("") || !s.Has("") {
		t.Error("the empty string is a key like any other")
	}
	if s.Len() != 2 {
		t.Errorf("Len = %d, want 2", s.Len())
	}
	// Hash 0 marks an empty slot: it is stored as 1.
	if !s.AddHash(0) || s.AddHash(1) || !s.HasHash(0) || !s.HasHash(1) {
		t.Error("hash 0 is not handled as 1")
	}
	if s.Len() != 3 {
		t.Errorf("Len = %d, want 3", s.Len())
	}
	if !s.HasHash(Hash("http://a/")) {
		t.Error("HasHash(Hash(x)) false for an added x")
	}
}

func TestSeenGrowth(t *testing.T) {
	s := NewSeen(0)
	const n = 100000
	for i := 0; i < n; i++ {
		if !s.Add(key(i)) {
			t.Fatalf("Add(%q): not added", key(i))
		}
		if i&(i-1) == 0 { // now and then, the load factor
			if s.Len()*4 > len(s.tab.slots)*3 {
				t.Fatalf("%d URLs in %d slots: over 3/4", s.Len(), len(s.tab.slots))
			}
		}
	}
	if s.Len() != n {
		t.Fatalf("Len = %d, want %d", s.Len(), n)
	}
	for i := 0; i < n; i++ {
		if !s.Has(key(i)) {
			t.Fatalf("lost %q", key(i))
		}
		if s.Add(key(i)) {
			t.Fatalf("%q added twice", key(i))
		}
		if s.Has(key(n + i)) {
			t.Fatalf("has %q, never added", key(n+i))
		}
	}
	if s.Len() != n {
		t.Fatalf("Len = %d after re-adding, want %d", s.Len(), n)
	}
	if got, want := s.Bytes(), len(s.tab.slots)*8; got != want || len(s.tab.slots) != 1<<18 {
		t.Errorf("Bytes = %d with %d slots, want 2^18 slots", got, len(s.tab.slots))
	}
}

func TestNewSeenHint(t *testing.T) {
	for _, hint := range []int{-1, 0, 1, 12, 13, 1000, 1 << 20} {
		s := NewSeen(hint)
		size := len(s.tab.slots)
		for i := 0; i < hint; i++ {
			s.Add(key(i))
		}
		if len(s.tab.slots) != size {
			t.Errorf("NewSeen(%d): grew from %d to %d slots", hint, size, len(s.tab.slots))
		}
		if size&(size-1) != 0 || size < 16 || hint > 12 && size/2*3/4 >= hint {
			t.Errorf("NewSeen(%d): %d slots, want the least power of two that fits", hint, size)
		}
	}
}

// TestSeenMillion measures the memory of a million URLs (go test -v).
func TestSeenMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	s := NewSeen(0)
	const n = 1000000
	for i := 0; i < n; i++ {
		s.Add(key(i))
	}
	if s.Len() != n {
		t.Fatalf("Len = %d, want %d (a hash collision?)", s.Len(), n)
	}
	perURL := float64(s.Bytes()) / n
	t.Logf("%d URLs: %d bytes, %.1f bytes a URL", n, s.Bytes(), perURL)
	if perURL > 22 {
		t.Errorf("%.1f bytes a URL, want at most 22", perURL)
	}
}

func key(i int) string {
	return "https://www.example.com/section-" + strconv.Itoa(i%97) + "/page?id=" + strconv.Itoa(i)
}

// BenchmarkSeenAdd adds new URLs to a table of up to a million, sized in
// advance (growth is left out: it is amortized, one copy per doubling).
func BenchmarkSeenAdd(b *testing.B) {
	keys := make([]string, 1<<20)
	for i := range keys {
		keys[i] = key(i)
	}
	s := NewSeen(len(keys))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i & (len(keys) - 1)
		if k == 0 && i > 0 {
			b.StopTimer()
			s = NewSeen(len(keys))
			b.StartTimer()
		}
		s.Add(keys[k])
	}
}

// BenchmarkSeenHas looks up URLs in a table of a million.
func BenchmarkSeenHas(b *testing.B) {
	keys := make([]string, 1<<20)
	s := NewSeen(len(keys))
	for i := range keys {
		keys[i] = key(i)
		s.Add(keys[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !s.Has(keys[i&(len(keys)-1)]) {
			b.Fatal("lost a key")
		}
	}
}

// TestSeenOffHeap: on Unix a large table is not Go heap (so GOGC does not
// multiply it), and it still works after the garbage collector has run.
func TestSeenOffHeap(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the table is a plain slice here")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := NewSeen(1 << 20) // 2^21 slots, 16 MiB
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 1<<20 {
		t.Errorf("the heap grew by %d bytes for a %d-byte table", grew, s.Bytes())
	}
	for i := 0; i < 3<<20; i++ { // grows twice; the old mappings go
		s.Add(key(i))
		if i%(1<<20) == 0 {
			runtime.GC()
		}
	}
	runtime.GC()
	for i := 0; i < 3<<20; i += 997 {
		if !s.Has(key(i)) {
			t.Fatalf("lost %q", key(i))
		}
	}
	if s.Len() != 3<<20 || s.Bytes() != 8<<22 {
		t.Fatalf("Len %d, Bytes %d", s.Len(), s.Bytes())
	}
}
