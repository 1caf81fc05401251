//go:build unix

package extract

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time (GC workers included): unlike the
// wall clock it does not grow when other processes load the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
