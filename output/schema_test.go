package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// full is a schema with every optional key on.
func full() *Schema {
	return &Schema{Fields: []string{"price", "tags"}, Extract: []string{"jsonld", "text"}, Crawl: true, Input: true}
}

func fullRecord() *Record {
	return &Record{
		URL: "https://a.example/", FinalURL: Str("https://a.example/"), Status: 200,
		ContentType: Str("text/html"), Title: Str("T"), Description: nil,
		Fields: []Field{{Name: "price", Value: Value{Str: Str("$1")}},
			{Name: "tags", Value: Value{IsList: true, List: []string{"a", "b"}}}},
		Extracted: []Extracted{{Name: "jsonld", JSON: json.RawMessage(`[{"@type":"Thing"}]`)},
			{Name: "text", JSON: json.RawMessage(`"Hello\nworld"`)}},
		Bytes: 10, ElapsedMS: 2, Attempts: 1, FetchedAt: clock,
		Depth: 2, Referrer: Str("https://a.example/list"),
		Input: []InputField{{Key: "id", Raw: json.RawMessage(`"7"`)}},
		Links: []string{"https://a.example/next"},
	}
}

func TestSchemaKeys(t *testing.T) {
	for _, c := range []struct {
		s    *Schema
		want string
	}{
		{&Schema{}, "url,final_url,status,content_type,title,description,fields,bytes,elapsed_ms,attempts,fetched_at,error_kind,error"},
		{full(), "url,final_url,status,content_type,title,description,fields,extracted,bytes,elapsed_ms,attempts,fetched_at,error_kind,error,depth,referrer,input"},
	} {
		if got := strings.Join(c.s.Keys(), ","); got != c.want {
			t.Errorf("Keys() = %s\nwant      %s", got, c.want)
		}
		var keys []string
		dec := json.NewDecoder(bytes.NewReader(c.s.AppendJSON(nil, fullRecord())))
		dec.Token()
		for dec.More() {
			k, _ := dec.Token()
			keys = append(keys, k.(string))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatal(err)
			}
		}
		if got := strings.Join(keys, ","); got != c.want {
			t.Errorf("AppendJSON keys = %s\nwant             %s", got, c.want)
		}
	}
}

func TestSchemaJSON(t *testing.T) {
	got := string(full().AppendJSON(nil, fullRecord()))
	want := `{"url":"https://a.example/","final_url":"https://a.example/","status":200,"content_type":"text/html",` +
		`"title":"T","description":null,"fields":{"price":"$1","tags":["a","b"]},` +
		`"extracted":{"jsonld":[{"@type":"Thing"}],"text":"Hello\nworld"},"bytes":10,"elapsed_ms":2,"attempts":1,` +
		`"fetched_at":"2026-11-22T03:04:05.678Z","error_kind":null,"error":null,"depth":2,` +
		`"referrer":"https://a.example/list","input":{"id":"7"}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSchemaCSV(t *testing.T) {
	var buf bytes.Buffer
	w := New(CSV, &buf, Options{Schema: *full()})
	if err := w.Write(fullRecord()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "url,final_url,status,content_type,title,description,bytes,elapsed_ms,attempts,fetched_at,error_kind,error,depth,referrer,price,tags,jsonld,text,id"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Errorf("header = %s\nwant     %s", got, wantHeader)
	}
	want := []string{"https://a.example/", "https://a.example/", "200", "text/html", "T", "", "10", "2", "1",
		"2026-11-22T03:04:05.678Z", "", "", "2", "https://a.example/list", "$1", `["a","b"]`,
		`[{"@type":"Thing"}]`, "Hello\nworld", "7"}
	if !reflect.DeepEqual(rows[1], want) {
		t.Errorf("row = %q\nwant  %q", rows[1], want)
	}
}

func TestSchemaCacheRoundTrip(t *testing.T) {
	s := full()
	in := fullRecord()
	raw := s.AppendCached(nil, in)
	if want := `{"content_type":"text/html","title":"T","description":null,"fields":{"price":"$1","tags":["a","b"]},` +
		`"extracted":{"jsonld":[{"@type":"Thing"}],"text":"Hello\nworld"},"links":["https://a.example/next"]}`; string(raw) != want {
		t.Errorf("AppendCached = %s\nwant          %s", raw, want)
	}
	out := &Record{}
	if err := s.DecodeCached(raw, out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Fields, in.Fields) || *out.Title != "T" || out.Description != nil ||
		*out.ContentType != "text/html" || len(out.Extracted) != 2 ||
		string(out.Extracted[0].JSON) != string(in.Extracted[0].JSON) || out.Extracted[1].Name != "text" ||
		len(out.Links) != 1 || out.Links[0] != "https://a.example/next" {
		t.Errorf("decoded %+v", out)
	}
	// An entry made under other settings is refused, not half used.
	other := &Schema{Fields: []string{"price", "sku"}, Extract: s.Extract}
	if err := other.DecodeCached(raw, &Record{}); err == nil || !strings.Contains(err.Error(), `"sku"`) {
		t.Errorf("DecodeCached under other fields: err = %v", err)
	}
	noX := &Schema{Fields: s.Fields, Extract: []string{"meta"}}
	if err := noX.DecodeCached(raw, &Record{}); err == nil {
		t.Error("DecodeCached under other extractors: no error")
	}
}
