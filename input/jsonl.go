package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// JSONL reads the jsonl input format: one JSON object a line, the URL in one
// named string field and every other field passed through in Item.Input, in
// the order written. Blank lines are skipped; a line longer than MaxLine is
// one invalid Item, read past in constant memory.
//
// Each field's Raw is its value's JSON text as written, compacted (numbers
// keep their digits; invalid UTF-8 inside strings becomes U+FFFD). When a key
// appears twice, the last URL field is the URL, and other fields come
// through each time they are written.
//
// A line that is not one JSON object, or whose URL field is missing, empty
// or not a string, is not fatal: it becomes an invalid Item whose Err is
// ErrInvalid and names the line (Input holds the object's other fields when
// the line is an object), and reading goes on.
type JSONL struct {
	sp       *lineSplitter
	urlField string
	line     int64
	buf      bytes.Buffer
}

// NewJSONL returns a JSONL reader on r with the URL in the field urlField.
func NewJSONL(r io.Reader, urlField string) *JSONL {
	return &JSONL{sp: newLineSplitter(r), urlField: urlField}
}

// Next returns the item of the next line that is not blank. Only a failure
// to read the underlying reader is an error.
func (j *JSONL) Next() (Item, error) {
	for {
		line, long, err := j.sp.next()
		if err == io.EOF {
			return Item{}, io.EOF
		}
		if err != nil {
			return Item{}, fmt.Errorf("read jsonl: %w", err)
		}
		j.line = j.sp.n
		if long {
			return tooLong(j.line), nil
		}
		if j.line == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		trimmed := bytes.TrimLeftFunc(line, unicode.IsSpace)
		lead := len(line) - len(trimmed)
		line = bytes.TrimRightFunc(trimmed, unicode.IsSpace)
		if len(line) == 0 {
			continue
		}
		return j.item(line, lead), nil
	}
}

// item makes the Item of one trimmed, non-blank line that had lead bytes of
// white space before it.
func (j *JSONL) item(line []byte, lead int) Item {
	it := Item{Line: j.line}
	invalid := func(err error, format string, args ...any) Item {
		it.Err = &rowError{line: j.line, msg: fmt.Sprintf(format, args...), err: err}
		return it
	}
	syntax := func(err error) Item {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return invalid(err, "invalid JSON at byte %d: %v", int64(lead)+se.Offset, err)
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return invalid(err, "invalid JSON: unexpected end of line")
		}
		return invalid(err, "invalid JSON: %v", err)
	}

	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return invalid(nil, "not a JSON object")
	}

	fields, urlRaw, err := j.object(dec)
	if errors.Is(err, errKeyNotString) {
		return invalid(nil, "invalid JSON: object key is not a string")
	}
	if err != nil {
		return syntax(err)
	}
	if end := dec.InputOffset(); int64(len(line)) > end { // line is trimmed: anything left is not white space
		return invalid(nil, "invalid JSON: text after the object, which ends at byte %d", int64(lead)+end)
	}
	it.Input = fields

	switch {
	case urlRaw == nil:
		return invalid(nil, "no field %q", j.urlField)
	case urlRaw[0] != '"':
		return invalid(nil, "field %q is %s, not a string", j.urlField, jsonKind(urlRaw[0]))
	}
	var u string
	if err := json.Unmarshal(urlRaw, &u); err != nil {
		return syntax(err) // not reached: Decode checked the string
	}
	u = strings.TrimSpace(u)
	if u == "" {
		return invalid(nil, "empty URL in field %q", j.urlField)
	}
	p := Parse(u)
	p.Line, p.Input = it.Line, it.Input
	return p
}

var errKeyNotString = errors.New("object key is not a string")

// object reads the members of the object whose '{' dec has just read, and
// its '}': the fields other than the URL field, their values compacted
// into one buffer, and the URL field's value as written (the last one, when
// there are several).
func (j *JSONL) object(dec *json.Decoder) ([]Field, json.RawMessage, error) {
	j.buf.Reset()
	type kv struct {
		key string
		end int
	}
	var kvs []kv
	var urlRaw json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, nil, errKeyNotString
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		if key == j.urlField {
			urlRaw = v
			continue
		}
		start := j.buf.Len()
		if err := json.Compact(&j.buf, v); err != nil {
			return nil, nil, err // not reached: Decode checked the value
		}
		if b := j.buf.Bytes()[start:]; !utf8.Valid(b) {
			// Valid JSON has invalid UTF-8 only inside strings, where
			// U+FFFD is as good: Raw is UTF-8 whatever the input was.
			b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
			j.buf.Truncate(start)
			j.buf.Write(b)
		}
		kvs = append(kvs, kv{key, j.buf.Len()})
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, nil, err
	}
	data := bytes.Clone(j.buf.Bytes())
	fields := make([]Field, len(kvs))
	start := 0
	for i, f := range kvs {
		fields[i] = Field{Key: f.key, Raw: json.RawMessage(data[start:f.end:f.end])}
		start = f.end
	}
	return fields, urlRaw, nil
}

// jsonKind names the kind of the JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}
