package input

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
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

// TestLongLine: a line far past bufio.Scanner's 64 KiB is one URL.
func TestLongLine(t *testing.T) {
	long := "https://a.example/" + strings.Repeat("x", 300_000)
	items := readAll(t, strings.NewReader("https://first.example\n"+long+"\nhttps://z.example\n"))
	if len(items) != 3 || items[1].Raw != long || items[1].Err != nil || items[2].Raw != "https://z.example" {
		t.Fatalf("got %d items; middle len %d", len(items), len(items[1].Raw))
	}
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
// blank or a comment; every item valid http(s) with a host, or ErrInvalid.
func FuzzLines(f *testing.F) {
	f.Add("https://a.example\n# c\n\nb.example\n")
	f.Add("\r\n\r\n  x  \n")
	f.Add("http://[::1]:80/\nhttp://[::1\n")
	f.Add(strings.Repeat("a", 70000) + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		items := readAll(t, strings.NewReader(in))
		want := 0
		sc := bufio.NewScanner(strings.NewReader(in))
		sc.Buffer(make([]byte, 0, 4096), len(in)+1)
		first := true
		for sc.Scan() {
			line := sc.Text()
			if first {
				line = strings.TrimPrefix(line, "\xef\xbb\xbf")
				first = false
			}
			line = strings.TrimSpace(line)
			if line != "" && line[0] != '#' {
				want++
			}
		}
		if len(items) != want {
			t.Fatalf("%d items, want %d", len(items), want)
		}
		for _, it := range items {
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
