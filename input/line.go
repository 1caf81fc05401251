package input

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MaxLine is the longest line the input reads, in bytes before its newline
// (a carriage return and, on the first line, a byte order mark count): 64
// KiB, SPEC's bound for a line of the lines format, a JSON Lines line and
// a CSV row (its quoted newlines included).
//
// A longer line is never held in memory: its bytes are read past, in a
// buffer of fixed size, up to its newline, and it becomes one invalid Item
// whose Err says "line N: longer than 64 KiB" (N the line it starts on) and
// unwraps to ErrLineTooLong, with an empty Raw (none of it was kept, so
// none of it is reported as a URL) and no Input. That holds whatever the
// line holds, a comment or blank space too: it is not read, so nothing is
// known of it. An input with no newline at all (/dev/zero) is read past
// forever, in constant memory.
const MaxLine = 64 << 10

// ErrLineTooLong is what the Err of an over-long line's Item unwraps to.
var ErrLineTooLong = errors.New("longer than 64 KiB")

// tooLong is the Item of an over-long line (or CSV row) that starts on
// line n.
func tooLong(n int64) Item {
	return Item{Line: n, Err: &rowError{line: n, msg: ErrLineTooLong.Error(), err: ErrLineTooLong}}
}

// lineSplitter splits a source into lines of at most MaxLine bytes; longer
// lines are reported and read past, never held.
type lineSplitter struct {
	br *bufio.Reader
	n  int64 // lines read
	// skipping says the rest of an over-long line is still to be read
	// past: it is, at the next call, so that the line's Item comes out
	// as soon as the line is known to be too long.
	skipping bool
}

func newLineSplitter(r io.Reader) *lineSplitter {
	return &lineSplitter{br: bufio.NewReaderSize(r, MaxLine+1)}
}

// next returns the next line, without its newline and valid until the next
// call, or long for a line longer than MaxLine (and no bytes of it); io.EOF
// at the end of the source. A last line without a newline is a line.
func (s *lineSplitter) next() (line []byte, long bool, err error) {
	if s.skipping {
		if err := s.skip(); err != nil {
			return nil, false, err
		}
	}
	line, err = s.br.ReadSlice('\n')
	switch {
	case err == nil:
		s.n++
		return line[:len(line)-1], false, nil
	case errors.Is(err, bufio.ErrBufferFull):
		s.n++
		s.skipping = true
		return nil, true, nil
	case err == io.EOF && len(line) > MaxLine:
		s.n++
		return nil, true, nil
	case err == io.EOF && len(line) > 0:
		s.n++
		return line, false, nil
	}
	return nil, false, err
}

// skip reads past the rest of an over-long line, a buffer at a time.
func (s *lineSplitter) skip() error {
	for {
		_, err := s.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		s.skipping = false
		if err == io.EOF {
			return nil // the next read says so
		}
		return err
	}
}

// urlLine returns the URL of a line of the lines format, white space (and on
// the first line a byte order mark) trimmed; nil for a blank or comment
// line, which gives no Item.
func urlLine(line []byte, first bool) []byte {
	if first {
		line = bytes.TrimPrefix(line, bom)
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] == '#' {
		return nil
	}
	return line
}
