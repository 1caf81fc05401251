package frontier

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
)

// Entry is one URL waiting in the crawl's queue.
type Entry struct {
	URL      string
	Depth    int
	Referrer string
	Seed     int
}

// ErrClosed is returned by a Queue used after Close.
var ErrClosed = errors.New("spill queue: closed")

// Queue is the crawl's FIFO queue. It keeps at most a window of entries in
// memory; the rest waits in segment files of up to a window of entries each
// in its own temporary directory, read back in order when the memory runs
// dry, and removed as soon as they are read. So a million queued URLs cost
// the memory of a window (plus a 64 KiB write buffer) and their bytes on
// disk.
//
// The files are a spill area, not a journal: they are not synced, and Close
// (or a crash) leaves nothing to resume from.
//
// An I/O error or a corrupt segment is returned, never a panic, and sticks:
// every later Push and Pop returns it, since entries were lost.
//
// A Queue is not safe for concurrent use.
type Queue struct {
	dir    string
	window int

	mem  []Entry // entries older than any on disk; mem[head:] are live
	head int

	segs []segment // complete segment files, oldest first
	w    *segWriter
	seq  int

	n      int
	err    error
	closed bool
	buf    []byte
}

type segment struct {
	path string
	n    int
}

type segWriter struct {
	segment
	f  *os.File
	bw *bufio.Writer
}

// segMagic starts every segment file.
const segMagic = "trawlq1\n"

// maxRecord bounds one encoded entry, so a corrupt length cannot make the
// reader allocate without limit.
const maxRecord = 16 << 20

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// NewQueue returns an empty queue that keeps up to window entries in memory
// and spills the rest to a new directory made by os.MkdirTemp in dir (in
// os.TempDir when dir is "").
func NewQueue(dir string, window int) (*Queue, error) {
	if window < 1 {
		return nil, fmt.Errorf("spill queue: window %d, want at least 1", window)
	}
	d, err := os.MkdirTemp(dir, "trawl-queue-")
	if err != nil {
		return nil, fmt.Errorf("spill queue: %w", err)
	}
	return &Queue{dir: d, window: window}, nil
}

// Len is the number of entries in the queue, in memory and on disk.
func (q *Queue) Len() int { return q.n }

// Push adds e at the end of the queue.
func (q *Queue) Push(e Entry) error {
	if err := q.check(); err != nil {
		return err
	}
	if q.w == nil && len(q.segs) == 0 && len(q.mem)-q.head < q.window {
		q.mem = append(q.mem, e)
		q.n++
		return nil
	}
	rec := appendRecord(q.buf[:0], e)
	q.buf = rec
	if len(rec) > maxRecord {
		return fmt.Errorf("spill queue: entry of %d bytes, over %d", len(rec), maxRecord)
	}
	if q.w == nil {
		if err := q.openSegment(); err != nil {
			return q.fail(err)
		}
	}
	if _, err := q.w.bw.Write(rec); err != nil {
		return q.fail(fmt.Errorf("spill queue: write %s: %w", q.w.path, err))
	}
	q.w.n++
	q.n++
	if q.w.n == q.window {
		return q.finishSegment()
	}
	return nil
}

// Pop removes and returns the entry at the front of the queue; ok is false
// when the queue is empty.
func (q *Queue) Pop() (e Entry, ok bool, err error) {
	if err := q.check(); err != nil {
		return Entry{}, false, err
	}
	if q.head == len(q.mem) {
		if len(q.segs) == 0 && q.w != nil {
			if err := q.finishSegment(); err != nil {
				return Entry{}, false, err
			}
		}
		if len(q.segs) == 0 {
			return Entry{}, false, nil
		}
		if err := q.load(); err != nil {
			return Entry{}, false, q.fail(err)
		}
	}
	e = q.mem[q.head]
	q.mem[q.head] = Entry{}
	q.head++
	q.n--
	switch {
	case q.head == len(q.mem):
		q.mem, q.head = q.mem[:0], 0
	case q.head >= q.window:
		// Keep the slice within two windows: move the live entries down.
		k := copy(q.mem, q.mem[q.head:])
		clear(q.mem[k:])
		q.mem, q.head = q.mem[:k], 0
	}
	return e, true, nil
}

// Close removes the queue's directory and every file in it. The queue is
// unusable afterwards; a second Close does nothing.
func (q *Queue) Close() error {
	if q.closed {
		return nil
	}
	q.closed = true
	if q.w != nil {
		q.w.f.Close()
		q.w = nil
	}
	q.mem, q.segs = nil, nil
	if err := os.RemoveAll(q.dir); err != nil {
		return fmt.Errorf("spill queue: %w", err)
	}
	return nil
}

func (q *Queue) check() error {
	if q.closed {
		return ErrClosed
	}
	return q.err
}

