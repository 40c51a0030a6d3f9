package daemon

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// A target that answers every request with an error at once is not flooded:
// without the backoff a closed loop of 4 sends thousands of requests a second
// to it. A 429's Retry-After sets the pause when it is longer than the backoff's.
func TestDaemonPausesOnErrorAnswers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		faults   mockserver.Faults
		minPause time.Duration // shortest completed pause allowed
	}{
		{"error500", mockserver.Faults{Error500: 1}, 0},
		{"error429 with Retry-After 1", mockserver.Faults{Error429: 1}, 900 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mock := mocktest.Start(t, mockserver.Config{Faults: tc.faults, Seed: 1})
			o, s := daemonOptions(t, mock.URL)
			a, stop := startAppBackoff(t, o, s, 10*time.Millisecond, 5*time.Second)
			defer stop()
			errs := func() float64 { return a.metric(t, "aiperf_requests_total", `outcome="error"`) }
			eventually(t, 30*time.Second, 20*time.Millisecond, "errors", func() bool { return errs() > 0 })
			time.Sleep(2500 * time.Millisecond)
			n, pauses, paused := errs(), a.metric(t, "aiperf_probe_pauses_total"), a.metric(t, "aiperf_probe_pause_seconds_total")
			t.Logf("%v errors, %v pauses, %.2f s paused", n, pauses, paused)
			if pauses < 1 || n > 200 {
				t.Errorf("%v errors and %v pauses in 2.5 s: the backoff does not bound a target answering only errors", n, pauses)
			}
			// The newest pause may still run; the others are complete.
			if done := pauses - 1; paused < tc.minPause.Seconds()*done {
				t.Errorf("%v complete pauses lasted %.2f s in all, want at least %v each", done, paused, tc.minPause)
			}
		})
	}
}
