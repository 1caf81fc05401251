package output

import (
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends r as one JSON object, keys in SPEC.md's order, without a
// trailing newline. It is hand-written rather than encoding/json so that the
// key order is fixed, null is explicit, and a record costs no reflection.
func AppendJSON(b []byte, r *Record) []byte {
	b = append(b, `{"url":`...)
	b = appendString(b, r.URL)
	b = append(b, `,"final_url":`...)
	b = appendStrPtr(b, r.FinalURL)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(r.Status), 10)
	b = append(b, `,"content_type":`...)
	b = appendStrPtr(b, r.ContentType)
	b = append(b, `,"title":`...)
	b = appendStrPtr(b, r.Title)
	b = append(b, `,"description":`...)
	b = appendStrPtr(b, r.Description)
	b = append(b, `,"fields":`...)
	b = AppendFields(b, r.Fields)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, r.Bytes, 10)
	b = append(b, `,"elapsed_ms":`...)
	b = strconv.AppendInt(b, r.ElapsedMS, 10)
	b = append(b, `,"attempts":`...)
	b = strconv.AppendInt(b, int64(r.Attempts), 10)
	b = append(b, `,"fetched_at":"`...)
	b = r.FetchedAt.UTC().AppendFormat(b, TimeLayout)
	b = append(b, `","error_kind":`...)
	if r.ErrorKind == KindNone {
		b = append(b, "null"...)
	} else {
		b = appendString(b, string(r.ErrorKind))
	}
	b = append(b, `,"error":`...)
	if r.Error == "" {
		b = append(b, "null"...)
	} else {
		b = appendString(b, r.Error)
	}
	if r.HasInput || r.Input != nil {
		b = append(b, `,"input":{`...)
		for i, f := range r.Input {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, f.Key)
			b = append(b, ':')
			if len(f.Raw) == 0 {
				b = append(b, "null"...)
			} else {
				b = append(b, f.Raw...)
			}
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// AppendFields appends fields as the record's JSON object, in their order.
func AppendFields(b []byte, fields []Field) []byte {
	b = append(b, '{')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.Name)
		b = append(b, ':')
		b = appendValue(b, f.Value)
	}
	return append(b, '}')
}

func appendValue(b []byte, v Value) []byte {
	if !v.IsList {
		return appendStrPtr(b, v.Str)
	}
	b = append(b, '[')
	for i, s := range v.List {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendStrPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD and
// U+2028/U+2029 are escaped, as encoding/json does; <, > and & are kept
// as they are, since the output is data for jq and loaders, not HTML.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
