package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"hash/maphash"
	"io"
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
func (d *Done) Len() int { return len(d.set) }

// ScanResume reads a JSON Lines output file for --resume: every record
// without error_kind marks its url done. It returns the length of the part
// of r that ends with the last complete line: a torn last line (a run killed
// mid-write leaves one without its newline) lies past it and is to be cut
// off. A complete line that is not a record is kept and ignored.
func ScanResume(r io.Reader) (done *Done, keep int64, err error) {
	done = NewDone()
	br := bufio.NewReaderSize(r, 256<<10)
	var rec struct {
		URL       *string `json:"url"`
		ErrorKind *string `json:"error_kind"`
	}
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			// line is the torn tail, if any: not kept.
			return done, keep, nil
		}
		if err != nil {
			return nil, 0, err
		}
		keep += int64(len(line))
		rec.URL, rec.ErrorKind = nil, nil
		if t := bytes.TrimSpace(line); len(t) > 0 && json.Unmarshal(t, &rec) == nil && rec.URL != nil && rec.ErrorKind == nil {
			done.Add(*rec.URL)
		}
		line = line[:0]
	}
}
