//go:build !linux

package probe_test

import "testing"

// keepKernelStamping: there are no kernel stamps to wait for here.
func keepKernelStamping(*testing.T) {}
