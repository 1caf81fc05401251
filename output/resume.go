package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"
	"unicode/utf8"
)

// Done is the set of URLs that already have a successful record, for
// --resume. It keeps a 64-bit hash per URL, not the URL: about 8 bytes of
// key plus the map's overhead (some 40 bytes a URL in all), so ten million
// done URLs take about 400 MB less than their strings would. Two URLs whose
// hashes collide (odds about 1 in 10^8 for a list of ten million) would make
// the second look done.
type Done struct {
	seed maphash.Seed
	set  map[uint64]struct{}
}

// NewDone returns an empty set.
func NewDone() *Done { return &Done{seed: maphash.MakeSeed(), set: make(map[uint64]struct{})} }

// Add marks url done.
func (d *Done) Add(url string) { d.set[maphash.String(d.seed, url)] = struct{}{} }

// Has reports whether url is done.
func (d *Done) Has(url string) bool {
	if d == nil {
		return false
	}
	_, ok := d.set[maphash.String(d.seed, url)]
	return ok
}

// Len is the number of done URLs.
func (d *Done) Len() int {
	if d == nil {
		return 0
	}
	return len(d.set)
}

// ScanResume reads a JSON Lines output file for --resume: every record
// without error_kind marks its url done. It returns the length of the part
// of r that ends with the last complete line: a torn last line (a run killed
// mid-write leaves one without its newline) lies past it and is to be cut
// off.
//
// Every complete line must be a JSON object (any object: one without a
// string url, or with an error_kind, is simply not done), else the file
// is not a trawl output and ScanResume returns a *NotRecordError naming the
// line, before the caller cuts or appends anything. A blank line is refused
// too: trawl never writes one. So is a torn last line that cannot be the
// start of a record (its first byte but white space and NUL is not '{'):
// cutting it off would lose bytes that trawl did not write. A JSON array
// (trawl's json format) fails on its first line, "[".
func ScanResume(r io.Reader) (done *Done, keep int64, err error) {
	done = NewDone()
	br := bufio.NewReaderSize(r, 256<<10)
	var rec struct {
		URL       *string `json:"url"`
		ErrorKind *string `json:"error_kind"`
	}
	var line []byte
	var n int64 // lines read
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line) == 0 {
			// The line's first bytes tell a line that is no record at
			// once, long or torn as it may be.
			if t := trimBlank(chunk); len(t) > 0 && t[0] != '{' {
				return nil, 0, notRecord(n+1, chunk)
			}
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			// line is the torn tail, if any: not kept, when it may be
			// the start of a record.
			if t := trimBlank(line); len(t) > 0 && t[0] != '{' {
				return nil, 0, notRecord(n+1, line)
			}
			return done, keep, nil
		}
		if err != nil {
			return nil, 0, err
		}
		n++
		t := bytes.TrimSpace(line)
		if len(t) == 0 {
			return nil, 0, notRecord(n, line)
		}
		rec.URL, rec.ErrorKind = nil, nil
		// Unmarshal checks the whole line before it decodes: a syntax
		// error is not JSON, any other error (a url that is not a
		// string) is still an object.
		var se *json.SyntaxError
		if err := json.Unmarshal(t, &rec); errors.As(err, &se) {
			return nil, 0, notRecord(n, line)
		} else if err == nil && rec.URL != nil && rec.ErrorKind == nil {
			done.Add(*rec.URL)
		}
		keep += int64(len(line))
		line = line[:0]
	}
}

// trimBlank trims white space and NUL bytes from both ends of b: a torn
// tail of nothing else holds nothing trawl wrote (a crash may leave NUL
// bytes at the end of a file), and is cut off.
func trimBlank(b []byte) []byte {
	return bytes.Trim(b, " \t\r\n\v\f\x00")
}

// NotRecordError is ScanResume's refusal of a file that is not a trawl
// output: its line Line is not a JSON object.
type NotRecordError struct {
	Line int64
	// Start is the line's first bytes (white space trimmed), at most
	// quoteMax of them, for the message.
	Start string
	// Cut says the line goes on after Start.
	Cut bool
}

const quoteMax = 40

func notRecord(n int64, line []byte) *NotRecordError {
	t := bytes.TrimSpace(line)
	e := &NotRecordError{Line: n}
	if len(t) > quoteMax {
		k := quoteMax
		for k > quoteMax-utf8.UTFMax && !utf8.RuneStart(t[k]) {
			k--
		}
		t, e.Cut = t[:k], true
	}
	e.Start = string(t)
	return e
}

func (e *NotRecordError) Error() string {
	if e.Start == "" {
		return fmt.Sprintf("line %d is blank, not a JSON object", e.Line)
	}
	q := strconv.Quote(e.Start)
	if e.Cut {
		q += "..."
	}
	return fmt.Sprintf("line %d is not a JSON object: %s", e.Line, q)
}
