//go:build !linux

package probe

import (
	"runtime"
	"time"
)

// kernelSleep yields where nanosleep is missing (a runtime timer would
// oversleep the deadline): precise waits then spin, yielding, for the rest.
func kernelSleep(time.Duration) { runtime.Gosched() }
