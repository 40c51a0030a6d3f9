//go:build linux

package probe

import (
	"time"

	"golang.org/x/sys/unix"
)

// kernelSleep sleeps d in the kernel (nanosleep: high-resolution timers, no
// millisecond rounding of the Go runtime's timer wake-up).
func kernelSleep(d time.Duration) {
	ts := unix.NsecToTimespec(d.Nanoseconds())
	_ = unix.Nanosleep(&ts, nil)
}
