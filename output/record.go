// Package output owns the Record schema (one table of fields drives JSON,
// CSV and the cache), the jsonl, json and csv writers (plain, gzip or zstd,
// and always valid UTF-8: see text.go), the format an output file's name
// asks for, the reading of --resume's file, the reorder window behind
// --ordered, and the run statistics. It decides nothing about what counts
// as a failure: that is in the Record's ErrorKind.
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

// kinds is every non-empty ErrorKind in a stable order, for summaries.
var kinds = [...]ErrorKind{KindInvalidURL, KindDNS, KindConnect, KindTLS, KindTimeout,
	KindHTTPStatus, KindTooLarge, KindRobots, KindRedirect, KindOther}

// Kinds returns every non-empty ErrorKind in a stable order.
func Kinds() []ErrorKind { return append([]ErrorKind(nil), kinds[:]...) }

// Value is one extracted value: a single string (or null), or a list of
// strings. It is the one value type of --select fields, from extraction to
// the writers and the cache.
type Value struct {
	// Str is the first match; nil when nothing matched. Used when !IsList.
	Str *string
	// List holds every match of a NAME[] rule.
	List []string
	// IsList says the rule was a NAME[] rule, so the value is an array.
	IsList bool
}

// Field is one named value of a record's fields object, kept in rule order.
type Field struct {
	Name  string
	Value Value
}

// Extracted is one --extract extractor's value: JSON text, or nil for null
// (no HTML body to extract from).
type Extracted struct {
	Name string
	JSON json.RawMessage
}

// InputField is a pass-through column or field of the input row. Raw is its
// JSON encoding: a JSON string for CSV columns, any JSON value for JSON Lines.
type InputField struct {
	Key string
	Raw json.RawMessage
}

// Record is the one result of one URL. Which of its optional keys are
// written (extracted, depth and referrer, input) is the run's Schema.
type Record struct {
	// Seq is the URL's admission position (0-based, skipped lines not
	// counted); it orders --ordered output and is never written.
	Seq int64

	URL         string
	FinalURL    *string
	Status      int
	ContentType *string
	Title       *string
	Description *string
	Fields      []Field
	Extracted   []Extracted
	Bytes       int64
	ElapsedMS   int64
	Attempts    int
	FetchedAt   time.Time
	ErrorKind   ErrorKind
	Error       string
	// Depth and Referrer are a crawl's: the link depth, and the final URL of
	// the page the link was found on (nil for seeds and sitemap URLs).
	Depth    int
	Referrer *string
	// Input holds the input row's other columns or fields.
	Input []InputField

	// Links are the followable links of the page (a crawl's discovery),
	// absolute; for a sitemap, the page URLs it lists. Never written.
	Links []string
	// Sitemaps are the sitemaps a sitemap index lists, or an origin's
	// sitemaps; never written.
	Sitemaps []string
}

// Failed reports whether the URL failed, by SPEC.md's one definition.
func (r *Record) Failed() bool { return r.ErrorKind != KindNone }

// TimeLayout is fetched_at's format: RFC 3339, UTC, milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Str returns a pointer to s, for the optional string fields.
func Str(s string) *string { return &s }
