package input

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// drain reads r to io.EOF, failing on any other error or when r gives more
// than max items (so a reader that never ends fails rather than hangs).
func drain(t testing.TB, r Reader, max int) []Item {
	t.Helper()
	var items []Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items
		}
		if err != nil {
			t.Fatalf("Next after %d items: %v", len(items), err)
		}
		items = append(items, it)
		if len(items) > max {
			t.Fatalf("more than %d items: the reader does not end", max)
		}
	}
}

// fieldsString renders Input as key=raw pairs, for exact comparisons.
func fieldsString(fs []Field) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = f.Key + "=" + string(f.Raw)
	}
	return strings.Join(s, " ")
}

type wantItem struct {
	line  int64
	raw   string
	err   string // "" for a valid item, else a substring of the message
	input string // fieldsString of Input
}

func checkItems(t *testing.T, items []Item, want []wantItem) {
	t.Helper()
	if len(items) != len(want) {
		for _, it := range items {
			t.Logf("line %d raw %q err %v input %s", it.Line, it.Raw, it.Err, fieldsString(it.Input))
		}
		t.Fatalf("got %d items, want %d", len(items), len(want))
	}
	for i, w := range want {
		it := items[i]
		if it.Line != w.line || it.Raw != w.raw {
			t.Errorf("item %d: line %d raw %q, want line %d raw %q", i, it.Line, it.Raw, w.line, w.raw)
		}
		if got := fieldsString(it.Input); got != w.input {
			t.Errorf("item %d (line %d): input\n  %s\nwant\n  %s", i, it.Line, got, w.input)
		}
		switch {
		case w.err == "" && it.Err != nil:
			t.Errorf("item %d (line %d): unexpected error %v", i, it.Line, it.Err)
		case w.err == "" && it.URL == nil:
			t.Errorf("item %d (line %d): valid item without URL", i, it.Line)
		case w.err != "" && it.Err == nil:
			t.Errorf("item %d (line %d): no error, want %q", i, it.Line, w.err)
		case w.err != "" && (!errors.Is(it.Err, ErrInvalid) || it.URL != nil):
			t.Errorf("item %d (line %d): error %v is not ErrInvalid, or URL %v", i, it.Line, it.Err, it.URL)
		case w.err != "" && !strings.Contains(it.Err.Error(), w.err):
			t.Errorf("item %d (line %d): error %q does not contain %q", i, it.Line, it.Err, w.err)
		}
	}
}

func TestCSV(t *testing.T) {
	in := "\xef\xbb\xbf id , url ,note,  price\r\n" + // 1: BOM, spaces around names, CRLF
		"1,https://a.example/x,plain,3\r\n" + // 2
		"2, b.example/p?q=1 ,\"with, comma\",\"4,50\"\r\n" + // 3: URL trimmed, https:// default
		"\r\n" + // 4: empty line
		"3,c.example,\"say \"\"hi\"\"\",\"\"\n" + // 5: doubled quotes, empty quoted cell
		"4,\"d.example\",\"two\nlines\",5\n" + // 6-7: newline inside quotes
		"5,e.example,<b>&amp;</b>,\u00e9\n" + // 8: HTML and non-ASCII as written
		", , ,\n" + // 9: all cells blank: skipped
		"6,,no url,1\n" + // 10: empty URL cell
		"7,ftp://f.example/,bad scheme,1\n" + // 11
		"8,g.example,last,9" // 12: no final newline
	c, err := NewCSV(strings.NewReader(in), "url")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Columns(), []string{"id", "note", "price"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Columns() = %q, want %q", got, want)
	}
	items := drain(t, c, 100)
	checkItems(t, items, []wantItem{
		{2, "https://a.example/x", "", `id="1" note="plain" price="3"`},
		{3, "https://b.example/p?q=1", "", `id="2" note="with, comma" price="4,50"`},
		{5, "https://c.example", "", `id="3" note="say \"hi\"" price=""`},
		{6, "https://d.example", "", `id="4" note="two\nlines" price="5"`},
		{8, "https://e.example", "", `id="5" note="<b>&amp;</b>" price="é"`},
		{10, "", `line 10: empty URL in column "url"`, `id="6" note="no url" price="1"`},
		{11, "ftp://f.example/", `scheme "ftp" is not http or https`, `id="7" note="bad scheme" price="1"`},
		{12, "https://g.example", "", `id="8" note="last" price="9"`},
	})
	for _, it := range items {
		for _, f := range it.Input {
			var s string
			if err := json.Unmarshal(f.Raw, &s); err != nil {
				t.Errorf("line %d: %s is not a JSON string: %v", it.Line, f.Raw, err)
			}
		}
	}
	// Each Raw has its own capacity: appending to one leaves the next alone.
	_ = append(items[0].Input[0].Raw, "xxxx"...)
	if got := string(items[0].Input[1].Raw); got != `"plain"` {
		t.Errorf("append to one Raw changed the next: %s", got)
	}
}

