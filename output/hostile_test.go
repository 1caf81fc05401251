package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// c0 is every C0 control character.
var c0 = func() string {
	var b []byte
	for c := 0; c < 0x20; c++ {
		b = append(b, byte(c))
	}
	return string(b)
}()

// hostile is text as a hostile server or list may send it: invalid UTF-8
// and every C0 control.
func hostile(s string) string { return s + "\xff\xfe<" + c0 + ">\xc3(\xed\xa0\x80)é" }

func hostileRecord() *Record {
	h := hostile
	inCell, _ := json.Marshal(h("cell")) // json.Marshal makes it valid, escapes controls
	return &Record{
		URL: h("https://a.example/"), FinalURL: Str(h("https://b.example/")), Status: 200,
		ContentType: Str(h("text/html")), Title: Str(h("title")), Description: Str(h("desc")),
		Fields: []Field{
			{Name: h("one"), Value: Value{Str: Str(h("value"))}},
			{Name: "many", Value: Value{IsList: true, List: []string{h("a"), h("b")}}},
		},
		Extracted: []Extracted{
			{Name: "text", JSON: json.RawMessage(`"x\u0000y\u001b\r\n\tz` + "\xff" + `"`)},
			{Name: "meta", JSON: json.RawMessage(`{"k\u0007":["v\u0001` + "\xfe" + `",1,null]}`)},
		},
		FetchedAt: clock, ErrorKind: KindOther, Error: h("error"),
		Depth: 1, Referrer: Str(h("https://r.example/")),
		Input: []InputField{
			{Key: h("key"), Raw: json.RawMessage(inCell)},
			{Key: "raw", Raw: json.RawMessage("\"bad\xffbytes\"")},
		},
	}
}

// checkText fails when s, a text value, holds a C0 control but tab and
// newline.
func checkText(t *testing.T, where, s string) {
	t.Helper()
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' }) {
		t.Errorf("%s: text value %q holds a control character", where, s)
	}
}

// checkTextJSON checks every string in a decoded JSON value, and the keys
// of its objects when keys is set (the keys of fields are --select names,
// the user's, not text).
func checkTextJSON(t *testing.T, where string, v any, keys bool) {
	t.Helper()
	switch v := v.(type) {
	case string:
		checkText(t, where, v)
	case []any:
		for _, e := range v {
			checkTextJSON(t, where, e, true)
		}
	case map[string]any:
		for k, e := range v {
			if keys {
				checkText(t, where+" key", k)
			}
			checkTextJSON(t, where+"."+k, e, true)
		}
	}
}

// TestHostileBytes: whatever bytes a record holds, every format (and its
// compressed forms) is valid UTF-8, decodes, keeps url as read but for
// U+FFFD, and its text values hold no control but tab and newline.
func TestHostileBytes(t *testing.T) {
	schema := Schema{Fields: []string{hostile("one"), "many"}, Extract: []string{"text", "meta"}, Crawl: true, Input: true}
	for _, c := range []Compression{NoCompression, Gzip, Zstd} {
		for _, f := range []Format{JSONL, JSON, CSV} {
			t.Run(string(f)+"/"+string(c), func(t *testing.T) {
				out := decompress(t, c, render(t, f, []*Record{hostileRecord()}, Options{Schema: schema, Compression: c}))
				if !utf8.Valid(out) {
					t.Fatalf("output is not UTF-8:\n%q", out)
				}
				if f == CSV {
					checkHostileCSV(t, out)
					return
				}
				if bytes.ContainsFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' }) {
					t.Errorf("JSON output holds a raw control character:\n%q", out)
				}
				var rec map[string]any
				if f == JSON {
					var recs []map[string]any
					if err := json.Unmarshal(out, &recs); err != nil || len(recs) != 1 {
						t.Fatalf("json: %v", err)
					}
					rec = recs[0]
				} else if err := json.Unmarshal(out, &rec); err != nil {
					t.Fatalf("jsonl: %v", err)
				}
				for _, k := range []string{"title", "description", "fields", "extracted"} {
					checkTextJSON(t, k, rec[k], k != "fields")
				}
				if got, want := rec["url"], validRunes(hostile("https://a.example/")); got != want {
					t.Errorf("url = %q, want %q (as read, invalid bytes as U+FFFD)", got, want)
				}
				if got, want := rec["error"], validRunes(hostile("error")); got != want {
					t.Errorf("error = %q, want %q", got, want)
				}
				x, _ := json.Marshal(rec["extracted"])
				if got, want := string(x), "{\"meta\":{\"k\":[\"v\uFFFD\",1,null]},\"text\":\"xy\\n\\tz\uFFFD\"}"; got != want {
					t.Errorf("extracted = %s, want %s", got, want)
				}
				in := rec["input"].(map[string]any)
				if got, want := in[validRunes(hostile("key"))], validRunes(hostile("cell")); got != want {
					t.Errorf("input = %q, want %q", in, want)
				}
			})
		}
	}
}

func checkHostileCSV(t *testing.T, out []byte) {
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv: %d rows, %v\n%q", len(rows), err, out)
	}
	header, row := rows[0], rows[1]
	col := map[string]string{}
	for i, h := range header {
		col[h] = row[i]
	}
	for _, k := range []string{"title", "description", validRunes(hostile("one")), "many", "text", "meta"} {
		v, ok := col[k]
		if !ok {
			t.Fatalf("no column %q in %q", k, header)
		}
		checkText(t, k, v)
	}
	norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	if got, want := col["url"], norm(validRunes(hostile("https://a.example/"))); got != want {
		t.Errorf("url = %q, want %q (as read, invalid bytes as U+FFFD)", got, want)
	}
	if got, want := col["raw"], "bad\uFFFDbytes"; got != want {
		t.Errorf("input cell raw = %q, want %q", got, want)
	}
	if got, want := col["text"], "xy\n\tz\uFFFD"; got != want {
		t.Errorf("extracted text cell = %q, want %q", got, want)
	}
	if got, want := col["meta"], "{\"k\":[\"v\uFFFD\",1,null]}"; got != want {
		t.Errorf("extracted meta cell = %q, want %q", got, want)
	}
	if got, want := col[validRunes(hostile("key"))], norm(validRunes(hostile("cell"))); got != want {
		t.Errorf("input cell = %q, want %q", got, want)
	}
}
