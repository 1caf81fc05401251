package input

import "io"

// rowGuard stands between a CSV source and encoding/csv, which would hold a
// row of any length in memory (a quote that never closes makes the rest of
// the input one row). It passes every row of at most max bytes as it is,
// byte for byte, and drops a longer one: it keeps no byte of it past the
// max-th, reads past the rest in constant memory, and records the drop, so
// that the CSV reader gives it one invalid item.
//
// To know where a row ends, it follows encoding/csv's own rules (RFC 4180
// with LazyQuotes off, comma-separated, no comments): a newline ends the
// row unless it is inside a quoted field; a quote opens a quoted field only
// at a field's start; in a quoted field, "" is a quote and a quote followed
// by anything but a comma, a quote or the end of the line is an error,
// after which encoding/csv reads on from the next line, as it does after a
// bare quote in an unquoted field. So a CSV whose rows are all within max
// parses exactly as without the guard, and a dropped row is exactly the
// row encoding/csv would have read.
type rowGuard struct {
	src io.Reader
	max int
	// buf[out:ready] are whole rows not yet read by encoding/csv,
	// buf[ready:end] the current row so far (nothing when dropping).
	buf             []byte
	out, ready, end int

	st       csvState
	rowLen   int   // bytes of the current row so far, its newline aside
	rowNL    int64 // newlines inside the current row (in quoted fields)
	dropping bool  // the current row is over max: its bytes are not kept
	lines    int64 // newlines of the rows before the current one
	passedNL int64 // newlines passed on to encoding/csv (in buf[:ready])
	drops    []drop
	err      error // the source's error, returned after the rows before it
}

// drop is a row the guard dropped.
type drop struct {
	// at is the line, as encoding/csv counts the lines it was passed,
	// on which the row after the dropped one starts: the drop comes
	// before every row encoding/csv reports on line at or later.
	at int64
	// line is the line the dropped row starts on, in the source.
	line int64
	// nl is the newlines the dropped row held, its own included: the
	// lines encoding/csv did not see.
	nl int64
}

func newRowGuard(src io.Reader, max int) *rowGuard {
	return &rowGuard{src: src, max: max, buf: make([]byte, max+1+32<<10)}
}

// csvState is where encoding/csv is in a row.
type csvState uint8

const (
	fieldStart csvState = iota // at the start of a field
	unquoted                   // in an unquoted field
	quoted                     // in a quoted field
	quote                      // just after a quote in a quoted field
	quoteCR                    // after a quote and a carriage return
	badLine                    // after a parse error: to the end of the line
)

// next is the state after byte c, which is not a newline that ends the
// row.
func (s csvState) next(c byte) csvState {
	switch s {
	case fieldStart, unquoted:
		switch c {
		case ',':
			return fieldStart
		case '"':
			if s == fieldStart {
				return quoted
			}
			return badLine // a bare quote
		}
		return unquoted
	case quoted:
		if c == '"' {
			return quote
		}
		return quoted
	case quote:
		switch c {
		case '"':
			return quoted // "" is a quote
		case ',':
			return fieldStart
		case '\r':
			return quoteCR // fine if the line ends here ("\r\n" is "\n")
		}
		return badLine // a quote followed by text
	}
	return badLine
}

// endsRow reports whether a newline in state s ends the row: anywhere
// but inside a quoted field.
func (s csvState) endsRow() bool { return s != quoted }

func (g *rowGuard) Read(p []byte) (int, error) {
	for g.out == g.ready {
		if g.err != nil {
			return 0, g.err
		}
		g.fill()
	}
	n := copy(p, g.buf[g.out:g.ready])
	g.out += n
	return n, nil
}

// fill reads from the source once, when every whole row has been read, and
// scans what came.
func (g *rowGuard) fill() {
	k := copy(g.buf, g.buf[g.ready:g.end])
	g.out, g.ready, g.end = 0, 0, k
	n, err := g.src.Read(g.buf[g.end:])
	g.scan(n)
	if err != nil {
		g.endRow(false) // a last row without a newline ends here
		g.err = err
	}
}

// scan follows the n bytes just read at buf[end:], keeping those of rows
// within max in place and dropping the others. Runs of bytes that change
// nothing but the row's length are taken at once.
func (g *rowGuard) scan(n int) {
	start := g.end
	b := g.buf[start : start+n]
	w := start // where the next kept byte goes: at or before its own place
	for i := 0; i < len(b); {
		if k := g.st.run(b[i:]); k > 0 {
			if g.st == fieldStart {
				g.st = unquoted
			}
			g.keep(&w, start+i, k)
			i += k
			continue
		}
		c := b[i]
		if c == '\n' && g.st.endsRow() {
			if !g.dropping {
				g.buf[w] = c
				w++
			}
			g.end = w
			g.endRow(true)
			w = g.end
		} else {
			if c == '\n' {
				g.rowNL++
			}
			g.st = g.st.next(c)
			g.keep(&w, start+i, 1)
		}
		i++
	}
	g.end = w
}

// keep counts k more bytes of the current row, at buf[from:], and moves
// them to *w unless the row is, or just became, over max.
func (g *rowGuard) keep(w *int, from, k int) {
	g.rowLen += k
	if g.dropping {
		return
	}
	if g.rowLen > g.max {
		g.dropping = true
		*w = g.ready // the row's kept bytes go
		return
	}
	if *w != from {
		copy(g.buf[*w:], g.buf[from:from+k])
	}
	*w += k
}

// plain[s][c] says byte c changes nothing in state s but the row's length
// (and fieldStart to unquoted).
var plain = func() (t [badLine + 1][256]bool) {
	for c := range 256 {
		t[fieldStart][c] = c != ',' && c != '"' && c != '\n'
		t[unquoted][c] = t[fieldStart][c]
		t[quoted][c] = c != '"' && c != '\n'
		t[badLine][c] = c != '\n'
	}
	return t
}()

// run is the length of b's prefix of plain bytes in state s.
func (s csvState) run(b []byte) int {
	t := &plain[s]
	i := 0
	for i < len(b) && t[b[i]] {
		i++
	}
	return i
}

// endRow ends the current row, with its newline or at the end of the
// source, passing it on or recording its drop.
func (g *rowGuard) endRow(newline bool) {
	nl := g.rowNL
	if newline {
		nl++
	}
	if g.dropping {
		g.drops = append(g.drops, drop{at: g.passedNL + 1, line: g.lines + 1, nl: nl})
		g.end = g.ready
	} else {
		g.ready = g.end
		g.passedNL += nl
	}
	g.lines += nl
	g.st, g.rowLen, g.rowNL, g.dropping = fieldStart, 0, 0, false
}
