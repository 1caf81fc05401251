package input

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// CSV reads the csv input format: RFC 4180 with a header row, the URL in one
// named column and every other column passed through in Item.Input.
//
// A malformed row (a cell count that differs from the header's, a bare quote,
// text after a closing quote) is not fatal: it becomes an invalid Item and
// reading goes on with the line after the one where the error was found. A
// quote that is never closed cannot be resynchronised, since a quoted cell
// may hold newlines: the cell runs to the end of the input, and all of it
// is one row, too long (an invalid Item) when it is over MaxLine.
//
// A row longer than MaxLine bytes (its quoted newlines included) is never
// held in memory: it is one invalid Item, as an over-long line is (see
// MaxLine), on the line the row starts on, and reading goes on with the
// row after it. A header row that long is an error.
type CSV struct {
	cr     *csv.Reader
	guard  *rowGuard
	urlIdx int      // index of the URL column in the header
	cols   []string // header names, trimmed
	keep   []string // cols without the URL column
	width  int      // the header's cell count
	buf    bytes.Buffer
	enc    *json.Encoder
	err    error // sticky read error
	// shift is how many lines of dropped rows came before the current
	// row: encoding/csv's line numbers plus shift are the source's.
	shift int64
	// pending are items due before the next row: dropped rows', then
	// that row's.
	pending []Item
}

// NewCSV reads the header row from r and returns a CSV reader of the rows
// after it, with the URL in the column named urlField. A leading UTF-8 byte
// order mark and white space around header names are ignored, and invalid
// UTF-8 in a name becomes U+FFFD. It is an error (fatal for the input) when
// r holds no header row, the header cannot be parsed or is longer than
// MaxLine, or it has no column urlField, or more than one.
func NewCSV(r io.Reader, urlField string) (*CSV, error) {
	return newCSV(r, urlField, MaxLine)
}

// newCSV is NewCSV with rows of at most maxRow bytes.
func newCSV(r io.Reader, urlField string, maxRow int) (*CSV, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		br.Discard(len(bom))
	}
	guard := newRowGuard(br, maxRow)
	cr := csv.NewReader(guard)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // rows are checked against the header here
	cr.LazyQuotes = false

	header, err := cr.Read()
	var line int
	var pe *csv.ParseError
	switch {
	case err == nil:
		line, _ = cr.FieldPos(0)
	case errors.As(err, &pe):
		line = pe.StartLine
	}
	if d := guard.drops; len(d) > 0 && (err == io.EOF || d[0].at <= int64(line)) {
		return nil, fmt.Errorf("read csv header: line %d: %w", d[0].line, ErrLineTooLong)
	}
	if err == io.EOF {
		return nil, fmt.Errorf("read csv header: no header row (want a column %q)", urlField)
	}
	if err != nil {
		return nil, fmt.Errorf("read csv header: %w", err)
	}
	c := &CSV{cr: cr, guard: guard, urlIdx: -1, cols: make([]string, len(header)), width: len(header)}
	for i, h := range header {
		h = strings.ToValidUTF8(strings.TrimSpace(h), "\uFFFD")
		c.cols[i] = h
		if h != urlField {
			c.keep = append(c.keep, h)
			continue
		}
		if c.urlIdx >= 0 {
			return nil, fmt.Errorf("csv header has column %q twice (columns %s)", urlField, quoteList(c.cols[:i+1]))
		}
		c.urlIdx = i
	}
	if c.urlIdx < 0 {
		return nil, fmt.Errorf("csv header has no column %q (columns %s)", urlField, quoteList(c.cols))
	}
	c.enc = json.NewEncoder(&c.buf)
	c.enc.SetEscapeHTML(false) // pass cells through as written: "<" stays "<"
	return c, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// Columns returns the names of the pass-through columns, every column but
// the URL column, in header order: the keys of every well-formed row's Input.
func (c *CSV) Columns() []string {
	return append([]string{}, c.keep...)
}

// Next returns the item of the next row, skipping rows whose cells are all
// blank. A malformed row, an over-long row or an empty URL cell gives an
// invalid Item whose Err is ErrInvalid, names the row's line, and for
// malformed CSV unwraps to the *csv.ParseError (ErrLineTooLong for an
// over-long row); such an Item's Raw is the trimmed URL cell when the row
// has one, else "", and its Input is nil. Only a failure to read the
// underlying reader is an error.
func (c *CSV) Next() (Item, error) {
	if len(c.pending) > 0 {
		it := c.pending[0]
		c.pending = c.pending[1:]
		return it, nil
	}
	if c.err != nil {
		return Item{}, c.err
	}
	for {
		it, err := c.row()
		if err == io.EOF && len(c.guard.drops) > 0 {
			return c.dropped(), nil
		}
		if err != nil {
			return Item{}, err
		}
		if it == nil {
			continue // a blank row
		}
		if len(c.pending) > 0 {
			c.pending = append(c.pending, *it)
			return c.Next()
		}
		return *it, nil
	}
}

