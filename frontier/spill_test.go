package frontier

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func entry(i int) Entry {
	return Entry{
		URL:      "https://www.example.com/page/" + strconv.Itoa(i),
		Depth:    i % 7,
		Referrer: "https://www.example.com/from/" + strconv.Itoa(i/3),
		Seed:     i % 5,
	}
}

func newQueue(t testing.TB, window int) *Queue {
	t.Helper()
	q, err := NewQueue(t.TempDir(), window)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func segFiles(t testing.TB, q *Queue) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(q.dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestQueueFIFO(t *testing.T) {
	q := newQueue(t, 4)
	if _, ok, err := q.Pop(); ok || err != nil {
		t.Fatalf("Pop on empty: ok %v, err %v", ok, err)
	}
	const n = 23
	for i := 0; i < n; i++ {
		if err := q.Push(entry(i)); err != nil {
			t.Fatal(err)
		}
	}
	if q.Len() != n {
		t.Fatalf("Len = %d, want %d", q.Len(), n)
	}
	// 4 in memory, 19 on disk: four full segments and one being written.
	if got := len(segFiles(t, q)); got != 5 {
		t.Errorf("%d segment files, want 5", got)
	}
	for i := 0; i < n; i++ {
		e, ok, err := q.Pop()
		if err != nil || !ok || e != entry(i) {
			t.Fatalf("Pop %d = %+v, %v, %v; want %+v", i, e, ok, err, entry(i))
		}
		if q.Len() != n-1-i {
			t.Fatalf("Len = %d after %d pops", q.Len(), i+1)
		}
	}
	if _, ok, err := q.Pop(); ok || err != nil {
		t.Fatalf("Pop past the end: ok %v, err %v", ok, err)
	}
	if files := segFiles(t, q); len(files) != 0 {
		t.Errorf("files left after every entry was read: %v", files)
	}
}

// TestQueueModel runs random pushes and pops against a slice.
func TestQueueModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, window := range []int{1, 2, 3, 7, 64} {
		q := newQueue(t, window)
		var model []Entry
		next := 0
		ops := 20000
		if window < 3 {
			ops = 3000 // a file per entry or two: slow
		}
		for op := 0; op < ops; op++ {
			if rng.Intn(100) < 55 {
				e := entry(next)
				e.URL += strings.Repeat("x", rng.Intn(3)*100) // some longer records
				next++
				if err := q.Push(e); err != nil {
					t.Fatal(err)
				}
				model = append(model, e)
			} else {
				e, ok, err := q.Pop()
				if err != nil {
					t.Fatal(err)
				}
				if ok != (len(model) > 0) {
					t.Fatalf("window %d op %d: ok %v with %d in the model", window, op, ok, len(model))
				}
				if ok {
					if e != model[0] {
						t.Fatalf("window %d op %d: got %+v, want %+v", window, op, e, model[0])
					}
					model = model[1:]
				}
			}
			if q.Len() != len(model) {
				t.Fatalf("window %d op %d: Len %d, model %d", window, op, q.Len(), len(model))
			}
			if live := len(q.mem) - q.head; live > window || len(q.mem) > 2*window {
				t.Fatalf("window %d: %d live in memory, slice of %d", window, live, len(q.mem))
			}
		}
		for len(model) > 0 {
			e, ok, err := q.Pop()
			if err != nil || !ok || e != model[0] {
				t.Fatalf("draining: %+v %v %v, want %+v", e, ok, err, model[0])
			}
			model = model[1:]
		}
	}
}

// Extreme values survive the encoding.
func TestQueueValues(t *testing.T) {
	q := newQueue(t, 1)
	in := []Entry{
		{},
		{URL: "x", Depth: -1, Seed: -1 << 40},
		{URL: strings.Repeat("é", 70000), Referrer: "\x00\xff", Depth: 1<<62 - 1, Seed: 1 << 50},
		{URL: "a", Depth: 0},
	}
	for _, e := range in {
		if err := q.Push(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range in {
		e, ok, err := q.Pop()
		if err != nil || !ok || e != want {
			t.Fatalf("got %+v %v %v, want %+v", e, ok, err, want)
		}
	}
}

// TestQueueMillion pushes a million entries with a window of 1,000, checks
// that the heap stays bounded, then reads them back in order (go test -v
// logs the heap).
func TestQueueMillion(t *testing.T) {
	n := 1000000
	if testing.Short() {
		n = 100000
	}
	const window = 1000
	base := heapInUse()
	q := newQueue(t, window)
	var peak uint64
	for i := 0; i < n; i++ {
		if err := q.Push(entry(i)); err != nil {
			t.Fatal(err)
		}
		if i%(n/4) == n/4-1 {
			peak = max(peak, heapInUse())
		}
	}
	var disk int64
	for _, f := range segFiles(t, q) {
		if fi, err := os.Stat(f); err == nil {
			disk += fi.Size()
		}
	}
	for i := 0; i < n; i++ {
		e, ok, err := q.Pop()
		if err != nil || !ok || e != entry(i) {
			t.Fatalf("Pop %d = %+v %v %v", i, e, ok, err)
		}
		if i%(n/4) == n/4-1 {
			peak = max(peak, heapInUse())
		}
	}
	grow := int64(peak) - int64(base)
	t.Logf("%d entries, window %d: %d bytes on disk, heap %d bytes over the start at most", n, window, disk, grow)
	if grow > 4<<20 {
		t.Errorf("heap grew by %d bytes: not bounded by the window", grow)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func TestQueueClose(t *testing.T) {
	q, err := NewQueue(t.TempDir(), 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 9; i++ {
		if err := q.Push(entry(i)); err != nil {
			t.Fatal(err)
		}
	}
	if len(segFiles(t, q)) == 0 {
		t.Fatal("nothing spilled")
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(q.dir); !os.IsNotExist(err) {
		t.Errorf("directory %s still there: %v", q.dir, err)
	}
	if err := q.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := q.Push(entry(0)); !errors.Is(err, ErrClosed) {
		t.Errorf("Push after Close: %v", err)
	}
	if _, _, err := q.Pop(); !errors.Is(err, ErrClosed) {
		t.Errorf("Pop after Close: %v", err)
	}
}

func TestNewQueueErrors(t *testing.T) {
	if _, err := NewQueue(t.TempDir(), 0); err == nil {
		t.Error("window 0: no error")
	}
	if _, err := NewQueue(filepath.Join(t.TempDir(), "missing", "dir"), 10); err == nil {
		t.Error("missing parent directory: no error")
	}
	q, err := NewQueue("", 10) // os.TempDir
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(q.dir) != filepath.Clean(os.TempDir()) {
		t.Errorf("dir %s not in %s", q.dir, os.TempDir())
	}
	q.Close()
}

// A corrupt or missing segment is an error, and stays one; the entries read
// before it came out right.
func TestQueueCorrupt(t *testing.T) {
	tests := []struct {
		name   string
		damage func(path string) error
		want   string
	}{
		{"missing", os.Remove, "no such file"},
		{"empty", func(p string) error { return os.WriteFile(p, nil, 0o600) }, "not a queue segment"},
		{"bad magic", func(p string) error { return patch(p, 0, 'X') }, "not a queue segment"},
		{"truncated", func(p string) error { return truncate(p, -3) }, "record 1: truncated"},
		{"cut in a length", func(p string) error { return truncate(p, len(segMagic)) }, "record 0: truncated"},
		{"flipped byte", func(p string) error { return patch(p, len(segMagic)+5, '#') }, "record 0: checksum mismatch"},
		{"huge length", func(p string) error {
			return os.WriteFile(p, []byte(segMagic+"\xff\xff\xff\xff\x0f"), 0o600)
		}, "record 0: length 4294967295, over 16777216"},
		{"extra bytes", func(p string) error { return appendTo(p, "junk") }, "2 records, then more bytes"},
		{"bad payload", func(p string) error {
			rec := []byte{0xff, 0x01} // a URL length past the payload
			b := []byte(segMagic)
			b = append(b, byte(len(rec)))
			b = append(b, rec...)
			b = append(b, crc(rec)...)
			return os.WriteFile(p, b, 0o600)
		}, "record 0: bad URL length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue(t, 2)
			for i := 0; i < 6; i++ {
				if err := q.Push(entry(i)); err != nil {
					t.Fatal(err)
				}
			}
			files := segFiles(t, q) // two segments of two
			if len(files) != 2 {
				t.Fatalf("%d segment files, want 2", len(files))
			}
			if err := tt.damage(files[0]); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if e, ok, err := q.Pop(); err != nil || !ok || e != entry(i) {
					t.Fatalf("Pop %d = %+v %v %v", i, e, ok, err)
				}
			}
			_, ok, err := q.Pop()
			if err == nil || ok || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Pop of the damaged segment: ok %v, err %v; want %q", ok, err, tt.want)
			}
			if _, _, err2 := q.Pop(); err2 != err {
				t.Errorf("second Pop: %v, want the same error", err2)
			}
			if err2 := q.Push(entry(9)); err2 != err {
				t.Errorf("Push: %v, want the same error", err2)
			}
		})
	}
}

func TestQueueEntryTooLarge(t *testing.T) {
	q := newQueue(t, 1)
	if err := q.Push(entry(0)); err != nil {
		t.Fatal(err)
	}
	if err := q.Push(Entry{URL: strings.Repeat("x", maxRecord)}); err == nil {
		t.Fatal("no error for an entry over the record limit")
	}
	// Not sticky: nothing was lost.
	if err := q.Push(entry(1)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if e, ok, err := q.Pop(); err != nil || !ok || e != entry(i) {
			t.Fatalf("Pop %d = %+v %v %v", i, e, ok, err)
		}
	}
}

func patch(path string, off int, c byte) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	b[off] = c
	return os.WriteFile(path, b, 0o600)
}

func truncate(path string, n int) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if n < 0 {
		return os.Truncate(path, fi.Size()+int64(n))
	}
	return os.Truncate(path, int64(n))
}

func appendTo(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func crc(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(nil, crc32.Checksum(b, crcTable))
}

// FuzzReadSegment feeds arbitrary bytes to the segment reader: an error or
// entries, never a panic.
func FuzzReadSegment(f *testing.F) {
	var b []byte
	b = append(b, segMagic...)
	b = appendRecord(b, entry(1))
	b = appendRecord(b, Entry{URL: "u", Depth: -3})
	f.Add(b, 2)
	f.Add([]byte(segMagic+"\x05abc"), 1)
	f.Fuzz(func(t *testing.T, data []byte, want int) {
		if want < 0 || want > 1000 {
			return
		}
		entries, err := readSegment(bufio.NewReader(bytes.NewReader(data)), want, nil)
		if err == nil && len(entries) != want {
			t.Fatalf("%d entries, want %d", len(entries), want)
		}
	})
}

// BenchmarkQueueSpill pushes b.N entries with a window of 1,000, so nearly
// all go through a file, then pops them.
func BenchmarkQueueSpill(b *testing.B) {
	q := newQueue(b, 1000)
	e := entry(12345)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := q.Push(e); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < b.N; i++ {
		if _, ok, err := q.Pop(); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
