package input

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

func readAll(t testing.TB, r io.Reader) []Item {
	t.Helper()
	var items []Item
	l := NewLines(r)
	for {
		it, err := l.Next()
		if err == io.EOF {
			return items
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
}

func TestLines(t *testing.T) {
	in := "\xef\xbb\xbfhttps://a.example/x\n" +
		"  \n# comment\n   #indented comment\n" +
		"b.example/path?q=1  \r\n" +
		"http://c.example:8080\n" +
		"ftp://d.example/\n" +
		"not a url\n" +
		"//e.example/p\n" +
		"HTTPS://F.example/Up\n" +
		"http://g.example:99999/\n" +
		"r.example/go?to=https://other.example/\n" +
		"last.example" // no final newline
	items := readAll(t, strings.NewReader(in))
	want := []struct {
		raw   string
		valid bool
		line  int64
	}{
		{"https://a.example/x", true, 1},
		{"https://b.example/path?q=1", true, 5},
		{"http://c.example:8080", true, 6},
		{"ftp://d.example/", false, 7},
		{"https://not a url", false, 8},
		{"https://e.example/p", true, 9},
		{"HTTPS://F.example/Up", true, 10},
		{"http://g.example:99999/", false, 11},
		{"https://r.example/go?to=https://other.example/", true, 12},
		{"https://last.example", true, 13},
	}
	if len(items) != len(want) {
		t.Fatalf("got %d items, want %d: %+v", len(items), len(want), items)
	}
	for i, w := range want {
		it := items[i]
		if it.Raw != w.raw || (it.Err == nil) != w.valid || it.Line != w.line {
			t.Errorf("item %d = {%q err=%v line=%d}, want {%q valid=%v line=%d}", i, it.Raw, it.Err, it.Line, w.raw, w.valid, w.line)
		}
		if !w.valid && !errors.Is(it.Err, ErrInvalid) {
			t.Errorf("item %d: error %v is not ErrInvalid", i, it.Err)
		}
		if w.valid && (it.URL == nil || it.URL.Host == "") {
			t.Errorf("item %d: URL %v", i, it.URL)
		}
	}
	if msg := items[3].Err.Error(); msg != `invalid URL "ftp://d.example/": scheme "ftp" is not http or https` {
		t.Errorf("ftp message = %q", msg)
	}
}

// TestLongLine: a line longer than MaxLine is one invalid item, with an
// empty Raw, and the lines around it come through intact; a line of
// MaxLine bytes is still read.
func TestLongLine(t *testing.T) {
	fits := "https://a.example/" + strings.Repeat("x", MaxLine-len("https://a.example/"))
	long := "https://b.example/" + strings.Repeat("y", 300_000)
	over := fits + "z"
	in := "https://first.example\n" + long + "\n# after\n" + fits + "\n" + over + "\n" +
		fits + "\r\n" + "\xef\xbb\xbf" + "https://bom.example\n" + "https://z.example\n" + strings.Repeat(" ", MaxLine+1) + "\n" + over
	items := readAll(t, strings.NewReader(in))
	want := []struct {
		line int64
		raw  string
		err  string
	}{
		{1, "https://first.example", ""},
		{2, "", "line 2: longer than 64 KiB"},
		{4, fits, ""},
		{5, "", "line 5: longer than 64 KiB"},
		{6, "", "line 6: longer than 64 KiB"},                 // the carriage return counts
		{7, "\xef\xbb\xbfhttps://bom.example", "invalid URL"}, // a BOM is only taken off line 1
		{8, "https://z.example", ""},
		{9, "", "line 9: longer than 64 KiB"},   // blank, but not read
		{10, "", "line 10: longer than 64 KiB"}, // at the end, without a newline
	}
	if len(items) != len(want) {
		t.Fatalf("got %d items, want %d", len(items), len(want))
	}
	for i, w := range want {
		it := items[i]
		msg := ""
		if it.Err != nil {
			msg = it.Err.Error()
		}
		if it.Line != w.line || it.Raw != w.raw || (w.err == "") != (it.Err == nil) || !strings.HasPrefix(msg, w.err) {
			t.Errorf("item %d = line %d raw %.40q err %v; want line %d raw %.40q err %q", i, it.Line, it.Raw, it.Err, w.line, w.raw, w.err)
		}
		if strings.Contains(w.err, "64 KiB") && (!errors.Is(it.Err, ErrInvalid) || !errors.Is(it.Err, ErrLineTooLong) || it.URL != nil || msg != w.err) {
			t.Errorf("item %d: over-long error %v", i, it.Err)
		}
	}
	if n, err := CountLines(strings.NewReader(in)); n != int64(len(want)) || err != nil {
		t.Errorf("CountLines = %d, %v; want %d", n, err, len(want))
	}
}

// endless is a long line: n bytes of x, then after (when n is -1, no end
// at all). It is made as it is read, never held.
type endless struct {
	n     int64
	after string
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		return copy(p, e.after), io.EOF
	}
	if e.n > 0 && int64(len(p)) > e.n {
		p = p[:e.n]
	}
	for i := range p {
		p[i] = 'x'
	}
	if e.n > 0 {
		e.n -= int64(len(p))
	}
	return len(p), nil
}

// heapGrowth runs f and returns how much the live heap grew.
func heapGrowth(f func()) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// TestLongLineMemory: a line of 200 MB is read past in constant memory, by
// every reader, and the line after it comes through.
func TestLongLineMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 200 MB four times")
	}
	const size = 200 << 20
	readers := map[string]func(r io.Reader) Reader{
		"lines": func(r io.Reader) Reader { return NewLines(r) },
		"jsonl": func(r io.Reader) Reader { return NewJSONL(r, "url") },
		"csv": func(r io.Reader) Reader {
			c, err := NewCSV(io.MultiReader(strings.NewReader("url\n"), r), "url")
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
	}
	after := map[string]string{
		"lines": "\nhttps://after.example\n",
		"jsonl": "\n" + `{"url":"https://after.example"}` + "\n",
		"csv":   "\nhttps://after.example\n",
	}
	for name, open := range readers {
		var items []Item
		var peak uint64
		grew := heapGrowth(func() {
			r := open(&endless{n: size, after: after[name]})
			for {
				it, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				items = append(items, it)
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		})
		if grew > 4<<20 || peak > 64<<20 {
			t.Errorf("%s: the heap grew by %d bytes (peak %d) reading a line of %d", name, grew, peak, size)
		}
		first := int64(1)
		if name == "csv" {
			first = 2 // after the header
		}
		if len(items) != 2 || !errors.Is(items[0].Err, ErrLineTooLong) || items[0].Line != first ||
			items[1].Line != first+1 || items[1].Raw != "https://after.example" {
			for _, it := range items {
				t.Logf("line %d raw %.40q err %.80v", it.Line, it.Raw, it.Err)
			}
			t.Errorf("%s: %d items, want the over-long line and the one after it", name, len(items))
		}
	}
	var n int64
	grew := heapGrowth(func() { n, _ = CountLines(&endless{n: size, after: after["lines"]}) })
	if grew > 4<<20 || n != 2 {
		t.Errorf("CountLines: %d lines, the heap grew by %d bytes", n, grew)
	}
}

// TestNoNewlineEver: an input with no newline at all (/dev/zero) is read
// past as long as it lasts: the over-long line's item comes out at once,
// and the reader keeps reading in constant memory.
func TestNoNewlineEver(t *testing.T) {
	r := &countingReader{r: &endless{n: -1}}
	l := NewLines(r)
	it, err := l.Next()
	if err != nil || it.Line != 1 || !errors.Is(it.Err, ErrLineTooLong) {
		t.Fatalf("Next = %+v, %v", it, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Next() // never returns: stopped by the reader's panic below
	}()
	for r.n.Load() < 100<<20 {
		time.Sleep(10 * time.Millisecond)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.HeapAlloc > 64<<20 {
		t.Errorf("heap %d bytes after reading %d", m.HeapAlloc, r.n.Load())
	}
	r.stop.Store(true)
	<-done
}

// countingReader counts the bytes read, and ends with an error once stop
// is set.
type countingReader struct {
	r    io.Reader
	n    atomic.Int64
	stop atomic.Bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.stop.Load() {
		return 0, errors.New("stopped")
	}
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestStreams: the reader hands out the first item before the input ends.
func TestStreams(t *testing.T) {
	pr, pw := io.Pipe()
	l := NewLines(pr)
	go pw.Write([]byte("https://a.example\n"))
	it, err := l.Next()
	if err != nil || it.Raw != "https://a.example" {
		t.Fatalf("Next = %+v, %v", it, err)
	}
	pw.CloseWithError(errors.New("disk on fire"))
	if _, err := l.Next(); err == nil || err.Error() != "disk on fire" {
		t.Fatalf("read error = %v", err)
	}
}

// FuzzLines checks, for any input: no panic; one item per line that is not
// blank or a comment, or longer than MaxLine, with that line's number; every
// item valid http(s) with a host, or ErrInvalid; CountLines agrees.
func FuzzLines(f *testing.F) {
	f.Add("https://a.example\n# c\n\nb.example\n")
	f.Add("\r\n\r\n  x  \n")
	f.Add("http://[::1]:80/\nhttp://[::1\n")
	f.Add(strings.Repeat("a", 70000) + "\n")
	f.Add("a.example\n" + strings.Repeat("#", MaxLine+1) + "\nb.example")
	f.Add(strings.Repeat(" ", MaxLine) + "\r\n" + strings.Repeat("b", MaxLine))
	f.Fuzz(func(t *testing.T, in string) {
		items := readAll(t, strings.NewReader(in))
		var want []int64
		lines := strings.Split(in, "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1] // a final newline ends the last line
		}
		for i, line := range lines {
			long := len(line) > MaxLine
			if i == 0 {
				line = strings.TrimPrefix(line, "\xef\xbb\xbf")
			}
			line = strings.TrimSpace(line)
			if long || line != "" && line[0] != '#' {
				want = append(want, int64(i+1))
			}
		}
		if len(items) != len(want) {
			t.Fatalf("%d items, want %d", len(items), len(want))
		}
		if n, err := CountLines(strings.NewReader(in)); n != int64(len(want)) || err != nil {
			t.Fatalf("CountLines = %d, %v; %d items", n, err, len(want))
		}
		for i, it := range items {
			if it.Line != want[i] {
				t.Fatalf("item %d on line %d, want %d", i, it.Line, want[i])
			}
			if it.Err != nil {
				if !errors.Is(it.Err, ErrInvalid) || it.URL != nil {
					t.Fatalf("bad invalid item %+v", it)
				}
				continue
			}
			if it.URL.Scheme != "http" && it.URL.Scheme != "https" || it.URL.Hostname() == "" {
				t.Fatalf("accepted %q as %v", it.Raw, it.URL)
			}
			if utf8.ValidString(it.Raw) && strings.ContainsAny(it.Raw, " \n") && strings.Contains(it.URL.Host, " ") {
				t.Fatalf("host with a space accepted: %q", it.Raw)
			}
		}
	})
}

func TestCountLinesMatchesReader(t *testing.T) {
	in := "\n# c\n  a.example\n\t#x\n\nb.example\r\nc.example"
	n, err := CountLines(strings.NewReader(in))
	if err != nil || n != 3 || int64(len(readAll(t, strings.NewReader(in)))) != n {
		t.Fatalf("CountLines = %d, %v", n, err)
	}
}

func TestMixedFixture(t *testing.T) {
	f, err := os.Open("../testdata/urls/mixed.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var valid []bool
	for _, it := range readAll(t, f) {
		valid = append(valid, it.Err == nil)
	}
	// example.com, example.org, example.net (space in path), ftp, //scheme,
	// UPPER, [::1], not a url, r.example with :// in the query.
	want := []bool{true, true, true, false, true, true, true, false, true}
	if fmt.Sprint(valid) != fmt.Sprint(want) {
		t.Errorf("validity %v, want %v", valid, want)
	}
}
