package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// clock is the injected time of every fixture record.
var clock = time.Date(2026, 11, 22, 3, 4, 5, 678_000_000, time.UTC)

func fixtures() []*Record {
	return []*Record{
		{
			URL: "https://example.com/a", FinalURL: Str("https://example.com/a/"), Status: 200,
			ContentType: Str("text/html; charset=utf-8"), Title: Str("Café \"quotes\" <b>"),
			Description: Str("line1\nline2\ttab"), Bytes: 1234, ElapsedMS: 56, Attempts: 1, FetchedAt: clock,
			Fields: []Field{
				{Name: "price", Value: Value{Str: Str("$1.00")}},
				{Name: "links", Value: Value{IsList: true, List: []string{"https://example.com/x", "https://example.com/y,z"}}},
			},
		},
		{
			URL: "https://example.com/formula", FinalURL: Str("https://example.com/formula"), Status: 404,
			ContentType: Str("text/html"), Title: Str("=HYPERLINK(\"http://evil\")"), Bytes: 10, ElapsedMS: 3,
			Attempts: 1, FetchedAt: clock, ErrorKind: KindHTTPStatus, Error: "HTTP 404 Not Found",
			Fields: []Field{
				{Name: "price", Value: Value{}},
				{Name: "links", Value: Value{IsList: true, List: []string{}}},
			},
		},
		{
			URL: "https://not a url", FetchedAt: clock, ErrorKind: KindInvalidURL,
			Error: "invalid URL \"not a url\": invalid character \" \" in host name",
			Fields: []Field{
				{Name: "price", Value: Value{}},
				{Name: "links", Value: Value{IsList: true, List: []string{}}},
			},
		},
	}
}

func render(t *testing.T, f Format, recs []*Record, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := New(f, &buf, opts)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./output -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

func TestWritersGolden(t *testing.T) {
	opts := Options{Schema: Schema{Fields: []string{"price", "links"}}}
	for _, f := range []Format{JSONL, JSON, CSV} {
		t.Run(string(f), func(t *testing.T) {
			golden(t, "records."+string(f), render(t, f, fixtures(), opts))
			golden(t, "empty."+string(f), render(t, f, nil, opts))
		})
	}
	t.Run("csv-raw", func(t *testing.T) {
		golden(t, "records-raw.csv", render(t, CSV, fixtures(), Options{Schema: Schema{Fields: []string{"price", "links"}}, CSVRaw: true}))
	})
}

// TestJSONLSchema decodes every line and checks keys, order and types.
func TestJSONLSchema(t *testing.T) {
	out := render(t, JSONL, fixtures(), Options{})
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3", len(lines))
	}
	wantKeys := []string{"url", "final_url", "status", "content_type", "title", "description",
		"fields", "bytes", "elapsed_ms", "attempts", "fetched_at", "error_kind", "error"}
	for i, line := range lines {
		dec := json.NewDecoder(strings.NewReader(line))
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for dec.More() {
			k, _ := dec.Token()
			keys = append(keys, k.(string))
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("line %d: %v", i, err)
			}
		}
		if strings.Join(keys, ",") != strings.Join(wantKeys, ",") {
			t.Errorf("line %d keys = %v, want %v", i, keys, wantKeys)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["fetched_at"] != "2026-11-22T03:04:05.678Z" {
			t.Errorf("fetched_at = %v", m["fetched_at"])
		}
	}
	var first map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	if first["title"] != "Café \"quotes\" <b>" || first["status"] != float64(200) {
		t.Errorf("first record decoded to %v", first)
	}
	var third map[string]any
	json.Unmarshal([]byte(lines[2]), &third)
	if third["final_url"] != nil || third["status"] != float64(0) || third["error_kind"] != "invalid_url" {
		t.Errorf("invalid record decoded to %v", third)
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "a\"b\\c", "\x00\x1f\x7f", "héllo wörld", "\u2028\u2029", "bad\xffutf8\xc3", "<&>", "tab\there"} {
		got := appendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%q encoded to invalid JSON %s: %v", s, got, err)
		}
		want := strings.ToValidUTF8(s, "\ufffd")
		if back != want {
			t.Errorf("%q round-tripped to %q, want %q", s, back, want)
		}
	}
}

func TestInputObject(t *testing.T) {
	r := &Record{URL: "u", FetchedAt: clock,
		Input: []InputField{{Key: "id", Raw: json.RawMessage(`"7"`)}, {Key: "n", Raw: json.RawMessage(`3`)}}}
	s := &Schema{Input: true}
	got := string(s.AppendJSON(nil, r))
	if !strings.HasSuffix(got, `"error":null,"input":{"id":"7","n":3}}`) {
		t.Errorf("got %s", got)
	}
	var buf bytes.Buffer
	w := New(CSV, &buf, Options{Schema: *s})
	w.Write(r)
	w.Close()
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := rows[0]; h[len(h)-2] != "id" || h[len(h)-1] != "n" || rows[1][len(h)-2] != "7" || rows[1][len(h)-1] != "3" {
		t.Errorf("csv rows = %q", rows)
	}
}

