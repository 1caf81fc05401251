// Package input reads URL lists as a stream of Items: lines, CSV rows or
// JSON Lines, one at a time. It never holds the list in memory, so fetching
// starts before the input has been read to its end, and it never holds more
// than MaxLine bytes of one line or row: a longer one is an invalid Item.
package input

import (
	"encoding/json"
	"errors"
	"io"
	"net/url"
)

// Item is one URL of the input: parsed, or with the reason it is invalid.
type Item struct {
	// Raw is the URL as read, after the https:// default.
	Raw string
	// URL is the parsed URL; nil when Err is set.
	URL *url.URL
	// Err says why the line is not a valid http(s) URL.
	Err error
	// Line is the item's 1-based line number in its source.
	Line int64
	// Input holds the row's other columns or fields, in input order, for
	// the csv and jsonl formats; nil for lines.
	Input []Field
}

// Field is one pass-through column or field of an input row. Raw is its JSON
// encoding: a JSON string for a CSV column, the value as written for JSON Lines.
type Field struct {
	Key string
	Raw json.RawMessage
}

// Reader yields the items of one source; Next returns io.EOF at its end and
// any other error when the source cannot be read.
type Reader interface {
	Next() (Item, error)
}

// Lines reads the lines format: one URL a line, white space trimmed, blank
// lines and # comments skipped. A line longer than MaxLine is one invalid
// Item, read past in constant memory.
type Lines struct {
	sp *lineSplitter
}

// NewLines returns a Lines reader on r.
func NewLines(r io.Reader) *Lines {
	return &Lines{sp: newLineSplitter(r)}
}

var bom = []byte("\xef\xbb\xbf")

// Next returns the next item, skipping blank and comment lines.
func (l *Lines) Next() (Item, error) {
	for {
		line, long, err := l.sp.next()
		if err != nil {
			return Item{}, err
		}
		if long {
			return tooLong(l.sp.n), nil
		}
		if u := urlLine(line, l.sp.n == 1); u != nil {
			it := Parse(string(u))
			it.Line = l.sp.n
			return it, nil
		}
	}
}

// ErrInvalid is the error of every invalid URL: errors.Is(item.Err, ErrInvalid).
var ErrInvalid = errors.New("invalid URL")

type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Is(t error) bool {
	return t == ErrInvalid
}