// TestCSVMalformed: bad rows in the middle become invalid items with their
// line, and the rows after them still come through.
func TestCSVMalformed(t *testing.T) {
	in := "name,url,n\n" + // 1
		"a,a.example,1\n" + // 2
		"b,b.example\n" + // 3: too few cells
		"c,c.example,3,extra\n" + // 4: too many
		"d,d.example,x\"y\n" + // 5: bare quote after the URL cell
		"e\"e,e.example,5\n" + // 6: bare quote before it
		"f,\"f.example\"x,6\n" + // 7: text after a closing quote
		"g,\"g.example\",\"multi\nline\"oops,7\n" + // 8-9: error on the row's second line
		"h,h.example,8\n" // 10
	c, err := NewCSV(strings.NewReader(in), "url")
	if err != nil {
		t.Fatal(err)
	}
	items := drain(t, c, 100)
	checkItems(t, items, []wantItem{
		{2, "https://a.example", "", `name="a" n="1"`},
		{3, "b.example", "line 3: wrong number of fields: 2, the header has 3", ""},
		{4, "c.example", "line 4: wrong number of fields: 4, the header has 3", ""},
		{5, "d.example", `line 5: bare " in non-quoted-field (column 14)`, ""},
		{6, "", `line 6: bare " in non-quoted-field (column 2)`, ""},
		{7, "", `line 7: extraneous or missing " in quoted-field (column 13)`, ""},
		{8, "g.example", `line 8: extraneous or missing " in quoted-field (at line 9, column 5)`, ""},
		{10, "https://h.example", "", `name="h" n="8"`},
	})
	var pe *csv.ParseError
	if !errors.As(items[3].Err, &pe) || !errors.Is(items[3].Err, csv.ErrBareQuote) || pe.StartLine != 5 {
		t.Errorf("bare quote error %v does not unwrap to its *csv.ParseError", items[3].Err)
	}
}

// TestCSVUnterminatedQuote: encoding/csv cannot resynchronise after a quote
// that is never closed: the cell runs to the end of the input, so the rest
// of the file is one invalid item, and then the input ends.
func TestCSVUnterminatedQuote(t *testing.T) {
	in := "url,note\n" +
		"a.example,fine\n" + // 2
		"b.example,\"never closed\n" + // 3
		"c.example,lost\n" +
		"d.example,lost too\n"
	c, err := NewCSV(strings.NewReader(in), "url")
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, drain(t, c, 100), []wantItem{
		{2, "https://a.example", "", `note="fine"`},
		{3, "b.example", `line 3: extraneous or missing " in quoted-field (at line 5, column 20)`, ""},
	})

	// An unterminated quote in the URL cell itself leaves no URL to report.
	c, err = NewCSV(strings.NewReader("url\n\"a.example\nb.example\n"), "url")
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, drain(t, c, 100), []wantItem{
		{2, "", `line 2: extraneous or missing " in quoted-field`, ""},
	})
}

func TestCSVOnlyURLColumn(t *testing.T) {
	c, err := NewCSV(strings.NewReader("url\na.example\n\n  \nb.example\n"), "url")
	if err != nil {
		t.Fatal(err)
	}
	if cols := c.Columns(); cols == nil || len(cols) != 0 {
		t.Errorf("Columns() = %#v, want empty", cols)
	}
	items := drain(t, c, 100)
	checkItems(t, items, []wantItem{
		{2, "https://a.example", "", ""},
		{5, "https://b.example", "", ""},
	})
	if items[0].Input == nil {
		t.Error("Input of a csv row is nil, want empty")
	}
}

func TestCSVURLField(t *testing.T) {
	c, err := NewCSV(strings.NewReader("Link,url\na.example,not this\n"), "Link")
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, drain(t, c, 100), []wantItem{
		{2, "https://a.example", "", `url="not this"`},
	})
}

