package output

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Schema is what a run's records hold beyond the keys every record has: it
// is fixed when the run starts and shared by the writers and the cache.
type Schema struct {
	// Fields are the --select names in flag order.
	Fields []string
	// Extract are the --extract names in the order asked.
	Extract []string
	// Crawl adds depth and referrer.
	Crawl bool
	// Input adds the input object (--input-format csv or jsonl).
	Input bool
	// InputColumns returns the input's columns in input order, for the
	// CSV header; nil, or a nil answer, takes them from the first record.
	InputColumns func() []string
}

// key is one key of a record: how it is written in JSON and CSV, and
// whether the cache keeps it. The table below is the one place the
// record's keys are spelled out; JSON, CSV and the cache walk it.
type key struct {
	name string
	// on reports whether a run's records have the key; nil is always.
	on func(*Schema) bool
	// str is the value of a string key, false for null; JSON and CSV
	// derive their encodings from it, and text says how it is cleaned
	// (see text.go). Other keys have json, and cell or spread, instead.
	str  func(r *Record) (string, bool)
	text bool
	// json appends the value.
	json func(b []byte, r *Record) []byte
	// cell is the CSV cell of a key of one column. Keys that spread over
	// several columns (fields, extracted, input) have spread instead, and
	// CSV writes them after every one-column key, in table order.
	cell   func(r *Record, scratch *[]byte) string
	spread *spread
	// decode reads the key back from the cache; nil for keys the cache
	// does not keep (it keeps what a 304 repeats: the extraction).
	decode func(r *Record, raw json.RawMessage, s *Schema) error
	// cacheOnly keys are kept by the cache but never written.
	cacheOnly bool
}

// spread is a key that CSV writes as one column per name.
type spread struct {
	header func(s *Schema, inputCols []string) []string
	// cells fills row, which has one cell per header name.
	cells func(r *Record, row []string, inputIdx *inputIndex, scratch *[]byte)
}

var keys = [...]key{
	{name: "url", str: func(r *Record) (string, bool) { return r.URL, true }},
	{name: "final_url", str: func(r *Record) (string, bool) { return opt(r.FinalURL) }},
	{name: "status",
		json: func(b []byte, r *Record) []byte { return strconv.AppendInt(b, int64(r.Status), 10) },
		cell: func(r *Record, _ *[]byte) string { return strconv.Itoa(r.Status) }},
	{name: "content_type", str: func(r *Record) (string, bool) { return opt(r.ContentType) },
		decode: func(r *Record, raw json.RawMessage, _ *Schema) error { return decodeStrPtr(raw, &r.ContentType) }},
	{name: "title", str: func(r *Record) (string, bool) { return opt(r.Title) }, text: true,
		decode: func(r *Record, raw json.RawMessage, _ *Schema) error { return decodeStrPtr(raw, &r.Title) }},
	{name: "description", str: func(r *Record) (string, bool) { return opt(r.Description) }, text: true,
		decode: func(r *Record, raw json.RawMessage, _ *Schema) error { return decodeStrPtr(raw, &r.Description) }},
	{name: "fields",
		json:   func(b []byte, r *Record) []byte { return appendFields(b, r.Fields) },
		spread: &spread{header: func(s *Schema, _ []string) []string { return s.Fields }, cells: fieldCells},
		decode: decodeFields},
	{name: "extracted",
		on:     func(s *Schema) bool { return len(s.Extract) > 0 },
		json:   func(b []byte, r *Record) []byte { return appendExtracted(b, r.Extracted) },
		spread: &spread{header: func(s *Schema, _ []string) []string { return s.Extract }, cells: extractedCells},
		decode: decodeExtracted},
	{name: "bytes",
		json: func(b []byte, r *Record) []byte { return strconv.AppendInt(b, r.Bytes, 10) },
		cell: func(r *Record, _ *[]byte) string { return strconv.FormatInt(r.Bytes, 10) }},
	{name: "elapsed_ms",
		json: func(b []byte, r *Record) []byte { return strconv.AppendInt(b, r.ElapsedMS, 10) },
		cell: func(r *Record, _ *[]byte) string { return strconv.FormatInt(r.ElapsedMS, 10) }},
	{name: "attempts",
		json: func(b []byte, r *Record) []byte { return strconv.AppendInt(b, int64(r.Attempts), 10) },
		cell: func(r *Record, _ *[]byte) string { return strconv.Itoa(r.Attempts) }},
	{name: "fetched_at",
		json: func(b []byte, r *Record) []byte {
			b = append(b, '"')
			b = r.FetchedAt.UTC().AppendFormat(b, TimeLayout)
			return append(b, '"')
		},
		cell: func(r *Record, scratch *[]byte) string {
			*scratch = r.FetchedAt.UTC().AppendFormat((*scratch)[:0], TimeLayout)
			return string(*scratch)
		}},
	{name: "error_kind", str: func(r *Record) (string, bool) { return string(r.ErrorKind), r.ErrorKind != "" }},
	{name: "error", str: func(r *Record) (string, bool) { return r.Error, r.Error != "" }},
	{name: "depth",
		on:   func(s *Schema) bool { return s.Crawl },
		json: func(b []byte, r *Record) []byte { return strconv.AppendInt(b, int64(r.Depth), 10) },
		cell: func(r *Record, _ *[]byte) string { return strconv.Itoa(r.Depth) }},
	{name: "referrer",
		on:  func(s *Schema) bool { return s.Crawl },
		str: func(r *Record) (string, bool) { return opt(r.Referrer) }},
	{name: "links",
		on:   func(s *Schema) bool { return s.Crawl },
		json: func(b []byte, r *Record) []byte { return appendStrings(b, r.Links) },
		decode: func(r *Record, raw json.RawMessage, _ *Schema) error {
			r.Links = nil
			return json.Unmarshal(raw, &r.Links)
		},
		cacheOnly: true},
	{name: "input",
		on:     func(s *Schema) bool { return s.Input },
		json:   func(b []byte, r *Record) []byte { return appendInput(b, r.Input) },
		spread: &spread{header: func(_ *Schema, cols []string) []string { return cols }, cells: inputCells}},
}

