package daemon

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

// noLeaks fails t when goroutines other than those opts ignore are still
// running after a generous deadline. goleak.VerifyNone gives up after about
// 0.4 s, which connection goroutines winding down on a loaded CI machine can
// outlast; a real leak stays past 10 s. Use: defer noLeaks(t, goleak.IgnoreCurrent()).
func noLeaks(t *testing.T, opts ...goleak.Option) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := goleak.Find(opts...)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("goroutines still running 10 s after the test: %v", err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