func TestCSVHeaderErrors(t *testing.T) {
	for _, tc := range []struct{ in, field, want string }{
		{"id,URL,name\n1,a.example,x\n", "url", `csv header has no column "url" (columns "id", "URL", "name")`},
		{"\xef\xbb\xbfname\n", "url", `csv header has no column "url" (columns "name")`},
		{"", "url", `read csv header: no header row (want a column "url")`},
		{"\n\n", "link", `read csv header: no header row (want a column "link")`},
		{"url,a,url\n", "url", `csv header has column "url" twice (columns "url", "a", "url")`},
		{"url,a\"b\n", "url", `read csv header: parse error on line 1, column 6: bare " in non-quoted-field`},
	} {
		c, err := NewCSV(strings.NewReader(tc.in), tc.field)
		if err == nil || err.Error() != tc.want || c != nil {
			t.Errorf("NewCSV(%q, %q) = %v, %v; want error %q", tc.in, tc.field, c, err, tc.want)
		}
	}
}

// TestCSVStreams: the first row comes out before the input ends, and a read
// error of the source is returned, wrapped, not turned into an item.
func TestCSVStreams(t *testing.T) {
	pr, pw := io.Pipe()
	go pw.Write([]byte("url,n\na.example,1\n"))
	c, err := NewCSV(pr, "url")
	if err != nil {
		t.Fatal(err)
	}
	it, err := c.Next()
	if err != nil || it.Raw != "https://a.example" {
		t.Fatalf("Next = %+v, %v", it, err)
	}
	disk := errors.New("disk on fire")
	pw.CloseWithError(disk)
	for i := 0; i < 2; i++ {
		if _, err := c.Next(); !errors.Is(err, disk) || err.Error() != "read csv: disk on fire" {
			t.Fatalf("read error = %v", err)
		}
	}
}

// FuzzCSV checks, for any bytes, read with and without a header of its own:
// no panic; the reader ends, with nothing but io.EOF, within one item per
// input byte; every item is a valid http(s) URL or ErrInvalid; lines only
// go up; a well-formed row's Input has the header's columns, each a JSON
// string in valid UTF-8.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("a.example,1,x\n"))
	f.Add([]byte("\"b.example\",\"x\"\"y\",\"z\nw\"\r\nc,d\n"))
	f.Add([]byte("a\"b,\"c\nd,e\"f\n"))
	f.Add([]byte("url\n\xef\xbb\xbf\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, src := range []string{string(in), "url,a,b\n" + string(in)} {
			c, err := NewCSV(strings.NewReader(src), "url")
			if err != nil {
				if c != nil {
					t.Fatalf("NewCSV returned both a reader and %v", err)
				}
				continue
			}
			cols := c.Columns()
			var last int64
			for n := 0; ; n++ {
				if n > len(src)+2 {
					t.Fatalf("more than %d items from %d bytes", n, len(src))
				}
				it, err := c.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("Next: %v", err)
				}
				checkFuzzItem(t, it)
				if it.Line <= last {
					t.Fatalf("line %d after line %d", it.Line, last)
				}
				last = it.Line
				if it.Input == nil {
					if it.Err == nil {
						t.Fatalf("valid item without Input: %+v", it)
					}
					continue
				}
				if len(it.Input) != len(cols) {
					t.Fatalf("%d fields, %d columns", len(it.Input), len(cols))
				}
				for i, fl := range it.Input {
					var s string
					if fl.Key != cols[i] || !utf8.ValidString(fl.Key) || !utf8.Valid(fl.Raw) || json.Unmarshal(fl.Raw, &s) != nil {
						t.Fatalf("field %d = %s=%s, column %q", i, fl.Key, fl.Raw, cols[i])
					}
				}
			}
		}
	})
}

// checkFuzzItem: an item is a valid http(s) URL with a host, or ErrInvalid
// without a URL; either way it has a line.
func checkFuzzItem(t *testing.T, it Item) {
	t.Helper()
	if it.Line < 1 {
		t.Fatalf("line %d: %+v", it.Line, it)
	}
	if it.Err != nil {
		if !errors.Is(it.Err, ErrInvalid) || it.URL != nil {
			t.Fatalf("bad invalid item %+v", it)
		}
		return
	}
	if it.URL == nil || (it.URL.Scheme != "http" && it.URL.Scheme != "https") || it.URL.Hostname() == "" {
		t.Fatalf("accepted %q as %v", it.Raw, it.URL)
	}
}