// row reads the next row and makes its item; nil for a blank row. The
// rows dropped before it go to pending first, as shift tells its line.
func (c *CSV) row() (*Item, error) {
	rec, err := c.cr.Read()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case errors.As(err, &pe):
		c.dropsBefore(int64(pe.StartLine))
		it := c.malformed(rec, pe)
		return &it, nil
	case err != nil:
		c.err = fmt.Errorf("read csv: %w", err)
		return nil, c.err
	}
	if blankRow(rec) {
		return nil, nil
	}
	l, _ := c.cr.FieldPos(0)
	c.dropsBefore(int64(l))
	line := int64(l) + c.shift
	if len(rec) != c.width {
		it := Item{Line: line, Raw: c.urlCell(rec)}
		it.Err = &rowError{line: it.Line, msg: fmt.Sprintf("wrong number of fields: %d, the header has %d", len(rec), c.width)}
		return &it, nil
	}
	it := c.item(rec, line)
	return &it, nil
}

// dropsBefore moves the items of the rows dropped before the row that
// encoding/csv reports on line at to pending.
func (c *CSV) dropsBefore(at int64) {
	for len(c.guard.drops) > 0 && c.guard.drops[0].at <= at {
		c.pending = append(c.pending, c.dropped())
	}
}

// dropped takes the first dropped row and returns its item.
func (c *CSV) dropped() Item {
	d := c.guard.drops[0]
	c.guard.drops = c.guard.drops[1:]
	c.shift += d.nl
	return tooLong(d.line)
}

// item makes the Item of a well-formed row.
func (c *CSV) item(rec []string, line int64) Item {
	c.buf.Reset()
	ends := make([]int, 0, len(rec))
	for i, cell := range rec {
		if i == c.urlIdx {
			continue
		}
		c.enc.Encode(cell)              // a string always encodes; invalid UTF-8 becomes U+FFFD
		c.buf.Truncate(c.buf.Len() - 1) // Encode's newline
		ends = append(ends, c.buf.Len())
	}
	data := bytes.Clone(c.buf.Bytes())
	fields := make([]Field, len(ends))
	start := 0
	for i, end := range ends {
		fields[i] = Field{Key: c.keep[i], Raw: json.RawMessage(data[start:end:end])}
		start = end
	}

	var it Item
	if u := strings.TrimSpace(rec[c.urlIdx]); u == "" {
		it.Err = &rowError{line: line, msg: fmt.Sprintf("empty URL in column %q", c.cols[c.urlIdx])}
	} else {
		it = Parse(u)
	}
	it.Line = line
	it.Input = fields
	return it
}

// malformed makes the invalid Item of a row encoding/csv could not parse.
// rec holds the cells read before the error.
func (c *CSV) malformed(rec []string, pe *csv.ParseError) Item {
	msg := pe.Err.Error()
	if pe.Line != pe.StartLine {
		msg = fmt.Sprintf("%s (at line %d, column %d)", msg, int64(pe.Line)+c.shift, pe.Column)
	} else if pe.Column > 0 {
		msg = fmt.Sprintf("%s (column %d)", msg, pe.Column)
	}
	line := int64(pe.StartLine) + c.shift
	return Item{
		Raw:  c.urlCell(rec),
		Line: line,
		Err:  &rowError{line: line, msg: msg, err: pe},
	}
}

// urlCell returns the trimmed URL cell of a malformed row, or "" when the
// row stopped before it.
func (c *CSV) urlCell(rec []string) string {
	if c.urlIdx < len(rec) {
		return strings.TrimSpace(rec[c.urlIdx])
	}
	return ""
}

func blankRow(rec []string) bool {
	for _, cell := range rec {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// rowError is the error of an input row that cannot become a URL: malformed
// CSV or JSON, or a missing or empty URL. It says the row's line and what
// was wrong, is ErrInvalid, and unwraps to the parser's error (such as a
// *csv.ParseError or a *json.SyntaxError) when there is one.
type rowError struct {
	line int64
	msg  string
	err  error
}

func (e *rowError) Error() string   { return fmt.Sprintf("line %d: %s", e.line, e.msg) }
func (e *rowError) Is(t error) bool { return t == ErrInvalid }
func (e *rowError) Unwrap() error   { return e.err }
