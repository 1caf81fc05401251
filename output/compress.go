package output

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// Compression is how an output file is compressed.
type Compression string

// The compressions of SPEC.md, chosen by a .gz or .zst ending.
const (
	NoCompression Compression = ""
	Gzip          Compression = "gzip"
	Zstd          Compression = "zstd"
)

// CompressionFromPath returns the compression a file name asks for: gzip
// for a .gz ending, zstd for .zst (in any case), none otherwise. It holds
// with -f too, which fixes the format but not the compression; --resume
// refuses a FILE for which it is not NoCompression.
func CompressionFromPath(path string) Compression {
	switch strings.ToLower(filepath.Ext(baseName(path))) {
	case ".gz":
		return Gzip
	case ".zst":
		return Zstd
	}
	return NoCompression
}

// FormatFromPath infers the format and compression of an output file from
// its name: .jsonl or .ndjson, .json, .csv, each optionally followed by .gz
// or .zst, in any case. A name without an extension (or - for stdout) is
// jsonl; any other extension is an error, for which -f is the way out.
func FormatFromPath(path string) (Format, Compression, error) {
	c := CompressionFromPath(path)
	name := baseName(path)
	if c != NoCompression {
		name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case "", ".jsonl", ".ndjson":
		return JSONL, c, nil
	case ".json":
		return JSON, c, nil
	case ".csv":
		return CSV, c, nil
	}
	return "", "", fmt.Errorf("cannot tell the format of %s; use -f", filepath.Base(path))
}

// baseName is the file name of path without its leading dots: a dot file
// such as .out has no extension.
func baseName(path string) string {
	return strings.TrimLeft(filepath.Base(path), ".")
}

// sink is where a writer's bytes go: a buffer, and under it the compressor
// when the output is compressed. Close finishes the compressed stream
// (gzip's or zstd's trailer) but does not close the underlying writer.
type sink struct {
	*bufio.Writer
	z      *compressor // nil without compression
	closed bool
}

// compressor is a gzip or zstd stream on the underlying writer.
type compressor struct {
	zw interface {
		io.Writer
		Flush() error
		Close() error
	}
	// dirty says bytes went in since the last flush: a gzip flush of
	// nothing would still write an empty block.
	dirty bool
	err   error // a compressor that could not be made
}

func (c *compressor) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	c.dirty = true
	return c.zw.Write(p)
}

func newSink(w io.Writer, c Compression) *sink {
	if c == NoCompression {
		return &sink{Writer: bufio.NewWriterSize(w, bufSize)}
	}
	z := &compressor{}
	switch c {
	case Gzip:
		z.zw = gzip.NewWriter(w)
	case Zstd:
		// One goroutine-free encoder: records come one at a time, and a
		// flush must not wait for a pool of block encoders. A 1 MiB
		// window holds thousands of records: on JSON Lines it compresses
		// as well as the default 8 MiB, in some 3 MB of memory, not 19.
		enc, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1),
			zstd.WithWindowSize(1<<20), zstd.WithLowerEncoderMem(true))
		z.zw, z.err = enc, err
	default:
		z.err = fmt.Errorf("unknown compression %q", c)
	}
	return &sink{Writer: bufio.NewWriterSize(z, bufSize), z: z}
}

// flush pushes every byte written so far to the underlying writer, through
// the compressor (a gzip sync flush, a zstd block), so that the reader of a
// pipe can decompress every record written so far.
func (s *sink) flush() error {
	if err := s.Flush(); err != nil {
		return err
	}
	if s.z == nil || !s.z.dirty {
		return s.z.error()
	}
	s.z.dirty = false
	return s.z.zw.Flush()
}

// close flushes and ends the compressed stream, once.
func (s *sink) close() error {
	err := s.Flush()
	if s.z == nil || s.closed {
		return err
	}
	s.closed = true
	if s.z.err != nil {
		return s.z.err
	}
	if cerr := s.z.zw.Close(); err == nil {
		err = cerr
	}
	return err
}

func (c *compressor) error() error {
	if c == nil {
		return nil
	}
	return c.err
}
