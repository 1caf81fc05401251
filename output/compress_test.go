package output

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestFormatFromPath(t *testing.T) {
	for _, c := range []struct {
		path string
		f    Format
		c    Compression
		err  string
	}{
		{"out.jsonl", JSONL, NoCompression, ""},
		{"out.ndjson", JSONL, NoCompression, ""},
		{"dir/out.json", JSON, NoCompression, ""},
		{"A.CSV", CSV, NoCompression, ""},
		{"out", JSONL, NoCompression, ""},
		{"", JSONL, NoCompression, ""},
		{"-", JSONL, NoCompression, ""},
		{"dir.v2/out", JSONL, NoCompression, ""},
		{".out", JSONL, NoCompression, ""},
		{".out.csv", CSV, NoCompression, ""},
		{"out.jsonl.gz", JSONL, Gzip, ""},
		{"out.ndjson.zst", JSONL, Zstd, ""},
		{"out.json.gz", JSON, Gzip, ""},
		{"out.csv.zst", CSV, Zstd, ""},
		{"OUT.CSV.GZ", CSV, Gzip, ""},
		{"out.gz", JSONL, Gzip, ""},
		{"out.xml", "", "", "cannot tell the format of out.xml; use -f"},
		{"dir/out.txt", "", "", "cannot tell the format of out.txt; use -f"},
		{"out.tar.gz", "", "", "cannot tell the format of out.tar.gz; use -f"},
		{"out.jsonl.gz.zst", "", "", "cannot tell the format of out.jsonl.gz.zst; use -f"},
		{"out.jsonl.bz2", "", "", "cannot tell the format of out.jsonl.bz2; use -f"},
		{"out.zstd", "", "", "cannot tell the format of out.zstd; use -f"},
	} {
		f, comp, err := FormatFromPath(c.path)
		var msg string
		if err != nil {
			msg = err.Error()
		}
		if f != c.f || comp != c.c || msg != c.err {
			t.Errorf("FormatFromPath(%q) = %q, %q, %q; want %q, %q, %q", c.path, f, comp, msg, c.f, c.c, c.err)
		}
	}
	for path, want := range map[string]Compression{"x.xml.gz": Gzip, "x.ZST": Zstd, "x.csv": NoCompression, "x": NoCompression, ".gz": NoCompression} {
		if got := CompressionFromPath(path); got != want {
			t.Errorf("CompressionFromPath(%q) = %q, want %q", path, got, want)
		}
	}
}

func decompress(t *testing.T, c Compression, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		r = zr
	case Zstd:
		zr, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	default:
		return b
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s stream does not decompress: %v", c, err)
	}
	return out
}

// TestCompressedGolden: a compressed output decompresses to exactly the
// uncompressed output, for every format, empty runs too.
func TestCompressedGolden(t *testing.T) {
	opts := Options{Schema: Schema{Fields: []string{"price", "links"}}}
	for _, c := range []Compression{Gzip, Zstd} {
		for _, f := range []Format{JSONL, JSON, CSV} {
			for _, recs := range [][]*Record{fixtures(), nil} {
				plain := render(t, f, recs, opts)
				zopts := opts
				zopts.Compression = c
				z := render(t, f, recs, zopts)
				if got := decompress(t, c, z); !bytes.Equal(got, plain) {
					t.Errorf("%s %s (%d records) decompresses to\n%s\nwant\n%s", c, f, len(recs), got, plain)
				}
			}
		}
	}
}

// pipe records what reached the underlying writer, and whether anyone
// closed it.
type pipe struct {
	bytes.Buffer
	closed bool
}

func (p *pipe) Close() error { p.closed = true; return nil }

// TestCompressedFlush: after Flush, what reached the underlying writer
// decompresses to every record written so far (a pipe's reader sees them
// at once); after Close, to the complete format, and the underlying
// writer is not closed.
func TestCompressedFlush(t *testing.T) {
	for _, c := range []Compression{Gzip, Zstd} {
		for _, f := range []Format{JSONL, JSON, CSV} {
			var p pipe
			w := New(f, &p, Options{Compression: c})
			recs := fixtures()
			for i, r := range recs {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				got := partial(t, c, p.Bytes())
				if n := bytes.Count(got, []byte("https://")); n < i+1 {
					t.Errorf("%s %s: after %d records flushed, the stream holds %d:\n%s", c, f, i+1, n, got)
				}
			}
			before := p.Len()
			if err := w.Flush(); err != nil || p.Len() != before {
				t.Errorf("%s %s: a flush with nothing new wrote %d bytes (%v)", c, f, p.Len()-before, err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if p.closed {
				t.Errorf("%s %s: Close closed the underlying writer", c, f)
			}
			whole := decompress(t, c, p.Bytes())
			switch f {
			case JSON:
				var v []map[string]any
				if err := json.Unmarshal(whole, &v); err != nil || len(v) != len(recs) {
					t.Errorf("%s json: %d records, %v", c, len(v), err)
				}
			case CSV:
				rows, err := csv.NewReader(bytes.NewReader(whole)).ReadAll()
				if err != nil || len(rows) != len(recs)+1 {
					t.Errorf("%s csv: %d rows, %v", c, len(rows), err)
				}
			case JSONL:
				if n := strings.Count(string(whole), "\n"); n != len(recs) {
					t.Errorf("%s jsonl: %d lines", c, n)
				}
			}
			// Close is idempotent and writes nothing more.
			n := p.Len()
			if err := w.Close(); err != nil || p.Len() != n {
				t.Errorf("%s %s: second Close wrote %d bytes, %v", c, f, p.Len()-n, err)
			}
		}
	}
}

// partial decompresses a stream that is not closed yet: everything up to
// the last flush, and the unexpected end that follows.
func partial(t *testing.T, c Compression, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case Zstd:
		zr, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	var out bytes.Buffer
	_, err := io.Copy(&out, r)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("%s: partial stream: %v", c, err)
	}
	return out.Bytes()
}

// failing fails every write after the first n bytes.
type failing struct{ n int }

func (f *failing) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

// TestCompressedWriteError: a broken underlying writer is reported by
// Flush or Close, never dropped.
func TestCompressedWriteError(t *testing.T) {
	for _, c := range []Compression{NoCompression, Gzip, Zstd} {
		w := New(JSON, &failing{n: 10}, Options{Compression: c})
		for _, r := range fixtures() {
			w.Write(r)
		}
		ferr := w.Flush()
		cerr := w.Close()
		if ferr == nil && cerr == nil || (cerr == nil) || cerr.Error() != "disk full" {
			t.Errorf("%q: Flush %v, Close %v; want disk full", c, ferr, cerr)
		}
	}
}