func (q *Queue) fail(err error) error {
	q.err = err
	return err
}

func (q *Queue) openSegment() error {
	path := filepath.Join(q.dir, fmt.Sprintf("seg-%08d", q.seq))
	q.seq++
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("spill queue: %w", err)
	}
	w := &segWriter{segment: segment{path: path}, f: f, bw: bufio.NewWriterSize(f, 64<<10)}
	if _, err := w.bw.WriteString(segMagic); err != nil {
		f.Close()
		return fmt.Errorf("spill queue: write %s: %w", path, err)
	}
	q.w = w
	return nil
}

// finishSegment flushes and closes the segment being written and queues it
// for reading.
func (q *Queue) finishSegment() error {
	w := q.w
	q.w = nil
	err := w.bw.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return q.fail(fmt.Errorf("spill queue: write %s: %w", w.path, err))
	}
	q.segs = append(q.segs, w.segment)
	return nil
}

// load reads the oldest segment into the (empty) memory window and removes
// its file.
func (q *Queue) load() error {
	s := q.segs[0]
	q.segs = q.segs[1:]
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("spill queue: %w", err)
	}
	entries, err := readSegment(bufio.NewReaderSize(f, 64<<10), s.n, q.mem[:0])
	f.Close()
	if err != nil {
		return fmt.Errorf("spill queue: segment %s: %w", filepath.Base(s.path), err)
	}
	if err := os.Remove(s.path); err != nil {
		return fmt.Errorf("spill queue: %w", err)
	}
	q.mem, q.head = entries, 0
	return nil
}

// A record is uvarint(len(payload)), the payload, and the payload's CRC-32C
// (little-endian); the payload is uvarint(len(URL)), URL,
// uvarint(len(Referrer)), Referrer, varint(Depth), varint(Seed).
func appendRecord(b []byte, e Entry) []byte {
	n := uvarintLen(uint64(len(e.URL))) + len(e.URL) +
		uvarintLen(uint64(len(e.Referrer))) + len(e.Referrer) +
		varintLen(int64(e.Depth)) + varintLen(int64(e.Seed))
	b = binary.AppendUvarint(b, uint64(n))
	start := len(b)
	b = binary.AppendUvarint(b, uint64(len(e.URL)))
	b = append(b, e.URL...)
	b = binary.AppendUvarint(b, uint64(len(e.Referrer)))
	b = append(b, e.Referrer...)
	b = binary.AppendVarint(b, int64(e.Depth))
	b = binary.AppendVarint(b, int64(e.Seed))
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[start:], crcTable))
}

func uvarintLen(x uint64) int {
	n := 1
	for ; x >= 0x80; x >>= 7 {
		n++
	}
	return n
}

func varintLen(x int64) int {
	ux := uint64(x) << 1
	if x < 0 {
		ux = ^ux
	}
	return uvarintLen(ux)
}

// readSegment decodes a segment of want entries, appending them to dst.
func readSegment(r *bufio.Reader, want int, dst []Entry) ([]Entry, error) {
	var magic [len(segMagic)]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil || string(magic[:]) != segMagic {
		return dst, errors.New("not a queue segment")
	}
	var payload []byte
	for i := 0; i < want; i++ {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return dst, fmt.Errorf("record %d: truncated", i)
		}
		if n > maxRecord {
			return dst, fmt.Errorf("record %d: length %d, over %d", i, n, maxRecord)
		}
		if uint64(cap(payload)) < n+4 {
			payload = make([]byte, n+4)
		}
		payload = payload[:n+4]
		if _, err := io.ReadFull(r, payload); err != nil {
			return dst, fmt.Errorf("record %d: truncated", i)
		}
		body, sum := payload[:n], binary.LittleEndian.Uint32(payload[n:])
		if crc32.Checksum(body, crcTable) != sum {
			return dst, fmt.Errorf("record %d: checksum mismatch", i)
		}
		e, err := decodeEntry(body)
		if err != nil {
			return dst, fmt.Errorf("record %d: %w", i, err)
		}
		dst = append(dst, e)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return dst, fmt.Errorf("%d records, then more bytes", want)
	}
	return dst, nil
}

func decodeEntry(b []byte) (Entry, error) {
	var e Entry
	var ok bool
	if e.URL, b, ok = readString(b); !ok {
		return e, errors.New("bad URL length")
	}
	if e.Referrer, b, ok = readString(b); !ok {
		return e, errors.New("bad referrer length")
	}
	d, k := binary.Varint(b)
	if k <= 0 {
		return e, errors.New("bad depth")
	}
	b = b[k:]
	s, k := binary.Varint(b)
	if k <= 0 || k != len(b) {
		return e, errors.New("bad seed")
	}
	e.Depth, e.Seed = int(d), int(s)
	return e, nil
}

func readString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", b, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}
