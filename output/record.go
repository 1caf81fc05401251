// Package output owns the Record schema, the jsonl, json and csv writers, the
// reorder window behind --ordered, and the run statistics. It decides nothing
// about what counts as a failure: that is in the Record's ErrorKind.
package output

import (
	"encoding/json"
	"time"
)

// ErrorKind classifies why a URL failed. The empty kind means it did not.
type ErrorKind string

// The error kinds of SPEC.md, the only values ErrorKind takes.
const (
	KindNone       ErrorKind = ""
	KindInvalidURL ErrorKind = "invalid_url"
	KindDNS        ErrorKind = "dns"
	KindConnect    ErrorKind = "connect"
	KindTLS        ErrorKind = "tls"
	KindTimeout    ErrorKind = "timeout"
	KindHTTPStatus ErrorKind = "http_status"
	KindTooLarge   ErrorKind = "too_large"
	KindRobots     ErrorKind = "robots"
	KindRedirect   ErrorKind = "redirect"
	KindOther      ErrorKind = "other"
)

// Kinds lists every non-empty ErrorKind in a stable order, for summaries.
var Kinds = []ErrorKind{KindInvalidURL, KindDNS, KindConnect, KindTLS, KindTimeout,
	KindHTTPStatus, KindTooLarge, KindRobots, KindRedirect, KindOther}

// Value is one extracted field: a single string (or null), or a list of strings.
type Value struct {
	// Str is the first match; nil when nothing matched. Used when !List.
	Str *string
	// List holds every match when the rule is a NAME[] rule.
	List []string
	// IsList says the rule was a NAME[] rule, so the value is an array.
	IsList bool
}

// Field is one named value of a record's fields object, kept in rule order.
type Field struct {
	Name  string
	Value Value
}

// InputField is a pass-through column or field of the input row. Raw is its
// JSON encoding: a JSON string for CSV columns, any JSON value for JSON Lines.
type InputField struct {
	Key string
	Raw json.RawMessage
}

// Record is the one result of one input URL. Nil pointers and empty strings
// are written as null, as SPEC.md requires.
type Record struct {
	// Seq is the input position of the URL (0-based, skipped lines not
	// counted); it orders --ordered output and is never written.
	Seq int64

	URL         string
	FinalURL    *string
	Status      int
	ContentType *string
	Title       *string
	Description *string
	Fields      []Field
	Bytes       int64
	ElapsedMS   int64
	Attempts    int
	FetchedAt   time.Time
	ErrorKind   ErrorKind
	Error       string
	// Input is nil unless the input format carries extra columns.
	Input []InputField
	// HasInput says the record has an input object, even an empty one.
	HasInput bool
}

// Failed reports whether the URL failed, by SPEC.md's one definition.
func (r *Record) Failed() bool { return r.ErrorKind != KindNone }

// TimeLayout is fetched_at's format: RFC 3339, UTC, milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Columns are the fixed leading columns of CSV output, in SPEC.md's order.
var Columns = []string{"url", "final_url", "status", "content_type", "title",
	"description", "bytes", "elapsed_ms", "attempts", "fetched_at", "error_kind", "error"}

// Str returns a pointer to s, for the optional string fields.
func Str(s string) *string { return &s }
