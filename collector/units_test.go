package collector

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestInFlightAndLateRecords(t *testing.T) {
	_, c := newTest(t)
	for range 3 {
		c.Started("short", "omni", "gpu0")
	}
	late := success("late")
	late.LateForDuration = true
	c.Observe(late)
	if got := testutil.ToFloat64(c.inFlight.WithLabelValues("short", "omni", "gpu0")); got != 2 {
		t.Fatalf("in flight %v, want 2", got)
	}
	if got := testutil.ToFloat64(c.requests.WithLabelValues("short", "omni", "gpu0", "success")); got != 0 {
		t.Fatalf("a late record was counted: %v", got)
	}
	// An older success never moves the last-success time back.
	newer, older := success("a"), success("b")
	older.StartNs -= int64(time.Minute)
	c.Observe(newer)
	c.Observe(older)
	want := float64(newer.StartNs+int64(newer.EndOffset)) / 1e9
	if got := testutil.ToFloat64(c.lastSuccess.WithLabelValues("short", "omni", "gpu0")); got != want {
		t.Fatalf("last success %v, want %v", got, want)
	}
}
