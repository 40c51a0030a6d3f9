package testkit

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

// leakWait is how long NoLeaks lets goroutines wind down before reporting.
const leakWait = 10 * time.Second

// NoLeaks fails t when goroutines other than those opts ignore are still
// running after a generous deadline. goleak.VerifyNone gives up after about
// 0.4 s, which connection goroutines winding down on a loaded CI machine can
// outlast; a real leak stays past 10 s. Use: defer testkit.NoLeaks(t, goleak.IgnoreCurrent()).
func NoLeaks(t testing.TB, opts ...goleak.Option) {
	t.Helper()
	noLeaksWithin(t, leakWait, opts...)
}

// noLeaksWithin is NoLeaks with the deadline wait; tests of this package
// shorten it.
func noLeaksWithin(t testing.TB, wait time.Duration, opts ...goleak.Option) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		err := goleak.Find(opts...)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("goroutines still running %v after the test: %v", wait, err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
