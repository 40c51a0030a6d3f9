package collector

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// fakeClock drives a hist's now and afterFunc.
type fakeClock struct {
	now       time.Time
	scheduled []time.Duration
	fire      func()
}

// newClockedHist returns a series of histogramOpts with maxBuckets native
// buckets at most, on clock.
func newClockedHist(clock *fakeClock, maxBuckets uint32) *hist {
	opts := histogramOpts("h", "help", TTFTBuckets)
	opts.NativeHistogramMaxBucketNumber = maxBuckets
	v := newHistVec(opts, nil)
	v.cfg.now = func() time.Time { return clock.now }
	v.cfg.afterFunc = func(d time.Duration, f func()) func() bool {
		clock.scheduled = append(clock.scheduled, d)
		clock.fire = f
		return func() bool { return true }
	}
	return v.WithLabelValues().(*hist)
}

func written(t *testing.T, h *hist) *dto.Histogram {
	t.Helper()
	var m dto.Metric
	if err := h.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.Histogram
}

// Past the bucket limit, client_golang resets a histogram whose last reset is
// at least NativeHistogramMinResetDuration ago, else halves its resolution and
// schedules the reset for when that duration is up.
func TestHistogramBucketLimit(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	cases := []struct {
		name      string
		overflow  time.Duration // when the fourth bucket is populated, after creation
		schema    int32         // then
		count     uint64
		scheduled []time.Duration
		created   time.Time
	}{
		{"within the reset duration: halve and schedule", 10 * time.Minute, 2, 4, []time.Duration{50 * time.Minute}, start},
		{"after the reset duration: reset, keep the last observation", 2 * time.Hour, 3, 1, nil, start.Add(2 * time.Hour)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{now: start}
			h := newClockedHist(clock, 3)
			for _, v := range []float64{1, 10, 100} {
				h.ObserveWithExemplar(v, prometheus.Labels{"request_id": "x"})
			}
			clock.now = start.Add(tc.overflow)
			h.Observe(1000)
			w := written(t, h)
			if w.GetSchema() != tc.schema || w.GetSampleCount() != tc.count || !w.CreatedTimestamp.AsTime().Equal(tc.created) {
				t.Errorf("schema %d count %d created %v; want %d, %d, %v", w.GetSchema(), w.GetSampleCount(),
					w.CreatedTimestamp.AsTime(), tc.schema, tc.count, tc.created)
			}
			if len(clock.scheduled) != len(tc.scheduled) || (len(tc.scheduled) > 0 && clock.scheduled[0] != tc.scheduled[0]) {
				t.Errorf("scheduled resets %v, want %v", clock.scheduled, tc.scheduled)
			}
			if len(w.Exemplars) != 3 {
				t.Errorf("%d native exemplars, want the 3 kept through a reset", len(w.Exemplars))
			}
		})
	}
}

// The scheduled reset starts afresh: initial schema, no counts, new created
// time; a further overflow before it fires halves again without scheduling twice.
func TestHistogramScheduledReset(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	clock := &fakeClock{now: start}
	h := newClockedHist(clock, 3)
	for _, v := range []float64{1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8} {
		h.Observe(v)
	}
	if w := written(t, h); w.GetSchema() >= 2 || len(clock.scheduled) != 1 {
		t.Fatalf("schema %d after overflows, %d resets scheduled; want below 2 and one", w.GetSchema(), len(clock.scheduled))
	}
	clock.now = start.Add(time.Hour)
	clock.fire()
	w := written(t, h)
	if w.GetSchema() != 3 || w.GetSampleCount() != 0 || w.GetSampleSum() != 0 || len(w.PositiveSpan) != 0 ||
		w.Bucket[len(w.Bucket)-1].GetCumulativeCount() != 0 || !w.CreatedTimestamp.AsTime().Equal(clock.now) {
		t.Errorf("after the scheduled reset: %v", w)
	}
	h.Observe(0.5)
	clock.now = start.Add(time.Hour + time.Minute)
	for _, v := range []float64{1, 10, 100} {
		h.Observe(v)
	}
	if len(clock.scheduled) != 2 || clock.scheduled[1] != 59*time.Minute {
		t.Errorf("scheduled resets %v, want a second one in 59m", clock.scheduled)
	}
}
