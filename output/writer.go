package output

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format is an output format.
type Format string

// The formats of SPEC.md.
const (
	JSONL Format = "jsonl"
	JSON  Format = "json"
	CSV   Format = "csv"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case JSONL, JSON, CSV:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want jsonl, json or csv)", s)
}

// Writer writes records in one format. Write and Close follow the standard
// library's contract: buffered, Close flushes and returns the first error.
// Close finishes the format (the JSON array's bracket, the CSV header of an
// empty run) but does not close the underlying io.Writer.
type Writer interface {
	Write(r *Record) error
	// Flush pushes buffered bytes to the underlying writer, so a reader of a
	// pipe sees every record written so far.
	Flush() error
	Close() error
}

// Options configure a Writer.
type Options struct {
	// Schema is which keys the records have.
	Schema
	// CSVRaw turns off the formula-injection guard.
	CSVRaw bool
	// Compression compresses the output, still streamed: Flush pushes
	// the compressed bytes of every record so far, and Close ends the
	// compressed stream (not the underlying writer), so that it
	// decompresses to the complete format.
	Compression Compression
}

// bufSize is large enough that a fast run writes in big chunks; the pipeline
// flushes whenever its channel is momentarily empty.
const bufSize = 64 << 10

// New returns the writer for format f on w.
func New(f Format, w io.Writer, opts Options) Writer {
	out := newSink(w, opts.Compression)
	switch f {
	case JSON:
		return &jsonWriter{out: out, enc: opts.Schema.encoder()}
	case CSV:
		// Rows end with LF, encoding/csv's default: with UseCRLF it would
		// drop a bare carriage return inside a cell (a fuzz test found
		// it), and every RFC 4180 reader takes LF.
		return &csvWriter{out: out, cw: csv.NewWriter(out), opts: opts, enc: opts.Schema.encoder()}
	}
	return &jsonlWriter{out: out, enc: opts.Schema.encoder()}
}

type jsonlWriter struct {
	out *sink
	enc *encoder
	buf []byte
	err error
}

func (w *jsonlWriter) Write(r *Record) error {
	if w.err != nil {
		return w.err
	}
	w.buf = w.enc.appendJSON(w.buf[:0], r)
	w.buf = append(w.buf, '\n')
	_, w.err = w.out.Write(w.buf)
	return w.err
}

func (w *jsonlWriter) Flush() error {
	if w.err == nil {
		w.err = w.out.flush()
	}
	return w.err
}

func (w *jsonlWriter) Close() error {
	if err := w.out.close(); w.err == nil {
		w.err = err
	}
	return w.err
}

// jsonWriter streams one JSON array: a record per line, so that the array
// is also easy to read and to diff.
type jsonWriter struct {
	out    *sink
	enc    *encoder
	buf    []byte
	n      int
	err    error
	closed bool
}

func (w *jsonWriter) Write(r *Record) error {
	if w.err != nil {
		return w.err
	}
	w.buf = w.buf[:0]
	if w.n == 0 {
		w.buf = append(w.buf, "[\n"...)
	} else {
		w.buf = append(w.buf, ",\n"...)
	}
	w.n++
	w.buf = w.enc.appendJSON(w.buf, r)
	_, w.err = w.out.Write(w.buf)
	return w.err
}

func (w *jsonWriter) Flush() error {
	if w.err == nil {
		w.err = w.out.flush()
	}
	return w.err
}

func (w *jsonWriter) Close() error {
	if w.err == nil && !w.closed {
		w.closed = true
		if w.n == 0 {
			_, w.err = w.out.WriteString("[]\n")
		} else {
			_, w.err = w.out.WriteString("\n]\n")
		}
	}
	if err := w.out.close(); w.err == nil {
		w.err = err
	}
	return w.err
}

type csvWriter struct {
	out  *sink
	cw   *csv.Writer
	opts Options
	enc  *encoder
	// spreads are the keys of several columns, each with where its
	// columns start in the row.
	spreads  []csvSpread
	row      []string
	buf      []byte
	inputIdx *inputIndex
	header   bool
	err      error
}

type csvSpread struct {
	s          *spread
	start, end int
}

func (w *csvWriter) writeHeader(r *Record) {
	w.header = true
	s := &w.opts.Schema
	var inCols []string
	if s.InputColumns != nil {
		inCols = s.InputColumns()
	}
	if inCols == nil && r != nil {
		for _, f := range r.Input {
			inCols = append(inCols, f.Key)
		}
	}
	w.inputIdx = newInputIndex(inCols)
	h := s.Columns()
	for _, k := range w.enc.spreads {
		start := len(h)
		h = append(h, k.spread.header(s, inCols)...)
		for i := start; i < len(h); i++ {
			h[i] = cleanUTF8(h[i])
		}
		if k.name == "input" { // the last columns: every other name is known
			uniqueInputNames(h[:start], h[start:])
		}
		w.spreads = append(w.spreads, csvSpread{s: k.spread, start: start, end: len(h)})
	}
	w.row = make([]string, len(h))
	w.err = w.cw.Write(w.guardRow(h))
}

func (w *csvWriter) Write(r *Record) error {
	if w.err != nil {
		return w.err
	}
	if !w.header {
		if w.writeHeader(r); w.err != nil {
			return w.err
		}
	}
	row := w.row
	clear(row)
	for i, k := range w.enc.cells {
		row[i] = k.csvCell(r, &w.buf)
	}
	for _, sp := range w.spreads {
		sp.s.cells(r, row[sp.start:sp.end], w.inputIdx, &w.buf)
	}
	w.err = w.cw.Write(w.guardRow(row))
	return w.err
}

// guardRow prefixes cells that a spreadsheet would run as a formula.
func (w *csvWriter) guardRow(row []string) []string {
	if w.opts.CSVRaw {
		return row
	}
	for i, c := range row {
		row[i] = GuardCell(c)
	}
	return row
}

// GuardCell returns c with a leading ' when a spreadsheet would take it for a
// formula: it starts with =, +, -, @, tab or carriage return, and is not a
// number (SPEC: -3.5, +1e5 and -0 stay as they are).
func GuardCell(c string) string {
	if c == "" {
		return c
	}
	switch c[0] {
	case '+', '-':
		if isNumber(c) {
			return c
		}
		return "'" + c
	case '=', '@', '\t', '\r':
		return "'" + c
	}
	return c
}

// isNumber reports whether s is entirely a number as SPEC.md writes it:
// [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?, with ASCII digits.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	n := digits(s[i:])
	i += n
	if i < len(s) && s[i] == '.' {
		i++
		f := digits(s[i:])
		if n == 0 && f == 0 {
			return false // "." alone, or a sign and "."
		}
		i += f
	} else if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := digits(s[i:])
		if e == 0 {
			return false
		}
		i += e
	}
	return i == len(s)
}

// digits is the length of the run of ASCII digits s starts with.
func digits(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// rawCell turns a JSON value into a CSV cell: strings unquoted, null
// empty, anything else as its JSON text.
func rawCell(raw []byte) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

func (w *csvWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.cw.Flush()
	if w.err = w.cw.Error(); w.err == nil {
		w.err = w.out.flush()
	}
	return w.err
}

func (w *csvWriter) Close() error {
	if w.err == nil && !w.header {
		w.writeHeader(nil)
	}
	if w.err == nil {
		w.cw.Flush()
		w.err = w.cw.Error()
	}
	if err := w.out.close(); w.err == nil {
		w.err = err
	}
	return w.err
}
