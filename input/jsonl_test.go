package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestJSONL(t *testing.T) {
	in := "\xef\xbb\xbf{\"url\": \"https://a.example/x\", \"id\": 1}\n" + // 1: BOM
		"\n   \r\n" + // 2, 3: blank
		`{"id": 2, "tags": [ "a", "b" ], "url": " b.example/p ", "meta": {"z": 1, "a": null}}` + "\n" + // 4: order as written, compacted
		`{"big": 12345678901234567890, "f": 1.50e+3, "s": "say \"hi\"\n\u00e9 <&>", "url": "c.example"}` + "\r\n" + // 5: values exact
		`{"dup": 1, "url": "first.example", "dup": 2, "url": "last.example"}` + "\n" + // 6: last URL wins
		`{"url": "", "id": 7}` + "\n" + // 7
		`{"link": "x.example", "id": 8}` + "\n" + // 8
		`{"url": 42, "id": 9}` + "\n" + // 9
		`{"url": null}` + "\n" + // 10
		`["url", "a.example"]` + "\n" + // 11
		`{"url": "a.example",}` + "\n" + // 12
		`{"url": "a.example"} {"url": "b.example"}` + "\n" + // 13
		`{"url": "a.example"` + "\n" + // 14
		"# not a comment\n" + // 15
		`{"url":"ftp://f.example/","id":16}` + "\n" + // 16
		"\t{\"url\":\"g.example\",\"id\":\"\xff\"}" // 17: no final newline, invalid UTF-8
	items := drain(t, NewJSONL(strings.NewReader(in), "url"), 100)
	checkItems(t, items, []wantItem{
		{1, "https://a.example/x", "", `id=1`},
		{4, "https://b.example/p", "", `id=2 tags=["a","b"] meta={"z":1,"a":null}`},
		{5, "https://c.example", "", `big=12345678901234567890 f=1.50e+3 s="say \"hi\"\n\u00e9 <&>"`},
		{6, "https://last.example", "", `dup=1 dup=2`},
		{7, "", `line 7: empty URL in field "url"`, `id=7`},
		{8, "", `line 8: no field "url"`, `link="x.example" id=8`},
		{9, "", `line 9: field "url" is a number, not a string`, `id=9`},
		{10, "", `line 10: field "url" is null, not a string`, ``},
		{11, "", `line 11: not a JSON object`, ""},
		{12, "", `line 12: invalid JSON at byte 20: invalid character '}' looking for beginning of object key string`, ""},
		{13, "", `line 13: invalid JSON: text after the object, which ends at byte 20`, ""},
		{14, "", `line 14: invalid JSON: unexpected end of line`, ""},
		{15, "", `line 15: invalid JSON at byte 1: invalid character '#' looking for beginning of value`, ""},
		{16, "ftp://f.example/", `scheme "ftp" is not http or https`, `id=16`},
		{17, "https://g.example", "", "id=\"\uFFFD\""},
	})
	var se *json.SyntaxError
	if !errors.As(items[9].Err, &se) {
		t.Errorf("error %v does not unwrap to its *json.SyntaxError", items[9].Err)
	}
}

func TestJSONLURLField(t *testing.T) {
	in := `{"url": "not this", "Link": "a.example", "n": [1, 2]}`
	checkItems(t, drain(t, NewJSONL(strings.NewReader(in), "Link"), 100), []wantItem{
		{1, "https://a.example", "", `url="not this" n=[1,2]`},
	})
}

// TestJSONLLongLine: a line longer than MaxLine is one invalid item, and
// the lines around it come through; a line of MaxLine bytes is read.
func TestJSONLLongLine(t *testing.T) {
	pad := func(n int) string { return strings.Repeat("x", n) }
	fits := `{"url":"b.example","pad":"` + pad(MaxLine-len(`{"url":"b.example","pad":""}`)) + `"}`
	in := `{"url":"a.example"}` + "\n" + `{"url":"x.example/` + pad(300_000) + `"}` + "\n" + fits + "\n" +
		fits[:len(fits)-1] + ` }` + "\n" + `{"url":"c.example"}` + "\n" + strings.Repeat(" ", MaxLine+1)
	items := drain(t, NewJSONL(strings.NewReader(in), "url"), 100)
	checkItems(t, items, []wantItem{
		{1, "https://a.example", "", ""},
		{2, "", "line 2: longer than 64 KiB", ""},
		{3, "https://b.example", "", `pad="` + pad(MaxLine-len(`{"url":"b.example","pad":""}`)) + `"`},
		{4, "", "line 4: longer than 64 KiB", ""},
		{5, "https://c.example", "", ""},
		{6, "", "line 6: longer than 64 KiB", ""},
	})
	if !errors.Is(items[1].Err, ErrLineTooLong) || items[1].Err.Error() != "line 2: longer than 64 KiB" {
		t.Errorf("over-long error %v", items[1].Err)
	}
}