// TestCSVLongRow: a row longer than MaxLine, its quoted newlines included,
// is one invalid item on the line it starts on; the rows around it come
// through with their own line numbers; a row of MaxLine bytes is read.
func TestCSVLongRow(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	fits := "b.example," + x(MaxLine-len("b.example,"))
	multi := "c.example,\"" + strings.Repeat("line\n", 20_000) + "\"" // 100,012 bytes on 20,001 lines
	in := "url,note\n" +                                              // 1
		"a.example,short\n" + // 2
		"d.example," + x(200_000) + "\n" + // 3
		fits + "\n" + // 4
		fits + "x\n" + // 5: one byte over
		multi + "\n" + // 6 - 20006
		"e.example,\"two\nlines\"\n" + // 20007-20008
		"f.example,\"multi\nline\"oops\n" + // 20009-20010: a parse error after the drops
		" , \n" + // 20011: blank
		"g.example,\"" + x(MaxLine) + "\n" + // 20012: a quote never closed: the rest is one row
		"h.example,lost\n"
	c, err := NewCSV(strings.NewReader(in), "url")
	if err != nil {
		t.Fatal(err)
	}
	items := drain(t, c, 100)
	checkItems(t, items, []wantItem{
		{2, "https://a.example", "", `note="short"`},
		{3, "", "line 3: longer than 64 KiB", ""},
		{4, "https://b.example", "", `note="` + x(MaxLine-len("b.example,")) + `"`},
		{5, "", "line 5: longer than 64 KiB", ""},
		{6, "", "line 6: longer than 64 KiB", ""},
		{20007, "https://e.example", "", `note="two\nlines"`},
		{20009, "f.example", `line 20009: extraneous or missing " in quoted-field (at line 20010, column 5)`, ""},
		{20012, "", "line 20012: longer than 64 KiB", ""},
	})
	for _, i := range []int{1, 3, 4, 7} {
		if it := items[i]; !errors.Is(it.Err, ErrLineTooLong) || it.Err.Error() != fmt.Sprintf("line %d: longer than 64 KiB", it.Line) {
			t.Errorf("item %d: error %v", i, it.Err)
		}
	}
}

// TestCSVLongHeader: a header row over MaxLine is an error, not a row.
func TestCSVLongHeader(t *testing.T) {
	for _, in := range []string{
		"url," + strings.Repeat("h", MaxLine) + "\na.example,1\n",
		"\n\n\"url\n" + strings.Repeat("h", MaxLine) + "\"\na.example\n",
		"url," + strings.Repeat("h", MaxLine),
	} {
		c, err := NewCSV(strings.NewReader(in), "url")
		if c != nil || !errors.Is(err, ErrLineTooLong) || !strings.HasPrefix(err.Error(), "read csv header: line ") {
			t.Errorf("NewCSV(%.20q...) = %v, %v", in, c, err)
		}
	}
	if _, err := NewCSV(strings.NewReader("\n\nurl,"+strings.Repeat("h", MaxLine)), "url"); err == nil || err.Error() != "read csv header: line 3: longer than 64 KiB" {
		t.Errorf("error %v", err)
	}
}

