//go:build unix

package frontier

import (
	"runtime"
	"syscall"
	"unsafe"
)

// The seen set's table lives outside the Go heap, in an anonymous mapping:
// it holds no pointers, so the garbage collector has nothing to scan there,
// and, above all, it does not count toward the heap that paces collection.
// trawl runs with GOGC=400 (main.go) because its live heap is small; a 16
// MB table in the heap would let the heap grow by 64 MB more before each
// collection.
//
// A mapping is returned to the system when its table is garbage collected
// (runtime.AddCleanup): after a Seen grows, or when the Seen is dropped.

// slotsMin is the smallest table mapped; smaller ones are plain slices (a
// mapping costs at least a page and a system call).
const slotsMin = 64 << 10 / 8

// table is a seen set's slots. Code that uses slots must keep its table
// reachable meanwhile (runtime.KeepAlive), or the mapping may go.
type table struct {
	slots []uint64
}

// newTable returns a zeroed table of n slots.
func newTable(n int) *table {
	if n < slotsMin {
		return &table{slots: make([]uint64, n)}
	}
	b, err := syscall.Mmap(-1, 0, n*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return &table{slots: make([]uint64, n)} // the heap will do
	}
	t := &table{slots: unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n)}
	runtime.AddCleanup(t, func(b []byte) { syscall.Munmap(b) }, b)
	return t
}
