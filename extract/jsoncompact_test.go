package extract

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendCompactJSON(t *testing.T) {
	for _, tc := range []struct{ in, want, rest string }{
		{`{"b": 1, "a" : [true,false , null]}`, `{"b":1,"a":[true,false,null]}`, ""},
		{` {"a":1,"a":2} tail`, `{"a":1,"a":2}`, " tail"},
		{`[1.0, -0, 1e5, 2E-3, 0.5]`, `[1.0,-0,1e5,2E-3,0.5]`, ""},
		{`"\u00e9\/\ud83d\ude42"`, `"é/🙂"`, ""},
		{`"lone \ud800 and \udc00"`, "\"lone \uFFFD and \uFFFD\"", ""},
		{"\"raw\ttab\nnl\rcr\x01\"", `"raw\ttab\nnlcr"`, ""},
		{`"\b\f\r\u0000\u001f\t"`, `"\t"`, ""},
		{`"\u2028 <&>"`, `"\u2028 <&>"`, ""},
		{"\"bad \xff\"", "\"bad \uFFFD\"", ""},
		{`{}`, `{}`, ""},
		{`[ ]`, `[]`, ""},
		{`[[[]],{"x":{}}]`, `[[[]],{"x":{}}]`, ""},
		{`"\u004A"`, `"J"`, ""},
	} {
		got, rest, ok := appendCompactJSON(nil, tc.in, nil)
		if !ok || string(got) != tc.want || rest != tc.rest {
			t.Errorf("appendCompactJSON(%q) = %q, %q, %v; want %q, %q", tc.in, got, rest, ok, tc.want, tc.rest)
		}
	}
	for _, in := range []string{
		``, `{`, `[1,]`, `{"a":1,}`, `{'a':1}`, `{a:1}`, `[01]`, `[1.]`, `[.5]`, `[1e]`, `[-]`,
		`NaN`, `Infinity`, `"unterminated`, `"bad \x escape"`, `"\u12G4"`, `[1 2]`, `{"a" 1}`,
		`[}`, `{]`, `tru`, `nul`, `"\`, `{"a":1`,
	} {
		if got, _, ok := appendCompactJSON([]byte("keep"), in, nil); ok || string(got) != "keep" {
			t.Errorf("appendCompactJSON(%q) = %q, %v; want failure leaving dst as it was", in, got, ok)
		}
	}
	deep := strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth)
	if _, _, ok := appendCompactJSON(nil, deep, nil); !ok {
		t.Error("10,000 levels refused")
	}
	deeper := "[" + deep + "]"
	if _, _, ok := appendCompactJSON(nil, deeper, nil); ok {
		t.Error("10,001 levels accepted")
	}
}

func TestCompactJSONDates(t *testing.T) {
	var got []string
	_, _, ok := appendCompactJSON(nil, `{"datePublished":"2020-01-02","x":{"dateModified":"a\u0062c",
		"datePublished":["in an array"],"@graph":[{"datePublished":"3"}],"dat\u0065Modified":"esc"},
		"dateModified":5,"other":"datePublished"}`, func(k jsonDateKey, s string) {
		got = append(got, []string{"", "pub:", "mod:"}[k]+s)
	})
	want := []string{"pub:2020-01-02", "mod:abc", "pub:3", "mod:esc"}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("dates = %q, %v; want %q", got, ok, want)
	}
}

// checkJSONOut fails unless out is valid JSON and UTF-8 whose strings
// (keys too) carry no C0 control but tab and newline.
func checkJSONOut(t *testing.T, what string, out []byte) {
	t.Helper()
	if !json.Valid(out) {
		t.Fatalf("%s: invalid JSON %q", what, out)
	}
	if !utf8.Valid(out) {
		t.Fatalf("%s: invalid UTF-8 %q", what, out)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if s, ok := tok.(string); ok && stripC0(s) != s {
			t.Fatalf("%s: control character in %q", what, s)
		}
	}
}

// sanitize is what the output rules make of a decoded JSON value.
func sanitize(v any) any {
	switch v := v.(type) {
	case string:
		return stripC0(strings.ToValidUTF8(v, "\uFFFD"))
	case []any:
		for i := range v {
			v[i] = sanitize(v[i])
		}
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[stripC0(k)] = sanitize(x)
		}
		return m
	}
	return v
}

func decodeNumber(t *testing.T, b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

// FuzzCompactJSON: whatever the input, an accepted value is valid JSON by
// the output rules; and every input encoding/json accepts is accepted, and
// means what encoding/json reads in it (numbers as written, strings with
// the output rules applied). Duplicate keys may differ in which one a
// decoder keeps, so inputs with them are compared only for validity.
func FuzzCompactJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x\u0000y"]}`, `[]`, `"\ud800"`, "\"\x01\xff\"", `{"a":1,"a":2}`, `[1,]`, ` null `} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, rest, ok := appendCompactJSON(nil, s, func(jsonDateKey, string) {})
		if !ok {
			if json.Valid([]byte(s)) && !strings.Contains(s, strings.Repeat("[", maxJSONDepth)) {
				t.Fatalf("refused valid JSON %q", s)
			}
			return
		}
		checkJSONOut(t, "compact", out)
		if strings.TrimLeft(rest, " \t\n\r") != "" || !json.Valid([]byte(s)) {
			return
		}
		want := sanitize(decodeNumber(t, []byte(s)))
		if got := decodeNumber(t, out); !reflect.DeepEqual(got, want) {
			t.Fatalf("compact(%q) = %s: decodes to %#v, want %#v", s, out, got, want)
		}
	})
}