// FuzzCSVLongRows checks the row guard against encoding/csv alone, with a
// small row limit: the items are exactly the unguarded reader's, but that
// each row longer than the limit (as encoding/csv delimits it) is one
// too-long item on its first line.
func FuzzCSVLongRows(f *testing.F) {
	f.Add([]byte("url,a\nx.example,1\n\"y.example\",\"long\nlong\nlong\"\nz.example,2\n"), uint8(8))
	f.Add([]byte("url,a\na\"b,\"c\nd,e\"f\nlong.example,xxxxxxxxxxxxxxxx\r\n\r\nq.example,\"x\"\"y\"\r\n"), uint8(6))
	f.Add([]byte("url\n\"never closed\nz\n"), uint8(3))
	f.Add([]byte("\xef\xbb\xbfurl,b\n\"a\"\rb,c\n\"q\"\r\nr.example,\"\"\r"), uint8(4))
	f.Fuzz(func(t *testing.T, in []byte, lim uint8) {
		limit := 2 + int(lim%32)
		src := string(in)
		if !strings.HasPrefix(src, "url") {
			src = "url,a\n" + src
		}
		body := strings.TrimPrefix(src, "\xef\xbb\xbf") // what encoding/csv reads
		ref, err := newCSV(strings.NewReader(src), "url", len(src)+1)
		got, gerr := newCSV(strings.NewReader(src), "url", limit)
		if err != nil {
			if gerr == nil || gerr.Error() != err.Error() && !errors.Is(gerr, ErrLineTooLong) {
				t.Fatalf("header: unguarded %v, guarded %v", err, gerr)
			}
			return
		}
		off := ref.cr.InputOffset()
		if n, _ := rowSpan(body[:off]); n > limit {
			if !errors.Is(gerr, ErrLineTooLong) {
				t.Fatalf("header of %d bytes, limit %d: error %v", n, limit, gerr)
			}
			return
		}
		if gerr != nil {
			t.Fatalf("guarded header: %v", gerr)
		}
		var want []Item
		for {
			it, err := ref.row()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			end := ref.cr.InputOffset()
			n, lead := rowSpan(body[off:end])
			if it != nil && openAtEOF(it.Err, body[off:end]) {
				n = len(body[off:end]) - lead // the last newline is inside the quotes
			}
			line := int64(strings.Count(body[:off+int64(lead)], "\n") + 1)
			off = end
			switch {
			case n > limit:
				want = append(want, tooLong(line))
			case it != nil:
				if it.Line != line {
					t.Fatalf("unguarded item on line %d, its row starts on line %d", it.Line, line)
				}
				want = append(want, *it)
			}
		}
		items := drain(t, got, len(src)+2)
		if len(items) != len(want) {
			t.Fatalf("%d items, want %d", len(items), len(want))
		}
		for i, w := range want {
			it := items[i]
			if it.Line != w.Line || it.Raw != w.Raw || fmt.Sprint(it.Err) != fmt.Sprint(w.Err) || fieldsString(it.Input) != fieldsString(w.Input) {
				t.Fatalf("item %d: line %d raw %q err %v input %s\nwant  line %d raw %q err %v input %s",
					i, it.Line, it.Raw, it.Err, fieldsString(it.Input), w.Line, w.Raw, w.Err, fieldsString(w.Input))
			}
		}
	})
}

// rowSpan returns the length of the row in span, the bytes encoding/csv
// read for one record (blank lines before it, and its newline, aside), and
// the length of the blank lines before it.
func rowSpan(span string) (n, lead int) {
	for {
		switch {
		case strings.HasPrefix(span[lead:], "\n"):
			lead++
			continue
		case strings.HasPrefix(span[lead:], "\r\n"):
			lead += 2
			continue
		}
		break
	}
	return len(strings.TrimSuffix(span[lead:], "\n")), lead
}

// openAtEOF reports whether err is encoding/csv's error for a quoted field
// still open at the end of the input (its column past the end of its
// line): then the row runs to the end, and a newline at the end is in it.
func openAtEOF(err error, span string) bool {
	var pe *csv.ParseError
	if !errors.As(err, &pe) || pe.Err != csv.ErrQuote {
		return false
	}
	last := strings.TrimSuffix(span, "\n")
	last = last[strings.LastIndexByte(last, '\n')+1:]
	return pe.Column > len(last)
}

// TestInputKeysUTF8: column names and keys are valid UTF-8, as values are.
func TestInputKeysUTF8(t *testing.T) {
	c, err := NewCSV(strings.NewReader("\xffid, url ,n\xc3\n1,a.example,\xfe\n"), "url")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Columns(), []string{"\uFFFDid", "n\uFFFD"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Columns() = %q, want %q", got, want)
	}
	checkItems(t, drain(t, c, 10), []wantItem{{2, "https://a.example", "", "\uFFFDid=\"1\" n\uFFFD=\"\\ufffd\""}})
	// A URL column whose name is not UTF-8 is found by its U+FFFD name.
	if _, err := NewCSV(strings.NewReader("\xffurl\na.example\n"), "\uFFFDurl"); err != nil {
		t.Errorf("URL column with U+FFFD: %v", err)
	}

	j := NewJSONL(strings.NewReader("{\"url\":\"a.example\",\"k\xff\":\"v\xfe\",\"\\ud800\":1}\n"), "url")
	checkItems(t, drain(t, j, 10), []wantItem{{1, "https://a.example", "", "k\uFFFD=\"v\uFFFD\" \uFFFD=1"}})
}
