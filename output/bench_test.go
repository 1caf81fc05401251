package output

import (
	"io"
	"testing"
)

// benchWrite writes the fixture records through a writer of format f, in
// memory: the cost of formatting a record, not of any I/O.
func benchWrite(b *testing.B, f Format, c Compression) {
	recs := fixtures()
	w := New(f, io.Discard, Options{Schema: Schema{Fields: []string{"price", "links"}}, Compression: c})
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
	}
	w.Close()
}

func BenchmarkWriteJSONL(b *testing.B)     { benchWrite(b, JSONL, NoCompression) }
func BenchmarkWriteCSV(b *testing.B)       { benchWrite(b, CSV, NoCompression) }
func BenchmarkWriteJSONLGzip(b *testing.B) { benchWrite(b, JSONL, Gzip) }
func BenchmarkWriteJSONLZstd(b *testing.B) { benchWrite(b, JSONL, Zstd) }