// opt is an optional string's value, false for null.
func opt(s *string) (string, bool) {
	if s == nil {
		return "", false
	}
	return *s, true
}

// appendJSON appends k's value in r as JSON.
func (k *key) appendJSON(b []byte, r *Record) []byte {
	if k.str == nil {
		return k.json(b, r)
	}
	s, ok := k.str(r)
	if !ok {
		return append(b, "null"...)
	}
	return appendJSONString(b, s, k.text)
}

// csvCell returns k's CSV cell in r: null is an empty cell.
func (k *key) csvCell(r *Record, scratch *[]byte) string {
	if k.str == nil {
		return k.cell(r, scratch)
	}
	s, _ := k.str(r)
	if k.text {
		return cleanText(s)
	}
	return cleanUTF8(s)
}

func (k *key) in(s *Schema) bool { return k.on == nil || k.on(s) }

// Keys returns the keys that s's records have, in the order they are written.
func (s *Schema) Keys() []string {
	var names []string
	for i := range keys {
		if keys[i].in(s) && !keys[i].cacheOnly {
			names = append(names, keys[i].name)
		}
	}
	return names
}

// Columns returns the columns of one CSV cell each, in order: the record's
// own columns, before the --select, --extract and input columns.
func (s *Schema) Columns() []string {
	var names []string
	for i := range keys {
		if keys[i].in(s) && keys[i].spread == nil && !keys[i].cacheOnly {
			names = append(names, keys[i].name)
		}
	}
	return names
}

// CSVClash reports whether a --select NAME would repeat a CSV column of s:
// a record column (url ... error, and depth and referrer in a crawl) or an
// extractor. With -f csv such a NAME is refused before the run starts; in
// JSON, fields are an object of their own and any name is allowed.
func (s *Schema) CSVClash(name string) bool {
	return slices.Contains(s.Columns(), name) || slices.Contains(s.Extract, name)
}

// AppendJSON appends r as one JSON object with s's keys in SPEC.md's order,
// without a trailing newline. It is hand-written rather than encoding/json
// so that the key order is fixed, null is explicit, and a record costs no
// reflection. A writer of many records uses an encoder instead.
func (s *Schema) AppendJSON(b []byte, r *Record) []byte {
	return s.encoder().appendJSON(b, r)
}

