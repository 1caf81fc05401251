//go:build !unix

package frontier

// On systems without mmap the seen set's table is a plain slice.
type table struct{ slots []uint64 }

func newTable(n int) *table { return &table{slots: make([]uint64, n)} }