func TestGuardCell(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=1+2", "'=1+2"}, {"+1+2", "'+1+2"}, {"-1)", "'-1)"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"\t1", "'\t1"}, {"=1", "'=1"}, {"@1", "'@1"},
		{"a=b", "a=b"}, {"", ""}, {"1", "1"}, {"'-1", "'-1"},
		// Numbers are never guarded.
		{"-3.5", "-3.5"}, {"+1e5", "+1e5"}, {"-0", "-0"}, {"+1", "+1"}, {"-1", "-1"},
		{"-.5", "-.5"}, {"+5.", "+5."}, {"-1.5E-10", "-1.5E-10"}, {"+00", "+00"},
		{".5", ".5"}, {"1e5", "1e5"},
		// Almost numbers are.
		{"-", "'-"}, {"+", "'+"}, {"-.", "'-."}, {"-e5", "'-e5"}, {"-1e", "'-1e"},
		{"-1e+", "'-1e+"}, {"+1.2.3", "'+1.2.3"}, {"-1,5", "'-1,5"}, {"- 1", "'- 1"},
		{"-1 ", "'-1 "}, {"+0x10", "'+0x10"}, {"-Inf", "'-Inf"}, {"-NaN", "'-NaN"},
		{"--1", "'--1"}, {"+-1", "'+-1"}, {"-١", "'-١"}, {"-1e5e5", "'-1e5e5"},
	} {
		if got := GuardCell(c.in); got != c.want {
			t.Errorf("GuardCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// numberRE is SPEC.md's number, the reference for isNumber.
var numberRE = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// FuzzGuardCell checks the hand-written number matcher against SPEC.md's
// regular expression, and the guard against its rule.
func FuzzGuardCell(f *testing.F) {
	for _, s := range []string{"-3.5", "+1e5", "-0", ".5", "-.", "1.", "+1E+9", "=1", "-1e", "\t-1", "--1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		num := numberRE.MatchString(s)
		if got := isNumber(s); got != num {
			t.Fatalf("isNumber(%q) = %v, the regexp says %v", s, got, num)
		}
		guarded := s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 && !num
		want := s
		if guarded {
			want = "'" + s
		}
		if got := GuardCell(s); got != want {
			t.Fatalf("GuardCell(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestParseFormat(t *testing.T) {
	if f, err := ParseFormat(" CSV "); f != CSV || err != nil {
		t.Errorf("ParseFormat(CSV) = %q, %v", f, err)
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("ParseFormat(xml) error = %v", err)
	}
}

// FuzzCSVRoundTrip writes a record with arbitrary bytes and reads it back
// with encoding/csv: every cell survives, guarded or raw, as valid UTF-8,
// and text cells without the controls that text drops.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("https://a/", "title", "=cmd", "x\ny", false)
	f.Add("", "\"", ",", "\r\n", true)
	f.Add("-1", "+", "@", "\t", false)
	f.Add("\xff\x00", "\x1b[1m\r\n", "-3.5", "bad\xc3", false)
	f.Fuzz(func(t *testing.T, url, title, field, errMsg string, raw bool) {
		r := &Record{URL: url, Title: &title, FetchedAt: clock, Error: errMsg, ErrorKind: KindOther,
			Fields: []Field{{Name: "f", Value: Value{Str: &field}}}}
		var buf bytes.Buffer
		w := New(CSV, &buf, Options{Schema: Schema{Fields: []string{"f"}}, CSVRaw: raw})
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(buf.Bytes()) {
			t.Fatalf("csv is not UTF-8: %q", buf.String())
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("csv does not parse: %v\n%q", err, buf.String())
		}
		if len(rows) != 2 || len(rows[1]) != len((&Schema{}).Columns())+1 {
			t.Fatalf("rows = %q", rows)
		}
		want := func(s string) string {
			if raw {
				return s
			}
			return GuardCell(s)
		}
		text := func(s string) string { return noControls(validRunes(s)) }
		// encoding/csv turns \r\n inside quoted fields into \n.
		norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
		if got := rows[1]; got[0] != norm(want(validRunes(url))) || got[4] != want(text(title)) ||
			got[11] != norm(want(validRunes(errMsg))) || got[12] != want(text(field)) {
			t.Errorf("round trip: got %q", got)
		}
	})
}
