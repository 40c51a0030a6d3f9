package testkit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// recorder is a testing.TB that keeps what Errorf reports instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// A goroutine that ends within the wait passes; one that outlives it is
// reported with its stack.
func TestNoLeaksWithin(t *testing.T) {
	for _, c := range []struct {
		name   string
		lives  time.Duration // how long the goroutine runs; 0 = until the check is over
		wait   time.Duration
		report bool
	}{
		{"ends after the test returns", 300 * time.Millisecond, 10 * time.Second, false},
		{"outlives the wait", 0, 300 * time.Millisecond, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := []goleak.Option{goleak.IgnoreCurrent()}
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				if c.lives > 0 {
					time.Sleep(c.lives)
					return
				}
				<-stop
			}()
			r := &recorder{TB: t}
			noLeaksWithin(r, c.wait, opts...)
			close(stop)
			<-done
			if got := len(r.errs) > 0; got != c.report {
				t.Fatalf("reported %v (%q), want %v", got, r.errs, c.report)
			}
			if c.report && !strings.Contains(r.errs[0], "TestNoLeaksWithin") {
				t.Errorf("report lacks the leaked goroutine's stack: %s", r.errs[0])
			}
		})
	}
}
