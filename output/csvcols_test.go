package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func inputRecord(kv ...string) *Record {
	r := &Record{URL: "https://a.example/", FetchedAt: clock}
	for i := 0; i+1 < len(kv); i += 2 {
		raw, _ := json.Marshal(kv[i+1])
		r.Input = append(r.Input, InputField{Key: kv[i], Raw: raw})
	}
	return r
}

// TestCSVInputColumnsUnique: an input column whose name is already a
// column is written input.NAME (then input.NAME.2, ...), and JSON keeps
// the original keys.
func TestCSVInputColumnsUnique(t *testing.T) {
	base := "url,final_url,status,content_type,title,description,bytes,elapsed_ms,attempts,fetched_at,error_kind,error"
	for _, c := range []struct {
		name   string
		schema Schema
		rec    *Record
		header string
		cells  string // the input cells of the row
	}{
		{"record columns", Schema{Input: true},
			inputRecord("status", "s", "id", "7", "error", "e"),
			base + ",input.status,id,input.error", "s,7,e"},
		{"select and extract names", Schema{Input: true, Fields: []string{"price"}, Extract: []string{"meta"}},
			inputRecord("price", "p", "meta", "m"),
			base + ",price,meta,input.price,input.meta", "p,m"},
		{"crawl columns", Schema{Input: true, Crawl: true},
			inputRecord("depth", "d", "referrer", "r", "url2", "u"),
			base + ",depth,referrer,input.depth,input.referrer,url2", "d,r,u"},
		{"input.NAME taken too", Schema{Input: true},
			inputRecord("input.url", "a", "url", "b", "url", "c", "input.url.2", "d"),
			base + ",input.url,input.url.2,input.url.3,input.input.url.2", "a,b,c,d"},
		{"repeated input name", Schema{Input: true},
			inputRecord("id", "1", "id", "2", "id", "3"),
			base + ",id,input.id,input.id.2", "1,2,3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := New(CSV, &buf, Options{Schema: c.schema})
			if err := w.Write(c.rec); err != nil {
				t.Fatal(err)
			}
			w.Close()
			lines := strings.Split(buf.String(), "\n")
			if lines[0] != c.header {
				t.Errorf("header\n  %s\nwant\n  %s", lines[0], c.header)
			}
			if !strings.HasSuffix(lines[1], ","+c.cells) {
				t.Errorf("row %s does not end with %s", lines[1], c.cells)
			}
			js := string(c.schema.AppendJSON(nil, c.rec))
			if !strings.Contains(js, `"input":{"`+c.rec.Input[0].Key+`":`) {
				t.Errorf("JSON input object lost its keys: %s", js)
			}
		})
	}
}

// TestCSVInputByName: JSON Lines rows whose keys differ from the header's
// are placed by name; a repeated key fills its columns in order; a key of
// no column is left out.
func TestCSVInputByName(t *testing.T) {
	var buf bytes.Buffer
	s := Schema{Input: true, InputColumns: func() []string { return []string{"a", "b", "a"} }}
	w := New(CSV, &buf, Options{Schema: s})
	for _, r := range []*Record{
		inputRecord("a", "1", "b", "2", "a", "3"),
		inputRecord("b", "4", "a", "5", "z", "x"),
		inputRecord("a", "6", "a", "7", "a", "8"),
	} {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		f := strings.Split(l, ",")
		got = append(got, strings.Join(f[len(f)-3:], ","))
	}
	want := []string{"a,b,input.a", "1,2,3", "5,4,", "6,,7"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("input cells %q, want %q", got, want)
	}
}

func TestCSVClash(t *testing.T) {
	s := &Schema{Fields: []string{"price"}, Extract: []string{"meta", "links"}}
	crawl := &Schema{Crawl: true}
	for _, c := range []struct {
		s    *Schema
		name string
		want bool
	}{
		{s, "url", true}, {s, "error", true}, {s, "error_kind", true}, {s, "fetched_at", true},
		{s, "meta", true}, {s, "links", true}, {s, "price", false}, {s, "title2", false},
		{s, "depth", false}, {s, "referrer", false}, {s, "fields", false}, {s, "input", false},
		{crawl, "depth", true}, {crawl, "referrer", true}, {crawl, "meta", false},
	} {
		if got := c.s.CSVClash(c.name); got != c.want {
			t.Errorf("CSVClash(%q) with crawl=%v = %v, want %v", c.name, c.s.Crawl, got, c.want)
		}
	}
}
