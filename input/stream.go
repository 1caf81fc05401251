package input

import (
	"fmt"
	"io"
	"sync/atomic"
)

// The input formats of --input-format.
const (
	FormatLines = "lines"
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// Source is one input: a name for messages (a path, or "stdin") and its
// reader.
type Source struct {
	Name string
	R    io.Reader
}

// Stream reads the items of several sources one after the other, in one
// format, and knows the input's pass-through columns. It is the one reader
// of a run's URL list.
type Stream struct {
	format   string
	urlField string
	srcs     []Source
	readers  []Reader // one per source, made by Open (csv) or on first use
	cur      int
	// cols are the pass-through columns: the first CSV header's, or the
	// fields of the first JSON Lines line that has any. Set at most once;
	// read by another goroutine (the CSV writer's header).
	cols atomic.Pointer[[]string]
	// held are items read ahead for the JSON Lines columns, in order.
	held    []Item
	heldErr error
	ahead   bool
}

// lookaheadForFields bounds how many JSON Lines Next reads ahead to find the
// input's columns.
const lookaheadForFields = 1024

// Open returns a Stream of srcs in format (lines, csv or jsonl), with the
// URL in the column or field urlField. Every CSV source's header is read
// now, so a file without the URL column fails before anything else happens.
func Open(format, urlField string, srcs []Source) (*Stream, error) {
	s := &Stream{format: format, urlField: urlField, srcs: srcs, readers: make([]Reader, len(srcs))}
	for i, src := range srcs {
		switch format {
		case FormatCSV:
			c, err := NewCSV(src.R, urlField)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
			if i == 0 {
				cols := c.Columns()
				s.cols.Store(&cols)
			}
			s.readers[i] = c
		case FormatJSONL:
			s.readers[i] = NewJSONL(src.R, urlField)
		case FormatLines:
			s.readers[i] = NewLines(src.R)
		default:
			return nil, fmt.Errorf("unknown input format %q", format)
		}
	}
	return s, nil
}

// HasInput reports whether the items carry pass-through columns: the
// records then have an input object.
func (s *Stream) HasInput() bool { return s.format != FormatLines }

// Columns returns the input's pass-through columns in input order; nil
// until they are known (for JSON Lines, after the first Next).
func (s *Stream) Columns() []string {
	if p := s.cols.Load(); p != nil {
		return *p
	}
	return nil
}

// Next returns the next item of the sources, in order; io.EOF after the
// last. An error names the source it came from.
func (s *Stream) Next() (Item, error) {
	if s.format == FormatJSONL && !s.ahead {
		s.ahead = true
		s.readAhead()
	}
	if len(s.held) > 0 {
		it := s.held[0]
		s.held = s.held[1:]
		return it, nil
	}
	if s.heldErr != nil {
		err := s.heldErr
		s.heldErr = nil
		return Item{}, err
	}
	for s.cur < len(s.readers) {
		it, err := s.readers[s.cur].Next()
		if err == io.EOF {
			s.cur++
			continue
		}
		if err != nil {
			return Item{}, fmt.Errorf("read %s: %w", s.srcs[s.cur].Name, err)
		}
		return it, nil
	}
	return Item{}, io.EOF
}

// readAhead reads JSON Lines up to the first item with pass-through fields
// (a bounded number of lines) and takes the columns from it: CSV output
// needs them before its first row.
func (s *Stream) readAhead() {
	for s.cur < len(s.readers) && len(s.held) < lookaheadForFields {
		it, err := s.readers[s.cur].Next()
		if err == io.EOF {
			// The columns come from the first source only, as for CSV.
			return
		}
		if err != nil {
			s.heldErr = fmt.Errorf("read %s: %w", s.srcs[s.cur].Name, err)
			return
		}
		s.held = append(s.held, it)
		if it.Input != nil {
			names := make([]string, len(it.Input))
			for k, f := range it.Input {
				names[k] = f.Key
			}
			s.cols.Store(&names)
			return
		}
	}
}