// TestJSONLStreams: the first line comes out before the input ends, and a
// read error of the source is returned, wrapped, not turned into an item.
func TestJSONLStreams(t *testing.T) {
	pr, pw := io.Pipe()
	j := NewJSONL(pr, "url")
	go pw.Write([]byte(`{"url":"a.example"}` + "\n"))
	it, err := j.Next()
	if err != nil || it.Raw != "https://a.example" {
		t.Fatalf("Next = %+v, %v", it, err)
	}
	disk := errors.New("disk on fire")
	pw.CloseWithError(disk)
	if _, err := j.Next(); !errors.Is(err, disk) || err.Error() != "read jsonl: disk on fire" {
		t.Fatalf("read error = %v", err)
	}
}

// FuzzJSONL checks, for any input: no panic; one item per line that is not
// blank, with that line's number; every item a valid http(s) URL or
// ErrInvalid; every field's Raw compact, valid JSON in valid UTF-8, and
// never the URL field.
func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"url":"a.example","n":1}` + "\n\n" + `{"id":[1,{"x":null}],"url":"http://b.example/"}`))
	f.Add([]byte(`{"url":"a.example","url":2}` + "\r\n" + `[1]` + "\n" + `{"a":"\u00e9\ud800"}`))
	f.Add([]byte(`{"url" : "c.example" , "s" : "x\"y" }  {}`))
	f.Add([]byte("\xef\xbb\xbf{\"url\":\"\xff\"}\n"))
	f.Add([]byte(`{"url":"a.example"}` + "\n" + strings.Repeat(" ", MaxLine+1) + "\n" + `{"url":"b.example"}`))
	f.Add([]byte(`{"url":"` + strings.Repeat("a", MaxLine) + `"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var wantLines []int64
		lines := bytes.Split(in, []byte("\n"))
		if len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1] // a final newline ends the last line
		}
		for i, line := range lines {
			long := len(line) > MaxLine
			if i == 0 {
				line = bytes.TrimPrefix(line, bom)
			}
			if long || len(bytes.TrimSpace(line)) != 0 {
				wantLines = append(wantLines, int64(i+1))
			}
		}

		j := NewJSONL(bytes.NewReader(in), "url")
		var items []Item
		for {
			if len(items) > len(in)+2 {
				t.Fatalf("more than %d items from %d bytes", len(items), len(in))
			}
			it, err := j.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			items = append(items, it)
		}
		if len(items) != len(wantLines) {
			t.Fatalf("%d items, want %d", len(items), len(wantLines))
		}
		for i, it := range items {
			checkFuzzItem(t, it)
			if it.Line != wantLines[i] {
				t.Fatalf("item %d on line %d, want %d", i, it.Line, wantLines[i])
			}
			for _, fl := range it.Input {
				var buf bytes.Buffer
				if fl.Key == "url" || !utf8.ValidString(fl.Key) || !utf8.Valid(fl.Raw) || json.Compact(&buf, fl.Raw) != nil || !bytes.Equal(buf.Bytes(), fl.Raw) {
					t.Fatalf("line %d: field %q=%s", it.Line, fl.Key, fl.Raw)
				}
			}
		}
	})
}

// TestJSONLOffsets: byte offsets in messages count the line's leading white
// space, and invalid UTF-8 does not shift them.
func TestJSONLOffsets(t *testing.T) {
	in := "  {\"url\" \"x\"}\n" + "{\"a\":\"\xff\xff\"} x\n"
	checkItems(t, drain(t, NewJSONL(strings.NewReader(in), "url"), 100), []wantItem{
		{1, "", `line 1: invalid JSON at byte 9: expected colon after object key`, ""},
		{2, "", `line 2: invalid JSON: text after the object, which ends at byte 10`, ""},
	})
}
