// Package input reads URL lists as a stream of Items: one line at a time from
// the lines format (and, later, CSV and JSON Lines rows). It never holds the
// list in memory, so fetching starts before the input has been read to its end.
package input

import (
	"bufio"
	"bytes"
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
// lines and # comments skipped. Lines may be of any length.
type Lines struct {
	br   *bufio.Reader
	line int64
	buf  []byte
}

// NewLines returns a Lines reader on r.
func NewLines(r io.Reader) *Lines {
	return &Lines{br: bufio.NewReaderSize(r, 64<<10)}
}

var bom = []byte("\xef\xbb\xbf")

// Next returns the next item, skipping blank and comment lines.
func (l *Lines) Next() (Item, error) {
	for {
		line, err := l.readLine()
		if err != nil && (err != io.EOF || len(line) == 0) {
			return Item{}, err
		}
		l.line++
		if l.line == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			if err == io.EOF {
				return Item{}, io.EOF
			}
			continue
		}
		it := Parse(string(line))
		it.Line = l.line
		return it, nil
	}
}

// readLine returns the next line without its newline; a last line without
// one comes with io.EOF. Lines longer than the buffer are joined, so there is
// no length limit (bufio.Scanner's 64 KiB would be one).
func (l *Lines) readLine() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.buf = append(l.buf, chunk...)
		switch {
		case err == nil:
			return l.buf[:len(l.buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return l.buf, err
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