// encoder is a Schema made ready to write many records: its keys, each
// with its JSON prefix (`{"url":`, `,"final_url":`...), and its CSV
// columns.
type encoder struct {
	keys    []*key
	prefix  [][]byte
	cells   []*key // keys of one CSV column, in order
	spreads []*key // keys of several, in order
}

func (s *Schema) encoder() *encoder {
	e := &encoder{}
	for i := range keys {
		k := &keys[i]
		if !k.in(s) || k.cacheOnly {
			continue
		}
		p := `,"`
		if len(e.keys) == 0 {
			p = `{"`
		}
		e.keys = append(e.keys, k)
		e.prefix = append(e.prefix, []byte(p+k.name+`":`))
		if k.spread == nil {
			e.cells = append(e.cells, k)
		} else {
			e.spreads = append(e.spreads, k)
		}
	}
	return e
}

func (e *encoder) appendJSON(b []byte, r *Record) []byte {
	for i, k := range e.keys {
		b = append(b, e.prefix[i]...)
		b = k.appendJSON(b, r)
	}
	return append(b, '}')
}

// AppendCached appends the part of r that the cache keeps (what a 304
// repeats: the extraction) as one JSON object.
func (s *Schema) AppendCached(b []byte, r *Record) []byte {
	b = append(b, '{')
	first := true
	for i := range keys {
		k := &keys[i]
		if k.decode == nil || !k.in(s) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, k.name)
		b = append(b, ':')
		b = k.appendJSON(b, r)
	}
	return append(b, '}')
}

// DecodeCached fills r from what AppendCached wrote under the same schema.
// A key missing from raw is an error: the entry was made under other
// settings.
func (s *Schema) DecodeCached(raw []byte, r *Record) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	for i := range keys {
		k := &keys[i]
		if k.decode == nil || !k.in(s) {
			continue
		}
		v, ok := m[k.name]
		if !ok {
			return fmt.Errorf("cached entry lacks %q", k.name)
		}
		if err := k.decode(r, v, s); err != nil {
			return fmt.Errorf("cached %s: %w", k.name, err)
		}
	}
	return nil
}

func fieldCells(r *Record, row []string, _ *inputIndex, scratch *[]byte) {
	// Fields come in rule order, which is the header's order.
	for i, f := range r.Fields {
		if i >= len(row) {
			break
		}
		switch {
		case f.Value.IsList:
			*scratch = appendValue((*scratch)[:0], f.Value)
			row[i] = string(*scratch)
		case f.Value.Str != nil:
			row[i] = cleanText(*f.Value.Str)
		}
	}
}

func extractedCells(r *Record, row []string, _ *inputIndex, scratch *[]byte) {
	for i, x := range r.Extracted {
		if i >= len(row) || len(x.JSON) == 0 {
			continue
		}
		*scratch = appendCleanJSON((*scratch)[:0], x.JSON)
		row[i] = rawCell(*scratch)
	}
}

func inputCells(r *Record, row []string, idx *inputIndex, _ *[]byte) {
	idx.fill(r.Input, row)
}

func decodeStrPtr(raw json.RawMessage, p **string) error {
	*p = nil
	return json.Unmarshal(raw, p)
}

func decodeFields(r *Record, raw json.RawMessage, s *Schema) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if len(s.Fields) == 0 {
		r.Fields = nil
		return nil
	}
	r.Fields = make([]Field, len(s.Fields))
	for i, n := range s.Fields {
		f := &r.Fields[i]
		f.Name = n
		v, ok := m[n]
		if !ok {
			return fmt.Errorf("no field %q", n)
		}
		if len(v) > 0 && v[0] == '[' {
			f.Value.IsList = true
			if err := json.Unmarshal(v, &f.Value.List); err != nil {
				return err
			}
			continue
		}
		if err := json.Unmarshal(v, &f.Value.Str); err != nil {
			return err
		}
	}
	return nil
}

func decodeExtracted(r *Record, raw json.RawMessage, s *Schema) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	r.Extracted = make([]Extracted, len(s.Extract))
	for i, n := range s.Extract {
		v, ok := m[n]
		if !ok {
			return fmt.Errorf("no extractor %q", n)
		}
		if string(v) == "null" {
			v = nil
		}
		r.Extracted[i] = Extracted{Name: n, JSON: v}
	}
	return nil
}
